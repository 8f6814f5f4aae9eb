from argparse import ArgumentParser
from typing import Any, cast

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from hbm.sync import client, selectors
from hbm.sync.services import push, reference, watchlists

NEXT = "Run `hbm sync {}` again when the link is up: it goes on from there."


class Command(BaseCommand):
    help = (
        "Field station ↔ national replication (docs/sync.md). `hbm sync push` sends this "
        "station's registrations and corrections not yet acknowledged, in batches; "
        "`hbm sync pull` copies the national reference data (crossing points, the service "
        "directory, the watchlists screened at field stations); "
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
        answer = self._get("/sync/reference", {"since": reference.reference_version()}, "version")
        if "crossing_points" not in answer:
            self.stdout.write(f"Reference data up to date (version {answer['version']})")
        else:
            counts = reference.reference_apply(snapshot=answer)
            self.stdout.write(
                f"Reference data version {answer['version']}: {counts['crossing_points']} "
                f"crossing points, {counts['service_types']} service types, "
                f"{counts['providers']} providers, {counts['watchlists']} watchlists"
            )
        received, more = 0, True
        while more:  # each page is applied with its cursor: a cut link loses no page
            page = self._get(
                "/sync/watchlist-entries", {"after": watchlists.entries_cursor()}, "cursor"
            )
            received += watchlists.entries_apply(page=page)
            more = bool(page.get("more"))
        self.stdout.write(f"Watchlist entries: {received} received")

    def _get(self, path: str, query: dict[str, str], required: str) -> dict[str, Any]:
        status, answer = client.call("GET", path, query=query)
        answer = cast("dict[str, Any]", answer)
        if status != 200 or required not in answer:
            lines = [f"{e['field']}: {e['message']}" for e in answer.get("errors", [])]
            raise CommandError(
                "\n".join(
                    [f"the national server answered {status}: {answer.get('message')}", *lines]
                )
            )
        return answer

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
        self.stdout.write(f"watchlist cursor: {watchlists.entries_cursor() or '(never pulled)'}")
