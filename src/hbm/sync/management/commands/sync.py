from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from hbm.sync import client, selectors
from hbm.sync.services import push, reference

NEXT = "Run `hbm sync {}` again when the link is up: it goes on from there."


class Command(BaseCommand):
    help = (
        "Field station ↔ national replication (docs/sync.md). `hbm sync push` sends this "
        "station's registrations and corrections not yet acknowledged, in batches; "
        "`hbm sync pull` copies the national reference data (crossing points, service types); "
        "`hbm sync status` shows what is waiting. Set HBM_SYNC_URL and HBM_SYNC_TOKEN."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("action", choices=["push", "pull", "status"])
        parser.add_argument("--batch", type=int, default=None, help="Changes per request.")

    def handle(self, *args: Any, action: str, batch: int | None, **options: Any) -> None:
        if action == "status":
            self._status()
            return
        if problems := client.configured():
            raise CommandError("\n".join(problems))
        if batch is not None and not 1 <= batch <= 1000:
            raise CommandError("--batch: give a number of changes from 1 to 1000.")
        try:
            self._push(batch) if action == "push" else self._pull()
        except client.LinkDown as down:
            raise CommandError(f"{down}. {NEXT.format(action)}") from down

    def _push(self, batch: int | None) -> None:
        try:
            result = push.changes_push(batch_size=batch)
        except push.PushRefused as refused:
            status = selectors.outbox_status()
            raise CommandError(
                "\n".join(
                    [
                        *refused.lines,
                        f"acknowledged up to change {status['acknowledged']}; "
                        f"{status['pending']} waiting",
                    ]
                )
            ) from refused
        counts = ", ".join(f"{n} {outcome}" for outcome, n in sorted(result.outcomes.items()))
        self.stdout.write(
            f"Pushed: acknowledged up to change {result.acknowledged}"
            + (f" ({counts})" if counts else " (nothing new)")
        )

    def _pull(self) -> None:
        status, answer = client.call(
            "GET", "/sync/reference", query={"since": reference.reference_version()}
        )
        if status != 200 or "version" not in answer:
            raise CommandError(f"the national server answered {status}: {answer.get('message')}")
        if "crossing_points" not in answer:
            self.stdout.write(f"Reference data up to date (version {answer['version']})")
            return
        counts = reference.reference_apply(snapshot=answer)
        self.stdout.write(
            f"Reference data version {answer['version']}: {counts['crossing_points']} crossing "
            f"points, {counts['service_types']} service types"
        )

    def _status(self) -> None:
        status = selectors.outbox_status()
        oldest = status["oldest_pending"]
        self.stdout.write(f"national server: {settings.SYNC_URL or '(not set)'}")
        self.stdout.write(f"changes written: {status['written']}")
        self.stdout.write(f"acknowledged:    {status['acknowledged']}")
        self.stdout.write(
            f"waiting:         {status['pending']}"
            + (f" (oldest: change {oldest.seq}, {oldest.kind})" if oldest else "")
        )
        self.stdout.write(f"reference data:  {status['reference_version'] or '(never pulled)'}")
