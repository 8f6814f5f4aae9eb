"""Rescreening every registration when a list changes, in the background with progress."""

from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from hbm.audit.models import AuditEvent
from hbm.audit.services import audit_record
from hbm.registry.models import Person
from hbm.security.models import ScreeningRun
from hbm.security.screening import screen_persons

CHUNK = 1_000


def rescreen_request(*, actor: Any, reason: str) -> ScreeningRun:
    """Queue a rescreen (one at a time: a queued run already covers a newer change)."""
    waiting = ScreeningRun.objects.filter(status=ScreeningRun.Status.QUEUED).first()
    if waiting is not None:
        return waiting
    run = ScreeningRun.objects.create(
        requested_by=actor, reason=reason[:200], total=Person.objects.count()
    )
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, target=run, detail=reason[:200])

    def enqueue() -> None:
        from hbm.security.tasks import rescreen_all

        rescreen_all.enqueue(run_id=run.pk)

    transaction.on_commit(enqueue)
    return run


def rescreen_run(*, run_id: int) -> ScreeningRun:
    ScreeningRun.objects.filter(pk=run_id).update(
        status=ScreeningRun.Status.RUNNING, total=Person.objects.count()
    )
    last = 0
    while True:
        chunk = list(Person.objects.filter(pk__gt=last).order_by("pk")[:CHUNK])
        if not chunk:
            break
        found = len(screen_persons(chunk))
        last = chunk[-1].pk
        ScreeningRun.objects.filter(pk=run_id).update(
            done=F("done") + len(chunk), hits_found=F("hits_found") + found
        )
    ScreeningRun.objects.filter(pk=run_id).update(
        status=ScreeningRun.Status.DONE, finished_at=timezone.now()
    )
    return ScreeningRun.objects.get(pk=run_id)


def rescreen_failed(*, run_id: int, error: str) -> None:
    ScreeningRun.objects.filter(pk=run_id).update(
        status=ScreeningRun.Status.FAILED, error=error[:300], finished_at=timezone.now()
    )
