"""The shape of a registration as the desk, the API and imports hand it to the service."""

import hashlib
import json
from dataclasses import dataclass, field, fields, is_dataclass
from datetime import datetime
from functools import cache
from typing import Any
from uuid import UUID, uuid5


@dataclass(frozen=True)
class MemberInput:
    relationship: str
    existing_person: UUID | None = None
    given_name: str = ""
    family_name: str = ""
    father_name: str = ""
    other_names: str = ""
    name_original_script: str = ""
    sex: str = ""
    date_of_birth: str = ""
    age_estimate: int | None = None
    nationality: str = ""
    document_type: str = ""
    document_number: str = ""
    phone: str = ""
    place_of_origin: str = ""
    languages: tuple[str, ...] = ()


@dataclass(frozen=True)
class RegistrationInput:
    id: UUID
    crossing_point: str
    direction: str
    members: tuple[MemberInput, ...]
    # Whether the group consented to registration. No default: no path may record a consent
    # nobody gave (false registers only under a deployment's legal basis).
    consent_given: bool
    crossed_at: datetime | None = None
    group_kind: str = "household"
    transport: str = ""
    reason: str = ""
    origin_country: str = ""
    origin_place: str = ""
    destination: str = ""
    consent_given_by: str = ""  # the name of whoever gave consent, when not the person
    consent_giver: str = ""  # Consent.GivenBy; empty: the person, or "other" with a name
    consent_method: str = ""  # Consent.Method; empty: not recorded
    extra: dict[str, str] = field(default_factory=dict)

    def content_hash(self) -> str:
        """Identical content gives an identical hash, whatever the key order of the source."""
        content = _plain(self)
        content.pop("id")
        encoded = json.dumps(content, sort_keys=True, default=str, ensure_ascii=False)
        return hashlib.sha256(encoded.encode()).hexdigest()


def _plain(value: Any) -> Any:
    """``dataclasses.asdict`` without its deep copies (the hash only reads the values):
    the same JSON, a tenth of the time. Stored hashes depend on it staying the same."""
    if is_dataclass(value) and not isinstance(value, type):
        return {name: _plain(getattr(value, name)) for name in _field_names(type(value))}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value


@cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))


def member_person_id(registration_id: UUID, index: int) -> UUID:
    """The id of the person a registration's member ``index`` creates: derived from the
    registration's id, so that every server that registers the same registration (a field
    station, then the national server it replicates to) gives the person the same id."""
    return uuid5(registration_id, f"member-{index}")


def member_consent_id(registration_id: UUID, index: int) -> UUID:
    """The id of the registration consent of member ``index``: derived like the person's,
    so that a withdrawal made on a field station names the same consent nationally."""
    return uuid5(registration_id, f"consent-{index}")
