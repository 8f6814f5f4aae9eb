from datetime import datetime
from typing import Annotated

from ninja import Router, Schema, Status

from hbm.accounts import selectors, services
from hbm.accounts.models import DeviceToken
from hbm.accounts.requests import AuthenticatedHttpRequest
from hbm.lib.api_choices import own_schema
from hbm.places.selectors import scope_points

Scope = Annotated[DeviceToken.Scope, own_schema(DeviceToken.Scope)]

router = Router(tags=["accounts"])


class MeOut(Schema):
    username: str
    full_name: str
    agency: str | None
    roles: list[str]
    crossing_points: list[str]


class TokenIn(Schema):
    name: str
    scope: Scope = DeviceToken.Scope.READ_WRITE


class TokenOut(Schema):
    prefix: str
    name: str
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None
    scope: Scope


class TokenCreatedOut(TokenOut):
    key: str


@router.get("/me", response=MeOut, summary="Who the caller is, and what they may do")
def me(request: AuthenticatedHttpRequest) -> MeOut:
    user = request.user
    return MeOut(
        username=user.username,
        full_name=user.get_full_name(),
        agency=user.agency.name if user.agency else None,
        roles=list(user.roles),
        crossing_points=list(
            scope_points(user=user).order_by("code").values_list("code", flat=True)
        ),
    )


@router.get("/tokens", response=list[TokenOut], summary="The caller's device tokens")
def token_list(request: AuthenticatedHttpRequest) -> list[DeviceToken]:
    return list(selectors.device_token_list(user=request.user))


@router.post("/tokens", response={201: TokenCreatedOut}, summary="Issue a device token")
def token_create(request: AuthenticatedHttpRequest, payload: TokenIn) -> Status[TokenCreatedOut]:
    token, key = services.device_token_create(
        actor=request.user,
        name=payload.name,
        parent=getattr(request, "device_token", None),
        scope=payload.scope,
    )
    return Status(201, TokenCreatedOut(**TokenOut.from_orm(token).dict(), key=key))


@router.post("/tokens/{prefix}/revoke", response=TokenOut, summary="Revoke a device token")
def token_revoke(request: AuthenticatedHttpRequest, prefix: str) -> DeviceToken:
    token = selectors.device_token_get_for_user(user=request.user, prefix=prefix)
    return services.device_token_revoke(actor=request.user, token=token)
