"""Sections and actions that other capabilities add to the person page (screenings,
referrals, health, security). The registry knows nothing about them: each app registers its
section or action when it loads, and the page asks each whether this viewer may see it."""

from collections.abc import Callable
from dataclasses import dataclass

from hbm.accounts.models import User
from hbm.lib.types import StrOrPromise


@dataclass(frozen=True)
class PersonSection:
    key: str
    title: StrOrPromise
    url_name: str  # takes the person's public_id; answers an htmx fragment
    visible_to: Callable[[User], bool]


_sections: dict[str, PersonSection] = {}


def register_person_section(section: PersonSection) -> None:
    _sections[section.key] = section


def person_sections_for(user: User) -> list[PersonSection]:
    return [s for s in _sections.values() if s.visible_to(user)]


@dataclass(frozen=True)
class PersonAction:
    """A button on the person page and on the desk's result, beside each person registered."""

    key: str
    label: StrOrPromise
    url_name: str  # takes the person's public_id; a page of its own
    visible_to: Callable[[User], bool]


_actions: dict[str, PersonAction] = {}


def register_person_action(action: PersonAction) -> None:
    _actions[action.key] = action


def person_actions_for(user: User) -> list[PersonAction]:
    return [a for a in _actions.values() if a.visible_to(user)]
