from __future__ import annotations

import os

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email


class Command(BaseCommand):
    help = (
        "Create the first admin login without a terminal (a script, a container): the name, "
        "e-mail and password come from ADMIN_USERNAME, ADMIN_EMAIL (optional) and "
        "ADMIN_PASSWORD in the environment, never the command line, which other users of "
        "the machine can read. The password passes the same checks as in the admin. "
        "`make createsuperuser` runs it when ADMIN_USERNAME is set."
    )

    def handle(self, *args: object, **options: object) -> None:
        username = os.environ.get("ADMIN_USERNAME", "").strip()
        email = os.environ.get("ADMIN_EMAIL", "").strip()
        password = os.environ.get("ADMIN_PASSWORD", "")
        if not username or not password:
            raise CommandError("Set ADMIN_USERNAME and ADMIN_PASSWORD (and ADMIN_EMAIL) first.")
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            raise CommandError(
                f"There is already a login named {username!r}: nothing was changed. To set "
                f"its password: python manage.py changepassword {username}"
            )
        if email:
            try:
                validate_email(email)
            except ValidationError as error:
                raise CommandError(f"ADMIN_EMAIL: {' '.join(error.messages)}") from error
        candidate = User(username=username, email=email)
        try:
            validate_password(password, candidate)
        except ValidationError as error:
            raise CommandError(f"ADMIN_PASSWORD: {' '.join(error.messages)}") from error
        User.objects.create_superuser(username=username, email=email, password=password)
        self.stdout.write(f"Created the admin login {username!r}: sign in at /admin/.")
