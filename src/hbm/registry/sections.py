"""Sections that other capabilities add to the person page (screenings, referrals, health,
security). The registry knows nothing about them: each app registers its section when it
loads, and the page asks every section whether this viewer may see it."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class PersonSection:
    key: str
    title: str
    url_name: str  # takes the person's public_id; answers an htmx fragment
    visible_to: Callable[[Any], bool]


_sections: dict[str, PersonSection] = {}


def register_person_section(section: PersonSection) -> None:
    _sections[section.key] = section


def person_sections_for(user: Any) -> list[PersonSection]:
    return [s for s in _sections.values() if s.visible_to(user)]
