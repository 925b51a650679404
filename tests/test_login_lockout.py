"""The admin login locks a username out from an address after repeated failures
(django-axes, settings LOGIN_FAILURE_LIMIT and LOGIN_COOLOFF_MINUTES): the right password
is then refused with a page that says why and for how long; other names and other
addresses log in as before; the lock ends after the cool-off, or at once by command.
"""

from __future__ import annotations

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
EDITOR_ADDRESS = "198.51.100.20"
OTHER_ADDRESS = "203.0.113.7"


@pytest.fixture
def editors(django_user_model) -> None:
    for name in ("editor", "colleague"):
        django_user_model.objects.create_superuser(name, f"{name}@example.org", PASSWORD)


def log_in(username: str, password: str, *, address: str = EDITOR_ADDRESS) -> object:
    client = Client(REMOTE_ADDR=address)
    response = client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": reverse("admin:index")},
    )
    response.logged_in = "_auth_user_id" in client.session
    return response


def fail(times: int, username: str = "editor", *, address: str = EDITOR_ADDRESS) -> None:
    for _ in range(times):
        response = log_in(username, "wrong password", address=address)
        assert not response.logged_in


def test_the_right_password_is_refused_after_five_failures_with_a_page_that_says_why(
    editors, settings
):
    assert settings.AXES_FAILURE_LIMIT == 5
    fail(5)

    response = log_in("editor", PASSWORD)

    assert not response.logged_in
    assert response.status_code == 429
    page = response.content.decode()
    assert "Login locked" in page
    assert "Too many failed logins for “editor” from this address (5 in a row)" in page
    assert "refused for 0:15:00" in page
    assert "axes_reset_username" in page


def test_four_failures_still_let_the_right_password_in(editors):
    fail(4)

    response = log_in("editor", PASSWORD)

    assert response.logged_in
    assert response.status_code == 302


def test_other_users_and_other_addresses_are_not_locked_out(editors):
    fail(5)

    assert log_in("colleague", PASSWORD).logged_in
    assert log_in("editor", PASSWORD, address=OTHER_ADDRESS).logged_in
    assert not log_in("editor", PASSWORD).logged_in


def test_the_lock_ends_after_the_cool_off(editors, settings):
    fail(5)
    assert not log_in("editor", PASSWORD).logged_in

    # The failures as they stand 16 minutes later: past the 15-minute cool-off.
    later = dt.timedelta(minutes=settings.AXES_COOLOFF_TIME.total_seconds() / 60 + 1)
    for attempt in AccessAttempt.objects.all():
        attempt.attempt_time -= later
        attempt.save()

    assert log_in("editor", PASSWORD).logged_in


def test_an_administrator_can_unlock_a_name_at_once(editors):
    fail(5)

    call_command("axes_reset_username", "editor")

    assert log_in("editor", PASSWORD).logged_in
