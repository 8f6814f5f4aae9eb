from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from hbm.registry.identity import registry_index


class Command(BaseCommand):
    help = (
        "`hbm person_index save` writes a snapshot of the matching index to var/ so that "
        "processes start without rebuilding it; `hbm person_index status` shows its size."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("action", choices=["save", "status"])

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        index = registry_index.current()
        if action == "save":
            path = registry_index.save_snapshot()
            self.stdout.write(f"Saved {len(index):,} persons to {path}")
        else:
            self.stdout.write(f"{len(index):,} persons in the index")
