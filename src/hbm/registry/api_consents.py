"""A person's consent records over the API: listed, recorded and withdrawn, within the caller's
scope of the person, each read and write audited."""

from datetime import date, datetime
from uuid import UUID

from django.db.models import QuerySet
from ninja import Field, Router, Schema, Status
from ninja.pagination import CursorPagination, paginate

from hbm.accounts.requests import AuthenticatedHttpRequest
from hbm.audit.models import AuditEvent
from hbm.audit.services import audit_record
from hbm.registry import selectors
from hbm.registry.models import Consent
from hbm.registry.services.consents import ConsentInput, consent_record, consent_withdraw

router = Router(tags=["registry"])


class ConsentIn(Schema):
    purpose: str = Field(description="registration, referral or data_sharing")
    given: bool = Field(description="Required: whether the person consented (false: refused)")
    scope: str = Field(
        "",
        description="referral: a service type code; data_sharing: an agency code; "
        "empty: the whole purpose",
    )
    given_by: str = Field("self", description="self, parent, guardian or other")
    given_by_name: str = Field("", description="Who gave consent, when not the person")
    method: str = Field("", description="verbal, signed, thumbprint or other; empty: not recorded")
    expires_on: date | None = None


class WithdrawalIn(Schema):
    reason: str = Field("", description="Required: why the consent is withdrawn")


class ConsentOut(Schema):
    id: int
    purpose: str
    scope: str
    given: bool
    given_by: str
    given_by_name: str
    method: str
    legal_basis: str
    expires_on: date | None
    recorded_by: str
    recorded_at: datetime
    withdrawn_at: datetime | None
    withdrawal_reason: str
    in_force: bool = Field(description="given, not expired and not withdrawn today")

    @staticmethod
    def resolve_recorded_by(consent: Consent) -> str:
        return consent.recorded_by.get_username()

    @staticmethod
    def resolve_in_force(consent: Consent) -> bool:
        from django.utils import timezone

        return consent.is_valid_on(timezone.localdate())


@router.get(
    "/persons/{person_id}/consents",
    response=list[ConsentOut],
    summary="The person's consent records, newest first, withdrawn ones included (audited)",
)
@paginate(CursorPagination, ordering=("-id",))
def person_consents(request: AuthenticatedHttpRequest, person_id: UUID) -> QuerySet[Consent]:
    person = selectors.person_get_for_user(user=request.user, public_id=person_id)
    audit_record(
        actor=request.user, action=AuditEvent.Action.VIEW, target=person, detail="consents (api)"
    )
    return selectors.person_consents(person=person)


@router.post(
    "/persons/{person_id}/consents",
    response={201: ConsentOut},
    summary="Record a consent (or its refusal) for a purpose (audited)",
)
def consent_create(
    request: AuthenticatedHttpRequest, person_id: UUID, payload: ConsentIn
) -> Status[Consent]:
    person = selectors.person_get_for_user(user=request.user, public_id=person_id)
    consent = consent_record(actor=request.user, person=person, data=ConsentInput(**payload.dict()))
    return Status(201, consent)


@router.post(
    "/persons/{person_id}/consents/{consent_id}/withdraw",
    response=ConsentOut,
    summary="Withdraw a consent, with the reason (audited); sharing under it stops",
)
def consent_withdrawal(
    request: AuthenticatedHttpRequest, person_id: UUID, consent_id: int, payload: WithdrawalIn
) -> Consent:
    consent = selectors.consent_get_for_user(user=request.user, public_id=person_id, pk=consent_id)
    return consent_withdraw(actor=request.user, consent=consent, reason=payload.reason)
