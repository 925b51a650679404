"""The client's address behind reverse proxies, for the login lockout (django-axes).

Behind a proxy REMOTE_ADDR is the proxy's own address, so every visitor would share one
lockout. Each proxy appends the address it received the request from to
X-Forwarded-For; with TRUSTED_PROXY_COUNT proxies of ours in front, the client is the
TRUSTED_PROXY_COUNT-th entry from the right. Entries left of it were written by the
client and are never trusted; nor is the header at all when the request did not come
from one of TRUSTED_PROXIES (where gunicorn listens on an address others can reach, a
client talking to it directly could name a new address for every guess).
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    remote = request.META.get("REMOTE_ADDR")
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0 or remote not in settings.TRUSTED_PROXIES:
        return remote
    forwarded = [
        entry.strip()
        for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if entry.strip()
    ]
    if len(forwarded) < count:
        return remote  # not through all our proxies: a direct request
    return forwarded[-count]
