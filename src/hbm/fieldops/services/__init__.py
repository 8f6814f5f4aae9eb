"""Writes of hbm.fieldops: teams and deployments. Every field is checked first, then the row
is written in one transaction with its audit event; bad input writes nothing."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TypeVar
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import QuerySet
from django.utils import timezone

from hbm.accounts.models import Agency, User
from hbm.audit.models import AuditEvent
from hbm.audit.services import audit_record
from hbm.fieldops.access import require_manager
from hbm.fieldops.models import Deployment, Team
from hbm.lib.text import text_problems
from hbm.places.models import AdminArea, BorderCrossingPoint

NAME_NEEDED = "Give the team a name."
NAME_TAKEN = "Another team has this name."
TOO_LONG = "At most {} characters."
UNKNOWN_AGENCY = "No agency has the code {!r}."
UNKNOWN_USER = "No active user has the username {!r}."
MEMBER_TWICE = "{!r} is listed twice."
ALREADY_MEMBER = "{!r} is already a member of this team."
NOT_A_MEMBER = "{!r} is not a member of this team."
UNKNOWN_TEAM = "No such team."
PLACE_NEEDED = "Name the crossing point or the area the team goes to."
POINT_OR_AREA = "Name a crossing point or an area, not both."
UNKNOWN_POINT = "No crossing point has the code {!r}."
UNKNOWN_AREA = "No administrative area has the p-code {!r}."
ENDS_BEFORE_START = "The deployment must end after it starts."
TEAM_BUSY = "The team is deployed to {} from {:%Y-%m-%d %H:%M} to {:%Y-%m-%d %H:%M} UTC then."
TEAM_DEPLOYED = "The team has deployments; it cannot be deleted."
TEAM_IN_RESCUES = "The team is named on search and rescue incidents; it cannot be deleted."
TEAM_HOLDS_EQUIPMENT = "The team holds equipment on record; it cannot be deleted."
STARTED = "The deployment has started: end it instead of deleting it."
NOT_CURRENT = "Only a deployment under way can be ended now."
LIST_ITEM_TOO_LONG = 80
M = TypeVar("M", bound=models.Model)


@dataclass
class TeamInput:
    name: str
    agencies: list[str] = field(default_factory=list)  # agency codes
    members: list[str] = field(default_factory=list)  # usernames
    skills: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    equipment: str = ""


@dataclass
class DeploymentInput:
    team: str  # the team's public id
    starts_at: datetime
    ends_at: datetime
    crossing_point: str = ""  # a code
    area: str = ""  # a p-code
    purpose: str = ""


def _others(rows: QuerySet[M], row: M | None) -> QuerySet[M]:
    """The rows but the one being edited (none when making a new one)."""
    return rows if row is None else rows.exclude(pk=row.pk)


def _words(values: list[str], key: str, problems: dict[str, list[str]]) -> list[str]:
    """A list of short texts, trimmed, blanks and repeats dropped."""
    kept: dict[str, None] = {}
    for index, value in enumerate(values):
        value = value.strip()
        if len(value) > LIST_ITEM_TOO_LONG:
            problems[f"{key}.{index}"] = [TOO_LONG.format(LIST_ITEM_TOO_LONG)]
        elif value:
            kept[value] = None
    text_problems({f"{key}.{i}": v for i, v in enumerate(values)}, into=problems)
    return list(kept)


def _members(usernames: list[str], problems: dict[str, list[str]]) -> list[User]:
    found = User.objects.filter(is_active=True).in_bulk(set(usernames), field_name="username")
    seen: set[str] = set()
    for index, username in enumerate(usernames):
        if username in seen:
            problems[f"members.{index}"] = [MEMBER_TWICE.format(username)]
        elif username not in found:
            problems[f"members.{index}"] = [UNKNOWN_USER.format(username)]
        seen.add(username)
    return list(found.values())


def _agencies(codes: list[str], problems: dict[str, list[str]]) -> list[Agency]:
    found = Agency.objects.in_bulk(set(codes), field_name="code")
    for index, code in enumerate(codes):
        if code not in found:
            problems[f"agencies.{index}"] = [UNKNOWN_AGENCY.format(code)]
    return list(found.values())


def _check_team(data: TeamInput, team: Team | None) -> tuple[list[Agency], list[User], TeamInput]:
    problems: dict[str, list[str]] = {}
    name = data.name.strip()
    if not name:
        problems["name"] = [NAME_NEEDED]
    elif len(name) > 150:
        problems["name"] = [TOO_LONG.format(150)]
    elif _others(Team.objects.filter(name__iexact=name), team).exists():
        problems["name"] = [NAME_TAKEN]
    text_problems(
        {"name": data.name, "equipment": data.equipment}, multiline={"equipment"}, into=problems
    )
    agencies = _agencies(data.agencies, problems)
    members = _members(data.members, problems)
    clean = TeamInput(
        name=name,
        skills=_words(data.skills, "skills", problems),
        languages=_words(data.languages, "languages", problems),
        equipment=data.equipment.strip(),
    )
    if problems:
        raise ValidationError(problems)
    return agencies, members, clean


def _write_team(team: Team, agencies: list[Agency], members: list[User], data: TeamInput) -> None:
    team.name, team.skills, team.languages = data.name, data.skills, data.languages
    team.equipment = data.equipment
    team.save()
    team.agencies.set(agencies)
    team.members.set(members)


@transaction.atomic
def team_create(*, actor: User, data: TeamInput) -> Team:
    require_manager(actor)
    agencies, members, clean = _check_team(data, None)
    team = Team(created_by=actor)
    _write_team(team, agencies, members, clean)
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, target=team, detail=team.name)
    return team


@transaction.atomic
def team_update(*, actor: User, team: Team, data: TeamInput) -> Team:
    """Replace the team's fields and members. A member taken off loses the access of the
    team's deployments at once (scope is read from the membership)."""
    require_manager(actor)
    agencies, members, clean = _check_team(data, team)
    team = Team.objects.select_for_update().get(pk=team.pk)
    _write_team(team, agencies, members, clean)
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, target=team, detail=team.name)
    return team


