"""Switching a plan on and off. A coordinator activates (by hand with a reason, or on an
alert's proposal); each of the checklist's tasks becomes a task of its agency, due so many
hours after activation. Closing asks for after-action notes."""

from datetime import timedelta
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from hbm.accounts.models import User
from hbm.alerts.models import Alert
from hbm.alerts.selectors import alert_list
from hbm.audit.models import AuditEvent
from hbm.audit.services import audit_record
from hbm.lib.text import text_problems
from hbm.plans.access import require_manager
from hbm.plans.models import Activation, ContingencyPlan, Task
from hbm.plans.proposals import proposed_plans

ALREADY_ACTIVE = "This plan is already active."
NOT_ACTIVE = "This plan is not active."
NO_SUCH_ALERT = "No such alert at your crossing points."
NOT_PROPOSED = "This alert does not propose this plan (its point, its level or its status)."
REASON_NEEDED = "Activating by hand: say why (or activate from the alert that proposes it)."
AFTER_ACTION_NEEDED = "Write the after-action notes: what worked, what did not."
MAX_TEXT = 5000
TOO_LONG = "Keep this under 5,000 characters."


class PlanConflict(ValidationError):
    """The plan is not in a state where this can be done (active twice, closed twice)."""


def _alert(actor: User, plan: ContingencyPlan, alert_id: UUID | str | None) -> Alert | None:
    if not alert_id:
        return None
    try:
        alert = alert_list(user=actor).filter(public_id=alert_id).first()
    except (ValueError, ValidationError):
        alert = None
    if alert is None:
        raise ValidationError({"alert": [NO_SUCH_ALERT]})
    if not any(found == plan and activate for found, activate in proposed_plans(alert)):
        raise ValidationError({"alert": [NOT_PROPOSED]})
    return alert


def _text(field: str, value: str, needed: str) -> None:
    problems = text_problems({field: value}, multiline={field})
    if not value.strip():
        problems[field] = [needed]
    elif len(value) > MAX_TEXT:
        problems[field] = [TOO_LONG]
    if problems:
        raise ValidationError(problems)


@transaction.atomic
def plan_activate(
    *, actor: User, plan: ContingencyPlan, alert: UUID | str | None = None, reason: str = ""
) -> Activation:
    require_manager(actor)
    plan = ContingencyPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.activations.filter(closed_at__isnull=True).exists():
        raise PlanConflict(ALREADY_ACTIVE)
    proposer = _alert(actor, plan, alert)
    if proposer is None:
        _text("reason", reason, REASON_NEEDED)
    now = timezone.now()
    activation = Activation.objects.create(
        plan=plan, alert=proposer, reason=reason.strip(), activated_at=now, activated_by=actor
    )
    Task.objects.bulk_create(
        Task(
            activation=activation,
            position=task.position,
            title=task.title,
            details=task.details,
            agency_id=task.agency_id,
            due_at=now + timedelta(hours=task.due_hours),
        )
        for task in plan.tasks.all()
    )
    detail = f"activated on alert {proposer.public_id}" if proposer else "activated by hand"
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, target=plan, detail=detail)
    return activation


@transaction.atomic
def plan_close(*, actor: User, plan: ContingencyPlan, after_action: str) -> Activation:
    """End the activation under way; its tasks keep their last status, for the record."""
    require_manager(actor)
    activation = (
        Activation.objects.select_for_update().filter(plan=plan, closed_at__isnull=True).first()
    )
    if activation is None:
        raise PlanConflict(NOT_ACTIVE)
    _text("after_action", after_action, AFTER_ACTION_NEEDED)
    activation.closed_at, activation.closed_by = timezone.now(), actor
    activation.after_action = after_action.strip()
    activation.save(update_fields=["closed_at", "closed_by", "after_action"])
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, target=plan, detail="closed")
    return activation
