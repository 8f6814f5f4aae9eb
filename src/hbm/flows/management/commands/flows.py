from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from hbm.flows import rollup
from hbm.flows.models import FlowDaily


class Command(BaseCommand):
    help = (
        "`hbm flows rebuild` recomputes the daily flow series from every crossing and tally "
        "(after an upgrade or a restore; day-to-day it is kept up to date as data arrives); "
        "`hbm flows status` shows its size."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("action", choices=["rebuild", "status"])

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "rebuild":
            rows = rollup.rebuild(
                progress=lambda done: self.stderr.write(f"{done:,} crossings read")
            )
            self.stdout.write(f"Daily series rebuilt: {rows:,} rows")
        else:
            self.stdout.write(f"{FlowDaily.objects.count():,} rows in the daily series")
