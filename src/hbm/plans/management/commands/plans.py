from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from hbm.plans.services.templates import default_document, sop_template_load

ACTOR = "hbm plans load-template"


class Command(BaseCommand):
    help = (
        "`hbm plans load-template [--file PATH]` loads an SOP template (JSON; default: the "
        "mass-arrival template shipped with HBM), replacing the one with the same code. "
        "A bad document changes nothing; each problem is printed on a line."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("action", choices=["load-template"])
        parser.add_argument("--file", default="", help="a template document (JSON)")

    def handle(self, *args: Any, action: str, file: str, **options: Any) -> None:
        try:
            document = Path(file).read_bytes() if file else default_document()
        except OSError as error:
            raise CommandError(f"--file: {error.strerror}: {file}") from error
        try:
            template, created = sop_template_load(actor=ACTOR, document=document)
        except ValidationError as error:
            lines = [f"{field}: {m}" for field, ms in error.message_dict.items() for m in ms]
            raise CommandError("\n".join(lines)) from error
        verb = "loaded" if created else "replaced"
        self.stdout.write(f"{template.code}: {verb}, {template.tasks.count()} tasks")
