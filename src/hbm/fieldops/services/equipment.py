"""Writes of equipment readiness (ADR 0147): a readiness check of one kind of equipment at a
crossing point or with a team (how many work, are broken, are missing; how many are needed),
and a point's shortfalls written as recommendations on its latest capacity assessment
through the assessments app's own service. Every field is checked first; bad input writes
nothing."""

from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from hbm.accounts.models import User
from hbm.assessments import selectors as assessment_selectors
from hbm.assessments.models import Assessment, Indicator, Recommendation
from hbm.assessments.services import recommendation_create
from hbm.audit.models import AuditEvent
from hbm.audit.services import audit_record
from hbm.fieldops.access import require_manager
from hbm.fieldops.models import EquipmentLine, EquipmentType, Team
from hbm.fieldops.services import one_named, point_named
from hbm.lib.text import text_problems
from hbm.places.models import BorderCrossingPoint

HOLDER_NEEDED = "Name the crossing point or the team that holds the equipment."
POINT_OR_TEAM = "Name a crossing point or a team, not both."
UNKNOWN_TEAM = "No such team."
UNKNOWN_TYPE = "No equipment type has the code {!r}."
NEGATIVE = "Cannot be negative."
TOO_MANY = "At most {}."
DOES_NOT_ADD_UP = "Working, broken and missing add up to {total}, not {quantity}."
CHECKED_IN_FUTURE = "The check cannot be in the future."
TOO_LONG = "At most {} characters."
NO_ASSESSMENT = "This crossing point has no capacity assessment: make one first."
MAX_COUNT = 100_000
MAX_NOTES = 2000
COUNTS = ("working", "broken", "missing", "required")
# The default template's indicator on equipment: recommendations are tied to it when the
# assessment's template has it.
EQUIPMENT_INDICATOR = "INF-1"
# A recommendation's text starts with this and the type's (English) name: how a second run
# finds the recommendation an earlier run wrote.
GAP_PREFIX = "Equipment shortfall: {name} —"


@dataclass
class CheckInput:
    """One line of a readiness check: counts seen now (``checked_at`` empty) or then."""

    item_type: str  # a type's code
    working: int
    broken: int = 0
    missing: int = 0
    required: int = 0
    crossing_point: str = ""  # a point's code
    team: str = ""  # a team's id
    quantity: int | None = None  # when given, working + broken + missing must equal it
    notes: str = ""
    checked_at: datetime | None = None


Holder = tuple[BorderCrossingPoint | None, Team | None]


def _holder(data: CheckInput, problems: dict[str, list[str]]) -> Holder:
    code, team_id = data.crossing_point.strip(), data.team.strip()
    if not one_named(code, team_id, needed=HOLDER_NEEDED, both=POINT_OR_TEAM, problems=problems):
        return None, None
    if code:
        return point_named(code, problems), None
    try:
        team = Team.objects.filter(public_id=UUID(team_id)).first()
    except ValueError:
        team = None
    if team is None:
        problems["team"] = [UNKNOWN_TEAM]
    return None, team


def _counts(data: CheckInput, problems: dict[str, list[str]]) -> None:
    for key in COUNTS:
        value = getattr(data, key)
        if value < 0:
            problems[key] = [NEGATIVE]
        elif value > MAX_COUNT:
            problems[key] = [TOO_MANY.format(MAX_COUNT)]
    if data.quantity is not None:
        total = data.working + data.broken + data.missing
        if data.quantity < 0:
            problems["quantity"] = [NEGATIVE]
        elif data.quantity != total and not problems:
            problems["quantity"] = [DOES_NOT_ADD_UP.format(total=total, quantity=data.quantity)]


