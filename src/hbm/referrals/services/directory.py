"""The service directory as a workbook: a "providers" sheet and a "pathways" sheet. Export
writes both; import checks both (problems named by sheet and line) and writes all or nothing,
matching providers by name and pathways by their four columns."""

import io
import zipfile
from dataclasses import dataclass
from typing import Any, cast

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.worksheet import Worksheet

from hbm.accounts.models import User
from hbm.audit.models import AuditEvent
from hbm.audit.services import audit_record
from hbm.lib import streams
from hbm.lib.permissions import require_role
from hbm.lib.rejected import Rejected
from hbm.referrals.models import Pathway, Provider
from hbm.referrals.services import providers

PROVIDER_COLUMNS = list(providers.PROVIDER_FIELDS)
PATHWAY_COLUMNS = ["crossing_point", "service_type", "urgency", "provider"]
# Problems are translated in the language of the request; sheet and column names stay as
# they are in the workbook. Each line's problems are the rules of providers.py.
NOT_A_WORKBOOK = _("The file is not a readable XLSX workbook.")
MISSING_SHEET = _("The workbook needs a sheet named '{}' with the columns: {}.")
WHERE = _("{sheet} line {line}")
WHERE_PROBLEM = _("{where}: {problem}")


@dataclass
class DirectorySummary:
    providers: int
    pathways: int


def directory_export() -> bytes:
    book = Workbook()
    sheet = cast(Worksheet, book.active)  # a new workbook's one sheet
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
    in_use = Pathway.objects.filter(active=True)
    for w in in_use.select_related("crossing_point", "service_type", "provider"):
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


def _codes(text: str) -> list[str]:
    return [c.strip() for c in text.split(",") if c.strip()]


def _provider_data(row: dict[str, str]) -> dict[str, Any]:
    return {
        **row,
        "service_types": _codes(row["service_types"]),
        "languages": _codes(row["languages"]),
        "active": row["active"].lower() not in ("no", "false", "0"),
    }


def _located(where: str, found: providers.Problems) -> list[str]:
    return [
        str(WHERE_PROBLEM.format(where=where, problem=message))
        for messages in found.values()
        for message in messages
    ]


def _check_providers(
    rows: list[tuple[int, dict[str, str]]], lookups: providers.Lookups, problems: list[str]
) -> list[dict[str, Any]]:
    """Each line's provider values, by the rules of providers.py; an existing provider of the
    same name is the one the line changes."""
    checked, seen = [], set()
    for line, row in rows:
        where = WHERE.format(sheet="providers", line=line)
        instance = Provider.objects.filter(name=row["name"]).first() if row["name"] else None
        values, found = providers.provider_clean(
            _provider_data(row), lookups=lookups, instance=instance
        )
        if row["name"].lower() in seen:
            found.setdefault("name", []).append(str(providers.NAME_TWICE.format(value=row["name"])))
        seen.add(row["name"].lower())
        problems.extend(_located(where, found))
        checked.append(values)
    return checked


def _check_pathways(
    rows: list[tuple[int, dict[str, str]]],
    lookups: providers.Lookups,
    pending: dict[str, set[str]],
    problems: list[str],
) -> None:
    """A pathway may name a provider of the providers sheet, with the services given there."""
    for line, row in rows:
        _values, found = providers.pathway_clean(
            row, lookups=lookups, pending=pending, must_be_new=False
        )
        problems.extend(_located(WHERE.format(sheet="pathways", line=line), found))


@transaction.atomic
def directory_import(*, actor: User, content: bytes, dry_run: bool) -> DirectorySummary:
    require_role(actor, *providers.EDITORS)
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise Rejected([str(NOT_A_WORKBOOK)]) from error
    problems: list[str] = []
    provider_rows = _rows(book, "providers", PROVIDER_COLUMNS, problems)
    pathway_rows = _rows(book, "pathways", PATHWAY_COLUMNS, problems)
    lookups = providers.Lookups()
    checked = _check_providers(provider_rows, lookups, problems)
    pending = {row["name"]: set(_codes(row["service_types"])) for _line, row in provider_rows}
    _check_pathways(pathway_rows, lookups, pending, problems)
    if problems:
        raise Rejected(problems)
    if not dry_run:
        _write(actor, checked, pathway_rows, lookups)
    return DirectorySummary(providers=len(provider_rows), pathways=len(pathway_rows))


def _write(
    actor: User,
    checked: list[dict[str, Any]],
    pathways: list[tuple[int, dict[str, str]]],
    lookups: providers.Lookups,
) -> None:
    for values in checked:
        types = values.pop("service_types")
        provider, _created = Provider.objects.update_or_create(
            name=values.pop("name"), defaults=values
        )
        provider.service_types.set(types)
    by_name = {p.name: p for p in Provider.objects.all()}
    for _line, row in pathways:
        Pathway.objects.get_or_create(
            crossing_point=lookups.get("crossing point", row["crossing_point"]),
            service_type=lookups.get("service type", row["service_type"]),
            urgency=row["urgency"],
            provider=by_name[row["provider"]],
        )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.IMPORT,
        object_type="referrals.provider",
        detail=f"{len(checked)} providers, {len(pathways)} pathways",
    )
