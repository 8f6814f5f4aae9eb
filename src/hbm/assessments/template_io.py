"""Templates as spreadsheets. One row per indicator on the first sheet; a row that names a
dimension but no indicator declares that dimension. A second sheet, ``about``, carries the
template's code, name and description. Import is checked in full before anything is
written, with the line number of every problem, and creates a new *draft* version."""

import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, cast

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from hbm.accounts.models import User
from hbm.lib import streams
from hbm.lib.permissions import require_role
from hbm.lib.rejected import Rejected
from hbm.lib.tabular import Row, TabularError, read_table

from . import services
from .models import LEVELS, Template

LEVEL_COLUMNS = [f"level_{n}" for n in LEVELS]
COLUMNS = [
    "dimension",
    "dimension_title",
    "dimension_description",
    "code",
    "question",
    "guidance",
    "evidence_expected",
    "source_ref",
    "verified",
    "weight",
    *LEVEL_COLUMNS,
]
ABOUT_SHEET = "about"

MISSING = "is required"
DUPLICATE_CODE = "code '{}' already appears on line {}"
DIMENSION_TITLE_MISSING = "dimension '{}' needs a dimension_title on its first line"
NOT_YES_NO = "'{}' is not yes or no"
NOT_A_WEIGHT = "'{}' is not a weight above 0 and at most 10"
EMPTY_DIMENSION = "dimension '{}' has no indicator"
NO_ROWS = "{}: no data rows"
BAD_TEMPLATE_CODE = "the template code '{}' may hold only lowercase letters, digits and '-'"
YES = {"yes", "y", "true", "1", "oui", ""}
NO = {"no", "n", "false", "0", "non"}


@dataclass
class TemplatePreview:
    code: str
    name: str
    description: str
    dimensions: list[dict[str, Any]] = field(default_factory=list)
    template: Template | None = None

    @property
    def indicator_count(self) -> int:
        return sum(len(d["indicators"]) for d in self.dimensions)

    @property
    def total(self) -> int:
        return self.indicator_count


def _about(content: bytes, filename: str) -> dict[str, str]:
    if not filename.lower().endswith(".xlsx"):
        return {}
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:
        return {}
    if ABOUT_SHEET not in book.sheetnames:
        return {}
    about = {}
    for row in book[ABOUT_SHEET].iter_rows(values_only=True):
        if row and row[0]:
            about[str(row[0]).strip().lower()] = (
                "" if len(row) < 2 or row[1] is None else str(row[1]).strip()
            )
    return about


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "template"


def _indicator(row: Row, problems: list[str]) -> dict[str, Any]:
    v = row.values

    def problem(name: str, message: str) -> None:
        problems.append(f"line {row.line}: {name}: {message}")

    for name in ("code", "question", *LEVEL_COLUMNS):
        if not v.get(name):
            problem(name, MISSING)
    verified_text = v.get("verified", "").strip().lower()
    if verified_text not in YES | NO:
        problem("verified", NOT_YES_NO.format(v.get("verified")))
    weight = Decimal(1)
    weight_text = v.get("weight", "").strip().replace(",", ".")
    if weight_text:
        try:
            weight = Decimal(weight_text)
        except InvalidOperation:
            weight = Decimal(-1)
        if not weight.is_finite() or not Decimal(0) < weight <= 10:
            problem("weight", NOT_A_WEIGHT.format(v.get("weight")))
            weight = Decimal(1)
    return {
        "code": v.get("code", "").strip()[:20],
        "question": v.get("question", ""),
        "guidance": v.get("guidance", ""),
        "evidence_expected": v.get("evidence_expected", ""),
        "source_ref": v.get("source_ref", ""),
        "verified": verified_text not in NO,
        "weight": weight.quantize(Decimal("0.01")),
        **{name: v.get(name, "") for name in LEVEL_COLUMNS},
    }


