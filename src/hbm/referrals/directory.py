"""The service directory as a workbook: a "providers" sheet and a "pathways" sheet. Export
writes both; import checks both (problems named by sheet and line) and writes all or nothing,
matching providers by name and pathways by their four columns."""

import io
import zipfile
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from hbm.accounts.models import Agency
from hbm.audit.models import AuditEvent
from hbm.audit.services import audit_record
from hbm.lib import streams
from hbm.lib.permissions import require_role
from hbm.places.models import AdminArea, BorderCrossingPoint
from hbm.referrals.models import Pathway, Provider, ServiceType

PROVIDER_COLUMNS = [
    "name",
    "agency",
    "service_types",
    "admin_area",
    "address",
    "contact_name",
    "contact_phone",
    "contact_email",
    "capacity_per_week",
    "languages",
    "active",
]
PATHWAY_COLUMNS = ["crossing_point", "service_type", "urgency", "provider"]
URGENCIES = {"", "emergency", "urgent", "normal"}
# Problems are translated in the language of the request; sheet and column names stay as
# they are in the workbook.
NOT_A_WORKBOOK = _("The file is not a readable XLSX workbook.")
MISSING_SHEET = _("The workbook needs a sheet named '{}' with the columns: {}.")
WHERE = _("{sheet} line {line}")
REQUIRED = _("{where}: {column}: is required")
NOT_AN_EMAIL = _("{where}: contact_email '{value}' is not an e-mail")
NOT_A_NUMBER = _("{where}: capacity_per_week '{value}' is not a whole number")
UNKNOWN = {
    "agency": _("{where}: unknown agency '{value}'"),
    "service type": _("{where}: unknown service type '{value}'"),
    "admin area": _("{where}: unknown admin area '{value}'"),
    "crossing point": _("{where}: unknown crossing point '{value}'"),
    "urgency": _("{where}: unknown urgency '{value}'"),
    "provider": _("{where}: unknown provider '{value}'"),
}


class DirectoryRejected(Exception):
    def __init__(self, problems: list[str]) -> None:
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


@dataclass
class DirectorySummary:
    providers: int
    pathways: int


