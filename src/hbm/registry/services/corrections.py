"""Corrections of a registered person's identity and contact details (rectification).

A correction is checked as a registration is, written with its reason and each field's value
before and after, and then treated as a new registration of that identity would be: the
engine's index learns it, and the person is searched again for duplicates and screened
again against the watchlists, so that a corrected name or document finds what it now
resembles."""

import copy
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from hbm.accounts.models import User
from hbm.audit.models import AuditEvent
from hbm.audit.services import audit_record
from hbm.lib.permissions import has_any_role, require_role
from hbm.lib.text import text_problem
from hbm.matching import Match
from hbm.places.selectors import known_country_codes
from hbm.registry import hooks
from hbm.registry.identity import IDENTITY_FIELDS, LATE_COMMIT, registry_index
from hbm.registry.inputs import MemberInput
from hbm.registry.models import Person, PersonCorrection, Relationship
from hbm.registry.selectors import person_check_scope
from hbm.registry.services.duplicates import duplicate_pairs_found, duplicate_pairs_record
from hbm.registry.services.registration import (
    CANDIDATES_PER_PERSON,
    PERSON_WRITERS,
    REVIEW_THRESHOLD,
    person_from,
    stamp_again,
)
from hbm.registry.validation import TOO_LONG, Problems, identity_problems

# What a correction may change, by the name the desk, the API and the history use: the
# engine's identity fields, and the languages spoken.
FIELDS = (*(field.removesuffix("_id") for field in IDENTITY_FIELDS), "languages")
# The model's attribute for a field, where the names differ.
ATTRIBUTES = {"nationality": "nationality_id"}
ATTRIBUTES_WRITTEN = tuple(ATTRIBUTES.get(field, field) for field in FIELDS)
REASON_LENGTH = PersonCorrection._meta.get_field("reason").max_length or 300

NO_REASON = "Say why the record is corrected."
NOT_CORRECTABLE = "This is not a detail that can be corrected here."
NOTHING_CHANGED = "Nothing was changed: every value is as it was."
CHANGED_MEANWHILE = (
    "Someone else corrected this record a moment ago; open it again to see their change."
)
NOT_A_NUMBER = "An estimated age is a whole number of years."
NOT_A_LIST = "Languages are a list of ISO 639 codes."
# ``base_version`` of a correction that may apply over any version (the desk, the API).
ANY_VERSION = object()


class VersionConflict(Exception):
    """The correction was made on a version of the record that is no longer the current one."""

    def __init__(self, current: UUID | None) -> None:
        super().__init__(f"the record is at version {current or 'as registered'}")
        self.current = current


def person_version(person: Person) -> UUID | None:
    """The id of the person's last correction, None while the record is as registered."""
    return (
        PersonCorrection.objects.filter(person=person)
        .order_by("-corrected_at", "-id")
        .values_list("public_id", flat=True)
        .first()
    )


@dataclass
class CorrectionResult:
    person: Person
    correction: PersonCorrection
    new_duplicate_pairs: int


def may_correct(user: User) -> bool:
    """Whether the user's role lets them correct records (scope is checked per person)."""
    return has_any_role(user, *PERSON_WRITERS)


def stored(person: Person, field: str) -> Any:
    return getattr(person, ATTRIBUTES.get(field, field))


def person_correct(
    *,
    actor: User,
    person: Person,
    changes: dict[str, Any],
    reason: str,
    public_id: UUID | None = None,
    base_version: UUID | object | None = ANY_VERSION,
) -> CorrectionResult:
    """Correct some of a person's FIELDS (``changes``: field → new value, as typed) for
    ``reason``. Everything is checked before anything is written; a value equal to the
    stored one is no change. Giving a date of birth clears an estimated age, and the other
    way round, unless both are given (then both are checked, and refused together).
    A replicated correction keeps its ``public_id`` and applies only over ``base_version``
    (else VersionConflict)."""
    require_role(actor, *PERSON_WRITERS)
    person_check_scope(user=actor, person=person)
    corrected, changed = _checked(person, changes, reason)
    inside_longer_transaction = transaction.get_connection().in_atomic_block
    # As for a registration: the engine and the watchlists are searched before the
    # transaction opens, so that no lock is held while they work.
    pairs = duplicate_pairs_found(
        [corrected], threshold=REVIEW_THRESHOLD, limit=CANDIDATES_PER_PERSON + 1
    )
    screened = hooks.screen([corrected])
    result = _write(
        actor=actor,
        person=person,
        corrected=corrected,
        changed=changed,
        reason=reason.strip(),
        pairs=pairs,
        screened=screened,
        public_id=public_id,
        base_version=base_version,
    )
    if inside_longer_transaction:
        transaction.on_commit(lambda: stamp_again([result.person]))
    else:
        if timezone.now() - result.person.updated_at > LATE_COMMIT:
            stamp_again([result.person])
        registry_index.add_committed([result.person])
    return result


