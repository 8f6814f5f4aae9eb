"""How a submitted instance becomes a registration: a mapping from XForm paths to the
registration's fields, checked against the form when it is saved, and applied to each
submission.

A mapping is a JSON object, XForm path → target:
- a group field: ``"/data/direction": "direction"``, ``"/data/consent": "consent_given"``;
- the head of the group: ``"/data/head/given_name": "members[0].given_name"``;
- a repeat group, one member per repeat: ``"/data/members": "members"``, and inside it
  ``"/data/members/given_name": "members[].given_name"``.
"""

import uuid
import xml.etree.ElementTree as ET
from dataclasses import asdict, dataclass, field, fields
from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_datetime

from hbm.collect.xforms import Instance, Structure
from hbm.registry.inputs import MemberInput, RegistrationInput
from hbm.registry.services.imports import GROUP_FIELDS

# Registration ids of Collect submissions derive from the instanceID (uuid5), so that a
# replayed submission names the same registration.
NAMESPACE = uuid.UUID("5f3c1f6e-2b7d-4f0a-9d0e-6c1b8a4e7d21")

# The group's fields, as imports name them too.
GROUP_TARGETS = GROUP_FIELDS
MEMBER_TARGETS = tuple(f.name for f in fields(MemberInput) if f.name != "existing_person")
MEMBER_TEXT = tuple(
    name for name in MEMBER_TARGETS if name not in ("age_estimate", "languages", "relationship")
)
HEAD = "members[0]."
EACH = "members[]."
REPEAT = "members"

NOT_AN_OBJECT = "A mapping is a JSON object: XForm path → registration field."
NOT_IN_FORM = "{}: the form has no such element."
UNKNOWN_TARGET = (
    "{}: '{}' is not a registration field; use a group field ({}), members[0].<field> for "
    "the head, members for a repeat group and members[].<field> inside it (fields: {})."
)
NOT_A_REPEAT = "{}: only a repeat group can be mapped to members."
OUTSIDE_REPEAT = "{}: members[].{} must be inside the repeat group mapped to members ({})."
NO_REPEAT = "{}: members[].{} needs a repeat group mapped to members."
TWO_REPEATS = "{}: another repeat group ({}) is mapped to members already."
TARGET_TWICE = "{}: '{}' is mapped from {} already."
CONSENT_ANSWER = "'{}' is not an answer to consent: yes or no."
CONSENT_MISSING = "The submission does not say whether the group consented (yes or no)."
NOT_A_NUMBER = "'{}' is not a whole number."
BAD_TIME = "'{}' is not a date-time."
NO_POINT = (
    "The form is used at several crossing points and the submission names none: add a "
    "crossing_point question to the form and map it."
)
CONSENT_ANSWERS = {"yes": True, "true": True, "1": True, "no": False, "false": False, "0": False}

DEFAULT_MAPPING = {
    "/data/start": "crossed_at",
    "/data/direction": "direction",
    "/data/consent": "consent_given",
    "/data/transport": "transport",
    "/data/reason": "reason",
    "/data/origin_country": "origin_country",
    "/data/destination": "destination",
    **{f"/data/head/{name}": f"{HEAD}{name}" for name in ("phone",)},
    "/data/members": REPEAT,
    "/data/members/relationship": f"{EACH}relationship",
    **{
        f"/data/{where}/{name}": f"{target}{name}"
        for where, target in (("head", HEAD), ("members", EACH))
        for name in (
            "given_name",
            "family_name",
            "sex",
            "date_of_birth",
            "age_estimate",
            "nationality",
            "document_number",
        )
    },
}


def mapping_default(structure: Structure) -> dict[str, str]:
    """The default mapping, its paths moved under the form's root, for the paths the form
    has: the shipped template's mapping, or a start for another form."""
    moved = {
        f"/{structure.root}{path.removeprefix('/data')}": t for path, t in DEFAULT_MAPPING.items()
    }
    kept = {path: target for path, target in moved.items() if path in structure.paths}
    repeat = next((p for p, t in kept.items() if t == REPEAT), None)
    if repeat is None or repeat not in structure.repeats:
        kept = {p: t for p, t in kept.items() if t != REPEAT and not t.startswith(EACH)}
    return kept


def _target_known(target: str) -> bool:
    if target in GROUP_TARGETS or target == REPEAT:
        return True
    for prefix in (HEAD, EACH):
        if target.startswith(prefix) and target.removeprefix(prefix) in MEMBER_TARGETS:
            return True
    return False


def mapping_problems(mapping: Any, structure: Structure) -> list[str]:
    """Each problem of a mapping for this form, one line naming the path at fault."""
    if not isinstance(mapping, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in mapping.items()
    ):
        return [NOT_AN_OBJECT]
    problems = []
    repeat = None
    seen: dict[str, str] = {}
    for path, target in mapping.items():
        if path not in structure.paths or path == f"/{structure.root}":
            problems.append(NOT_IN_FORM.format(path))
        elif not _target_known(target):
            problems.append(
                UNKNOWN_TARGET.format(
                    path, target, ", ".join(GROUP_TARGETS), ", ".join(MEMBER_TARGETS)
                )
            )
        elif target in seen:
            problems.append(TARGET_TWICE.format(path, target, seen[target]))
        elif target == REPEAT:
            if path not in structure.repeats:
                problems.append(NOT_A_REPEAT.format(path))
            elif repeat is not None:
                problems.append(TWO_REPEATS.format(path, repeat))
            else:
                repeat = path
        seen.setdefault(target, path)
    for path, target in mapping.items():
        if target.startswith(EACH) and path in structure.paths and _target_known(target):
            name = target.removeprefix(EACH)
            if repeat is None:
                problems.append(NO_REPEAT.format(path, name))
            elif not path.startswith(f"{repeat}/"):
                problems.append(OUTSIDE_REPEAT.format(path, name, repeat))
    return problems


