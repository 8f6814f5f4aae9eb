"""Tallies of flow monitoring: recorded and voided, keeping the series in step."""

from dataclasses import asdict, dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hbm.accounts.models import User
from hbm.audit.models import AuditEvent
from hbm.audit.services import audit_record
from hbm.flows import hooks
from hbm.flows.inputs import CountLineInput, FlowCountInput
from hbm.flows.models import FlowCount, FlowCountLine
from hbm.flows.services import rollup
from hbm.flows.validation import count_problems
from hbm.lib.permissions import require_role
from hbm.lib.text import text_refuse
from hbm.places.models import BorderCrossingPoint
from hbm.places.selectors import crossing_point_list

COUNTING_ROLES = ("flow_enumerator", "administrator")
NOT_YOUR_POINT = _("You do not count at this crossing point.")
UNKNOWN_POINT = _("No crossing point with this code.")
REPLAY_DIFFERS = _(
    "Tally {} was already received with different content; send new tallies with a new id."
)
ALREADY_VOID = _("This tally was already voided.")
REASON_REQUIRED = _("Give the reason for voiding this tally.")


class CountConflict(Exception):
    """The tally id was used before for different content (HTTP 409)."""


@dataclass
class CountResult:
    count: FlowCount
    replayed: bool = False


def _point_for(actor: User, code: str) -> BorderCrossingPoint:
    point = crossing_point_list(user=actor).filter(code=code).first()
    if point is None:
        if BorderCrossingPoint.objects.filter(code=code).exists():
            raise PermissionDenied(str(NOT_YOUR_POINT))
        raise ValidationError({"crossing_point": str(UNKNOWN_POINT)})
    return point


def _previous(data: FlowCountInput) -> CountResult | None:
    count = FlowCount.objects.filter(public_id=data.id).first()
    if count is None:
        return None
    if count.content_hash != data.content_hash():
        raise CountConflict(str(REPLAY_DIFFERS).format(data.id))
    return CountResult(count=count, replayed=True)


def flow_count_record(
    *, actor: User, data: FlowCountInput, now: datetime | None = None
) -> CountResult:
    """Record a tally and update the series in one transaction; idempotent by ``data.id``."""
    require_role(actor, *COUNTING_ROLES)
    now = now or timezone.now()
    previous = _previous(data)
    if previous is not None:
        return previous
    point = _point_for(actor, data.crossing_point)
    try:
        return _record(actor=actor, data=data, point=point, now=now)
    except IntegrityError:
        previous = _previous(data)
        if previous is None:
            raise
        return previous


def _line(count: FlowCount, line: CountLineInput) -> FlowCountLine:
    fields = asdict(line)
    for name in ("nationality", "origin_country", "destination_country"):
        fields[f"{name}_id"] = fields.pop(name).upper() or None
    for name in ("origin_place", "destination_place"):
        fields[name] = fields[name].strip()
    return FlowCountLine(count=count, **fields)


@transaction.atomic
def _record(
    *, actor: User, data: FlowCountInput, point: BorderCrossingPoint, now: datetime
) -> CountResult:
    # Checked inside the transaction so that two overlapping tallies cannot both pass.
    BorderCrossingPoint.objects.select_for_update().filter(pk=point.pk).first()
    problems = count_problems(data, point=point, now=now)
    if problems:
        raise ValidationError(problems.by_field)
    count = FlowCount.objects.create(
        public_id=data.id,
        content_hash=data.content_hash(),
        crossing_point=point,
        window_start=data.window_start,
        window_end=data.window_end,
        total=data.total,
        estimated=data.estimated,
        notes=data.notes.strip(),
        recorded_by=actor,
    )
    FlowCountLine.objects.bulk_create(_line(count, line) for line in data.lines)
    rollup.count_recorded(count)
    hooks.tally_changed({point.pk})
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        target=count,
        detail=f"{data.total} people at {point.code}",
    )
    return CountResult(count=count)


@transaction.atomic
def flow_count_void(*, actor: User, count: FlowCount, reason: str) -> FlowCount:
    """Take a wrong tally out of the series (it stays on record); a corrected one can then be
    entered for the same window."""
    require_role(actor, *COUNTING_ROLES)
    count = FlowCount.objects.select_for_update().select_related("crossing_point").get(pk=count.pk)
    if not crossing_point_list(user=actor).filter(pk=count.crossing_point_id).exists():
        raise PermissionDenied(str(NOT_YOUR_POINT))
    if count.voided_at is not None:
        raise ValidationError({"reason": str(ALREADY_VOID)})
    text_refuse({"reason": reason}, multiline={"reason"})
    if not reason.strip():
        raise ValidationError({"reason": str(REASON_REQUIRED)})
    count.voided_at, count.voided_by, count.void_reason = timezone.now(), actor, reason.strip()
    count.save(update_fields=["voided_at", "voided_by", "void_reason"])
    rollup.count_voided(count)
    hooks.tally_changed({count.crossing_point_id})
    audit_record(
        actor=actor, action=AuditEvent.Action.UPDATE, target=count, detail=f"voided: {reason}"
    )
    return count
