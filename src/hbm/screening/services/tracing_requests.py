"""Tracing requests: someone separated from a relative asks for them to be looked for.

A request is opened at a crossing point by a protection officer, for an enquirer (a
registered person, or a name) looking for someone described by names, sex, age and where
they were last seen. Candidates from the whole registry are proposed (tracing_candidates),
an officer confirms one (the request is matched) or rejects them, and closes the request
with a reason. Requests belong to the protection compartment of their crossing point: the
protection officers working there read and change them; no other role sees them
(docs/protection.md, docs/decisions/0115)."""

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hbm.accounts.models import User
from hbm.audit.models import AuditEvent
from hbm.audit.services import audit_record, audit_record_many
from hbm.lib.filters import InvalidFilters
from hbm.lib.permissions import require_role
from hbm.lib.text import text_problems
from hbm.places.models import BorderCrossingPoint
from hbm.places.selectors import crossing_point_list
from hbm.registry.models import Person, Sex
from hbm.registry.selectors import person_check_scope
from hbm.screening.models import TracingEvent, TracingMatch, TracingRequest
from hbm.screening.selectors import COMPARTMENT, can_read_protection
from hbm.screening.services.protection import SCREENERS
from hbm.screening.tracing_candidates import find_candidates

R = TracingRequest
D = TracingMatch.Decision
OLDEST_BIRTH_YEAR = 1900
OLDEST_AGE = 120

NO_SUCH_REQUEST = _("No such tracing request at your crossing points.")
NO_SUCH_MATCH = _("No such candidate for this tracing request.")
NOT_YOUR_POINT = _("You do not work at this crossing point.")
NAME_NEEDED = _("Give at least a given name or a family name of the person looked for.")
WHO_IS_LOOKING = _("Say who is looking: choose a registered person or write the enquirer's name.")
CHOOSE_ONE = _("Choose one of: {}.")
BAD_SEX = _("Sex is one of: {}.")
BIRTH_YEAR_RANGE = _("A year of birth from {} to this year.")
AGE_RANGE = _("An age from 0 to {}.")
YEAR_OR_AGE = _("Give a year of birth or an approximate age, not both.")
IN_THE_FUTURE = _("This date is in the future.")
TOO_LONG = _("At most {} characters.")
NOT_OPEN = _("This tracing request is {status}: it takes no more proposals or decisions.")
ALREADY_DECIDED = _("This candidate was already decided ({decision}).")
CHOOSE_DECISION = _("Choose confirmed or rejected.")
ALREADY_CLOSED = _("This tracing request is already closed.")
CHOOSE_REASON = _("Choose the reason for closing: {}.")


@dataclass(frozen=True)
class Sought:
    """The person looked for, as the enquirer describes them."""

    given_name: str = ""
    family_name: str = ""
    father_name: str = ""
    sex: str = ""
    birth_year: int | None = None
    approximate_age: int | None = None
    last_seen_place: str = ""
    last_seen_on: date | None = None
    description: str = ""


# -- reads -------------------------------------------------------------------------------


def tracing_request_list(*, user: User, status: str = "") -> QuerySet[TracingRequest]:
    """The requests of the user's crossing points (national scope: all), newest first;
    protection officers only."""
    if not can_read_protection(user):
        raise PermissionDenied(COMPARTMENT)
    if status and status not in R.Status.values:
        raise InvalidFilters({"status": [CHOOSE_ONE.format(", ".join(R.Status.values))]})
    requests = R.objects.select_related(
        "crossing_point", "enquirer", "matched_person", "agency", "created_by"
    )
    if not user.has_national_scope:
        requests = requests.filter(crossing_point__in=crossing_point_list(user=user).values("pk"))
    if status:
        requests = requests.filter(status=status)
    return requests.order_by("-created_at", "-pk")


def tracing_request_get_for_user(*, user: User, pk: int) -> TracingRequest:
    """One request, or 404 when it is unknown or outside the user's points."""
    request = tracing_request_list(user=user).filter(pk=pk).first()
    if request is None:
        raise Http404(NO_SUCH_REQUEST)
    return request


def tracing_matches(*, request: TracingRequest) -> QuerySet[TracingMatch]:
    """The candidates of a request the caller has fetched within scope, best first."""
    return request.matches.select_related("person__first_crossing_point", "decided_by").order_by(
        "-score", "pk"
    )


def tracing_match_get(*, request: TracingRequest, pk: int) -> TracingMatch:
    match = request.matches.select_related("person").filter(pk=pk).first()
    if match is None:
        raise Http404(NO_SUCH_MATCH)
    return match


def tracing_events(*, request: TracingRequest) -> QuerySet[TracingEvent]:
    return request.events.select_related("actor", "match__person").order_by("at", "pk")