class MappingFailed(Exception):
    """The submission could not be read into a registration: ``problems`` by field path."""

    def __init__(self, problems: dict[str, list[str]]) -> None:
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in problems.items()))
        self.problems = problems


@dataclass
class _Reading:
    problems: dict[str, list[str]] = field(default_factory=dict)

    def add(self, where: str, message: str) -> None:
        self.problems.setdefault(where, []).append(message)


def _relative(path: str, base: str) -> str:
    return path.removeprefix(f"{base}/")


def _member(
    values: dict[str, str], reading: _Reading, where: str, relationship: str
) -> MemberInput:
    age = values.get("age_estimate", "").strip()
    age_estimate = None
    if age:
        try:
            age_estimate = int(age)
        except ValueError:
            reading.add(f"{where}.age_estimate", NOT_A_NUMBER.format(age))
    text = {name: values.get(name, "").strip() for name in MEMBER_TEXT}
    return MemberInput(
        relationship=values.get("relationship", "").strip() or relationship,
        age_estimate=age_estimate,
        languages=tuple(values.get("languages", "").split()),
        given_name=text["given_name"],
        family_name=text["family_name"],
        father_name=text["father_name"],
        other_names=text["other_names"],
        name_original_script=text["name_original_script"],
        sex=text["sex"],
        date_of_birth=text["date_of_birth"],
        nationality=text["nationality"],
        document_type=text["document_type"],
        document_number=text["document_number"],
        phone=text["phone"],
        place_of_origin=text["place_of_origin"],
    )


def _crossed_at(value: str, reading: _Reading) -> datetime | None:
    if not value:
        return None
    moment = parse_datetime(value)
    if moment is None:
        reading.add("crossed_at", BAD_TIME.format(value))
        return None
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def registration_id(instance_id: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, instance_id)


def registration_input(
    instance: Instance,
    *,
    mapping: dict[str, str],
    root_instance_id: str,
    default_point: str,
) -> RegistrationInput:
    """The registration a submission describes (its id from ``root_instance_id``, the first
    version's instanceID), or MappingFailed naming each field at fault."""
    reading = _Reading()
    root = f"/{instance.root}"
    element = instance.element
    group: dict[str, str] = {}
    head: dict[str, str] = {}
    repeat = next((path for path, target in mapping.items() if target == REPEAT), None)
    for path, target in mapping.items():
        if target in GROUP_TARGETS:
            group[target] = (element.findtext(_relative(path, root)) or "").strip()
        elif target.startswith(HEAD):
            head[target.removeprefix(HEAD)] = element.findtext(_relative(path, root)) or ""
    members = []
    if head:
        members.append(_member(head, reading, "members.0", "head"))
    if repeat is not None:
        for item in element.findall(_relative(repeat, root)):
            values = _repeat_values(item, mapping, repeat)
            if any(value.strip() for value in values.values()):
                members.append(_member(values, reading, f"members.{len(members)}", ""))
    consent = group.get("consent_given", "")
    consent_given = CONSENT_ANSWERS.get(consent.lower())
    if consent_given is None:
        reading.add("consent_given", CONSENT_ANSWER.format(consent) if consent else CONSENT_MISSING)
    crossed_at = _crossed_at(group.pop("crossed_at", ""), reading)
    point = group.pop("crossing_point", "") or default_point
    if not point:
        reading.add("crossing_point", NO_POINT)
    if reading.problems:
        raise MappingFailed(reading.problems)
    return RegistrationInput(
        id=registration_id(root_instance_id),
        crossing_point=point,
        members=tuple(members),
        consent_given=bool(consent_given),
        crossed_at=crossed_at,
        direction=group.get("direction", ""),
        group_kind=group.get("group_kind") or "household",
        transport=group.get("transport", ""),
        reason=group.get("reason", ""),
        origin_country=group.get("origin_country", ""),
        origin_place=group.get("origin_place", ""),
        destination=group.get("destination", ""),
        consent_giver=group.get("consent_giver", ""),
        consent_given_by=group.get("consent_given_by", ""),
        consent_method=group.get("consent_method", ""),
    )


def _repeat_values(item: ET.Element, mapping: dict[str, str], repeat: str) -> dict[str, str]:
    return {
        target.removeprefix(EACH): item.findtext(_relative(path, repeat)) or ""
        for path, target in mapping.items()
        if target.startswith(EACH)
    }


def flattened(data: RegistrationInput) -> dict[str, str]:
    """A registration's content as field path → text, to compare two versions."""
    content = asdict(data)
    content.pop("id")
    flat: dict[str, str] = {}
    for index, member in enumerate(content.pop("members")):
        for name, value in member.items():
            flat[f"members.{index}.{name}"] = "" if value in (None, ()) else str(value)
    for name, value in content.items():
        if name != "extra":
            flat[name] = "" if value is None else str(value)
    return flat


def changed_fields(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return sorted(k for k in before.keys() | after.keys() if before.get(k, "") != after.get(k, ""))
