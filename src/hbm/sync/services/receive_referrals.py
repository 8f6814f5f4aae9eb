"""National: a station's referrals and their transitions (ADR 0137), applied through the
referral services after their role check (the station account is neither the sender nor
the provider): consent, pathway, shared fields and the lifecycle are checked as for any
referral. A referral sent with the person's consent names the consent the station pushed
before it (a `consent` change), which is reused, never recorded twice. Each is known by
its global id: the same id with the same content is a replay, other content a conflict; a
transition the national copy's state no longer allows is kept as a conflict, never forced."""

from collections.abc import Callable
from datetime import datetime
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from ninja import Field, Schema

from hbm.accounts.models import Agency, User
from hbm.places.models import BorderCrossingPoint
from hbm.referrals.models import Provider, Referral, ReferralEvent, ServiceType
from hbm.referrals.services.referrals import referral_transition_write, referral_write
from hbm.registry.models import Consent
from hbm.screening.models import NeedCode, ProtectionScreening
from hbm.sync.models import AppliedChange, ChangeKind, SyncConflict
from hbm.sync.services.receive_records import (
    UNKNOWN_CONSENT,
    UNKNOWN_POINT,
    Outcome,
    _applied,
    _parse,
    _same_or_conflict,
)
from hbm.sync.services.refusals import Refused, rule_problems, station_person

UNKNOWN_SERVICE = "No service type with this code."
UNKNOWN_PROVIDER = "No provider with this id."
UNKNOWN_NEED = "No need code with this code in this taxonomy."
UNKNOWN_SCREENING = "No protection screening with this id for this person."
UNKNOWN_REFERRAL = "No referral with this id."
NO_LONGER_FITS = (
    "The national copy of referral {id} is {status}: the station's {source} → {target} "
    "no longer fits ({problem}). Kept for review, not applied."
)


class ReferralChangeIn(Schema):
    referral: UUID
    event: UUID
    person: UUID
    crossing_point: str = Field(max_length=40)
    service_type: str = Field(max_length=40)
    provider: UUID
    urgency: str = Field(max_length=10)
    need_code: str = Field("", max_length=8)
    taxonomy: str = Field("", max_length=20)
    screening: UUID | None = None
    consent: UUID | None = None
    consent_override_reason: str = Field("", max_length=300)
    notes: str = Field("", max_length=5000)
    sent_at: datetime
    sent_by: str = Field("", max_length=150)
    agency: str = Field("", max_length=40)


class TransitionChangeIn(Schema):
    event: UUID
    referral: UUID
    from_status: str = Field("", max_length=12)
    to_status: str = Field(max_length=12)
    reason: str = Field("", max_length=500)
    outcome: str = Field("", max_length=5000)
    at: datetime
    by: str = Field("", max_length=150)
    agency: str = Field("", max_length=40)


def agency_name(code: str) -> str:
    """The name of the agency a station's user belongs to (its code if this server does not
    know it): shown beside the station account on the referral's timeline (ADR 0140)."""
    if not code:
        return ""
    return Agency.objects.filter(code=code).values_list("name", flat=True).first() or code


def referral_apply(*, actor: User, kind: str, payload: dict[str, Any]) -> Outcome:
    return _HANDLERS[kind](actor, payload)


