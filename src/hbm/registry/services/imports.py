"""Import registrations from CSV/XLSX: one row per person, rows sharing a ``group_id`` form
one registration. Validated in full first (line-numbered problems), then written all or
nothing. Each group's registration id derives from the file's content, so importing the same
file twice registers nobody twice."""

import hashlib
import uuid
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from hbm.accounts.models import User
from hbm.audit.models import AuditEvent
from hbm.audit.services import audit_record
from hbm.lib.permissions import require_role
from hbm.lib.rejected import Rejected
from hbm.lib.tabular import Row, TabularError, read_table
from hbm.registry.export import COLUMNS
from hbm.registry.inputs import MemberInput, RegistrationInput
from hbm.registry.services.registration import (
    REGISTERING_ROLES,
    crossing_point_for_registration,
    registration_register,
)
from hbm.registry.validation import registration_problems

NAMESPACE = uuid.UUID("7b0f4a36-8a57-4d8e-9a43-8f5d8e0c2f11")
MEMBER_FIELDS = (
    "relationship",
    "given_name",
    "family_name",
    "father_name",
    "other_names",
    "name_original_script",
    "sex",
    "date_of_birth",
    "age_estimate",
    "nationality",
    "document_type",
    "document_number",
    "phone",
    "place_of_origin",
)
GROUP_FIELDS = (
    "crossing_point",
    "direction",
    "crossed_at",
    "group_kind",
    "transport",
    "reason",
    "origin_country",
    "origin_place",
    "destination",
    "consent_given",
    "consent_giver",
    "consent_given_by",
    "consent_method",
)
COLUMNS_ACCEPTED = {"group_id", *MEMBER_FIELDS, *GROUP_FIELDS}
HXL = {tag: name for name, tag, _ in COLUMNS if name in COLUMNS_ACCEPTED}

NO_GROUP = "group_id: is required (rows sharing it form one group)"
NOT_A_NUMBER = "age_estimate: '{}' is not a whole number"
BAD_TIME = "crossed_at: '{}' is not a date-time such as 2026-11-24T08:30:00+02:00"
GROUP_DIFFERS = "{}: differs from line {} of the same group"
CONSENT_ANSWER = (
    "consent_given: is required on the group's first line: yes (consent was given) or no "
    "(registered under the deployment's legal basis)"
)
CONSENT_ANSWERS = {"yes": True, "y": True, "true": True, "1": True}
CONSENT_ANSWERS |= {"no": False, "n": False, "false": False, "0": False}


@dataclass
class ImportSummary:
    groups: int = 0
    persons: int = 0
    replayed: int = 0
    sample: list[dict[str, str]] = field(default_factory=list)


def _member(row: Row, problems: list[str]) -> MemberInput:
    values = {name: row.values.get(name, "") for name in MEMBER_FIELDS}
    age = values.pop("age_estimate")
    age_estimate = None
    if age:
        if age.isdigit():
            age_estimate = int(age)
        else:
            problems.append(f"line {row.line}: {NOT_A_NUMBER.format(age)}")
    return MemberInput(
        relationship=values["relationship"],
        given_name=values["given_name"],
        family_name=values["family_name"],
        father_name=values["father_name"],
        other_names=values["other_names"],
        name_original_script=values["name_original_script"],
        sex=values["sex"],
        date_of_birth=values["date_of_birth"],
        age_estimate=age_estimate,
        nationality=values["nationality"],
        document_type=values["document_type"],
        document_number=values["document_number"],
        phone=values["phone"],
        place_of_origin=values["place_of_origin"],
    )


def _crossed_at(value: str, line: int, problems: list[str]) -> datetime | None:
    if not value:
        return None
    moment = parse_datetime(value)
    if moment is None:
        problems.append(f"line {line}: {BAD_TIME.format(value)}")
        return None
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def _groups(rows: list[Row], problems: list[str]) -> "OrderedDict[str, list[Row]]":
    groups: OrderedDict[str, list[Row]] = OrderedDict()
    for row in rows:
        key = row.values.get("group_id", "").strip()
        if not key:
            problems.append(f"line {row.line}: {NO_GROUP}")
            continue
        groups.setdefault(key, []).append(row)
    return groups