def template_import(
    *, actor: User, content: bytes, filename: str, dry_run: bool
) -> TemplatePreview:
    """Check a template spreadsheet (CSV or XLSX) and, unless ``dry_run``, create it as a new
    draft version of its code. All or nothing."""
    require_role(actor, *services.TEMPLATE_EDITORS)
    try:
        rows = read_table(content, filename, columns=set(COLUMNS), hxl_map={})
    except TabularError as exc:
        raise Rejected(exc.problems) from exc
    if not rows:
        raise Rejected([NO_ROWS.format(filename)])
    about = _about(content, filename)
    stem = Path(filename).stem
    code = about.get("code") or _slug(stem)
    problems: list[str] = []
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,39}", code):
        problems.append(f"{ABOUT_SHEET}: code: {BAD_TEMPLATE_CODE.format(code)}")
    preview = TemplatePreview(
        code=code, name=about.get("name") or stem, description=about.get("description", "")
    )
    dimensions: dict[str, dict[str, Any]] = {}
    seen_codes: dict[str, int] = {}
    for row in rows:
        v = row.values
        dim_code = v.get("dimension", "").strip()[:20]
        if not dim_code:
            problems.append(f"line {row.line}: dimension: {MISSING}")
            continue
        if dim_code not in dimensions:
            if not v.get("dimension_title"):
                problems.append(
                    f"line {row.line}: dimension_title: {DIMENSION_TITLE_MISSING.format(dim_code)}"
                )
            dimensions[dim_code] = {
                "code": dim_code,
                "title": v.get("dimension_title", "")[:200],
                "description": v.get("dimension_description", ""),
                "indicators": [],
                "line": row.line,
            }
        if not v.get("code") and not v.get("question"):
            continue  # the row only declares the dimension
        indicator = _indicator(row, problems)
        if indicator["code"] in seen_codes:
            problems.append(
                f"line {row.line}: code: "
                f"{DUPLICATE_CODE.format(indicator['code'], seen_codes[indicator['code']])}"
            )
        seen_codes.setdefault(indicator["code"], row.line)
        dimensions[dim_code]["indicators"].append(indicator)
    for dim in dimensions.values():
        if not dim["indicators"]:
            problems.append(f"line {dim['line']}: dimension: {EMPTY_DIMENSION.format(dim['code'])}")
    if problems:
        raise Rejected(sorted(problems, key=_line_order))
    preview.dimensions = [
        {k: value for k, value in dim.items() if k != "line"} for dim in dimensions.values()
    ]
    if not dry_run:
        preview.template = services.template_create(
            actor=actor,
            code=preview.code,
            name=preview.name,
            description=preview.description,
            dimensions=preview.dimensions,
        )
    return preview


def _line_order(problem: str) -> tuple[int, str]:
    match = re.match(r"line (\d+):", problem)
    return (int(match.group(1)) if match else 0, problem)


def template_export(template: Template) -> bytes:
    """The template as an XLSX workbook that ``template_import`` reads back."""
    book = Workbook()
    sheet = cast(Worksheet, book.active)  # a new workbook's one sheet
    sheet.title = "indicators"
    sheet.append(COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for dimension in template.dimensions.prefetch_related("indicators").order_by("order"):
        for index, indicator in enumerate(dimension.indicators.order_by("order")):
            streams.xlsx_append(
                sheet,
                [
                    dimension.code,
                    dimension.title if index == 0 else "",
                    dimension.description if index == 0 else "",
                    indicator.code,
                    indicator.question,
                    indicator.guidance,
                    indicator.evidence_expected,
                    indicator.source_ref,
                    "yes" if indicator.verified else "no",
                    float(indicator.weight),
                    *indicator.anchors,
                ],
            )
    for column, width in zip("ABCDEFGHIJ", (10, 30, 30, 10, 60, 40, 40, 50, 9, 8), strict=True):
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    about = book.create_sheet(ABOUT_SHEET)
    for key, value in (
        ("code", template.code),
        ("name", template.name),
        ("description", template.description),
        ("version", template.version),
        ("status", template.status),
    ):
        streams.xlsx_append(about, [key, value])
    about.column_dimensions["B"].width = 80
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
