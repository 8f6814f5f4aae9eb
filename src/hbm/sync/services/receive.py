"""National: a station's batch of changes, applied one by one in seq order, each in its own
transaction with the record of what it became. A change received before is a no-op; a
registration goes through registration_register (screening, flows, duplicates as for any
other); a correction applies only over the version the station corrected, else it is kept as
a conflict for review; consents, withdrawals, screenings, referrals and their transitions go
through their own services (receive_records, receive_referrals, ADR 0137), a photo through
the registry's photo service over the photo the station replaced (receive_photos, ADR 0139).
The first change that cannot be applied stops the batch: the changes before it are
acknowledged, it and the ones after are not."""

from dataclasses import dataclass, field
from typing import Any, Literal
from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from ninja import Schema
from pydantic import ValidationError as SchemaError

from hbm.accounts.models import DeviceToken, User
from hbm.accounts.roles import Role
from hbm.audit.models import AuditEvent
from hbm.audit.services import audit_record
from hbm.lib.permissions import require_role
from hbm.registry.api import RegistrationIn
from hbm.registry.models import Person, Registration
from hbm.registry.selectors import visible_persons
from hbm.registry.services import RegistrationConflict, registration_register
from hbm.registry.services.corrections import VersionConflict, person_correct
from hbm.sync.models import AppliedChange, ChangeKind, SyncConflict
from hbm.sync.services import receive_photos, receive_records, receive_referrals
from hbm.sync.services.refusals import (
    UNKNOWN_PERSON,
    Refused,
    rule_problems,
    schema_problems,
)

NOT_A_STATION = "Only a field station's token may push changes."
CORRECTED_MEANWHILE = (
    "The record was corrected since the station's copy (version {base}, now {current}): "
    "kept for review, not applied."
)
OTHER_CONTENT = "Registration {} was received before with other content: kept for review."


class CorrectionIn(Schema):
    person: UUID
    correction: UUID
    changes: dict[str, Any]
    reason: str


class ChangeIn(Schema):
    seq: int
    id: UUID
    kind: Literal[
        "registration",
        "person_correction",
        "consent",
        "consent_withdrawal",
        "protection_screening",
        "health_screening",
        "referral",
        "referral_transition",
        "person_photo",
    ]
    object_id: UUID
    base_version: UUID | None = None
    payload: dict[str, Any]


@dataclass
class BatchResult:
    acknowledged: int  # the highest seq applied, received before, or kept as a conflict
    outcomes: dict[str, int] = field(default_factory=dict)
    refused: Refused | None = None
    refused_seq: int | None = None


def changes_receive(
    *, actor: User, device: DeviceToken | None, changes: list[ChangeIn]
) -> BatchResult:
    require_role(actor, Role.FIELD_STATION, message=NOT_A_STATION)
    result = BatchResult(acknowledged=0)
    for index, change in enumerate(sorted(changes, key=lambda c: c.seq)):
        try:
            outcome = _receive(actor=actor, device=device, change=change)
        except Refused as refused:
            result.refused, result.refused_seq = _at(refused, index), change.seq
            break
        result.acknowledged = change.seq
        result.outcomes[outcome] = result.outcomes.get(outcome, 0) + 1
    _audit(actor, changes, result)
    return result


def _at(refused: Refused, index: int) -> Refused:
    """The problems with the path of the change in the batch."""
    problems = {
        f"changes.{index}.payload" + (f".{path}" if path else ""): messages
        for path, messages in refused.problems.items()
    }
    return Refused(problems, forbidden=refused.forbidden)


def _receive(*, actor: User, device: DeviceToken | None, change: ChangeIn) -> str:
    if AppliedChange.objects.filter(public_id=change.id).exists():
        return AppliedChange.Outcome.REPLAYED
    try:
        return _apply(actor=actor, device=device, change=change)
    except IntegrityError:
        # The same change applied by a push running at the same time (a station retrying
        # while its first request is still in hand): that one committed first.
        if AppliedChange.objects.filter(public_id=change.id).exists():
            return AppliedChange.Outcome.REPLAYED
        raise


