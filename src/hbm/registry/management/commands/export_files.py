from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from hbm.registry.services.exports import export_files_purge


class Command(BaseCommand):
    help = (
        "`hbm export_files purge` deletes the files of background exports older than "
        "EXPORT_RETENTION_HOURS (the worker also does it after each export)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("action", choices=["purge"])

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        purged = export_files_purge()
        hours = settings.EXPORT_RETENTION_HOURS
        self.stdout.write(f"Purged {purged:,} export files older than {hours} hours")
