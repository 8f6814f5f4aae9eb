"""/api/v1/fieldops: mobile teams and their deployments (coordinators, administrators); each
user reads the deployments of the teams they are in."""

from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from hbm.accounts.requests import AuthenticatedHttpRequest
from hbm.fieldops import selectors, services
from hbm.fieldops.models import Deployment, Team
from hbm.lib.paging import BoundedPageInput

router = Router(tags=["field operations"])

StatusFilter = Literal["", "current", "upcoming", "ended"]


class TeamIn(Schema):
    name: str
    agencies: list[str] = Field(default_factory=list, description="agency codes")
    members: list[str] = Field(default_factory=list, description="usernames")
    skills: list[str] = Field(default_factory=list)
    languages: list[str] = Field(default_factory=list)
    equipment: str = ""


class TeamOut(Schema):
    id: UUID = Field(alias="public_id")
    name: str
    agencies: list[str]
    members: list[str]
    skills: list[str]
    languages: list[str]
    equipment: str

    @staticmethod
    def resolve_agencies(team: Team) -> list[str]:
        return sorted(agency.code for agency in team.agencies.all())

    @staticmethod
    def resolve_members(team: Team) -> list[str]:
        return [user.username for user in team.members.all()]


class TeamMemberIn(Schema):
    username: str


class DeploymentIn(Schema):
    team: str = Field(description="the team's id")
    crossing_point: str = Field("", description="a crossing point's code (or give an area)")
    area: str = Field("", description="an administrative area's p-code (or give a point)")
    starts_at: datetime
    ends_at: datetime
    purpose: str = ""


class DeploymentOut(Schema):
    id: UUID = Field(alias="public_id")
    team: UUID
    team_name: str
    crossing_point: str
    area: str
    starts_at: datetime
    ends_at: datetime
    purpose: str
    status: str

    @staticmethod
    def resolve_team(deployment: Deployment) -> UUID:
        return deployment.team.public_id

    @staticmethod
    def resolve_team_name(deployment: Deployment) -> str:
        return deployment.team.name

    @staticmethod
    def resolve_crossing_point(deployment: Deployment) -> str:
        return deployment.crossing_point.code if deployment.crossing_point else ""

    @staticmethod
    def resolve_area(deployment: Deployment) -> str:
        return deployment.admin_area.pcode if deployment.admin_area else ""

    @staticmethod
    def resolve_status(deployment: Deployment) -> str:
        return deployment.status_at(timezone.now())


class FieldopsPageInput(BoundedPageInput):
    """The pages' parameters under a name of their own."""


class FieldopsPagination(LimitOffsetPagination):
    Input = FieldopsPageInput


def _team_input(payload: TeamIn) -> services.TeamInput:
    return services.TeamInput(**payload.dict())


def _deployment_input(payload: DeploymentIn) -> services.DeploymentInput:
    return services.DeploymentInput(**payload.dict())


@router.get("/teams", response=list[TeamOut], summary="Mobile teams (coordinators)")
@paginate(FieldopsPagination)
def team_list(request: AuthenticatedHttpRequest, q: str = "") -> Any:
    return selectors.team_list(user=request.user, q=q)


@router.post("/teams", response={201: TeamOut}, summary="Make a team (coordinators)")
def team_create(request: AuthenticatedHttpRequest, payload: TeamIn) -> Status[Team]:
    team = services.team_create(actor=request.user, data=_team_input(payload))
    return Status(201, selectors.team_get_for_user(user=request.user, public_id=team.public_id))


@router.get("/teams/{team_id}", response=TeamOut, summary="A team")
def team_detail(request: AuthenticatedHttpRequest, team_id: UUID) -> Team:
    return selectors.team_get_for_user(user=request.user, public_id=team_id)


