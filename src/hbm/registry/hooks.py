"""What other capabilities add to registration without the registry knowing them: checks run
on the members of a registration (security screening), series fed by new crossings (flow
monitoring), and neutral flags shown about a person (e.g. "refer to the security officer")."""

from collections.abc import Callable
from typing import Any

Write = Callable[[], object]
Screening = Callable[[list[Any]], Write | None]
CrossingsRecorded = Callable[[list[Any]], None]
PersonFlags = Callable[[list[Any]], dict[int, list[str]]]
ScopeKnown = Callable[[str], bool]
RegistrationRecorded = Callable[[Any, list[Any]], None]
PersonCorrected = Callable[[Any, Any | None], None]
ConsentChanged = Callable[[Any], None]
PhotoSet = Callable[[Any, bytes, str, str | None], None]

_screenings: list[Screening] = []
_crossings_recorded: list[CrossingsRecorded] = []
_person_flags: list[PersonFlags] = []
_consent_scopes: dict[str, ScopeKnown] = {}
_registrations_recorded: list[RegistrationRecorded] = []
_persons_corrected: list[PersonCorrected] = []
_consents_recorded: list[ConsentChanged] = []
_consents_withdrawn: list[ConsentChanged] = []
_photos_set: list[PhotoSet] = []


def on_screening(callback: Screening) -> None:
    """Called with the Person objects of a registration's members before its transaction
    opens (new persons are not saved yet), so that a slow check holds no database lock. It
    answers what to write, if anything: that runs inside the transaction, once every member
    is saved."""
    if callback not in _screenings:
        _screenings.append(callback)


def on_crossings_recorded(callback: CrossingsRecorded) -> None:
    """Called with the Crossing rows of a registration, inside its transaction (flow series)."""
    if callback not in _crossings_recorded:
        _crossings_recorded.append(callback)


def on_registration_recorded(callback: RegistrationRecorded) -> None:
    """Called with a new registration's input and its Crossing rows, inside its transaction
    (a field station's change log)."""
    if callback not in _registrations_recorded:
        _registrations_recorded.append(callback)


def on_person_corrected(callback: PersonCorrected) -> None:
    """Called with a new PersonCorrection and the id of the correction before it (the
    version it was made on; None: the record as registered), inside its transaction."""
    if callback not in _persons_corrected:
        _persons_corrected.append(callback)


def on_consent_recorded(callback: ConsentChanged) -> None:
    """Called with a Consent recorded after its registration (on the person page, through
    the API, with a referral), inside its transaction (a field station's change log)."""
    if callback not in _consents_recorded:
        _consents_recorded.append(callback)


def on_consent_withdrawn(callback: ConsentChanged) -> None:
    """Called with a Consent just withdrawn, inside its transaction."""
    if callback not in _consents_withdrawn:
        _consents_withdrawn.append(callback)


def on_photo_set(callback: PhotoSet) -> None:
    """Called with a Person whose photo was just set or replaced, the photo's bytes, its
    image type (jpg, png, webp) and the SHA-256 of the photo it replaced (None: it had none),
    inside its transaction (a field station's change log)."""
    if callback not in _photos_set:
        _photos_set.append(callback)


def photo_set(person: Any, content: bytes, image_type: str, replaced: str | None) -> None:
    for callback in _photos_set:
        callback(person, content, image_type, replaced)


def consent_recorded(consent: Any) -> None:
    for callback in _consents_recorded:
        callback(consent)


def consent_withdrawn(consent: Any) -> None:
    for callback in _consents_withdrawn:
        callback(consent)


def registration_recorded(data: Any, crossings: list[Any]) -> None:
    for callback in _registrations_recorded:
        callback(data, crossings)


def person_corrected(correction: Any, base_version: Any | None) -> None:
    for callback in _persons_corrected:
        callback(correction, base_version)


def on_person_flags(callback: PersonFlags) -> None:
    """Called with persons; answers the flags of those that have any, by primary key."""
    if callback not in _person_flags:
        _person_flags.append(callback)


def screen(persons: list[Any]) -> list[Write]:
    return [write for callback in _screenings if (write := callback(persons)) is not None]


def crossings_recorded(crossings: list[Any]) -> None:
    for callback in _crossings_recorded:
        callback(crossings)


def flags_for_many(persons: list[Any]) -> dict[int, list[str]]:
    flags: dict[int, list[str]] = {person.pk: [] for person in persons}
    for callback in _person_flags:
        for pk, found in callback(persons).items():
            flags[pk].extend(found)
    return flags


def flags_for(person: Any) -> list[str]:
    return flags_for_many([person])[person.pk]


def on_consent_scope(purpose: str, known: ScopeKnown) -> None:
    """Says which scopes a consent for ``purpose`` may name (referrals: service type codes)."""
    _consent_scopes[purpose] = known


def consent_scope_known(purpose: str, scope: str) -> bool:
    known = _consent_scopes.get(purpose)
    return known is None or known(scope)
