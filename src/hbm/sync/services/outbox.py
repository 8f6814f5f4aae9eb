"""Station: the change log that `hbm sync push` sends. Each change is written by the hooks of
the registry, screening and referrals, in the transaction of the registration, correction,
consent, screening, referral, transition or photo it records, and only on a field station
(HBM_SYNC_URL set): the national server logs nothing (ADR 0128, ADR 0137)."""

import base64
import dataclasses
import hashlib
import json
import uuid
from datetime import datetime
from typing import Any
from uuid import UUID

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from hbm.referrals.models import Referral, ReferralEvent
from hbm.registry.inputs import RegistrationInput
from hbm.registry.models import Consent, Person, PersonCorrection
from hbm.screening.models import HealthScreening, ProtectionScreening
from hbm.sync.models import Change, ChangeKind, SyncState


def is_station() -> bool:
    return bool(settings.SYNC_URL)


def registration_payload(data: RegistrationInput, *, crossed_at: datetime) -> dict[str, Any]:
    """The registration as submitted, as JSON, with the time of crossing the station gave it
    (a registration without one crossed when it was registered, not when it is pushed)."""
    values = dataclasses.asdict(data)
    values["crossed_at"] = crossed_at
    encoded: dict[str, Any] = json.loads(json.dumps(values, cls=DjangoJSONEncoder))
    return encoded


def registration_logged(data: RegistrationInput, crossings: list[Any]) -> None:
    if not is_station():
        return
    crossed_at = crossings[0].crossed_at if crossings else timezone.now()
    _append(
        kind=ChangeKind.REGISTRATION,
        object_id=data.id,
        payload=registration_payload(data, crossed_at=crossed_at),
    )


def correction_logged(correction: PersonCorrection, base_version: UUID | None) -> None:
    if not is_station():
        return
    person = correction.person
    _append(
        kind=ChangeKind.PERSON_CORRECTION,
        object_id=person.public_id,
        base_version=base_version,
        payload={
            "person": str(person.public_id),
            "correction": str(correction.public_id),
            "changes": {change["field"]: change["after"] for change in correction.changes},
            "reason": correction.reason,
        },
    )


def consent_logged(consent: Consent) -> None:
    """A consent recorded after its registration (the registration's own come with it)."""
    if not is_station():
        return
    _append(
        kind=ChangeKind.CONSENT,
        object_id=consent.public_id,
        payload=_json(
            {
                "consent": consent.public_id,
                "person": consent.person.public_id,
                "purpose": consent.purpose,
                "given": consent.given,
                "scope": consent.scope,
                "given_by": consent.given_by,
                "given_by_name": consent.given_by_name,
                "method": consent.method,
                "expires_on": consent.expires_on,
                "recorded_on": timezone.localdate(consent.recorded_at),
            }
        ),
    )


def consent_withdrawal_logged(consent: Consent) -> None:
    if not is_station():
        return
    _append(
        kind=ChangeKind.CONSENT_WITHDRAWAL,
        object_id=consent.public_id,
        payload=_json(
            {
                "consent": consent.public_id,
                "person": consent.person.public_id,
                "reason": consent.withdrawal_reason,
                "withdrawn_at": consent.withdrawn_at,
            }
        ),
    )


def screening_logged(screening: ProtectionScreening | HealthScreening) -> None:
    if not is_station():
        return
    if isinstance(screening, ProtectionScreening):
        kind, payload = ChangeKind.PROTECTION_SCREENING, protection_payload(screening)
    else:
        kind, payload = ChangeKind.HEALTH_SCREENING, health_payload(screening)
    _append(kind=kind, object_id=screening.public_id, payload=payload)


def protection_payload(screening: ProtectionScreening) -> dict[str, Any]:
    """What the officer recorded: the answers, the codes confirmed (by code, in the taxonomy
    version used), the urgency, the notes, when."""
    return _json(
        {
            "screening": screening.public_id,
            "person": screening.person.public_id,
            "taxonomy": screening.taxonomy.version,
            "answers": screening.answers,
            "codes": sorted(code.code for code in screening.codes.all()),
            "urgency": screening.urgency,
            "notes": screening.notes,
            "screened_at": screening.screened_at,
        }
    )


