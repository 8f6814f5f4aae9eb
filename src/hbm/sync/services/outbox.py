"""Station: the change log that `hbm sync push` sends. Each change is written by the hooks of
the registry and of screening, in the transaction of the registration, correction, consent
or screening it records, and only on a field station (HBM_SYNC_URL set): the national server
logs nothing (ADR 0128, ADR 0137)."""

import dataclasses
import json
from datetime import datetime
from typing import Any
from uuid import UUID

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from hbm.registry.inputs import RegistrationInput
from hbm.registry.models import Consent, PersonCorrection
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
