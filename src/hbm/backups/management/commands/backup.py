from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from hbm.backups.commands import refused_lines
from hbm.backups.services import backup_create
from hbm.lib.rejected import Rejected


class Command(BaseCommand):
    help = (
        "`hbm backup` writes one archive (tar.gz) of the database (a consistent snapshot, "
        "taken while the server runs), media files and the matching index snapshot, with a "
        "manifest of checksums and row counts. The secret key goes in only with "
        "--include-keys. See docs/operations/backup.md."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--output", type=Path, help="the archive to write (default var/backups/...)"
        )
        parser.add_argument(
            "--include-keys",
            action="store_true",
            help="put the secret key in the archive (then keep the archive as you keep the key)",
        )
        parser.add_argument("--no-media", action="store_true", help="leave media files out")

    def handle(
        self, *args: Any, output: Path | None, include_keys: bool, no_media: bool, **options: Any
    ) -> None:
        try:
            written = backup_create(
                output=output, include_keys=include_keys, include_media=not no_media
            )
        except Rejected as refused:
            refused_lines(self.stderr, refused.problems, "No backup was written.")
        for note in written.notes:
            self.stderr.write(note)
        counts = written.manifest.row_counts
        size = written.path.stat().st_size
        self.stdout.write(
            f"Backup written to {written.path} ({size:,} bytes): {written.manifest.vendor}, "
            f"{len(counts)} tables, {sum(counts.values()):,} rows, "
            f"{sum(1 for m in written.manifest.members if m.startswith('media/')):,} media files, "
            f"keys {'included' if written.manifest.includes_keys else 'left out'}"
        )
