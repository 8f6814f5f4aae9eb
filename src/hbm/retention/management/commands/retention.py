import json
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from hbm.retention.models import RetentionRun
from hbm.retention.policies import policy_get
from hbm.retention.services import retention_run, retention_schedule

NEEDS_YES = "A purge cannot be undone: run `hbm retention report` first, then add --yes."


class Command(BaseCommand):
    help = (
        "`hbm retention report` counts what each retention policy would purge now (a dry run, "
        "audited; nothing changes); `hbm retention purge --yes` purges it; `hbm retention "
        "schedule` queues the worker's daily run (docs/operations/retention.md)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("action", choices=["report", "purge", "schedule"])
        parser.add_argument("--yes", action="store_true", help="Confirm a purge.")
        parser.add_argument(
            "--json", dest="as_json", action="store_true", help="Print the run as JSON."
        )

    def handle(self, *args: Any, action: str, yes: bool, as_json: bool, **options: Any) -> None:
        if action == "schedule":
            due = retention_schedule()
            self.stdout.write(f"Daily run due {due.isoformat()}" if due else "RETENTION_DAILY=off")
            return
        if action == "purge" and not yes:
            raise CommandError(NEEDS_YES)
        run = retention_run(actor=None, kind=action, trigger=RetentionRun.Trigger.COMMAND)
        if as_json:
            self.stdout.write(_as_json(run))
            return
        verb = "purged" if action == "purge" else "would be purged (dry run: nothing changed)"
        self.stdout.write(f"Retention {run.get_kind_display().lower()} {run.pk}:")
        for code, result in run.results.items():
            policy = policy_get(code)
            done = f", {result['done']} done" if action == "purge" else ""
            sample = ", ".join(result["sample"]) or "none"
            self.stdout.write(
                f"  {code}: {result['eligible']} {verb}{done} — {policy.describe()}; "
                f"cutoff {result['cutoff'] or 'per record'}; e.g. {sample}"
            )


def _as_json(run: RetentionRun) -> str:
    return json.dumps({"run": run.pk, "kind": run.kind, "results": run.results}, indent=2)
