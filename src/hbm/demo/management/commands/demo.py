from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from hbm.demo import scenario
from hbm.demo.services import demo_load


class Command(BaseCommand):
    help = "`hbm demo load` loads the demo scenario (safe to rerun); `hbm demo logins` lists them."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("action", choices=["load", "logins"])
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="share of the ~20,000 demo registrations to load (default 1)",
        )

    def handle(self, *args: Any, action: str, scale: float, **options: Any) -> None:
        if not 0 < scale <= 5:
            raise CommandError("--scale must be more than 0 and at most 5")
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
