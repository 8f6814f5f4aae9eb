from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from hbm.backups.commands import refused_lines
from hbm.backups.services.restoration import RestoreMismatch, backup_restore
from hbm.lib.rejected import Rejected


class Command(BaseCommand):
    help = (
        "`hbm restore FILE` checks an archive written by `hbm backup` in full, then restores "
        "its database, media, index snapshot and keys (if it holds them) and checks the row "
        "counts against its manifest. Stop the server and worker first. A database that "
        "holds tables is replaced only with --yes. See docs/operations/backup.md."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("archive", type=Path)
        parser.add_argument(
            "--yes", action="store_true", help="replace a database that holds tables"
        )

    def handle(self, *args: Any, archive: Path, yes: bool, **options: Any) -> None:
        try:
            restored = backup_restore(archive=archive, replace=yes)
        except Rejected as refused:
            refused_lines(self.stderr, refused.problems, "Nothing was restored.")
        except RestoreMismatch as mismatch:
            refused_lines(
                self.stderr,
                mismatch.problems,
                "The database was restored but does not match the backup's manifest.",
            )
        for note in restored.notes:
            self.stderr.write(note)
        counts = restored.row_counts
        if options["verbosity"] > 1:
            for table, rows in sorted(counts.items()):
                self.stdout.write(f"  {table}: {rows:,}")
        self.stdout.write(
            f"Restored the backup of {restored.manifest.created_at}: {len(counts)} tables, "
            f"{sum(counts.values()):,} rows, every count as in the manifest"
        )
