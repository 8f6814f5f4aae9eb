"""National: a station's consents, consent withdrawals and screenings (ADR 0137), each
applied through the service that records it on any server — the registry's consent
services (a withdrawal stops what relied on the consent here too), the screening services
(compartments and encryption as on the station). Each is known by the global id the station
gave the record: the same id with the same content is a replay; with other content it is
kept whole as a conflict for review, never written over."""

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypeVar
from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from ninja import Field, Schema
from pydantic import ValidationError as SchemaError

from hbm.accounts.models import User
from hbm.places.models import BorderCrossingPoint
from hbm.registry.models import Consent, Person
from hbm.registry.services.consents import ConsentInput, consent_record, consent_withdraw
from hbm.screening.models import HealthScreening, ProtectionScreening
from hbm.screening.services.health import health_screening_write
from hbm.screening.services.protection import screening_write
from hbm.sync.models import AppliedChange, ChangeKind, SyncConflict
from hbm.sync.services.refusals import (
    UNKNOWN_PERSON,
    Refused,
    rule_problems,
    schema_problems,
    station_person,
)

UNKNOWN_CONSENT = "No consent with this id for this person."
UNKNOWN_POINT = "No crossing point with this code."
OTHER_CONTENT = "{kind} {id} was received before with other content: kept for review."

Outcome = tuple[str, SyncConflict | None]
S = TypeVar("S", bound=Schema)


class ConsentChangeIn(Schema):
    consent: UUID
    person: UUID
    purpose: str = Field(max_length=20)
    given: bool
    scope: str = Field("", max_length=40)
    given_by: str = Field(Consent.GivenBy.SELF, max_length=10)
    given_by_name: str = Field("", max_length=150)
    method: str = Field("", max_length=12)
    expires_on: date | None = None
    recorded_on: date


class WithdrawalChangeIn(Schema):
    consent: UUID
    person: UUID
    reason: str = Field(max_length=300)
    withdrawn_at: datetime


class ProtectionChangeIn(Schema):
    screening: UUID
    person: UUID
    taxonomy: str = Field(max_length=20)
    answers: dict[str, bool]
    codes: list[str] = Field(max_length=100)
    urgency: str = Field(max_length=10)
    notes: str = Field("", max_length=5000)
    screened_at: datetime


class HealthChangeIn(Schema):
    screening: UUID
    person: UUID
    crossing_point: str = Field(max_length=40)
    symptoms: dict[str, bool]
    temperature_celsius: Decimal | None = None
    vaccination: str = Field(max_length=12)
    referred_for_care: bool = False
    notes: str = Field("", max_length=5000)
    screened_at: datetime


def record_apply(*, actor: User, kind: str, payload: dict[str, Any]) -> Outcome:
    return _HANDLERS[kind](actor, payload)


def _parse(schema: type[S], payload: dict[str, Any]) -> S:
    try:
        return schema.model_validate(payload)
    except SchemaError as exc:
        raise Refused(schema_problems(exc)) from exc


def _applied(write: Callable[[], object]) -> Outcome:
    """Run the service; its refusals become the change's (422 by field, 403 for scope)."""
    try:
        write()
    except ValidationError as exc:
        raise Refused(rule_problems(exc)) from exc
    except PermissionDenied as exc:
        raise Refused({"": [str(exc)]}, forbidden=True) from exc
    except Http404 as exc:
        raise Refused({"person": [UNKNOWN_PERSON]}) from exc
    return AppliedChange.Outcome.APPLIED, None


def _same_or_conflict(
    same: bool, *, kind: str, public_id: UUID, person: Person, point: Any, payload: dict[str, Any]
) -> Outcome:
    if same:
        return AppliedChange.Outcome.REPLAYED, None
    return AppliedChange.Outcome.CONFLICT, SyncConflict(
        person=person,
        crossing_point=point,
        payload=payload,
        detail=OTHER_CONTENT.format(kind=kind, id=public_id),
    )


