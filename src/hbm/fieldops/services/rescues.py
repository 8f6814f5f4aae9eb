"""Writes of search and rescue incidents: the incident, the people found, its outcome. Every
rule is checked before anything is written, in one transaction with its audit event:
coordinates off the globe, an incident in the future, the same person found twice, an
unknown outcome write nothing. A person is registered on the spot through the registry's
own registration service (duplicate and watchlist screening included), never written here
(ADR 0146)."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from uuid import UUID, uuid4

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone

from hbm.accounts.models import User
from hbm.audit.models import AuditEvent
from hbm.audit.services import audit_record
from hbm.fieldops.access import require_manager
from hbm.fieldops.models import RescuedPerson, RescueIncident, Team
from hbm.lib.permissions import has_any_role
from hbm.lib.text import text_problems
from hbm.places.models import BorderCrossingPoint
from hbm.registry.inputs import MemberInput, RegistrationInput
from hbm.registry.models import Group, Person
from hbm.registry.selectors import visible_persons
from hbm.registry.services import REGISTERING_ROLES, registration_register

OCCURRED_IN_FUTURE = "The incident cannot be in the future."
LATITUDE_RANGE = "A latitude is between -90 and 90 degrees."
LONGITUDE_RANGE = "A longitude is between -180 and 180 degrees."
UNKNOWN_HAZARD = "{!r} is not a hazard: one of {}."
UNKNOWN_OUTCOME = "{!r} is not an outcome: one of {}."
UNKNOWN_POINT = "No crossing point has the code {!r}."
UNKNOWN_TEAM = "No such team."
UNKNOWN_INJURY = "{!r} is not an injury level: one of {}."
UNKNOWN_PERSON = "No such person in your area of work."
TOO_LONG = "At most {} characters."
LINK_OR_REGISTER = "Give a registered person's id, or the details to register them: not both."
PERSON_NEEDED = "Give a registered person's id, or the details to register them."
ALREADY_FOUND = "{} is already among the people found in this incident."
CLOSED = "The incident is closed: it cannot change."
NO_POINT_TO_REGISTER = (
    "Registering on the spot needs the incident's nearest crossing point: set it first."
)
NOT_A_REGISTRAR = "Only registration officers and administrators register people."
DESCRIPTION_LONGEST = 2000
CONDITION_LONGEST = 500
# The registration's fields that the found person's form names the same way.
MEMBER_FIELDS = ("given_name", "family_name", "sex", "date_of_birth", "age_estimate")


@dataclass
class RescueInput:
    occurred_at: datetime
    latitude: Decimal | float | str
    longitude: Decimal | float | str
    hazard: str
    crossing_point: str = ""  # a code
    team: str = ""  # the team's public id
    description: str = ""


@dataclass
class NewPersonInput:
    """A person found who has no record: registered at the incident's nearest point."""

    consent_given: bool
    given_name: str = ""
    family_name: str = ""
    sex: str = ""
    date_of_birth: str = ""
    age_estimate: int | None = None
    nationality: str = ""
    direction: str = "entry"


@dataclass
class FoundInput:
    person: str = ""  # a registered person's public id: linked
    new_person: NewPersonInput | None = None  # or registered on the spot
    injury: str = RescuedPerson.Injury.NONE
    condition: str = ""


def _choice(value: str, choices: type[models.TextChoices], problem: str) -> str | None:
    if value in choices.values:
        return None
    return problem.format(value, ", ".join(choices.values))


def _degrees(value: Decimal | float | str, limit: int) -> Decimal | None:
    try:
        degrees = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    if not degrees.is_finite() or not -limit <= degrees <= limit:
        return None
    return degrees.quantize(Decimal("0.00001"))


@dataclass
class _Clean:
    occurred_at: datetime
    latitude: Decimal
    longitude: Decimal
    hazard: str
    crossing_point: BorderCrossingPoint | None
    team: Team | None
    description: str


def _check_rescue(data: RescueInput) -> _Clean:
    problems: dict[str, list[str]] = {}
    if data.occurred_at > timezone.now():
        problems["occurred_at"] = [OCCURRED_IN_FUTURE]
    latitude, longitude = _degrees(data.latitude, 90), _degrees(data.longitude, 180)
    if latitude is None:
        problems["latitude"] = [LATITUDE_RANGE]
    if longitude is None:
        problems["longitude"] = [LONGITUDE_RANGE]
    hazard = _choice(data.hazard, RescueIncident.Hazard, UNKNOWN_HAZARD)
    if hazard:
        problems["hazard"] = [hazard]
    point = None
    if data.crossing_point.strip():
        point = BorderCrossingPoint.objects.filter(code=data.crossing_point.strip()).first()
        if point is None:
            problems["crossing_point"] = [UNKNOWN_POINT.format(data.crossing_point)]
    team = None
    if data.team.strip():
        team_id = _uuid(data.team)
        team = Team.objects.filter(public_id=team_id).first() if team_id else None
        if team is None:
            problems["team"] = [UNKNOWN_TEAM]
    if len(data.description.strip()) > DESCRIPTION_LONGEST:
        problems["description"] = [TOO_LONG.format(DESCRIPTION_LONGEST)]
    text_problems({"description": data.description}, multiline={"description"}, into=problems)
    if problems:
        raise ValidationError(problems)
    assert latitude is not None and longitude is not None
    return _Clean(
        occurred_at=data.occurred_at,
        latitude=latitude,
        longitude=longitude,
        hazard=data.hazard,
        crossing_point=point,
        team=team,
        description=data.description.strip(),
    )