def directory_export() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "providers"
    sheet.append(PROVIDER_COLUMNS)
    for p in Provider.objects.select_related("agency", "admin_area").prefetch_related(
        "service_types"
    ):
        streams.xlsx_append(
            sheet,
            [
                p.name,
                p.agency.code,
                ",".join(t.code for t in p.service_types.all()),
                p.admin_area.pcode if p.admin_area else "",
                p.address,
                p.contact_name,
                p.contact_phone,
                p.contact_email,
                p.capacity_per_week,
                ",".join(p.languages),
                "yes" if p.active else "no",
            ],
        )
    pathways = book.create_sheet("pathways")
    pathways.append(PATHWAY_COLUMNS)
    for w in Pathway.objects.select_related("crossing_point", "service_type", "provider"):
        streams.xlsx_append(
            pathways, [w.crossing_point.code, w.service_type.code, w.urgency, w.provider.name]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _rows(
    book: Any, name: str, columns: list[str], problems: list[str]
) -> list[tuple[int, dict[str, str]]]:
    if name not in book.sheetnames:
        problems.append(MISSING_SHEET.format(name, ", ".join(columns)))
        return []
    rows = list(book[name].iter_rows(values_only=True))
    header = [str(c or "").strip().lower() for c in (rows[0] if rows else [])]
    missing = [c for c in columns if c not in header]
    if missing:
        problems.append(MISSING_SHEET.format(name, ", ".join(columns)))
        return []
    return [
        (
            line,
            {
                col: str(row[header.index(col)] or "").strip()
                if header.index(col) < len(row)
                else ""
                for col in columns
            },
        )
        for line, row in enumerate(rows[1:], start=2)
        if any(c not in (None, "") for c in row)
    ]


def _check_provider(where: str, row: dict[str, str], lookups: dict[str, Any]) -> list[str]:
    problems = []
    if not row["name"]:
        problems.append(REQUIRED.format(where=where, column="name"))
    if row["agency"] not in lookups["agencies"]:
        problems.append(UNKNOWN["agency"].format(where=where, value=row["agency"]))
    for code in filter(None, (c.strip() for c in row["service_types"].split(","))):
        if code not in lookups["types"]:
            problems.append(UNKNOWN["service type"].format(where=where, value=code))
    if row["admin_area"] and row["admin_area"] not in lookups["areas"]:
        problems.append(UNKNOWN["admin area"].format(where=where, value=row["admin_area"]))
    if row["contact_email"]:
        try:
            validate_email(row["contact_email"])
        except ValidationError:
            problems.append(NOT_AN_EMAIL.format(where=where, value=row["contact_email"]))
    if row["capacity_per_week"] and not row["capacity_per_week"].isdigit():
        problems.append(NOT_A_NUMBER.format(where=where, value=row["capacity_per_week"]))
    return problems


@transaction.atomic
def directory_import(*, actor: Any, content: bytes, dry_run: bool) -> DirectorySummary:
    require_role(actor, "administrator")
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise DirectoryRejected([str(NOT_A_WORKBOOK)]) from error
    problems: list[str] = []
    providers = _rows(book, "providers", PROVIDER_COLUMNS, problems)
    pathways = _rows(book, "pathways", PATHWAY_COLUMNS, problems)
    lookups = {
        "agencies": {a.code: a for a in Agency.objects.all()},
        "types": {t.code: t for t in ServiceType.objects.all()},
        "areas": {a.pcode: a for a in AdminArea.objects.all()},
        "points": {p.code: p for p in BorderCrossingPoint.objects.all()},
    }
    names = {row["name"] for _line, row in providers} | set(
        Provider.objects.values_list("name", flat=True)
    )
    for line, row in providers:
        where = WHERE.format(sheet="providers", line=line)
        problems.extend(_check_provider(where, row, lookups))
    for line, row in pathways:
        where = WHERE.format(sheet="pathways", line=line)
        for column, kind, known in (
            ("crossing_point", "crossing point", lookups["points"]),
            ("service_type", "service type", lookups["types"]),
            ("urgency", "urgency", URGENCIES),
            ("provider", "provider", names),
        ):
            if row[column] not in known:
                problems.append(UNKNOWN[kind].format(where=where, value=row[column]))
    if problems:
        raise DirectoryRejected(problems)
    if not dry_run:
        _write(actor, providers, pathways, lookups)
    return DirectorySummary(providers=len(providers), pathways=len(pathways))


def _write(
    actor: Any,
    providers: list[tuple[int, dict[str, str]]],
    pathways: list[tuple[int, dict[str, str]]],
    lookups: dict[str, Any],
) -> None:
    for _line, row in providers:
        provider, _created = Provider.objects.update_or_create(
            name=row["name"],
            defaults={
                "agency": lookups["agencies"][row["agency"]],
                "admin_area": lookups["areas"].get(row["admin_area"]),
                "address": row["address"],
                "contact_name": row["contact_name"],
                "contact_phone": row["contact_phone"],
                "contact_email": row["contact_email"],
                "capacity_per_week": int(row["capacity_per_week"])
                if row["capacity_per_week"]
                else None,
                "languages": [c.strip() for c in row["languages"].split(",") if c.strip()],
                "active": row["active"].lower() not in ("no", "false", "0"),
            },
        )
        provider.service_types.set(
            [lookups["types"][c.strip()] for c in row["service_types"].split(",") if c.strip()]
        )
    by_name = {p.name: p for p in Provider.objects.all()}
    for _line, row in pathways:
        Pathway.objects.get_or_create(
            crossing_point=lookups["points"][row["crossing_point"]],
            service_type=lookups["types"][row["service_type"]],
            urgency=row["urgency"],
            provider=by_name[row["provider"]],
        )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.IMPORT,
        object_type="referrals.provider",
        detail=f"{len(providers)} providers, {len(pathways)} pathways",
    )