@transaction.atomic
def team_member_add(*, actor: User, team: Team, username: str) -> Team:
    require_manager(actor)
    user = User.objects.filter(is_active=True, username=username).first()
    if user is None:
        raise ValidationError({"username": [UNKNOWN_USER.format(username)]})
    if team.members.filter(pk=user.pk).exists():
        raise ValidationError({"username": [ALREADY_MEMBER.format(username)]})
    team.members.add(user)
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, target=team, detail=f"+ {username}")
    return team


@transaction.atomic
def team_member_remove(*, actor: User, team: Team, username: str) -> Team:
    require_manager(actor)
    user = team.members.filter(username=username).first()
    if user is None:
        raise ValidationError({"username": [NOT_A_MEMBER.format(username)]})
    team.members.remove(user)
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, target=team, detail=f"- {username}")
    return team


@transaction.atomic
def team_delete(*, actor: User, team: Team) -> None:
    require_manager(actor)
    # what the team's record is kept for (each a protected key to it)
    for kept, problem in (
        (team.deployments, TEAM_DEPLOYED),
        (team.rescue_incidents, TEAM_IN_RESCUES),
        (team.equipment_lines, TEAM_HOLDS_EQUIPMENT),
    ):
        if kept.exists():
            raise ValidationError({"team": [problem]})
    audit_record(actor=actor, action=AuditEvent.Action.DELETE, target=team, detail=team.name)
    team.delete()


Place = tuple[BorderCrossingPoint | None, AdminArea | None]


def one_named(
    first: str, second: str, *, needed: str, both: str, problems: dict[str, list[str]]
) -> bool:
    """Whether exactly one of two alternatives (a point or an area, a point or a team) is
    named; if not, the problem is on ``crossing_point``, the first of them."""
    if first and second:
        problems["crossing_point"] = [both]
    elif not first and not second:
        problems["crossing_point"] = [needed]
    return bool(first) != bool(second)


def point_named(code: str, problems: dict[str, list[str]]) -> BorderCrossingPoint | None:
    """The crossing point with this code; else a problem on ``crossing_point``."""
    point = BorderCrossingPoint.objects.filter(code=code).first()
    if point is None:
        problems["crossing_point"] = [UNKNOWN_POINT.format(code)]
    return point


