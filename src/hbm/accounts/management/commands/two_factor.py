from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from hbm.accounts.models import User
from hbm.accounts.services.two_factor import two_factor_reset

NO_SUCH_USER = "no user is named {!r}"


class Command(BaseCommand):
    help = (
        "`hbm two_factor reset <username>` removes a user's authenticator and recovery codes "
        "(a lost phone, and no administrator can log in to do it); the user sets up a new one "
        "at the next login. Audited."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("action", choices=["reset"])
        parser.add_argument("username")

    def handle(self, *args: Any, action: str, username: str, **options: Any) -> None:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(NO_SUCH_USER.format(username))
        two_factor_reset(actor="hbm two_factor reset", user=user)
        self.stdout.write(f"Two-factor login reset for {username}; set it up at the next login.")