def _referral(actor: User, payload: dict[str, Any]) -> Outcome:
    data = _parse(ReferralChangeIn, payload)
    person = station_person(actor, data.person)
    existing = Referral.objects.filter(public_id=data.referral).first()
    if existing is not None:
        same = (
            existing.person_id == person.pk
            and existing.crossing_point.code == data.crossing_point
            and existing.service_type.code == data.service_type
            and existing.provider.public_id == data.provider
            and existing.urgency == data.urgency
            and (existing.consent.public_id if existing.consent else None) == data.consent
            and existing.consent_override_reason == data.consent_override_reason.strip()
            and existing.notes == data.notes.strip()
            and existing.sent_at == data.sent_at
        )
        return _same_or_conflict(
            same,
            kind="Referral",
            public_id=data.referral,
            person=person,
            point=existing.crossing_point,
            payload=payload,
        )
    point = BorderCrossingPoint.objects.filter(code=data.crossing_point).first()
    if point is None:
        raise Refused({"crossing_point": [UNKNOWN_POINT]})
    service = ServiceType.objects.filter(code=data.service_type).first()
    if service is None:
        raise Refused({"service_type": [UNKNOWN_SERVICE]})
    provider = Provider.objects.filter(public_id=data.provider).first()
    if provider is None:
        raise Refused({"provider": [UNKNOWN_PROVIDER]})
    need = None
    if data.need_code:
        need = NeedCode.objects.filter(
            code=data.need_code, category__taxonomy__version=data.taxonomy
        ).first()
        if need is None:
            raise Refused({"need_code": [UNKNOWN_NEED]})
    screening = None
    if data.screening is not None:
        screening = ProtectionScreening.objects.filter(
            public_id=data.screening, person=person
        ).first()
        if screening is None:
            raise Refused({"screening": [UNKNOWN_SCREENING]})
    consent = None
    if data.consent is not None:  # pushed before the referral: reused, not recorded again
        consent = Consent.objects.filter(public_id=data.consent, person=person).first()
        if consent is None:
            raise Refused({"consent": [UNKNOWN_CONSENT]})
    try:
        return _applied(
            lambda: referral_write(
                actor=actor,
                person=person,
                crossing_point=point,
                service_type=service,
                provider=provider,
                urgency=data.urgency,
                consent=consent,
                consent_override_reason=data.consent_override_reason,
                need_code=need,
                screening=screening,
                notes=data.notes,
                now=data.sent_at,
                public_id=data.referral,
                event_id=data.event,
                actor_name=data.sent_by,
                actor_agency=agency_name(data.agency),
            )
        )
    except Refused as refused:  # the point is the one scope left to the service
        if refused.forbidden:
            raise Refused({"crossing_point": refused.problems[""]}, forbidden=True) from refused
        raise


def _transition(actor: User, payload: dict[str, Any]) -> Outcome:
    data = _parse(TransitionChangeIn, payload)
    referral = (
        Referral.objects.select_related("person", "crossing_point")
        .filter(public_id=data.referral)
        .first()
    )
    if referral is None:
        raise Refused({"referral": [UNKNOWN_REFERRAL]})
    person = station_person(actor, referral.person.public_id)
    existing = ReferralEvent.objects.filter(public_id=data.event).first()
    if existing is not None:
        same = (
            existing.referral_id == referral.pk
            and existing.from_status == data.from_status
            and existing.to_status == data.to_status
            and existing.reason == data.reason.strip()
        )
        return _same_or_conflict(
            same,
            kind="Referral transition",
            public_id=data.event,
            person=person,
            point=referral.crossing_point,
            payload=payload,
        )
    try:
        referral_transition_write(
            actor=actor,
            referral=referral,
            to_status=data.to_status,
            reason=data.reason,
            outcome=data.outcome,
            now=data.at,
            public_id=data.event,
            actor_name=data.by,
            actor_agency=agency_name(data.agency),
        )
    except ValidationError as exc:
        problems = rule_problems(exc)
        if "status" not in problems:
            raise Refused(problems) from exc
        return AppliedChange.Outcome.CONFLICT, SyncConflict(
            person=person,
            crossing_point=referral.crossing_point,
            payload=payload,
            detail=NO_LONGER_FITS.format(
                id=data.referral,
                status=referral.status,
                source=data.from_status or "·",
                target=data.to_status,
                problem=" ".join(problems["status"]),
            )[:300],
        )
    return AppliedChange.Outcome.APPLIED, None


_HANDLERS: dict[str, Callable[[User, dict[str, Any]], Outcome]] = {
    ChangeKind.REFERRAL.value: _referral,
    ChangeKind.REFERRAL_TRANSITION.value: _transition,
}
KINDS = frozenset(_HANDLERS)