@router.put("/teams/{team_id}", response=TeamOut, summary="Edit a team and its members")
def team_update(request: AuthenticatedHttpRequest, team_id: UUID, payload: TeamIn) -> Team:
    team = selectors.team_get_for_user(user=request.user, public_id=team_id)
    services.team_update(actor=request.user, team=team, data=_team_input(payload))
    return selectors.team_get_for_user(user=request.user, public_id=team_id)


@router.delete("/teams/{team_id}", response={204: None}, summary="Delete a team never deployed")
def team_delete(request: AuthenticatedHttpRequest, team_id: UUID) -> Status[None]:
    team = selectors.team_get_for_user(user=request.user, public_id=team_id)
    services.team_delete(actor=request.user, team=team)
    return Status(204, None)


@router.post("/teams/{team_id}/members", response={201: TeamOut}, summary="Add a member")
def team_member_add(
    request: AuthenticatedHttpRequest, team_id: UUID, payload: TeamMemberIn
) -> Status[Team]:
    team = selectors.team_get_for_user(user=request.user, public_id=team_id)
    services.team_member_add(actor=request.user, team=team, username=payload.username)
    return Status(201, selectors.team_get_for_user(user=request.user, public_id=team_id))


@router.delete("/teams/{team_id}/members/{username}", response=TeamOut, summary="Take a member off")
def team_member_remove(request: AuthenticatedHttpRequest, team_id: UUID, username: str) -> Team:
    team = selectors.team_get_for_user(user=request.user, public_id=team_id)
    services.team_member_remove(actor=request.user, team=team, username=username)
    return selectors.team_get_for_user(user=request.user, public_id=team_id)


@router.get(
    "/deployments",
    response=list[DeploymentOut],
    summary="Deployments: all for coordinators, your teams' for everyone else",
)
@paginate(FieldopsPagination)
def deployment_list(
    request: AuthenticatedHttpRequest, status: StatusFilter = "", team: UUID | None = None
) -> Any:
    """``status``: current (under way now), upcoming, ended; empty: all."""
    return selectors.deployment_list(user=request.user, status=status, team=team)


@router.post("/deployments", response={201: DeploymentOut}, summary="Deploy a team")
def deployment_create(
    request: AuthenticatedHttpRequest, payload: DeploymentIn
) -> Status[Deployment]:
    """To one crossing point (``crossing_point``) or to an area (``area``: every point in it
    or in an area below it). Its members work there from ``starts_at`` until ``ends_at``."""
    deployment = services.deployment_create(actor=request.user, data=_deployment_input(payload))
    return Status(201, _get(request, deployment.public_id))


@router.get("/deployments/{deployment_id}", response=DeploymentOut, summary="A deployment")
def deployment_detail(request: AuthenticatedHttpRequest, deployment_id: UUID) -> Deployment:
    return _get(request, deployment_id)


@router.put("/deployments/{deployment_id}", response=DeploymentOut, summary="Edit a deployment")
def deployment_update(
    request: AuthenticatedHttpRequest, deployment_id: UUID, payload: DeploymentIn
) -> Deployment:
    deployment = _get(request, deployment_id)
    services.deployment_update(
        actor=request.user, deployment=deployment, data=_deployment_input(payload)
    )
    return _get(request, deployment_id)


@router.post(
    "/deployments/{deployment_id}/end", response=DeploymentOut, summary="End a deployment now"
)
def deployment_end(request: AuthenticatedHttpRequest, deployment_id: UUID) -> Deployment:
    deployment = _get(request, deployment_id)
    services.deployment_end(actor=request.user, deployment=deployment)
    return _get(request, deployment_id)


@router.delete(
    "/deployments/{deployment_id}", response={204: None}, summary="Call off a deployment"
)
def deployment_delete(request: AuthenticatedHttpRequest, deployment_id: UUID) -> Status[None]:
    deployment = _get(request, deployment_id)
    services.deployment_delete(actor=request.user, deployment=deployment)
    return Status(204, None)


def _get(request: AuthenticatedHttpRequest, public_id: UUID) -> Deployment:
    return selectors.deployment_get_for_user(user=request.user, public_id=public_id)
