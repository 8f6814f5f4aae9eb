"""An agency's officers report on their tasks: in progress, done or blocked, with a note."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from hbm.accounts.models import User
from hbm.audit.models import AuditEvent
from hbm.audit.services import audit_record
from hbm.lib.text import text_problems
from hbm.plans.models import Task
from hbm.plans.selectors import task_get_for_user
from hbm.plans.services.activation import PlanConflict

UNKNOWN_STATUS = "Choose open, in progress, done or blocked."
BLOCKED_NEEDS_NOTE = "Say what blocks the task."
NOTE_TOO_LONG = "Keep the note under 2,000 characters."
PLAN_CLOSED = "This plan's activation is closed: its tasks are kept as they were."
MAX_NOTE = 2000


@transaction.atomic
def task_update(*, actor: User, task: Task, status: str, note: str = "") -> Task:
    """Set a task's status (and note); the task is checked against the actor's scope."""
    task = task_get_for_user(user=actor, public_id=task.public_id)
    problems = text_problems({"note": note}, multiline={"note"})
    if status not in Task.Status.values:
        problems["status"] = [UNKNOWN_STATUS]
    elif status == Task.Status.BLOCKED and not note.strip():
        problems["note"] = [BLOCKED_NEEDS_NOTE]
    if len(note) > MAX_NOTE:
        problems["note"] = [NOTE_TOO_LONG]
    if problems:
        raise ValidationError(problems)
    task = Task.objects.select_for_update().select_related("activation").get(pk=task.pk)
    if task.activation.closed_at is not None:
        raise PlanConflict(PLAN_CLOSED)
    task.status, task.note = status, note.strip()
    task.updated_at, task.updated_by = timezone.now(), actor
    task.save(update_fields=["status", "note", "updated_at", "updated_by"])
    audit_record(
        actor=actor, action=AuditEvent.Action.UPDATE, target=task, detail=f"status {status}"
    )
    return task
