"""Station: the change log that `hbm sync push` sends. Each change is written by the hooks of
the registry, in the transaction of the registration or correction it records, and only on a
field station (HBM_SYNC_URL set): the national server logs nothing."""

import dataclasses
import json
from datetime import datetime
from typing import Any
from uuid import UUID

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from hbm.registry.inputs import RegistrationInput
from hbm.registry.models import PersonCorrection
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
