from argparse import ArgumentParser
from collections import Counter
from typing import Any, cast

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from hbm.sync import client, selectors
from hbm.sync.models import Change
from hbm.sync.services import prune, push, reference, referral_events, watchlists

NEXT = "Run `hbm sync {}` again when the link is up: it goes on from there."
RETRY_WHICH = "retry: name the refused changes (`hbm sync retry 4 7`) or give --all."
SET_ASIDE = (
    "change {seq} ({kind}) refused and set aside: {reason} — fix the cause, then "
    "`hbm sync retry {seq}`"
)


class Command(BaseCommand):
    help = (
        "Field station ↔ national replication (docs/sync.md). `hbm sync push` sends this "
        "station's registrations and corrections not yet acknowledged, in batches; "
        "`hbm sync pull` copies the national reference data (crossing points, the service "
        "directory, the watchlists screened at field stations) and what happened nationally "
        "to this station's referrals; "
        "`hbm sync status` shows what is waiting and what was refused; "
        "`hbm sync retry CHANGE... | --all` sends refused changes again once fixed; "
        "`hbm sync prune [--older-than DAYS]` deletes changes acknowledged that long ago "
        "(HBM_SYNC_RETENTION_DAYS, also after each push). "
        "Set HBM_SYNC_URL and HBM_SYNC_TOKEN."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("action", choices=["push", "pull", "status", "retry", "prune"])
        parser.add_argument(
            "changes", nargs="*", type=int, help="retry: the refused changes' numbers."
        )
        parser.add_argument("--batch", type=int, default=None, help="Changes per request.")
        parser.add_argument(
            "--older-than",
            dest="older_than",
            type=int,
            default=None,
            help="prune: days since acknowledgement (default HBM_SYNC_RETENTION_DAYS).",
        )
        parser.add_argument(
            "--all", dest="every", action="store_true", help="retry: every refused change."
        )

    def handle(
        self,
        *args: Any,
        action: str,
        changes: list[int],
        batch: int | None,
        every: bool,
        older_than: int | None,
        **options: Any,
    ) -> None:
        if action == "status":
            self._status()
            return
        if action == "prune":
            self._prune(older_than)
            return
        problems = client.configured()
        if batch is not None and not 1 <= batch <= 1000:
            problems.append("--batch: give a number of changes from 1 to 1000.")
        if action == "retry" and bool(changes) == every:
            problems.append(RETRY_WHICH)
        if changes and action != "retry":
            problems.append(f"{changes[0]}: `hbm sync {action}` takes no change numbers.")
        if problems:
            raise CommandError("\n".join(problems))
        try:
            if action == "push":
                self._push(batch)
            elif action == "retry":
                self._retry(None if every else changes)
            else:
                self._pull()
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
        done = f"Pushed: acknowledged up to change {result.acknowledged}" + (
            f" ({counts})" if counts else " (nothing new)"
        )
        if pruned := prune.changes_prune():
            days = settings.SYNC_RETENTION_DAYS
            done += f"; {pruned} changes acknowledged over {days} days ago pruned"
        if result.refused:  # the rest went through; the exit says someone must look
            raise CommandError("\n".join([done, *map(_set_aside_line, result.refused)]))
        self.stdout.write(done)

    def _prune(self, older_than: int | None) -> None:
        if older_than is not None and older_than < 0:
            raise CommandError("--older-than: give a number of days, 0 or more.")
        days = settings.SYNC_RETENTION_DAYS if older_than is None else older_than
        pruned = prune.changes_prune(older_than_days=days)
        self.stdout.write(
            f"Pruned {pruned} changes acknowledged more than {days} days ago "
            "(refused and unacknowledged changes are kept)"
        )

    def _retry(self, changes: list[int] | None) -> None:
        try:
            result = push.refused_changes_retry(seqs=changes)
        except push.PushRefused as refused:
            raise CommandError("\n".join(refused.lines)) from refused
        for change in result.accepted:
            self.stdout.write(f"change {change.seq} ({change.kind}): accepted")
        if result.refused:
            raise CommandError("\n".join(map(_set_aside_line, result.refused)))
        if not result.accepted:
            self.stdout.write("No refused change to retry.")

    def _pull(self) -> None:
        answer = self._get("/sync/reference", {"since": reference.reference_version()}, "version")
        if "crossing_points" not in answer:
            self.stdout.write(f"Reference data up to date (version {answer['version']})")
        else:
            counts = reference.reference_apply(snapshot=answer)
            self.stdout.write(
                f"Reference data version {answer['version']}: {counts['crossing_points']} "
                f"crossing points, {counts['service_types']} service types, "
                f"{counts['providers']} providers, {counts['pathways']} pathways, "
                f"{counts['watchlists']} watchlists"
            )
        received, more = 0, True
        while more:  # each page is applied with its cursor: a cut link loses no page
            page = self._get(
                "/sync/watchlist-entries", {"after": watchlists.entries_cursor()}, "cursor"
            )
            received += watchlists.entries_apply(page=page)
            more = bool(page.get("more"))
        self.stdout.write(f"Watchlist entries: {received} received")
        outcomes: Counter[str] = Counter()
        more = True
        while more:  # the national events of this station's referrals (ADR 0140)
            page = self._get(
                "/sync/referral-events", {"after": referral_events.events_cursor()}, "cursor"
            )
            outcomes += referral_events.events_apply(page=page)
            more = bool(page.get("more"))
        tally = ", ".join(f"{n} {outcome}" for outcome, n in sorted(outcomes.items()))
        self.stdout.write(
            f"Referral events: {outcomes.total()} received" + (f" ({tally})" if tally else "")
        )

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
        self.stdout.write(
            f"refused:         {status['refused']}"
            + (" (set aside; fix the cause, then `hbm sync retry`)" if status["refused"] else "")
        )
        for change in status["refused_first"]:
            when = change.refused_at.strftime("%Y-%m-%d %H:%M")
            reason = change.refusal.replace("\n", "; ")
            self.stdout.write(f"  change {change.seq} ({change.kind}, {when}): {reason}")
        if status["refused"] > len(status["refused_first"]):
            self.stdout.write(f"  … and {status['refused'] - len(status['refused_first'])} more")
        self.stdout.write(f"reference data:  {status['reference_version'] or '(never pulled)'}")
        self.stdout.write(f"watchlist cursor: {watchlists.entries_cursor() or '(never pulled)'}")
        cursor = referral_events.events_cursor() or "(never pulled)"
        self.stdout.write(f"referral events cursor: {cursor}")


def _set_aside_line(change: Change) -> str:
    reason = change.refusal.replace("\n", "; ")
    return SET_ASIDE.format(seq=change.seq, kind=change.kind, reason=reason)
