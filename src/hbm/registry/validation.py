"""Checks of a registration's content, collected with their field paths (``members.2.sex``)."""

from datetime import date, datetime, timedelta
from functools import cache
from typing import Any, cast

import pycountry
from django.conf import settings
from django.db import models
from django.utils import timezone

from hbm.lib.text import text_problem
from hbm.places.selectors import known_country_codes
from hbm.registry.birth import BirthError, birth_interval
from hbm.registry.inputs import MemberInput, RegistrationInput
from hbm.registry.models import Consent, Crossing, Group, Person, Relationship, Sex

NO_MEMBERS = "A registration needs at least one person."
NO_HEAD = "Mark exactly one person as head of the group."
TWO_HEADS = "Only one person can be head of the group."
TWICE_IN_GROUP = "This person is already in this group (member {})."
NO_NAME = "Give at least a given name or a family name."
UNKNOWN_PERSON = "No registered person has this id."
UNKNOWN_COUNTRY = "'{}' is not an ISO 3166 alpha-3 country code."
UNKNOWN_LANGUAGE = "'{}' is not an ISO 639 language code."
NOT_A_CHOICE = "'{}' is not one of: {}."
IN_THE_FUTURE = "The crossing time cannot be in the future."
EARLIEST_CROSSING = date(2000, 1, 1)
TOO_EARLY = f"A crossing before {EARLIEST_CROSSING.isoformat()} is not plausible; check the year."
BAD_PHONE = "A phone number holds digits, spaces and an optional leading '+'."
TOO_LONG = "At most {} characters."
CONSENT_REQUIRED = (
    "Registration needs the person's consent (or a parent's or guardian's for a child); "
    "without it nothing is registered."
)
GIVER_NAME_REQUIRED = "Give the name of whoever gave consent."
NAME_FOR_SELF = (
    "The person gave consent themself: leave the name empty, or say who gave it (parent, "
    "guardian, someone else)."
)
TEXT_FIELDS = (
    "given_name",
    "family_name",
    "father_name",
    "other_names",
    "name_original_script",
    "document_number",
    "phone",
    "place_of_origin",
)
GROUP_TEXT_FIELDS = ("origin_place", "destination", "consent_given_by")
CLOCK_SKEW = timedelta(minutes=10)
MAX_MEMBERS = 50
TOO_MANY = f"A group has at most {MAX_MEMBERS} people; register large groups in parts."


@cache
def _language_codes() -> frozenset[str]:
    codes = set()
    for language in pycountry.languages:
        codes.add(language.alpha_3)
        if hasattr(language, "alpha_2"):
            codes.add(language.alpha_2)
    return frozenset(codes)


class Problems:
    def __init__(self) -> None:
        self.by_field: dict[str, list[str]] = {}

    def add(self, path: str, message: str) -> None:
        self.by_field.setdefault(path, []).append(message)

    def __bool__(self) -> bool:
        return bool(self.by_field)


def _max_length(model: type[models.Model], name: str) -> int | None:
    return cast(
        "models.Field[Any, Any]", model._meta.get_field(name)
    ).max_length  # a column, not a relation


def _choice(
    problems: Problems,
    path: str,
    value: str,
    choices: type[models.TextChoices],
    allow_blank: bool = True,
) -> None:
    if (value or not allow_blank) and value not in choices.values:
        problems.add(path, NOT_A_CHOICE.format(value, ", ".join(choices.values)))


def normalise_document(number: str) -> str:
    return "".join(number.split()).upper()


def normalise_phone(phone: str) -> str:
    phone = phone.strip()
    return ("+" if phone.startswith("+") else "") + "".join(ch for ch in phone if ch.isdigit())


def _text(problems: Problems, path: str, value: str) -> None:
    problem = text_problem(value)
    if problem:
        problems.add(path, problem)


def _check_member(
    problems: Problems, path: str, member: MemberInput, countries: set[str], today: date
) -> None:
    _choice(problems, f"{path}.relationship", member.relationship, Relationship, allow_blank=False)
    if member.existing_person is not None:
        return  # the service reads linked persons within the writer's scope
    identity_problems(problems, f"{path}.", member, countries=countries, today=today)