def _check(data: CheckInput) -> tuple[Holder, EquipmentType, datetime]:
    problems: dict[str, list[str]] = {}
    holder = _holder(data, problems)
    item_type = EquipmentType.objects.filter(code=data.item_type.strip()).first()
    if item_type is None:
        problems["item_type"] = [UNKNOWN_TYPE.format(data.item_type)]
    _counts(data, problems)
    now = timezone.now()
    checked_at = data.checked_at or now
    if checked_at > now:
        problems["checked_at"] = [CHECKED_IN_FUTURE]
    if len(data.notes) > MAX_NOTES:
        problems["notes"] = [TOO_LONG.format(MAX_NOTES)]
    text_problems({"notes": data.notes}, multiline={"notes"}, into=problems)
    if problems:
        raise ValidationError(problems)
    assert item_type is not None
    return holder, item_type, checked_at


@transaction.atomic
def equipment_check(*, actor: User, data: CheckInput) -> EquipmentLine:
    """Record a readiness check of one kind of equipment at a point or with a team: the line
    is made on its first check and replaced by each later one (its counts, standard and
    notes), with who checked and when."""
    require_manager(actor)
    (point, team), item_type, checked_at = _check(data)
    line, created = EquipmentLine.objects.select_for_update().get_or_create(
        crossing_point=point, team=team, item_type=item_type
    )
    line.working, line.broken, line.missing = data.working, data.broken, data.missing
    line.quantity = data.working + data.broken + data.missing
    line.required = data.required
    line.shortfall = max(data.required - data.working, 0)
    line.notes = data.notes.strip()
    line.last_checked_at, line.last_checked_by = checked_at, actor
    line.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE,
        target=line,
        detail=(
            f"{item_type.code} at {line.holder}: {line.working} working, {line.broken} broken,"
            f" {line.missing} missing, {line.required} required"
        ),
    )
    return line


@dataclass
class GapsResult:
    assessment: Assessment
    created: list[Recommendation] = field(default_factory=list)
    already: int = 0  # shortfalls with an open recommendation from an earlier run


def gap_text(line: EquipmentLine) -> str:
    """The recommendation a shortfall becomes (stored text: in English, like the catalogue's
    own names, so that a second run recognises it whoever runs it)."""
    checked = f"{line.last_checked_at:%Y-%m-%d}" if line.last_checked_at else "never"
    prefix = GAP_PREFIX.format(name=line.item_type.name)
    return (
        f"{prefix} {line.shortfall} of {line.required} needed are not working"
        f" ({line.working} working, {line.broken} broken, {line.missing} missing;"
        f" checked {checked}). Repair or replace them."
    )


def _equipment_indicator(assessment: Assessment) -> Indicator | None:
    try:
        return assessment_selectors.indicator_get(
            template=assessment.template, code=EQUIPMENT_INDICATOR
        )
    except Http404:
        return None


@transaction.atomic
def equipment_gaps_to_assessment(*, actor: User, crossing_point: BorderCrossingPoint) -> GapsResult:
    """Each shortfall of the point's inventory becomes a recommendation (a tracked action) on
    the point's latest capacity assessment, tied to its equipment indicator. A shortfall
    with an open recommendation from an earlier run is left as it is: running it twice
    writes nothing the second time; one whose recommendation is done gets a new one."""
    require_manager(actor)
    assessment = assessment_selectors.assessment_list(
        user=actor, filters={"crossing_point": crossing_point.code}
    ).first()
    if assessment is None:
        raise ValidationError({"crossing_point": [NO_ASSESSMENT]})
    result = GapsResult(assessment=assessment)
    open_texts = [
        r.text
        for r in assessment_selectors.recommendation_list(user=actor, assessment=assessment)
        if r.status != Recommendation.Status.DONE
    ]
    indicator = _equipment_indicator(assessment)
    lines = EquipmentLine.objects.filter(crossing_point=crossing_point, shortfall__gt=0)
    for line in lines.select_related("item_type").order_by("item_type__position"):
        prefix = GAP_PREFIX.format(name=line.item_type.name)
        if any(text.startswith(prefix) for text in open_texts):
            result.already += 1
            continue
        result.created.append(
            recommendation_create(
                actor=actor, assessment=assessment, text=gap_text(line), indicator=indicator
            )
        )
    return result