def _consent(actor: User, payload: dict[str, Any]) -> Outcome:
    data = _parse(ConsentChangeIn, payload)
    person = station_person(actor, data.person)
    record = ConsentInput(
        purpose=data.purpose,
        given=data.given,
        scope=data.scope,
        given_by=data.given_by,
        given_by_name=data.given_by_name,
        method=data.method,
        expires_on=data.expires_on,
    )
    existing = Consent.objects.filter(public_id=data.consent).first()
    if existing is not None:
        same = existing.person_id == person.pk and _consent_fields(existing) == record
        return _same_or_conflict(
            same,
            kind="Consent",
            public_id=data.consent,
            person=person,
            point=person.first_crossing_point,
            payload=payload,
        )
    return _applied(
        lambda: consent_record(
            actor=actor,
            person=person,
            data=record,
            public_id=data.consent,
            recorded_on=data.recorded_on,
        )
    )


def _consent_fields(consent: Consent) -> ConsentInput:
    return ConsentInput(
        purpose=consent.purpose,
        given=consent.given,
        scope=consent.scope,
        given_by=consent.given_by,
        given_by_name=consent.given_by_name,
        method=consent.method,
        expires_on=consent.expires_on,
    )


def _withdrawal(actor: User, payload: dict[str, Any]) -> Outcome:
    """A consent withdrawn nationally already stays as it was withdrawn (same effect)."""
    data = _parse(WithdrawalChangeIn, payload)
    person = station_person(actor, data.person)
    consent = Consent.objects.filter(public_id=data.consent, person=person).first()
    if consent is None:
        raise Refused({"consent": [UNKNOWN_CONSENT]})
    if consent.withdrawn_at is not None:
        return AppliedChange.Outcome.REPLAYED, None
    return _applied(
        lambda: consent_withdraw(
            actor=actor, consent=consent, reason=data.reason, now=data.withdrawn_at
        )
    )


def _protection(actor: User, payload: dict[str, Any]) -> Outcome:
    data = _parse(ProtectionChangeIn, payload)
    person = station_person(actor, data.person)
    existing = ProtectionScreening.objects.filter(public_id=data.screening).first()
    if existing is not None:
        same = (
            existing.person_id == person.pk
            and existing.answers == data.answers
            and sorted(c.code for c in existing.codes.all()) == sorted(set(data.codes))
            and existing.urgency == data.urgency
            and existing.notes == data.notes.strip()
            and existing.screened_at == data.screened_at
        )
        return _same_or_conflict(
            same,
            kind="Protection screening",
            public_id=data.screening,
            person=person,
            point=person.first_crossing_point,
            payload=payload,
        )
    return _applied(
        lambda: screening_write(
            actor=actor,
            person=person,
            answers=data.answers,
            codes=data.codes,
            urgency=data.urgency,
            notes=data.notes,
            public_id=data.screening,
            screened_at=data.screened_at,
        )
    )


def _health(actor: User, payload: dict[str, Any]) -> Outcome:
    data = _parse(HealthChangeIn, payload)
    person = station_person(actor, data.person)
    point = BorderCrossingPoint.objects.filter(code=data.crossing_point).first()
    if point is None:
        raise Refused({"crossing_point": [UNKNOWN_POINT]})
    existing = HealthScreening.objects.filter(public_id=data.screening).first()
    if existing is not None:
        same = (
            existing.person_id == person.pk
            and existing.crossing_point_id == point.pk
            and existing.symptoms == data.symptoms
            and existing.temperature_celsius == data.temperature_celsius
            and existing.vaccination == data.vaccination
            and existing.referred_for_care == data.referred_for_care
            and existing.notes == data.notes.strip()
            and existing.screened_at == data.screened_at
        )
        return _same_or_conflict(
            same,
            kind="Health screening",
            public_id=data.screening,
            person=person,
            point=point,
            payload=payload,
        )
    try:
        return _applied(
            lambda: health_screening_write(
                actor=actor,
                person=person,
                crossing_point=point,
                symptoms=data.symptoms,
                temperature_celsius=data.temperature_celsius,
                vaccination=data.vaccination,
                referred_for_care=data.referred_for_care,
                notes=data.notes,
                now=data.screened_at,
                public_id=data.screening,
            )
        )
    except Refused as refused:  # the point is the one scope the service checks
        if refused.forbidden:
            raise Refused({"crossing_point": refused.problems[""]}, forbidden=True) from refused
        raise


_HANDLERS: dict[str, Callable[[User, dict[str, Any]], Outcome]] = {
    ChangeKind.CONSENT.value: _consent,
    ChangeKind.CONSENT_WITHDRAWAL.value: _withdrawal,
    ChangeKind.PROTECTION_SCREENING.value: _protection,
    ChangeKind.HEALTH_SCREENING.value: _health,
}