def _place(data: DeploymentInput, problems: dict[str, list[str]]) -> Place:
    code, pcode = data.crossing_point.strip(), data.area.strip()
    if not one_named(code, pcode, needed=PLACE_NEEDED, both=POINT_OR_AREA, problems=problems):
        return None, None
    if code:
        return point_named(code, problems), None
    area = AdminArea.objects.filter(pcode=pcode).first()
    if area is None:
        problems["area"] = [UNKNOWN_AREA.format(pcode)]
    return None, area


def _check_deployment(data: DeploymentInput, deployment: Deployment | None) -> tuple[Team, Place]:
    problems: dict[str, list[str]] = {}
    team = Team.objects.filter(public_id=data.team).first() if _is_uuid(data.team) else None
    if team is None:
        problems["team"] = [UNKNOWN_TEAM]
    place = _place(data, problems)
    if data.ends_at <= data.starts_at:
        problems["ends_at"] = [ENDS_BEFORE_START]
    if len(data.purpose) > 300:
        problems["purpose"] = [TOO_LONG.format(300)]
    text_problems({"purpose": data.purpose}, into=problems)
    if team is not None and "ends_at" not in problems:
        during = team.deployments.filter(starts_at__lt=data.ends_at, ends_at__gt=data.starts_at)
        clash = _others(during, deployment).select_related("crossing_point", "admin_area").first()
        if clash is not None:
            problems["starts_at"] = [TEAM_BUSY.format(clash.place, clash.starts_at, clash.ends_at)]
    if problems:
        raise ValidationError(problems)
    assert team is not None
    return team, place


def _is_uuid(value: str) -> bool:
    try:
        UUID(str(value))
    except ValueError:
        return False
    return True


def _write_deployment(
    deployment: Deployment, team: Team, place: Place, data: DeploymentInput
) -> None:
    deployment.team = team
    deployment.crossing_point, deployment.admin_area = place
    deployment.starts_at, deployment.ends_at = data.starts_at, data.ends_at
    deployment.purpose = data.purpose.strip()
    deployment.save()


@transaction.atomic
def deployment_create(*, actor: User, data: DeploymentInput) -> Deployment:
    """Send a team to a point or an area. From ``starts_at`` until ``ends_at`` its members
    work there; before and after, the deployment gives nothing."""
    require_manager(actor)
    team, place = _check_deployment(data, None)
    deployment = Deployment(created_by=actor)
    _write_deployment(deployment, team, place, data)
    audit_record(
        actor=actor, action=AuditEvent.Action.CREATE, target=deployment, detail=str(deployment)
    )
    return deployment


@transaction.atomic
def deployment_update(*, actor: User, deployment: Deployment, data: DeploymentInput) -> Deployment:
    require_manager(actor)
    team, place = _check_deployment(data, deployment)
    deployment = Deployment.objects.select_for_update().get(pk=deployment.pk)
    _write_deployment(deployment, team, place, data)
    audit_record(
        actor=actor, action=AuditEvent.Action.UPDATE, target=deployment, detail=str(deployment)
    )
    return deployment


@transaction.atomic
def deployment_end(*, actor: User, deployment: Deployment) -> Deployment:
    """End a deployment under way now: its access ends with it."""
    require_manager(actor)
    deployment = Deployment.objects.select_for_update().get(pk=deployment.pk)
    now = timezone.now()
    if deployment.status_at(now) != Deployment.Status.CURRENT:
        raise ValidationError({"ends_at": [NOT_CURRENT]})
    deployment.ends_at = max(now, deployment.starts_at + timedelta(seconds=1))
    deployment.save(update_fields=["ends_at"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        target=deployment,
        fields=["ends_at"],
        detail="ended",
    )
    return deployment


@transaction.atomic
def deployment_delete(*, actor: User, deployment: Deployment) -> None:
    """Call off a deployment that has not started (one that has is ended, and kept)."""
    require_manager(actor)
    if deployment.starts_at <= timezone.now():
        raise ValidationError({"starts_at": [STARTED]})
    audit_record(
        actor=actor, action=AuditEvent.Action.DELETE, target=deployment, detail=str(deployment)
    )
    deployment.delete()
