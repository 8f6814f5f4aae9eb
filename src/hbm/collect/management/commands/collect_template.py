from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from hbm.collect.template import template_xlsx


class Command(BaseCommand):
    help = "Write HBM's registration XLSForm for ODK Collect / KoboCollect to a file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="where to write the .xlsx")

    def handle(self, *args: Any, path: str, **options: Any) -> None:
        Path(path).write_bytes(template_xlsx())
        self.stdout.write(f"{path}: written")