def health_payload(screening: HealthScreening) -> dict[str, Any]:
    return _json(
        {
            "screening": screening.public_id,
            "person": screening.person.public_id,
            "crossing_point": screening.crossing_point.code,
            "symptoms": screening.symptoms,
            "temperature_celsius": screening.temperature_celsius,
            "vaccination": screening.vaccination,
            "referred_for_care": screening.referred_for_care,
            "notes": screening.notes,
            "screened_at": screening.screened_at,
        }
    )


def referral_logged(referral: Referral) -> None:
    """What the officer sent: the ids the national server knows the person, consent,
    screening and provider by, the point's, service's and need's codes, the notes; who sent
    it (the national copy's sender is the station account, as for screenings)."""
    if not is_station():
        return
    first = referral.events.get(from_status="")
    _append(
        kind=ChangeKind.REFERRAL,
        object_id=referral.public_id,
        payload=referral_payload(referral, first),
    )


def referral_payload(referral: Referral, first: ReferralEvent) -> dict[str, Any]:
    need = referral.need_code
    return _json(
        {
            "referral": referral.public_id,
            "event": first.public_id,
            "person": referral.person.public_id,
            "crossing_point": referral.crossing_point.code,
            "service_type": referral.service_type.code,
            "provider": referral.provider.public_id,
            "urgency": referral.urgency,
            "need_code": need.code if need else "",
            "taxonomy": need.category.taxonomy.version if need else "",
            "screening": referral.screening.public_id if referral.screening else None,
            "consent": referral.consent.public_id if referral.consent else None,
            "consent_override_reason": referral.consent_override_reason,
            "notes": referral.notes,
            "sent_at": referral.sent_at,
            "sent_by": referral.sent_by.get_username(),
            "agency": referral.sent_by.agency.code if referral.sent_by.agency else "",
        }
    )


def referral_transition_logged(event: ReferralEvent) -> None:
    if not is_station():
        return
    referral = event.referral
    _append(
        kind=ChangeKind.REFERRAL_TRANSITION,
        object_id=event.public_id,
        payload=_json(
            {
                "event": event.public_id,
                "referral": referral.public_id,
                "from_status": event.from_status,
                "to_status": event.to_status,
                "reason": event.reason,
                "outcome": referral.outcome if event.to_status == referral.Status.COMPLETED else "",
                "at": event.at,
                "by": event.actor.get_username(),
                "agency": event.actor.agency.code if event.actor.agency else "",
            }
        ),
    )


# The namespace of photo ids: uuid5(PHOTOS, "<person id>:<sha256>") names one photo of one
# person on every server.
PHOTOS = uuid.UUID("5f0c3a52-4d0e-4b8e-9a51-7b2f1c6e0d93")


def photo_id(person_id: UUID, sha256: str) -> UUID:
    return uuid.uuid5(PHOTOS, f"{person_id}:{sha256}")


def photo_logged(person: Person, content: bytes, image_type: str, replaced: str | None) -> None:
    """A photo set or replaced: its bytes (base64), SHA-256 and image type, and the SHA-256
    of the photo the station had before as the base version (its photo id; None: it had
    none). The same photo set again over itself changes nothing and is not logged."""
    if not is_station():
        return
    sha256 = hashlib.sha256(content).hexdigest()
    if sha256 == replaced:
        return
    _append(
        kind=ChangeKind.PERSON_PHOTO,
        object_id=photo_id(person.public_id, sha256),
        payload={
            "person": str(person.public_id),
            "sha256": sha256,
            "image_type": image_type,
            "photo": base64.b64encode(content).decode("ascii"),
        },
        base_version=photo_id(person.public_id, replaced) if replaced else None,
    )


def _json(values: dict[str, Any]) -> dict[str, Any]:
    encoded: dict[str, Any] = json.loads(json.dumps(values, cls=DjangoJSONEncoder))
    return encoded


def _append(
    *, kind: str, object_id: UUID, payload: dict[str, Any], base_version: UUID | None = None
) -> Change:
    """The next seq, taken under a row lock the caller's transaction holds until it commits:
    changes commit in seq order, on PostgreSQL as on SQLite."""
    SyncState.objects.get_or_create(name=SyncState.OUTBOX)
    counter = SyncState.objects.select_for_update().get(name=SyncState.OUTBOX)
    counter.number += 1
    counter.save(update_fields=["number", "updated_at"])
    return Change.objects.create(
        seq=counter.number,
        kind=kind,
        object_id=object_id,
        payload=payload,
        base_version=base_version,
        created_at=timezone.now(),
    )
