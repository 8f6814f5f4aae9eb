"""Reads of equipment readiness (ADR 0147): the national roles (coordinators, assessors,
administrators) read every crossing point's and team's inventory; every other role (the
field station's account excepted) reads those of the points in its scope now (assigned, or
deployed there: hbm.places.selectors.scope_point_ids) and of the teams it is in. Equipment
is no one's personal data: nothing here is put on the audit log."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from hbm.accounts.models import User
from hbm.accounts.roles import Role
from hbm.fieldops.access import may_manage
from hbm.fieldops.models import EquipmentLine, EquipmentType, Team
from hbm.lib.permissions import has_any_role
from hbm.places.models import BorderCrossingPoint
from hbm.places.selectors import scope_point_ids

NOT_A_READER = "Your role does not read equipment readiness."
NO_SUCH_HOLDER = "No such crossing point or team in your area of work."
# A line not checked for longer than this is stale on the readiness list.
STALE_DAYS = 30
READERS = tuple(role for role in Role.values if role != Role.FIELD_STATION)


def may_read(user: User) -> bool:
    return has_any_role(user, *READERS)


def reads_all(user: User) -> bool:
    return may_manage(user) or user.has_national_scope


def equipment_type_list() -> QuerySet[EquipmentType]:
    return EquipmentType.objects.order_by("position", "code")


def _visible(user: User) -> Q | None:
    """The lines a user who manages nothing reads; None: every line."""
    if reads_all(user):
        return None
    return Q(crossing_point__in=scope_point_ids(user=user)) | Q(
        team__in=list(user.teams.values_list("pk", flat=True))
    )


@dataclass(frozen=True)
class EquipmentFilters:
    crossing_point: str = ""  # a code
    team: UUID | None = None
    item_type: str = ""  # a code
    short: bool = False  # only lines with a shortfall
    stale: bool = False  # only lines not checked for more than STALE_DAYS (or never)


def stale_before(now: datetime | None = None) -> datetime:
    return (now or timezone.now()) - timedelta(days=STALE_DAYS)


def equipment_line_list(
    *, user: User, filters: EquipmentFilters | None = None
) -> QuerySet[EquipmentLine]:
    """The inventory lines the user reads, the largest shortfalls first."""
    if not may_read(user):
        raise PermissionDenied(NOT_A_READER)
    filters = filters or EquipmentFilters()
    lines = EquipmentLine.objects.select_related(
        "item_type", "crossing_point", "team", "last_checked_by"
    )
    visible = _visible(user)
    if visible is not None:
        lines = lines.filter(visible)
    if filters.crossing_point:
        lines = lines.filter(crossing_point__code=filters.crossing_point)
    if filters.team:
        lines = lines.filter(team__public_id=filters.team)
    if filters.item_type:
        lines = lines.filter(item_type__code=filters.item_type)
    if filters.short:
        lines = lines.filter(shortfall__gt=0)
    if filters.stale:
        lines = lines.filter(
            Q(last_checked_at__isnull=True) | Q(last_checked_at__lt=stale_before())
        )
    return lines.order_by("-shortfall", "pk")


@dataclass
class Holder:
    """A crossing point or a team, and its inventory in the catalogue's order."""

    crossing_point: BorderCrossingPoint | None
    team: Team | None
    lines: list[EquipmentLine] = field(default_factory=list)

    @property
    def name(self) -> str:
        return str(self.crossing_point or self.team)

    @property
    def shortfalls(self) -> list[EquipmentLine]:
        return [line for line in self.lines if line.shortfall > 0]


def _holder_lines(user: User, filters: EquipmentFilters) -> list[EquipmentLine]:
    return list(equipment_line_list(user=user, filters=filters).order_by("item_type__position"))


def holder_get_for_user(
    *, user: User, crossing_point: str = "", team: UUID | str | None = None
) -> Holder:
    """A point (by code) or a team (by id) the user reads, with its lines; 404 otherwise."""
    if not may_read(user):
        raise Http404(NO_SUCH_HOLDER)
    if crossing_point:
        point = BorderCrossingPoint.objects.filter(code=crossing_point).first()
        if point is None or not (reads_all(user) or point.pk in scope_point_ids(user=user)):
            raise Http404(NO_SUCH_HOLDER)
        lines = _holder_lines(user, EquipmentFilters(crossing_point=point.code))
        return Holder(crossing_point=point, team=None, lines=lines)
    try:
        team_id = UUID(str(team))
    except ValueError:
        raise Http404(NO_SUCH_HOLDER) from None
    teams = Team.objects.all() if reads_all(user) else user.teams.all()
    found = teams.filter(public_id=team_id).first()
    if found is None:
        raise Http404(NO_SUCH_HOLDER)
    lines = _holder_lines(user, EquipmentFilters(team=found.public_id))
    return Holder(crossing_point=None, team=found, lines=lines)


def is_stale(line: EquipmentLine, now: datetime | None = None) -> bool:
    return line.last_checked_at is None or line.last_checked_at < stale_before(now)