def identity_problems(
    problems: Problems, prefix: str, member: MemberInput, *, countries: set[str], today: date
) -> None:
    """The problems of a person's identity as typed, each at ``prefix`` + its field name
    (``members.2.`` at registration, nothing for a correction). ``countries`` are the known
    codes among those mentioned; ``today`` is the day an estimated age was given."""
    for name in TEXT_FIELDS:
        _text(problems, f"{prefix}{name}", getattr(member, name))
        limit = _max_length(Person, name)
        if limit and len(getattr(member, name).strip()) > limit:
            problems.add(f"{prefix}{name}", TOO_LONG.format(limit))
    if not (member.given_name.strip() or member.family_name.strip()):
        problems.add(f"{prefix}given_name", NO_NAME)
    _choice(problems, f"{prefix}sex", member.sex, Sex)
    _choice(problems, f"{prefix}document_type", member.document_type, Person.DocumentType)
    try:
        birth_interval(member.date_of_birth, member.age_estimate, today=today)
    except BirthError as error:
        problems.add(f"{prefix}{error.field}", error.message)
    if member.nationality and member.nationality.upper() not in countries:
        problems.add(f"{prefix}nationality", UNKNOWN_COUNTRY.format(member.nationality))
    for index, code in enumerate(member.languages):
        if text_problem(code):
            _text(problems, f"{prefix}languages.{index}", code)
        elif code.lower() not in _language_codes():
            problems.add(f"{prefix}languages.{index}", UNKNOWN_LANGUAGE.format(code))
    if member.phone and not _plausible_phone(member.phone):
        problems.add(f"{prefix}phone", BAD_PHONE)


def _plausible_phone(phone: str) -> bool:
    digits = normalise_phone(phone).lstrip("+")
    return bool(digits) and all(c.isdigit() or c in " +-()" for c in phone)


def _consent_problems(problems: Problems, data: RegistrationInput) -> None:
    if not data.consent_given:
        if not settings.REGISTRATION_LEGAL_BASIS:
            problems.add("consent_given", CONSENT_REQUIRED)
        return
    _choice(problems, "consent_giver", data.consent_giver, Consent.GivenBy)
    _choice(problems, "consent_method", data.consent_method, Consent.Method)
    if data.consent_giver == Consent.GivenBy.OTHER and not data.consent_given_by.strip():
        problems.add("consent_given_by", GIVER_NAME_REQUIRED)
    if data.consent_giver == Consent.GivenBy.SELF and data.consent_given_by.strip():
        problems.add("consent_given_by", NAME_FOR_SELF)


def registration_problems(data: RegistrationInput, *, now: datetime) -> Problems:
    problems = Problems()
    mentioned = {data.origin_country.upper()} | {m.nationality.upper() for m in data.members}
    mentioned.discard("")
    countries = known_country_codes(mentioned)
    _choice(problems, "direction", data.direction, Crossing.Direction, allow_blank=False)
    _choice(problems, "group_kind", data.group_kind, Group.Kind, allow_blank=False)
    _choice(problems, "transport", data.transport, Crossing.Transport)
    _choice(problems, "reason", data.reason, Crossing.Reason)
    if data.origin_country and data.origin_country.upper() not in countries:
        problems.add("origin_country", UNKNOWN_COUNTRY.format(data.origin_country))
    for name, model, field in (
        ("origin_place", Crossing, "origin_place"),
        ("destination", Crossing, "destination"),
        ("consent_given_by", Consent, "given_by_name"),
    ):
        limit = _max_length(model, field)
        if limit and len(getattr(data, name).strip()) > limit:
            problems.add(name, TOO_LONG.format(limit))
    for name in GROUP_TEXT_FIELDS:
        _text(problems, name, getattr(data, name))
    for key, value in data.extra.items():
        _text(problems, f"extra.{key}", value)
    _consent_problems(problems, data)
    if data.crossed_at and data.crossed_at > now + CLOCK_SKEW:
        problems.add("crossed_at", IN_THE_FUTURE)
    if data.crossed_at and data.crossed_at.date() < EARLIEST_CROSSING:
        problems.add("crossed_at", TOO_EARLY)
    if not data.members:
        problems.add("members", NO_MEMBERS)
        return problems
    if len(data.members) > MAX_MEMBERS:
        problems.add("members", TOO_MANY)
        return problems
    heads = [i for i, m in enumerate(data.members) if m.relationship == Relationship.HEAD]
    if not heads:
        problems.add("members", NO_HEAD)
    for extra_head in heads[1:]:
        problems.add(f"members.{extra_head}.relationship", TWO_HEADS)
    seen: dict[object, int] = {}
    today = timezone.localdate(now)
    for index, member in enumerate(data.members):
        path = f"members.{index}"
        if member.existing_person is not None:
            if member.existing_person in seen:
                problems.add(
                    f"{path}.existing_person",
                    TWICE_IN_GROUP.format(seen[member.existing_person] + 1),
                )
            seen.setdefault(member.existing_person, index)
        _check_member(problems, path, member, countries, today)
    return problems
