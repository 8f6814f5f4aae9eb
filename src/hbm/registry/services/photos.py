"""Photos of people, kept in private storage (never under a public URL) and read through an
audited view. Only JPEG, PNG and WebP up to 2 MB are accepted, recognised by their bytes."""

import hashlib

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction

from hbm.accounts.models import User
from hbm.audit.models import AuditEvent
from hbm.audit.services import audit_record
from hbm.lib.permissions import require_role
from hbm.registry import hooks
from hbm.registry.models import Person
from hbm.registry.selectors import person_check_scope
from hbm.registry.services.registration import PERSON_WRITERS

MAX_PHOTO_BYTES = 2 * 1024 * 1024
TOO_BIG = "A photo can be at most 2 MB."
NOT_AN_IMAGE = "The photo must be a JPEG, PNG or WebP image."
EMPTY = "The photo file is empty."


def image_type(content: bytes) -> str | None:
    if content.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return "webp"
    return None


def photo_check(content: bytes) -> str:
    """The image type of a photo we accept (ValidationError on "photo" otherwise)."""
    if not content:
        raise ValidationError({"photo": EMPTY})
    if len(content) > MAX_PHOTO_BYTES:
        raise ValidationError({"photo": TOO_BIG})
    kind = image_type(content)
    if kind is None:
        raise ValidationError({"photo": NOT_AN_IMAGE})
    return kind


def photo_sha256(person: Person) -> str | None:
    """The SHA-256 of the person's photo as stored (None: no photo, or its file is gone)."""
    name = person.photo.name if person.photo else None
    if not name:
        return None
    try:
        with person.photo.storage.open(name, "rb") as stored:
            return hashlib.file_digest(stored, "sha256").hexdigest()
    except OSError:
        return None


@transaction.atomic
def person_photo_set(*, actor: User, person: Person, content: bytes) -> Person:
    require_role(actor, *PERSON_WRITERS)
    person_check_scope(user=actor, person=person)
    kind = photo_check(content)
    old = person.photo.name if person.photo else ""
    replaced = photo_sha256(person)
    person.photo.save(f"{person.public_id}.{kind}", ContentFile(content), save=False)
    person.save(update_fields=["photo", "updated_at"])
    if old:
        transaction.on_commit(lambda: person.photo.storage.delete(old))
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, target=person, fields=["photo"])
    hooks.photo_set(person, content, kind, replaced)
    return person