def _apply(*, actor: User, device: DeviceToken | None, change: ChangeIn) -> str:
    with transaction.atomic():
        if change.kind == ChangeKind.REGISTRATION.value:
            outcome, conflict = _registration(actor, device, change)
        elif change.kind == ChangeKind.PERSON_CORRECTION.value:
            outcome, conflict = _correction(actor, change)
        elif change.kind == ChangeKind.PERSON_PHOTO.value:
            outcome, conflict = receive_photos.photo_apply(
                actor=actor, payload=change.payload, base=change.base_version
            )
        elif change.kind in receive_referrals.KINDS:
            outcome, conflict = receive_referrals.referral_apply(
                actor=actor, kind=change.kind, payload=change.payload
            )
        else:
            outcome, conflict = receive_records.record_apply(
                actor=actor, kind=change.kind, payload=change.payload
            )
        applied = AppliedChange.objects.create(
            public_id=change.id,
            station=actor,
            seq=change.seq,
            kind=change.kind,
            object_id=change.object_id,
            outcome=outcome,
        )
        if conflict is not None:
            conflict.change = applied
            conflict.save()
    return outcome


def _registration(
    actor: User, device: DeviceToken | None, change: ChangeIn
) -> tuple[str, SyncConflict | None]:
    try:
        data = RegistrationIn.model_validate(change.payload).to_input()
    except SchemaError as exc:
        raise Refused(schema_problems(exc)) from exc
    try:
        result = registration_register(actor=actor, data=data, device=device)
    except ValidationError as exc:
        raise Refused(rule_problems(exc)) from exc
    except PermissionDenied as exc:
        raise Refused({"crossing_point": [str(exc)]}, forbidden=True) from exc
    except RegistrationConflict:
        registration = Registration.objects.select_related("crossing_point").get(public_id=data.id)
        return AppliedChange.Outcome.CONFLICT, SyncConflict(
            crossing_point=registration.crossing_point,
            payload=change.payload,
            detail=OTHER_CONTENT.format(data.id),
        )
    replayed = AppliedChange.Outcome.REPLAYED if result.replayed else None
    return replayed or AppliedChange.Outcome.APPLIED, None


def _correction(actor: User, change: ChangeIn) -> tuple[str, SyncConflict | None]:
    try:
        data = CorrectionIn.model_validate(change.payload)
    except SchemaError as exc:
        raise Refused(schema_problems(exc)) from exc
    person = visible_persons(user=actor).filter(public_id=data.person).first()
    if person is None:
        raise Refused({"person": [UNKNOWN_PERSON]})
    if person.corrections.filter(public_id=data.correction).exists():
        return AppliedChange.Outcome.REPLAYED, None
    try:
        person_correct(
            actor=actor,
            person=person,
            changes=data.changes,
            reason=data.reason,
            public_id=data.correction,
            base_version=change.base_version,
        )
    except VersionConflict as conflict:
        return AppliedChange.Outcome.CONFLICT, _correction_conflict(person, change, conflict)
    except (ValidationError, Http404) as exc:
        if isinstance(exc, Http404):
            raise Refused({"person": [UNKNOWN_PERSON]}) from exc
        raise Refused(rule_problems(exc)) from exc
    return AppliedChange.Outcome.APPLIED, None


def _correction_conflict(
    person: Person, change: ChangeIn, conflict: VersionConflict
) -> SyncConflict:
    return SyncConflict(
        person=person,
        crossing_point=person.first_crossing_point,
        base_version=change.base_version,
        national_version=conflict.current,
        payload=change.payload,
        detail=CORRECTED_MEANWHILE.format(
            base=change.base_version or "as registered",
            current=conflict.current or "as registered",
        ),
    )


def _audit(actor: User, changes: list[ChangeIn], result: BatchResult) -> None:
    seqs = [change.seq for change in changes]
    span = f"{min(seqs)}–{max(seqs)}" if seqs else "none"
    counts = ", ".join(f"{n} {outcome}" for outcome, n in sorted(result.outcomes.items()))
    refused = f"; refused at {result.refused_seq}" if result.refused else ""
    audit_record(
        actor=actor,
        action=AuditEvent.Action.IMPORT,
        object_type="sync.push",
        object_id=str(actor.pk),
        detail=f"push of changes {span}: {counts or 'nothing applied'}{refused}",
    )
