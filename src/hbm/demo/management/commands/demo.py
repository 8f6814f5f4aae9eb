from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from hbm.accounts.session_state import two_factor_required
from hbm.demo import scenario
from hbm.demo.services import demo_code, demo_load


class Command(BaseCommand):
    help = (
        "`hbm demo load` loads the demo scenario (safe to rerun); `hbm demo logins` lists "
        "them; `hbm demo code <username>` prints the current two-factor code of a demo user."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("action", choices=["load", "logins", "code"])
        parser.add_argument("username", nargs="?", help="the demo user (for `code`)")
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="share of the ~20,000 demo registrations to load (default 1)",
        )

    def handle(self, *args: Any, action: str, scale: float, **options: Any) -> None:
        if not 0 < scale <= 5:
            raise CommandError("--scale must be more than 0 and at most 5")
        if action == "code":
            try:
                self.stdout.write(demo_code(username=options.get("username") or ""))
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
            return
        if action == "load":
            created = demo_load(scale=scale)
            if connection.vendor == "postgresql" and any(created.values()):
                # Fresh statistics after a bulk load, as autovacuum would gather them later:
                # without them the planner scans whole tables (e.g. the index catch-up).
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
            if options["verbosity"] > 0:
                summary = ", ".join(f"{n} {what}" for what, n in created.items())
                self.stdout.write(f"Demo scenario loaded ({summary} new).")
        elif action != "logins":
            raise CommandError(f"unknown action {action}")
        self.stdout.write(f"Demo logins (password for all: {scenario.DEMO_PASSWORD}):")
        for username, first, last, _agency, roles, _points in scenario.USERS:
            self.stdout.write(f"  {username:<13} {first} {last} — {', '.join(roles)}")
        two_factor = [u for u, *_rest, roles, _p in scenario.USERS if _needs_code(roles)]
        self.stdout.write(
            f"Two-factor login for {', '.join(two_factor)}: add the key "
            f"{scenario.DEMO_TOTP_SECRET} to an authenticator app, or run "
            "`.venv/bin/hbm demo code <username>` for the current code."
        )


def _needs_code(roles: list[str]) -> bool:
    from hbm.accounts.models import User

    return two_factor_required(User(roles=roles))
