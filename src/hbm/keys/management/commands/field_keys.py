from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from hbm.keys.services import field_keys_rotate
from hbm.lib.fieldcrypt import generate_key
from hbm.lib.reencrypt import BATCH_SIZE

UNREADABLE = "{count} value(s) could not be re-encrypted: list the key they were written with."


class Command(BaseCommand):
    help = (
        "`hbm field_keys rotate` re-encrypts every encrypted field with the first key of "
        "HBM_FIELD_KEYS (resumable: run it again after an interruption); `hbm field_keys "
        "generate` prints a new key. See docs/operations/field-keys.md."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        rotate = actions.add_parser("rotate", help="re-encrypt every value with the first key")
        rotate.add_argument(
            "--batch-size", type=int, default=BATCH_SIZE, help="rows per committed batch"
        )
        actions.add_parser("generate", help="print a new key (to put first in HBM_FIELD_KEYS)")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "generate":
            self.stdout.write(generate_key())
            return
        if options["batch_size"] < 1:
            raise CommandError("--batch-size: give a whole number above 0")
        rotation = field_keys_rotate(batch_size=options["batch_size"])
        for tally in rotation.tallies:
            self.stdout.write(
                f"{tally.column}: {tally.changed} re-encrypted, {tally.unchanged} already with "
                f"the first key, {tally.empty} empty, {len(tally.problems)} unreadable"
            )
        for problem in rotation.problems:
            self.stderr.write(problem)
        if rotation.problems:
            self.stderr.write(UNREADABLE.format(count=len(rotation.problems)))
            raise SystemExit(1)
        self.stdout.write(f"Done: {rotation.changed} values re-encrypted with the first key.")