def _checked(person: Person, changes: dict[str, Any], reason: str) -> tuple[Person, list[str]]:
    """The person as corrected (unsaved) and the fields that change, or every problem."""
    problems = Problems()
    for field in changes:
        if field not in FIELDS:
            problems.add(field, NOT_CORRECTABLE)
    values = _values(person, changes, problems)
    if problems:  # values of the wrong type, which the checks below cannot read
        _check_reason(problems, reason)
        raise ValidationError(problems.by_field)
    _check_reason(problems, reason)
    member = MemberInput(relationship=Relationship.HEAD, **values)
    registered_on = _registered_on(person)
    countries = known_country_codes({member.nationality.upper()} - {""})
    identity_problems(problems, "", member, countries=countries, today=registered_on)
    if problems:
        raise ValidationError(problems.by_field)
    fresh = person_from(member=member, today=registered_on)
    corrected = copy.copy(person)  # the same person (id, cluster...) with the new identity
    for attribute in (*ATTRIBUTES_WRITTEN, "birth_earliest", "birth_latest"):
        setattr(corrected, attribute, getattr(fresh, attribute))
    changed = [field for field in FIELDS if stored(corrected, field) != stored(person, field)]
    if not changed:
        raise ValidationError({"__all__": NOTHING_CHANGED})
    return corrected, changed


def _check_reason(problems: Problems, reason: str) -> None:
    reason = reason.strip()
    if not reason:
        problems.add("reason", NO_REASON)
    elif problem := text_problem(reason):
        problems.add("reason", problem)
    elif len(reason) > REASON_LENGTH:
        problems.add("reason", TOO_LONG.format(REASON_LENGTH))


def _values(person: Person, changes: dict[str, Any], problems: Problems) -> dict[str, Any]:
    """Every field as the corrected record will have it, as typed: the changes over the
    stored values."""
    values: dict[str, Any] = {field: stored(person, field) for field in FIELDS}
    values["nationality"] = values["nationality"] or ""
    values["languages"] = tuple(values["languages"])
    given = {field: value for field, value in changes.items() if field in FIELDS}
    if given.get("date_of_birth") and "age_estimate" not in given:
        given["age_estimate"] = None
    if given.get("age_estimate") is not None and "date_of_birth" not in given:
        given["date_of_birth"] = ""
    for field, value in given.items():
        if field == "age_estimate":
            if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
                problems.add(field, NOT_A_NUMBER)
        elif field == "languages":
            if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
                problems.add(field, NOT_A_LIST)
                continue
            value = tuple(code.strip() for code in value if code.strip())
        elif not isinstance(value, str):
            value = "" if value is None else str(value)
        values[field] = value
    return values


def _registered_on(person: Person) -> date:
    """The day an estimated age was given, which the birth interval counts back from (and a
    date of birth cannot be after)."""
    return timezone.localdate(person.created_at)


@transaction.atomic
def _write(
    *,
    actor: User,
    person: Person,
    corrected: Person,
    changed: list[str],
    reason: str,
    pairs: dict[tuple[int, int], Match],
    screened: list[hooks.Write],
    public_id: UUID | None,
    base_version: UUID | object | None,
) -> CorrectionResult:
    current = Person.objects.select_for_update().get(pk=person.pk)
    version = person_version(current)
    if base_version is not ANY_VERSION and base_version != version:
        raise VersionConflict(version)
    if any(stored(current, field) != stored(person, field) for field in FIELDS):
        raise ValidationError({"__all__": CHANGED_MEANWHILE})
    changes = [
        {"field": field, "before": stored(current, field), "after": stored(corrected, field)}
        for field in changed
    ]
    attributes = [ATTRIBUTES.get(field, field) for field in changed]
    if "date_of_birth" in changed or "age_estimate" in changed:
        attributes += ["birth_earliest", "birth_latest"]
    for attribute in attributes:
        setattr(current, attribute, getattr(corrected, attribute))
    current.save(update_fields=[*attributes, "updated_at"])
    for attribute in (*attributes, "updated_at"):  # the caller's instance is now current
        setattr(person, attribute, getattr(current, attribute))
    correction = PersonCorrection.objects.create(
        person=current,
        changes=changes,
        reason=reason,
        corrected_by=actor,
        **({"public_id": public_id} if public_id else {}),
    )
    hooks.person_corrected(correction, version)
    found = duplicate_pairs_record(pairs)
    for write in screened:
        write()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        target=current,
        fields=changed,
        detail=f"correction {correction.pk}",
    )
    return CorrectionResult(person=person, correction=correction, new_duplicate_pairs=found)
