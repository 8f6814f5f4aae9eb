"""National: a photo set or replaced on a field station (ADR 0139), applied through the
registry's person_photo_set as the station account (the same checks: the person in its
scope, 2 MB at most, JPEG, PNG or WebP by its bytes; audited as any photo set). A photo is
known by its SHA-256: the photo already there is a replay, no new file. The station says
which photo it replaced (the change's base version, a photo id; none: it had no photo); a
different photo set here since is kept as a conflict for review, never written over."""

import base64
import binascii
import hashlib
from typing import Literal
from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from ninja import Field, Schema
from pydantic import ValidationError as SchemaError

from hbm.accounts.models import User
from hbm.registry.models import Person
from hbm.registry.services.photos import (
    MAX_PHOTO_BYTES,
    person_photo_set,
    photo_check,
    photo_sha256,
)
from hbm.sync.models import AppliedChange, SyncConflict
from hbm.sync.services.outbox import photo_id
from hbm.sync.services.refusals import (
    UNKNOWN_PERSON,
    Refused,
    rule_problems,
    schema_problems,
    station_person,
)

NOT_BASE64 = "The photo must be base64."
OTHER_HASH = "The photo's SHA-256 is not the one of its bytes."
OTHER_TYPE = "The photo's bytes are not of its image type."
PHOTO_CHANGED_MEANWHILE = (
    "Another photo was set here since the station's copy (photo {base}, now {current}): "
    "the station's photo is kept for review, not applied."
)
# base64 of a photo a little over the limit still parses, so that the registry's own rule
# and message refuse its size; anything longer is refused unread.
_MAX_BASE64 = 4 * (MAX_PHOTO_BYTES // 3 + 2)

Outcome = tuple[str, SyncConflict | None]


class PhotoChangeIn(Schema):
    person: UUID
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    image_type: Literal["jpg", "png", "webp"]
    photo: str = Field(max_length=_MAX_BASE64)


def photo_apply(*, actor: User, payload: dict[str, object], base: UUID | None) -> Outcome:
    try:
        data = PhotoChangeIn.model_validate(payload)
    except SchemaError as exc:
        raise Refused(schema_problems(exc)) from exc
    person = station_person(actor, data.person)
    content = _content(data)
    # Locked until the change is recorded: another station's photo of this person waits,
    # then compares with this one.
    person = Person.objects.select_for_update().get(pk=person.pk)
    current = photo_sha256(person)
    if current == data.sha256:
        return AppliedChange.Outcome.REPLAYED, None
    current_id = photo_id(person.public_id, current) if current else None
    if current_id != base:
        return AppliedChange.Outcome.CONFLICT, _conflict(person, payload, base, current_id)
    try:
        person_photo_set(actor=actor, person=person, content=content)
    except ValidationError as exc:
        raise Refused(rule_problems(exc)) from exc
    except PermissionDenied as exc:
        raise Refused({"person": [str(exc)]}, forbidden=True) from exc
    except Http404 as exc:
        raise Refused({"person": [UNKNOWN_PERSON]}) from exc
    return AppliedChange.Outcome.APPLIED, None


def _content(data: PhotoChangeIn) -> bytes:
    """The bytes, checked by the registry's rules and against what the payload says of them,
    before anything is compared: a bad photo is refused, never kept as a conflict."""
    try:
        content = base64.b64decode(data.photo, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise Refused({"photo": [NOT_BASE64]}) from exc
    try:
        kind = photo_check(content)
    except ValidationError as exc:
        raise Refused(rule_problems(exc)) from exc
    if kind != data.image_type:
        raise Refused({"image_type": [OTHER_TYPE]})
    if hashlib.sha256(content).hexdigest() != data.sha256:
        raise Refused({"sha256": [OTHER_HASH]})
    return content


def _conflict(
    person: Person, payload: dict[str, object], base: UUID | None, current: UUID | None
) -> SyncConflict:
    return SyncConflict(
        person=person,
        crossing_point=person.first_crossing_point,
        base_version=base,
        national_version=current,
        payload=payload,
        detail=PHOTO_CHANGED_MEANWHILE.format(base=base or "none", current=current or "none"),
    )
