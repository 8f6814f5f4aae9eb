"""Rescreening every registration when a list changes, in the background with progress."""

from collections.abc import Callable
from functools import partial

from django.db import transaction

from hbm.accounts.models import User
from hbm.audit.models import AuditEvent
from hbm.audit.services import audit_record
from hbm.lib.runs import run_in_chunks, run_revive
from hbm.registry.models import Person
from hbm.security import screening
from hbm.security.models import Hit, ScreeningRun
from hbm.security.services.hits import record_hits


def rescreen_request(*, actor: User, reason: str) -> ScreeningRun:
    """Queue a rescreen. A run queued and not yet started already covers a newer change; a run
    whose worker is gone (no heartbeat for RUN_STALE_AFTER) is resumed as well."""
    with transaction.atomic():
        active = ScreeningRun.objects.select_for_update().filter(status__in=ScreeningRun.ACTIVE)
        for run in active:
            if run_revive(run):
                transaction.on_commit(partial(_enqueue, run.pk))
        waiting = next((run for run in active if run.status == run.Status.QUEUED), None)
        if waiting is not None and waiting.started_at is None:
            return waiting
        run = ScreeningRun.objects.create(requested_by=actor, reason=reason[:200])
        audit_record(actor=actor, action=AuditEvent.Action.CREATE, target=run, detail=reason[:200])
        transaction.on_commit(lambda: _enqueue(run.pk))
        return run


def _enqueue(run_id: int) -> None:
    from hbm.security.tasks import rescreen_all

    rescreen_all.enqueue(run_id=run_id)


def rescreen_run(*, run_id: int) -> ScreeningRun:
    """Screen every person registered before the run started (later ones were screened when
    registered), or resume from where the run stopped."""
    return run_in_chunks(model=ScreeningRun, run_id=run_id, rows=Person.objects.all(), work=_work)


def _work(persons: list[Person]) -> Callable[[], dict[str, int]]:
    found = screening.watchlist_matches(persons)

    def write() -> dict[str, int]:
        known = Hit.objects.filter(person__in=persons).count()
        record_hits(persons, found)
        return {"hits_found": Hit.objects.filter(person__in=persons).count() - known}

    return write
