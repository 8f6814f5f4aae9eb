from datetime import datetime
from typing import Any
from uuid import UUID

from django.db.models import QuerySet
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from ninja.params.functions import Query as QueryParam

from hbm.accounts.requests import AuthenticatedHttpRequest
from hbm.audit.models import AuditEvent
from hbm.audit.paging import ShownPagination
from hbm.audit.services import audit_record
from hbm.places.selectors import crossing_point_get_for_user
from hbm.referrals import selectors, services
from hbm.referrals.dashboard import protection_dashboard
from hbm.referrals.models import Referral
from hbm.registry.selectors import person_get_for_user
from hbm.screening.selectors import need_code_published

router = Router(tags=["referrals"])


class ReferralIn(Schema):
    person: UUID
    crossing_point: str
    service_type: str = Field(description="service type code, e.g. child-protection")
    provider: int
    urgency: str = Field(description="emergency, urgent or normal")
    consent_given: bool = Field(
        description="true: the person consents now (recorded as a consent for this service); "
        "false: a consent in force for this service or any referral is used, else refused "
        "unless a protection officer overrides with a reason"
    )
    consent_given_by: str = Field("self", description="self, parent, guardian or other")
    consent_given_by_name: str = Field("", description="who gave consent, when not the person")
    consent_override_reason: str = ""
    need_code: str = ""
    notes: str = ""


class ReferralOut(Schema):
    id: int
    status: str
    urgency: str
    service_type: str
    provider: str
    crossing_point: str
    sent_at: datetime
    due_at: datetime
    overdue: bool
    personal_data: bool = Field(
        description="false for coordinators and administrators, and for the provider once the "
        "person withdrew consent: shared and outcome are empty"
    )
    consent_withdrawn: bool = Field(
        description="the person withdrew the consent the referral was sent under"
    )
    shared: dict[str, Any]
    outcome: str

    @staticmethod
    def resolve_shared(referral: Referral) -> dict[str, Any]:
        return referral.shared if referral.personal_data else {}

    @staticmethod
    def resolve_outcome(referral: Referral) -> str:
        return referral.outcome if referral.personal_data else ""

    @staticmethod
    def resolve_service_type(referral: Referral) -> str:
        return referral.service_type.code

    @staticmethod
    def resolve_provider(referral: Referral) -> str:
        return referral.provider.name

    @staticmethod
    def resolve_crossing_point(referral: Referral) -> str:
        return referral.crossing_point.code

    @staticmethod
    def resolve_overdue(referral: Referral) -> bool:
        from django.utils import timezone

        return referral.status in selectors.OPEN and referral.due_at < timezone.now()


class TransitionIn(Schema):
    status: str
    reason: str = ""
    outcome: str = ""


class ReferralFilters(Schema):
    status: str = ""
    overdue: bool = False


@router.get("/protection/dashboard", summary="Needs, referral funnel and timings (counts only)")
def dashboard(
    request: AuthenticatedHttpRequest, days: int = QueryParam(30, ge=1, le=365)
) -> dict[str, Any]:
    return protection_dashboard(user=request.user, days=days)


@router.get("/referrals", response=list[ReferralOut], summary="Referrals visible to the caller")
@paginate(
    ShownPagination,
    ordering=("-sent_at", "-id"),
    shown=lambda referral: [referral.person],
    object_type="registry.person",
    detail=lambda _rows, filters: f"referral list (api) {filters.dict()}",
)
def referral_list(
    request: AuthenticatedHttpRequest, filters: Query[ReferralFilters]
) -> QuerySet[Referral]:
    return selectors.referral_list(user=request.user, **filters.dict())


@router.post("/referrals", response={201: ReferralOut}, summary="Send a referral")
def referral_create(request: AuthenticatedHttpRequest, payload: ReferralIn) -> Status[Referral]:
    person = person_get_for_user(user=request.user, public_id=payload.person)
    point = crossing_point_get_for_user(user=request.user, code=payload.crossing_point)
    referral = services.referral_send(
        actor=request.user,
        person=person,
        crossing_point=point,
        service_type=selectors.service_type_get_for_user(
            user=request.user, code=payload.service_type
        ),
        provider=selectors.provider_get_for_user(user=request.user, pk=payload.provider),
        urgency=payload.urgency,
        consent_given=payload.consent_given,
        consent_given_by=payload.consent_given_by,
        consent_given_by_name=payload.consent_given_by_name,
        consent_override_reason=payload.consent_override_reason,
        need_code=need_code_published(code=payload.need_code),
        notes=payload.notes,
    )
    return Status(201, selectors.referral_get_for_user(user=request.user, pk=referral.pk))


@router.get("/referrals/{referral_id}", response=ReferralOut, summary="One referral")
def referral_detail(request: AuthenticatedHttpRequest, referral_id: int) -> Referral:
    referral = selectors.referral_get_for_user(user=request.user, pk=referral_id)
    audit_record(
        actor=request.user,
        action=AuditEvent.Action.VIEW,
        target=referral.person,
        fields=sorted(referral.shared) if referral.personal_data else [],
        detail=f"referral {referral.pk} (api{'' if referral.personal_data else ', metadata'})",
    )
    return referral


@router.post(
    "/referrals/{referral_id}/transition",
    response=ReferralOut,
    summary="Accept, reject, start, complete, close or revoke",
)
def referral_transition(
    request: AuthenticatedHttpRequest, referral_id: int, payload: TransitionIn
) -> Referral:
    referral = selectors.referral_get_for_user(user=request.user, pk=referral_id)
    services.referral_transition(
        actor=request.user,
        referral=referral,
        to_status=payload.status,
        reason=payload.reason,
        outcome=payload.outcome,
    )
    return selectors.referral_get_for_user(user=request.user, pk=referral_id)
