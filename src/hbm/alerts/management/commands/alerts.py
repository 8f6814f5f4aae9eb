from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from hbm.alerts.services import detection
from hbm.places.models import BorderCrossingPoint

MAX_DAYS = 366


class Command(BaseCommand):
    help = (
        "`hbm alerts detect [--point CODE] [--days N]` runs each point's detectors over its "
        "last N local days (default 7) and raises or updates alerts; new alerts' notices "
        "go out through the worker. Data arriving by registration queues this by itself."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("action", choices=["detect"])
        parser.add_argument("--point", default="", help="a crossing point's code")
        parser.add_argument("--days", type=int, default=detection.SCAN_DAYS)

    def handle(self, *args: Any, action: str, point: str, days: int, **options: Any) -> None:
        problems = []
        if point and not BorderCrossingPoint.objects.filter(code=point).exists():
            problems.append(f"--point: no crossing point has the code {point!r}")
        if not 1 <= days <= MAX_DAYS:
            problems.append(f"--days: give a number of days from 1 to {MAX_DAYS}")
        if problems:
            raise CommandError("\n".join(problems))
        raised = detection.detect_all(days=days, point=point)
        self.stdout.write(f"{raised} alerts raised or raised to a higher level")
