"""Rebuilding the flow series in the background, one month a chunk (hbm.lib.runs): progress
in months, a resume from the month where a worker died or a run failed, an error in words."""

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hbm.accounts.models import User
from hbm.audit.models import AuditEvent
from hbm.audit.services import audit_record
from hbm.flows.models import FlowRebuild, FlowRebuildMonth
from hbm.flows.services import rollup
from hbm.lib.permissions import has_any_role, require_role
from hbm.lib.runs import run_in_chunks, run_revive

REBUILDERS = ("coordinator", "administrator")
OPERATOR = "command line"  # the audit's actor when the server's operator starts a rebuild
NOT_ALLOWED = _("Only coordinators and administrators can rebuild the flow series.")
RUNNING = _("A rebuild of the flow series is already running ({done} of {total} months).")


class RebuildRunning(Exception):
    """A live rebuild holds the series: one at a time."""

    def __init__(self, run: FlowRebuild) -> None:
        super().__init__(str(RUNNING.format(done=run.done, total=run.total)))
        self.run = run


def may_rebuild(user: User) -> bool:
    return has_any_role(user, *REBUILDERS)


@transaction.atomic
def flow_rebuild_request(*, actor: User | None, enqueue: bool = True) -> FlowRebuild:
    """Start a rebuild, or resume the last one if its worker died or it failed (from its
    cursor: the months done stay done, and the live writes kept them up to date). ``actor``
    None: the server's operator, from the command line. ``enqueue``: hand it to the worker
    (the command line runs it itself)."""
    if actor is not None:
        require_role(actor, *REBUILDERS, message=str(NOT_ALLOWED))
    latest = FlowRebuild.objects.select_for_update().order_by("-queued_at", "-pk").first()
    if latest is not None and latest.status in FlowRebuild.ACTIVE:
        if not run_revive(latest):
            raise RebuildRunning(latest)
        run, action = latest, AuditEvent.Action.UPDATE
        detail = "flow rebuild resumed (its worker had stopped)"
    elif latest is not None and latest.status == FlowRebuild.Status.FAILED:
        latest.status, latest.error, latest.finished_at = FlowRebuild.Status.QUEUED, "", None
        latest.heartbeat_at = timezone.now()
        latest.save(update_fields=["status", "error", "finished_at", "heartbeat_at"])
        run, action, detail = (
            latest,
            AuditEvent.Action.UPDATE,
            "flow rebuild resumed after a failure",
        )
    else:
        run = FlowRebuild.objects.create(requested_by=actor)
        FlowRebuildMonth.objects.bulk_create(
            FlowRebuildMonth(rebuild=run, month=month) for month in rollup.rebuild_months()
        )
        action, detail = AuditEvent.Action.CREATE, "flow rebuild"
    audit_record(actor=actor or OPERATOR, action=action, target=run, detail=detail)
    if enqueue:
        transaction.on_commit(lambda: _enqueue(run.pk))
    return run


def _enqueue(run_id: int) -> None:
    from hbm.flows.tasks import rebuild_flows

    rebuild_flows.enqueue(run_id=run_id)


def flow_rebuild_run(*, run_id: int) -> FlowRebuild:
    """Rebuild each month of the run not yet done, each in its own transaction."""
    return run_in_chunks(
        model=FlowRebuild,
        run_id=run_id,
        rows=FlowRebuildMonth.objects.filter(rebuild_id=run_id),
        work=_work,
        chunk_size=1,
    )


def _work(months: list[FlowRebuildMonth]) -> Callable[[], dict[str, int]]:
    """The month is read inside its write transaction: a registration committed between a
    read and the write would otherwise be lost when the month's rows are replaced."""

    def write() -> dict[str, int]:
        written = 0
        for month in months:
            rows = rollup.rebuild_month(month.month)
            FlowRebuildMonth.objects.filter(pk=month.pk).update(rows=rows, done_at=timezone.now())
            written += rows
        return {"rows_written": written}

    return write


def flow_rebuild_latest(*, user: User) -> FlowRebuild | None:
    if not may_rebuild(user):
        raise PermissionDenied(NOT_ALLOWED)
    return FlowRebuild.objects.order_by("-queued_at", "-pk").first()