def audit_request_read(*, user: User, request: TracingRequest, persons: list[Person]) -> None:
    """A request's page or answer shows the enquirer and the candidates: each read audited."""
    shown = ([request.enquirer] if request.enquirer else []) + persons
    audit_record_many(
        actor=user,
        action=AuditEvent.Action.VIEW,
        targets=list({p.pk: p for p in shown}.values()),
        detail=f"tracing request {request.pk}",
    )


# -- writes ------------------------------------------------------------------------------


def _length_problems(
    values: dict[str, str], into: dict[str, list[str]], model: Any = TracingRequest
) -> None:
    for name, value in values.items():
        limit = model._meta.get_field(name).max_length
        if limit and len(value) > limit:
            into.setdefault(name, []).append(TOO_LONG.format(limit))


def _sought_problems(sought: Sought, into: dict[str, list[str]]) -> None:
    if not (sought.given_name.strip() or sought.family_name.strip()):
        into.setdefault("given_name", []).append(str(NAME_NEEDED))
    if sought.sex and sought.sex not in Sex.values:
        into.setdefault("sex", []).append(BAD_SEX.format(", ".join(Sex.values)))
    today = timezone.localdate()
    if sought.birth_year is not None and not OLDEST_BIRTH_YEAR <= sought.birth_year <= today.year:
        into.setdefault("birth_year", []).append(BIRTH_YEAR_RANGE.format(OLDEST_BIRTH_YEAR))
    if sought.approximate_age is not None and not 0 <= sought.approximate_age <= OLDEST_AGE:
        into.setdefault("approximate_age", []).append(AGE_RANGE.format(OLDEST_AGE))
    if sought.birth_year is not None and sought.approximate_age is not None:
        into.setdefault("approximate_age", []).append(str(YEAR_OR_AGE))
    if sought.last_seen_on is not None and sought.last_seen_on > today:
        into.setdefault("last_seen_on", []).append(str(IN_THE_FUTURE))


def tracing_request_problems(
    *,
    sought: Sought,
    relationship: str,
    enquirer: Person | None = None,
    enquirer_name: str = "",
    relationship_detail: str = "",
) -> dict[str, list[str]]:
    """What tracing_request_open would refuse, by field, writing nothing."""
    problems: dict[str, list[str]] = {}
    if enquirer is None and not enquirer_name.strip():
        problems["enquirer_name"] = [str(WHO_IS_LOOKING)]
    if relationship not in R.Relationship.values:
        choices = ", ".join(R.Relationship.values)
        problems["relationship"] = [CHOOSE_ONE.format(choices)]
    _sought_problems(sought, problems)
    lines = {
        "enquirer_name": enquirer_name,
        "relationship_detail": relationship_detail,
        "given_name": sought.given_name,
        "family_name": sought.family_name,
        "father_name": sought.father_name,
        "last_seen_place": sought.last_seen_place,
    }
    text_problems(
        {**lines, "description": sought.description}, multiline={"description"}, into=problems
    )
    _length_problems(lines, problems)
    return problems


def _check_point(actor: User, crossing_point: BorderCrossingPoint) -> None:
    if not crossing_point_list(user=actor).filter(pk=crossing_point.pk).exists():
        raise PermissionDenied(NOT_YOUR_POINT)


@transaction.atomic
def tracing_request_open(
    *,
    actor: User,
    crossing_point: BorderCrossingPoint,
    sought: Sought,
    relationship: str,
    enquirer: Person | None = None,
    enquirer_name: str = "",
    relationship_detail: str = "",
) -> TracingRequest:
    require_role(actor, *SCREENERS, message=str(COMPARTMENT))
    if enquirer is not None:
        person_check_scope(user=actor, person=enquirer)
    _check_point(actor, crossing_point)
    problems = tracing_request_problems(
        sought=sought,
        relationship=relationship,
        enquirer=enquirer,
        enquirer_name=enquirer_name,
        relationship_detail=relationship_detail,
    )
    if problems:
        raise ValidationError(problems)
    described = {
        name: value.strip() if isinstance(value, str) else value
        for name, value in asdict(sought).items()
    }
    request = R.objects.create(
        crossing_point=crossing_point,
        agency_id=actor.agency_id,
        enquirer=enquirer,
        enquirer_name=enquirer_name.strip(),
        relationship=relationship,
        relationship_detail=relationship_detail.strip(),
        created_by=actor,
        **described,
    )
    TracingEvent.objects.create(request=request, kind=TracingEvent.Kind.OPENED, actor=actor)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        target=request,
        fields=[name for name, value in described.items() if value not in ("", None)],
        detail=f"enquirer {enquirer.public_id}" if enquirer else "enquirer not registered",
    )
    return request


def _locked(actor: User, request: TracingRequest) -> TracingRequest:
    """The request again, locked for the change, after checking the actor's role and scope."""
    require_role(actor, *SCREENERS, message=str(COMPARTMENT))
    locked = R.objects.select_for_update().filter(pk=request.pk).first()
    if locked is None:
        raise Http404(NO_SUCH_REQUEST)
    if not actor.has_national_scope:
        _check_point(actor, locked.crossing_point)
    return locked