@transaction.atomic
def rescue_create(*, actor: User, data: RescueInput) -> RescueIncident:
    require_manager(actor)
    clean = _check_rescue(data)
    incident = RescueIncident.objects.create(created_by=actor, **vars(clean))
    audit_record(
        actor=actor, action=AuditEvent.Action.CREATE, target=incident, detail=str(incident)
    )
    return incident


def _uuid(value: str) -> UUID | None:
    try:
        return UUID(str(value).strip())
    except ValueError:
        return None


def _locked(incident: RescueIncident) -> RescueIncident:
    return RescueIncident.objects.select_for_update().get(pk=incident.pk)


def _check_found(data: FoundInput) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    if data.person.strip() and data.new_person is not None:
        problems["person"] = [LINK_OR_REGISTER]
    elif not data.person.strip() and data.new_person is None:
        problems["person"] = [PERSON_NEEDED]
    injury = _choice(data.injury, RescuedPerson.Injury, UNKNOWN_INJURY)
    if injury:
        problems["injury"] = [injury]
    if len(data.condition.strip()) > CONDITION_LONGEST:
        problems["condition"] = [TOO_LONG.format(CONDITION_LONGEST)]
    text_problems({"condition": data.condition}, multiline={"condition"}, into=problems)
    return problems


def _linked(actor: User, incident: RescueIncident, person_id: str) -> Person:
    """The registered person named, in the actor's scope, not yet found in this incident."""
    public_id = _uuid(person_id)
    person = visible_persons(user=actor).filter(public_id=public_id).first() if public_id else None
    if person is None:
        raise ValidationError({"person": [UNKNOWN_PERSON]})
    if incident.found.filter(person=person).exists():
        raise ValidationError({"person": [ALREADY_FOUND.format(person.full_name or person_id)]})
    return person


def _registered(actor: User, incident: RescueIncident, data: NewPersonInput) -> Person:
    """Register the person at the incident's nearest point, crossed when the incident
    happened, through the registry's service: its checks, duplicate candidates and watchlist
    screening apply. Its problems are named on this form's fields (``new_person.<field>``)."""
    if not has_any_role(actor, *REGISTERING_ROLES):
        raise PermissionDenied(NOT_A_REGISTRAR)
    if incident.crossing_point is None:
        raise ValidationError({"new_person": [NO_POINT_TO_REGISTER]})
    member = MemberInput(
        relationship="head",
        given_name=data.given_name,
        family_name=data.family_name,
        sex=data.sex,
        date_of_birth=data.date_of_birth,
        age_estimate=data.age_estimate,
        nationality=data.nationality,
    )
    registration = RegistrationInput(
        id=uuid4(),
        crossing_point=incident.crossing_point.code,
        direction=data.direction,
        members=(member,),
        consent_given=data.consent_given,
        crossed_at=incident.occurred_at,
        group_kind=Group.Kind.INDIVIDUAL,
    )
    try:
        result = registration_register(actor=actor, data=registration)
    except ValidationError as error:
        raise ValidationError(
            {
                "new_person." + key.removeprefix("members.0."): messages
                for key, messages in error.message_dict.items()
            }
        ) from None
    return result.registration.group.members.get().person


@transaction.atomic
def rescued_add(*, actor: User, incident: RescueIncident, data: FoundInput) -> RescuedPerson:
    """A person found: linked to their record by id (in the actor's scope), or registered
    on the spot; with their injury and condition."""
    require_manager(actor)
    incident = _locked(incident)
    if incident.outcome == RescueIncident.Outcome.CLOSED:
        raise ValidationError({"person": [CLOSED]})
    problems = _check_found(data)
    if problems:
        raise ValidationError(problems)
    if data.new_person is None:
        person, source = _linked(actor, incident, data.person), RescuedPerson.Source.LINKED
    else:
        person = _registered(actor, incident, data.new_person)
        source = RescuedPerson.Source.REGISTERED
    found = RescuedPerson.objects.create(
        incident=incident,
        person=person,
        injury=data.injury,
        condition=data.condition.strip(),
        source=source,
        added_by=actor,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        target=person,
        fields=["rescues"],
        detail=f"found in rescue {incident.public_id}: {source}, injury {data.injury}",
    )
    return found


@transaction.atomic
def rescue_set_outcome(*, actor: User, incident: RescueIncident, outcome: str) -> RescueIncident:
    """How the search stands: ongoing, everyone found, suspended, or closed (final)."""
    require_manager(actor)
    incident = _locked(incident)
    problem = _choice(outcome, RescueIncident.Outcome, UNKNOWN_OUTCOME)
    if problem:
        raise ValidationError({"outcome": [problem]})
    if incident.outcome == RescueIncident.Outcome.CLOSED:
        raise ValidationError({"outcome": [CLOSED]})
    incident.outcome = outcome
    incident.save(update_fields=["outcome", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        target=incident,
        fields=["outcome"],
        detail=f"outcome: {outcome}",
    )
    return incident
