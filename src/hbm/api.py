"""The REST API at /api/v1/: one NinjaAPI, session or device-token auth, one error format.

Errors always answer ``{"message": str, "errors": [{"field": "body.x", "message": str}]}``;
``errors`` is present (and non-empty) only on 422.
"""

from typing import Any

from django.core.exceptions import ImproperlyConfigured, PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.openapi.schema import OpenAPISchema
from ninja.security import HttpBearer, SessionAuth

from hbm.accounts import session_state
from hbm.accounts.services import (
    TokenRejected,
    device_token_authenticate,
    device_token_check_method,
)
from hbm.lib.body_size import BODY_TOO_LARGE
from hbm.lib.deadline import RequestTimedOut
from hbm.lib.filters import InvalidFilters
from hbm.lib.rejected import Rejected

INVALID_INPUT = "The request has invalid fields."
NOT_AUTHENTICATED = "Log in, or send a device token as 'Authorization: Bearer <token>'."
FORBIDDEN = "Your role does not allow this."
NOT_FOUND = "Not found."
TWO_FACTOR_SETUP_NEEDED = (
    "Your role needs two-factor login: set up an authenticator at /accounts/two-factor/ "
    "before using the API."
)
TWO_FACTOR_CODE_NEEDED = "This session did not give a two-factor code; log in again."


class DeviceTokenAuth(HttpBearer):
    openapi_scheme = "bearer"

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        try:
            device_token = device_token_authenticate(key=token)
        except TokenRejected as exc:
            raise AuthenticationError(message=str(exc)) from exc
        device_token_check_method(token=device_token, method=request.method or "")
        request.user = device_token.user
        request.device_token = device_token  # type: ignore[attr-defined]
        return device_token.user


class TwoFactorSessionAuth(SessionAuth):
    """The browser's session, once it has passed two-factor login where the role needs it."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        if user is not None:
            gate = session_state.two_factor_gate(request.session, user)
            if gate == session_state.ENROL:
                raise PermissionDenied(TWO_FACTOR_SETUP_NEEDED)
            if gate == session_state.VERIFY:
                raise PermissionDenied(TWO_FACTOR_CODE_NEEDED)
        return user


class UniqueNamesSchema(OpenAPISchema):
    """django-ninja files every schema under its class name and lets a later one overwrite an
    earlier of the same name (two enums both called ``Status``): the document then describes
    one with the other's fields. Here a clash stops the document instead."""

    def add_schema_definitions(self, definitions: dict[str, Any]) -> None:
        for name, definition in definitions.items():
            if self.schemas.get(name, definition) != definition:
                raise ImproperlyConfigured(f"Two API schemas are named {name!r}; rename one.")
        super().add_schema_definitions(definitions)


class HbmAPI(NinjaAPI):
    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        return UniqueNamesSchema(self, path_prefix)


api = HbmAPI(
    title="HBM API",
    version="1",
    description="Humanitarian Border Management: people, crossings, places and audit.",
    urls_namespace="api",
    auth=[DeviceTokenAuth(), TwoFactorSessionAuth()],
    docs_url="/docs",
)


def _error(
    request: HttpRequest, status: int, message: str, errors: list[dict[str, str]] | None = None
) -> HttpResponse:
    body: dict[str, Any] = {"message": message}
    if errors is not None:
        body["errors"] = errors
    return api.create_response(request, body, status=status)


def _field_path(loc: list[Any] | tuple[Any, ...]) -> str:
    return ".".join(str(part) for part in loc)


@api.exception_handler(NinjaValidationError)
def on_invalid_request(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors = []
    for error in exc.errors:
        if "msg" in error:
            errors.append({"field": _field_path(error.get("loc", ())), "message": error["msg"]})
        else:
            errors.extend({"field": f"query.{k}", "message": str(v)} for k, v in error.items())
    return _error(request, 422, INVALID_INPUT, errors)


@api.exception_handler(DjangoValidationError)
def on_rule_violation(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    if hasattr(exc, "error_dict"):
        errors = [
            {"field": f"body.{name}" if name != "__all__" else "body", "message": message}
            for name, messages in exc.message_dict.items()
            for message in messages
        ]
    else:
        errors = [{"field": "body", "message": message} for message in exc.messages]
    return _error(request, 422, INVALID_INPUT, errors)


@api.exception_handler(Rejected)
def on_rejected_import(request: HttpRequest, exc: Rejected) -> HttpResponse:
    """Every import endpoint takes its upload as ``file``: the problems are that field's."""
    errors = [{"field": "body.file", "message": problem} for problem in exc.problems]
    return _error(request, 422, INVALID_INPUT, errors)


@api.exception_handler(InvalidFilters)
def on_invalid_filters(request: HttpRequest, exc: InvalidFilters) -> HttpResponse:
    errors = [
        {"field": f"query.{name}", "message": message}
        for name, messages in exc.message_dict.items()
        for message in messages
    ]
    return _error(request, 422, INVALID_INPUT, errors)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    message = exc.message if exc.message and exc.message != "Unauthorized" else NOT_AUTHENTICATED
    return _error(request, 401, message)


@api.exception_handler(PermissionDenied)
def on_forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _error(request, 403, str(exc) or FORBIDDEN)


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, str(exc) or NOT_FOUND)


@api.exception_handler(RequestTimedOut)
def on_timed_out(request: HttpRequest, exc: RequestTimedOut) -> HttpResponse:
    return _error(request, 503, str(exc))


@api.exception_handler(RequestDataTooBig)
def on_body_too_large(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return _error(request, 413, BODY_TOO_LARGE)


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return _error(request, exc.status_code, str(exc))


def _mount_routers() -> None:
    from hbm.accounts.api import router as accounts_router
    from hbm.alerts.api import router as alerts_router
    from hbm.assessments.api import router as assessments_router
    from hbm.audit.api import router as audit_router
    from hbm.collect.api import router as collect_router
    from hbm.fieldops.api import router as fieldops_router
    from hbm.fieldops.api_equipment import router as equipment_router
    from hbm.fieldops.api_movements import router as movements_router
    from hbm.fieldops.api_rescues import router as rescues_router
    from hbm.flows.api import router as flows_router
    from hbm.places.api import router as places_router
    from hbm.plans.api import router as plans_router
    from hbm.referrals.api import router as referrals_router
    from hbm.referrals.directory_api import router as directory_router
    from hbm.registry.api import router as registry_router
    from hbm.registry.api_consents import router as consents_router
    from hbm.registry.api_offline import router as offline_router
    from hbm.retention.api import router as retention_router
    from hbm.screening.api import router as screening_router
    from hbm.screening.tracing_api import router as tracing_router
    from hbm.security.api import router as security_router
    from hbm.sync.api import router as sync_router

    api.add_router("/accounts", accounts_router)
    api.add_router("/places", places_router)
    api.add_router("/audit", audit_router)
    api.add_router("/assessments", assessments_router)
    api.add_router("", offline_router)
    api.add_router("", registry_router)
    api.add_router("", consents_router)
    api.add_router("", screening_router)
    api.add_router("", tracing_router)
    api.add_router("", referrals_router)
    api.add_router("", directory_router)
    api.add_router("", security_router)
    api.add_router("", flows_router)
    api.add_router("/alerts", alerts_router)
    api.add_router("/plans", plans_router)
    api.add_router("/fieldops", fieldops_router)
    api.add_router("/fieldops/movements", movements_router)
    api.add_router("/fieldops/rescues", rescues_router)
    api.add_router("/fieldops/equipment", equipment_router)
    api.add_router("", collect_router)
    api.add_router("", retention_router)
    api.add_router("", sync_router)


_mount_routers()