def _require_open(request: TracingRequest, field: str) -> None:
    if request.status != R.Status.OPEN:
        label = str(R.Status(request.status).label).lower()
        raise ValidationError({field: NOT_OPEN.format(status=label)})


def tracing_request_propose(*, actor: User, request: TracingRequest) -> list[TracingMatch]:
    """Search the registry for candidates and keep those not proposed before; the engine is
    asked before the request is locked, so the lock is held for the writes only."""
    require_role(actor, *SCREENERS, message=str(COMPARTMENT))
    _require_open(request, "status")
    known = set(request.matches.values_list("person_id", flat=True))
    skip = known | ({request.enquirer_id} if request.enquirer_id else set())
    found = find_candidates(request, skip=skip)
    with transaction.atomic():
        locked = _locked(actor, request)
        _require_open(locked, "status")
        known = set(locked.matches.values_list("person_id", flat=True))
        now = timezone.now()
        matches = TracingMatch.objects.bulk_create(
            TracingMatch(
                request=locked,
                person_id=c.person_id,
                score=c.score,
                relation=c.relation,
                reasons=c.reasons,
                proposed_at=now,
            )
            for c in found
            if c.person_id not in known
        )
        TracingEvent.objects.create(
            request=locked, kind=TracingEvent.Kind.PROPOSED, actor=actor, note=str(len(matches))
        )
        persons = Person.objects.in_bulk([m.person_id for m in matches])
        audit_record_many(
            actor=actor,
            action=AuditEvent.Action.VIEW,
            targets=list(persons.values()),
            detail=f"tracing request {locked.pk} proposal",
        )
    return list(TracingMatch.objects.filter(pk__in=[m.pk for m in matches]).order_by("-score"))


@transaction.atomic
def tracing_match_decide(
    *, actor: User, match: TracingMatch, decision: str, note: str = ""
) -> TracingMatch:
    """Confirm a candidate (the request is matched to the person) or reject it."""
    request = _locked(actor, match.request)
    match = TracingMatch.objects.select_for_update().get(pk=match.pk)
    _require_open(request, "decision")
    if match.decision != D.PENDING:
        label = str(D(match.decision).label).lower()
        raise ValidationError({"decision": ALREADY_DECIDED.format(decision=label)})
    problems: dict[str, list[str]] = {}
    if decision not in (D.CONFIRMED, D.REJECTED):
        problems["decision"] = [str(CHOOSE_DECISION)]
    text_problems({"note": note}, into=problems)
    _length_problems({"decision_note": note}, problems, TracingMatch)
    if "decision_note" in problems:
        problems["note"] = problems.pop("decision_note")
    if problems:
        raise ValidationError(problems)
    now = timezone.now()
    match.decision, match.decision_note = decision, note.strip()
    match.decided_by, match.decided_at = actor, now
    match.save(update_fields=["decision", "decision_note", "decided_by", "decided_at"])
    if decision == D.CONFIRMED:
        request.status, request.matched_person_id = R.Status.MATCHED, match.person_id
        request.save(update_fields=["status", "matched_person"])
    TracingEvent.objects.create(
        request=request,
        kind=TracingEvent.Kind.DECIDED,
        match=match,
        actor=actor,
        note=note.strip(),
        at=now,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        target=request,
        fields=["status", "matched_person"] if decision == D.CONFIRMED else [],
        detail=f"candidate {match.pk} {decision}: person {match.person.public_id}",
    )
    return match


@transaction.atomic
def tracing_request_close(
    *, actor: User, request: TracingRequest, reason: str, note: str = ""
) -> TracingRequest:
    """Close an open or matched request with a reason (reunited, withdrawn...)."""
    request = _locked(actor, request)
    if request.status == R.Status.CLOSED:
        raise ValidationError({"status": ALREADY_CLOSED})
    problems: dict[str, list[str]] = {}
    if reason not in R.ClosingReason.values:
        choices = ", ".join(R.ClosingReason.values)
        problems["reason"] = [CHOOSE_REASON.format(choices)]
    text_problems({"note": note}, multiline={"note"}, into=problems)
    if problems:
        raise ValidationError(problems)
    now = timezone.now()
    request.status, request.closing_reason = R.Status.CLOSED, reason
    request.closing_note, request.closed_at = note.strip(), now
    request.save(update_fields=["status", "closing_reason", "closing_note", "closed_at"])
    TracingEvent.objects.create(
        request=request,
        kind=TracingEvent.Kind.CLOSED,
        actor=actor,
        note=note.strip()[:500],
        at=now,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        target=request,
        fields=["status", "closing_reason", "closing_note"],
        detail=f"closed: {reason}",
    )
    return request
