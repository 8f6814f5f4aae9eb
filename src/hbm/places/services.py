from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import TYPE_CHECKING, Any
from zoneinfo import available_timezones

from django.db import transaction

from hbm.audit.models import AuditEvent
from hbm.audit.services import audit_record
from hbm.lib.permissions import require_role
from hbm.lib.rejected import Rejected
from hbm.lib.tabular import Row, TabularError, read_table
from hbm.lib.text import text_problems
from hbm.places.models import AdminArea, BorderCrossingPoint, Country

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from hbm.accounts.models import User

IMPORT_COLUMNS = {
    "code",
    "name",
    "kind",
    "country",
    "neighbour_country",
    "admin_area",
    "latitude",
    "longitude",
    "daily_capacity",
    "status",
    "time_zone",
}
IMPORT_HXL = {
    "#loc+code": "code",
    "#loc+name": "name",
    "#loc+type": "kind",
    "#country+code": "country",
    "#country+code+neighbour": "neighbour_country",
    "#adm1+code": "admin_area",
    "#geo+lat": "latitude",
    "#geo+lon": "longitude",
    "#capacity+daily": "daily_capacity",
    "#status": "status",
    "#date+tz": "time_zone",
}
REQUIRED = ("code", "name", "country")

MISSING = "is required"
UNKNOWN_COUNTRY = "unknown ISO 3166 alpha-3 country code '{}'"
UNKNOWN_AREA = "unknown admin area p-code '{}'"
OUT_OF_RANGE = "'{}' is out of range ({} to {})"
NOT_A_NUMBER = "'{}' is not a number"
NOT_A_WHOLE_NUMBER = "'{}' is not a whole number of 0 or more"
NOT_A_CHOICE = "'{}' is not one of: {}"
DUPLICATE_CODE = "code '{}' already appears on line {}"
SAME_COUNTRY = "the neighbour country must differ from the country"
BAD_CODE = "'{}' may hold only letters, digits, '-' and '_'"
UNKNOWN_TIME_ZONE = "'{}' is not an IANA time zone such as Africa/Lubumbashi"
ADMINISTRATOR = "administrator"


@dataclass
class ImportPreview:
    to_create: list[dict[str, Any]] = field(default_factory=list)
    to_update: list[dict[str, Any]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.to_create) + len(self.to_update)


def _choice(
    value: str,
    choices: type[BorderCrossingPoint.Kind] | type[BorderCrossingPoint.Status],
    default: str,
    problems: list[str],
) -> str:
    if not value:
        return default
    normalised = value.strip().lower().replace(" ", "_")
    by_label = {str(label).lower().replace(" ", "_"): key for key, label in choices.choices}
    if normalised in choices.values:
        return normalised
    if normalised in by_label:
        return by_label[normalised]
    problems.append(NOT_A_CHOICE.format(value, ", ".join(choices.values)))
    return default


def _coordinate(value: str, low: int, high: int, problems: list[str]) -> Decimal | None:
    if not value:
        return None
    try:
        number = Decimal(value.replace(",", "."))
    except InvalidOperation:
        problems.append(NOT_A_NUMBER.format(value))
        return None
    if not number.is_finite() or not low <= number <= high:
        problems.append(OUT_OF_RANGE.format(value, low, high))
        return None
    return number.quantize(Decimal("0.000001"))


@cache
def _time_zones() -> frozenset[str]:
    return frozenset(available_timezones())


