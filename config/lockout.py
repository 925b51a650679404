"""The admin login's lockout (django-axes), counted two ways (docs/deploy.md, "Logins"):

- one username from one address: LOGIN_FAILURE_LIMIT failures lock that pair, as axes
  counts them;
- one username from any number of addresses: LOGIN_ACCOUNT_FAILURE_LIMIT failures within
  the cool-off lock the account too, so guesses spread over many addresses are limited
  per account rather than per address.

An attacker can start an account's lock but cannot make it last: failures while locked
are not counted (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT off), so it ends
LOGIN_COOLOFF_MINUTES after the failure that set it; and an address the account logged in
from within LOGIN_KNOWN_ADDRESS_DAYS is held only to the pair's count, so its owner at
their usual desk is not locked out by strangers' guesses.
"""

from __future__ import annotations

import datetime as dt

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit
from axes.models import AccessLog
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest
from django.utils import timezone


class AccountLockoutHandler(AxesDatabaseHandler):
    """AXES_LOCKOUT_PARAMETERS is [username and address, username]: the failures are
    those of the pair, or the pair's limit when the account's own count is reached."""

    def get_failures(self, request: HttpRequest, credentials: dict | None = None) -> int:
        pair, account = (
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        limit = get_failure_limit(request, credentials)
        if (
            pair < limit
            and account >= settings.LOGIN_ACCOUNT_FAILURE_LIMIT
            and not _known_address(request, credentials)
        ):
            # The lockout page says which lock it is, and the limit that set it.
            request.account_failure_limit = settings.LOGIN_ACCOUNT_FAILURE_LIMIT
            return limit
        return pair

    def reset_user_attempts(self, request: HttpRequest, credentials: dict | None = None) -> int:
        """A login clears its own address's failures only: guesses at the account from
        elsewhere still count until they expire (an administrator's
        `axes_reset_username` clears them all)."""
        pair = self.filter_user_attempts(request, credentials)[0]
        count, _ = pair.delete()
        return count


def _known_address(request: HttpRequest, credentials: dict | None) -> bool:
    """Whether the account logged in from the request's address lately."""
    since = timezone.now() - dt.timedelta(days=settings.LOGIN_KNOWN_ADDRESS_DAYS)
    return AccessLog.objects.filter(
        username=get_client_username(request, credentials),
        ip_address=request.axes_ip_address,
        attempt_time__gte=since,
    ).exists()
