"""Reads of hbm.fieldops: managers see every team and deployment; every other user sees the
deployments of the teams they are in."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar
from uuid import UUID

from django.db.models import Model, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from hbm.accounts.models import User
from hbm.fieldops.access import may_manage, require_manager
from hbm.fieldops.models import Deployment, Team

M = TypeVar("M", bound=Model)
NO_SUCH_TEAM = "No such team."
NO_SUCH_DEPLOYMENT = "No such deployment."
STATUSES = tuple(Deployment.Status.values)


def _uuid(value: UUID | str, missing: str) -> UUID:
    """The id, or 404 as for an unknown one."""
    try:
        return UUID(str(value))
    except ValueError:
        raise Http404(missing) from None


def one_by_public_id(rows: QuerySet[M], public_id: UUID | str, missing: str) -> M:
    """The row of ``rows`` (the user's share) with this public id; 404 saying ``missing``
    for one unknown, malformed or outside the share."""
    row = rows.filter(public_id=_uuid(public_id, missing)).first()
    if row is None:
        raise Http404(missing)
    return row


def team_list(*, user: User, q: str = "") -> QuerySet[Team]:
    require_manager(user)
    teams = Team.objects.prefetch_related(
        "agencies", Prefetch("members", queryset=User.objects.order_by("username"))
    )
    if q:
        teams = teams.filter(name__icontains=q)
    return teams.order_by("name")


def team_get_for_user(*, user: User, public_id: UUID | str) -> Team:
    require_manager(user)
    team = team_list(user=user).filter(public_id=_uuid(public_id, NO_SUCH_TEAM)).first()
    if team is None:
        raise Http404(NO_SUCH_TEAM)
    return team


def _status_filter(status: str, now: datetime) -> Q:
    if status == Deployment.Status.CURRENT:
        return Q(starts_at__lte=now, ends_at__gt=now)
    if status == Deployment.Status.UPCOMING:
        return Q(starts_at__gt=now)
    if status == Deployment.Status.ENDED:
        return Q(ends_at__lte=now)
    return Q()


def deployment_list(
    *, user: User, status: str = "", team: UUID | str | None = None
) -> QuerySet[Deployment]:
    """Every deployment for managers; the user's teams' otherwise. ``status``: current,
    upcoming, ended (read against now), or empty for all."""
    deployments = Deployment.objects.select_related("team", "crossing_point", "admin_area").filter(
        _status_filter(status, timezone.now())
    )
    if not may_manage(user):
        deployments = deployments.filter(team__in=user.teams.values("pk"))
    if team is not None:
        deployments = deployments.filter(team__public_id=_uuid(team, NO_SUCH_TEAM))
    order: Any = ("-starts_at", "-pk") if status == Deployment.Status.ENDED else ("starts_at", "pk")
    return deployments.order_by(*order)


def deployment_get_for_user(*, user: User, public_id: UUID | str) -> Deployment:
    public_id = _uuid(public_id, NO_SUCH_DEPLOYMENT)
    deployment = deployment_list(user=user).filter(public_id=public_id).first()
    if deployment is None:
        raise Http404(NO_SUCH_DEPLOYMENT)
    return deployment


@dataclass(frozen=True)
class Board:
    """Who is where: deployments under way, coming, and the latest ended."""

    current: list[Deployment]
    upcoming: list[Deployment]
    ended: list[Deployment]
    at: datetime


BOARD_ENDED = 20


def status_board(*, user: User) -> Board:
    """The board of the deployments the user sees (all of them for managers)."""

    def of(status: str, limit: int | None = None) -> list[Deployment]:
        deployments = deployment_list(user=user, status=status).prefetch_related(
            Prefetch("team__members", queryset=User.objects.order_by("username"))
        )
        return list(deployments[:limit] if limit else deployments)

    return Board(
        current=of(Deployment.Status.CURRENT),
        upcoming=of(Deployment.Status.UPCOMING),
        ended=of(Deployment.Status.ENDED, BOARD_ENDED),
        at=timezone.now(),
    )
