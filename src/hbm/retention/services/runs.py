"""Retention runs: a dry run that counts what each policy would purge, and the purge.

Each policy of a run is audited by one event written, and committed, before the policy
changes anything: the policy, its cutoff and how many records are eligible, never what they
hold. A purge that stops half way is therefore recorded; the run's row says how far it went.
"""

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hbm.accounts.models import User
from hbm.audit.models import AuditEvent
from hbm.audit.services import audit_record
from hbm.lib.permissions import has_any_role, require_role
from hbm.registry.identity import registry_index
from hbm.retention.models import RetentionRun
from hbm.retention.policies import POLICIES, Policy
from hbm.retention.services import purging

logger = logging.getLogger(__name__)

RUNNERS = ("administrator",)
NOT_ALLOWED = _("Only administrators can run the retention policies.")
OPERATOR = "command line"  # the audit's actor when the server's operator runs it
SCHEDULE = "daily schedule"  # the audit's actor of the worker's daily run
SAMPLE_SIZE = 5
CHUNK_SIZE = 200
DAILY_EVERY = timedelta(hours=24)

# What a purge does with a chunk of each policy's records; returns how many it acted on.
Apply = Callable[[list[Any], datetime], int]
APPLY: dict[str, Apply] = {
    "inactive_persons": lambda rows, now: purging.persons_anonymise(
        rows, now=now, policy="inactive_persons"
    ),
    "watchlist_entries": lambda rows, now: purging.entries_purge(rows, now=now),
    "referral_shared": lambda rows, now: purging.referrals_clear(rows, now=now),
}


def may_run(user: User) -> bool:
    return has_any_role(user, *RUNNERS)


def retention_run(
    *, actor: User | None, kind: str, trigger: str, now: datetime | None = None
) -> RetentionRun:
    """Run every policy, as a dry run (``kind`` report) or a purge. ``actor`` None: the
    server's operator (command line) or the worker's schedule."""
    if actor is not None:
        require_role(actor, *RUNNERS, message=str(NOT_ALLOWED))
    now = now or timezone.now()
    run = RetentionRun.objects.create(kind=kind, trigger=trigger, started_by=actor)
    who: User | str = actor or (SCHEDULE if trigger == RetentionRun.Trigger.SCHEDULE else OPERATOR)
    try:
        for policy in POLICIES:
            _policy_run(run, policy, who=who, now=now)
    except Exception as error:
        logger.exception("retention run %s failed", run.pk)
        run.status, run.finished_at = RetentionRun.Status.FAILED, timezone.now()
        run.error = f"{type(error).__name__}: the worker's log has the details"[:300]
        run.save(update_fields=["status", "finished_at", "error"])
        raise
    run.status, run.finished_at = RetentionRun.Status.DONE, timezone.now()
    run.save(update_fields=["status", "finished_at"])
    if kind == RetentionRun.Kind.PURGE and run.results["inactive_persons"]["done"]:
        _snapshot_again()
    return run


def _policy_run(run: RetentionRun, policy: Policy, *, who: User | str, now: datetime) -> None:
    eligible = policy.eligible(now)
    if policy.code == "referral_shared":
        rows = [r for r in eligible.iterator() if purging.referral_holds_data(r)]
        count, sample = len(rows), [policy.sample_id(r) for r in rows[:SAMPLE_SIZE]]
    else:
        count = eligible.count()
        sample = [policy.sample_id(row) for row in eligible[:SAMPLE_SIZE]]
    cutoff = policy.cutoff(now)
    result = {
        "cutoff": cutoff.isoformat() if cutoff else "",
        "eligible": count,
        "done": 0,
        "sample": sample,
    }
    purge = run.kind == RetentionRun.Kind.PURGE
    with transaction.atomic():
        run.results[policy.code] = result
        run.save(update_fields=["results"])
        audit_record(
            actor=who,
            action=AuditEvent.Action.DELETE if purge else AuditEvent.Action.VIEW,
            object_type="retention.policy",
            object_id=policy.code,
            detail=(
                f"retention {'purge' if purge else 'dry run'} {run.pk}: {count} eligible, "
                f"cutoff {result['cutoff'] or 'per record'}"
            ),
        )
    if purge and count:
        result["done"] = _purge(run, policy, eligible, now)


def _purge(run: RetentionRun, policy: Policy, eligible: Any, now: datetime) -> int:
    if policy.code == "export_files":
        done = purging.exports_purge()
        _progress(run, policy, done)
        return done
    apply, done, after = APPLY[policy.code], 0, 0
    while True:
        chunk = list(eligible.filter(pk__gt=after)[:CHUNK_SIZE])
        if not chunk:
            return done
        with transaction.atomic():
            done += apply(chunk, now)
            _progress(run, policy, done)
        after = chunk[-1].pk


def _progress(run: RetentionRun, policy: Policy, done: int) -> None:
    run.results[policy.code]["done"] = done
    run.save(update_fields=["results"])


def _snapshot_again() -> None:
    """A snapshot of the matching index on disk still holds the persons just anonymised:
    write it again (the index drops them as it catches up)."""
    snapshot = registry_index.snapshot
    if snapshot is not None and snapshot.exists():
        registry_index.save_snapshot()


# --- the daily schedule -------------------------------------------------------------------


def retention_schedule(*, now: datetime | None = None) -> datetime | None:
    """Queue the worker's daily run for when it is due (a day after the last daily run, or
    at once), unless one is queued already; each daily run queues the next when it ends.
    Returns when the queued run is due, or None when RETENTION_DAILY is off."""
    from hbm.retention.selectors import retention_next_due
    from hbm.retention.tasks import retention_daily

    if settings.RETENTION_DAILY == "off":
        return None
    now = now or timezone.now()
    queued = retention_next_due()
    if queued is not None:
        return queued
    last = (
        RetentionRun.objects.filter(trigger=RetentionRun.Trigger.SCHEDULE)
        .values_list("started_at", flat=True)
        .first()
    )
    next_due = max(now, last + DAILY_EVERY) if last else now
    retention_daily.using(run_after=next_due).enqueue()
    return next_due


def retention_daily_run() -> RetentionRun | None:
    """The worker's daily run: a purge or a dry run as RETENTION_DAILY says; then the next
    one is queued for a day later."""
    if settings.RETENTION_DAILY == "off":
        return None
    kind = (
        RetentionRun.Kind.PURGE if settings.RETENTION_DAILY == "purge" else RetentionRun.Kind.REPORT
    )
    try:
        return retention_run(actor=None, kind=kind, trigger=RetentionRun.Trigger.SCHEDULE)
    finally:
        transaction.on_commit(retention_schedule)