def _registration(key: str, rows: list[Row], digest: str, problems: list[str]) -> RegistrationInput:
    first = rows[0]
    for row in rows[1:]:
        for name in GROUP_FIELDS:
            if row.values.get(name, "") not in ("", first.values.get(name, "")):
                problems.append(f"line {row.line}: {GROUP_DIFFERS.format(name, first.line)}")
    group = {name: first.values.get(name, "") for name in GROUP_FIELDS}
    crossed_at = _crossed_at(group.pop("crossed_at"), first.line, problems)
    consent_given = CONSENT_ANSWERS.get(group["consent_given"].strip().lower())
    if consent_given is None:
        problems.append(f"line {first.line}: {CONSENT_ANSWER}")
    return RegistrationInput(
        id=uuid.uuid5(NAMESPACE, f"{digest}:{key}"),
        members=tuple(_member(row, problems) for row in rows),
        consent_given=consent_given is not False,  # None: reported above, nothing written
        consent_giver=group["consent_giver"],
        consent_given_by=group["consent_given_by"],
        consent_method=group["consent_method"],
        crossing_point=group["crossing_point"],
        direction=group["direction"],
        crossed_at=crossed_at,
        group_kind=group["group_kind"] or "household",
        transport=group["transport"],
        reason=group["reason"],
        origin_country=group["origin_country"],
        origin_place=group["origin_place"],
        destination=group["destination"],
    )


def _line_of(path: str, rows: list[Row]) -> int:
    parts = path.split(".")
    if parts[0] == "members" and len(parts) > 1 and parts[1].isdigit():
        return rows[int(parts[1])].line
    return rows[0].line


def _field_of(path: str) -> str:
    parts = path.split(".")
    return ".".join(parts[2:]) if parts[0] == "members" and len(parts) > 2 else path


def registrations_import(
    *, actor: User, content: bytes, filename: str, dry_run: bool
) -> ImportSummary:
    require_role(actor, *REGISTERING_ROLES)
    try:
        rows = read_table(content, filename, columns=COLUMNS_ACCEPTED, hxl_map=HXL)
    except TabularError as error:
        raise Rejected(error.problems) from error
    if not rows:
        raise Rejected([f"{filename}: no data rows"])
    digest = hashlib.sha256(content).hexdigest()
    problems: list[str] = []
    now = timezone.now()
    registrations = []
    for key, group_rows in _groups(rows, problems).items():
        data = _registration(key, group_rows, digest, problems)
        try:
            crossing_point_for_registration(actor, data.crossing_point)
        except (PermissionDenied, ValidationError) as error:
            problems.append(
                f"line {group_rows[0].line}: crossing_point: "
                f"{' '.join(getattr(error, 'messages', [str(error)]))}"
            )
        found = registration_problems(data, now=now)
        for path, messages in found.by_field.items():
            problems.extend(
                f"line {_line_of(path, group_rows)}: {_field_of(path)}: {message}"
                for message in messages
            )
        registrations.append(data)
    if problems:
        raise Rejected(sorted(problems, key=lambda p: int(p.split(":")[0].split()[1])))
    summary = ImportSummary(
        groups=len(registrations), persons=sum(len(r.members) for r in registrations)
    )
    summary.sample = [
        {
            "group": str(r.id),
            "crossing_point": r.crossing_point,
            "head": f"{r.members[0].given_name} {r.members[0].family_name}".strip(),
            "members": str(len(r.members)),
        }
        for r in registrations[:20]
    ]
    if not dry_run:
        summary.replayed = _write(
            actor=actor, registrations=registrations, filename=filename, now=now
        )
    return summary


@transaction.atomic
def _write(
    *, actor: User, registrations: list[RegistrationInput], filename: str, now: datetime
) -> int:
    replayed = 0
    for data in registrations:
        replayed += registration_register(actor=actor, data=data, now=now).replayed
    audit_record(
        actor=actor,
        action=AuditEvent.Action.IMPORT,
        object_type="registry.registration",
        detail=f"{filename}: {len(registrations)} groups ({replayed} already imported)",
    )
    return replayed
