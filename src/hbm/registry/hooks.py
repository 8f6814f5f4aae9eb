"""What other capabilities add to registration without the registry knowing them: checks run
on newly registered people inside the registration's transaction (security screening), series
fed by new crossings (flow monitoring), and neutral flags shown about a person (e.g. "refer to
the security officer")."""

from collections.abc import Callable
from typing import Any

AfterRegistration = Callable[[list[Any]], None]
CrossingsRecorded = Callable[[list[Any]], None]
PersonFlags = Callable[[list[Any]], dict[int, list[str]]]

_after_registration: list[AfterRegistration] = []
_crossings_recorded: list[CrossingsRecorded] = []
_person_flags: list[PersonFlags] = []


def on_registered(callback: AfterRegistration) -> None:
    """Called with the Person rows of a registration, inside its transaction."""
    if callback not in _after_registration:
        _after_registration.append(callback)


def on_crossings_recorded(callback: CrossingsRecorded) -> None:
    """Called with the Crossing rows of a registration, inside its transaction (flow series)."""
    if callback not in _crossings_recorded:
        _crossings_recorded.append(callback)


def on_person_flags(callback: PersonFlags) -> None:
    """Called with persons; answers the flags of those that have any, by primary key."""
    if callback not in _person_flags:
        _person_flags.append(callback)


def registered(persons: list[Any]) -> None:
    for callback in _after_registration:
        callback(persons)


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