def _parse_row(
    row: Row, countries: set[str], areas: dict[str, int]
) -> tuple[dict[str, Any], list[str]]:
    v = row.values
    problems = text_problems(v)

    def check(name: str) -> list[str]:
        return problems.setdefault(name, [])

    for name in REQUIRED:
        if not v.get(name):
            check(name).append(MISSING)
    code = v.get("code", "").strip()
    if code and not all(ch.isalnum() or ch in "-_" for ch in code):
        check("code").append(BAD_CODE.format(code))
    parsed: dict[str, Any] = {"code": code, "name": v.get("name", "")}
    for name in ("country", "neighbour_country"):
        value = v.get(name, "").strip().upper()
        if value and value not in countries:
            check(name).append(UNKNOWN_COUNTRY.format(value))
        parsed[f"{name}_id"] = value or None
    if parsed["country_id"] and parsed["country_id"] == parsed["neighbour_country_id"]:
        check("neighbour_country").append(SAME_COUNTRY)
    area = v.get("admin_area", "").strip()
    if area and area not in areas:
        check("admin_area").append(UNKNOWN_AREA.format(area))
    parsed["admin_area_id"] = areas.get(area)
    parsed["latitude"] = _coordinate(v.get("latitude", ""), -90, 90, check("latitude"))
    parsed["longitude"] = _coordinate(v.get("longitude", ""), -180, 180, check("longitude"))
    capacity = v.get("daily_capacity", "").strip()
    parsed["daily_capacity"] = None
    if capacity:
        if capacity.isdigit():
            parsed["daily_capacity"] = int(capacity)
        else:
            check("daily_capacity").append(NOT_A_WHOLE_NUMBER.format(capacity))
    parsed["kind"] = _choice(
        v.get("kind", ""),
        BorderCrossingPoint.Kind,
        BorderCrossingPoint.Kind.OFFICIAL_BCP,
        check("kind"),
    )
    parsed["status"] = _choice(
        v.get("status", ""),
        BorderCrossingPoint.Status,
        BorderCrossingPoint.Status.OPEN,
        check("status"),
    )
    parsed["time_zone"] = v.get("time_zone", "").strip() or "UTC"
    if parsed["time_zone"] not in _time_zones():
        check("time_zone").append(UNKNOWN_TIME_ZONE.format(parsed["time_zone"]))
    messages = [
        f"line {row.line}: {name}: {msg}" for name, msgs in problems.items() for msg in msgs
    ]
    return parsed, messages


def crossing_point_import(
    *, actor: User | AnonymousUser, content: bytes, filename: str, dry_run: bool
) -> ImportPreview:
    """Create or update crossing points from a CSV/XLSX file, all or nothing, matched by code."""
    require_role(actor, ADMINISTRATOR)
    try:
        rows = read_table(content, filename, columns=IMPORT_COLUMNS, hxl_map=IMPORT_HXL)
    except TabularError as exc:
        raise Rejected(exc.problems) from exc
    if not rows:
        raise Rejected([f"{filename}: no data rows"])
    countries = set(Country.objects.values_list("code", flat=True))
    areas = dict(AdminArea.objects.values_list("pcode", "id"))
    existing = set(BorderCrossingPoint.objects.values_list("code", flat=True))
    preview, problems = ImportPreview(), []
    seen: dict[str, int] = {}  # code: its first line
    for row in rows:
        parsed, row_problems = _parse_row(row, countries, areas)
        code = parsed["code"]
        if code in seen:
            row_problems.append(f"line {row.line}: code: {DUPLICATE_CODE.format(code, seen[code])}")
        seen.setdefault(code, row.line)
        problems.extend(row_problems)
        (preview.to_update if code in existing else preview.to_create).append(parsed)
    if problems:
        raise Rejected(problems)
    if not dry_run:
        _write_crossing_points(actor=actor, preview=preview, filename=filename)
    return preview


@transaction.atomic
def _write_crossing_points(
    *, actor: User | AnonymousUser, preview: ImportPreview, filename: str
) -> None:
    for values in preview.to_create:
        point = BorderCrossingPoint(**values)
        point.full_clean()
        point.save()
    for values in preview.to_update:
        point = BorderCrossingPoint.objects.select_for_update().get(code=values["code"])
        for name, value in values.items():
            setattr(point, name, value)
        point.full_clean()
        point.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.IMPORT,
        object_type="places.bordercrossingpoint",
        detail=f"{filename}: {len(preview.to_create)} created, {len(preview.to_update)} updated",
    )
