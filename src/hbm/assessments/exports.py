"""An assessment's scores, results and recommendations as an XLSX workbook."""

import io
from typing import cast

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from hbm.lib import streams

from . import selectors
from .models import Assessment

SCORE_COLUMNS = [
    "dimension",
    "code",
    "question",
    "weight",
    "level",
    "not_applicable",
    "na_reason",
    "evidence",
    "attachments",
]


def _bold_header(sheet: Worksheet) -> None:
    for cell in sheet[1]:
        cell.font = Font(bold=True)


def assessment_xlsx(assessment: Assessment) -> bytes:
    book = Workbook()
    sheet = cast(Worksheet, book.active)  # a new workbook's one sheet
    sheet.title = "scores"
    sheet.append(SCORE_COLUMNS)
    for section in selectors.assessment_sheet(assessment):
        for item in section.items:
            score = item.score
            streams.xlsx_append(
                sheet,
                [
                    section.dimension.code,
                    item.indicator.code,
                    item.indicator.display_question,
                    float(item.indicator.weight),
                    score.level if score else None,
                    "yes" if score and score.not_applicable else "no",
                    score.na_reason if score else "",
                    score.evidence if score else "",
                    len(item.attachments),
                ],
            )
    _bold_header(sheet)
    for column, width in zip("ABCDEFGHI", (10, 9, 60, 8, 7, 9, 30, 50, 8), strict=True):
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows(min_row=2):
        row[2].alignment = row[7].alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"

    results = selectors.assessment_results(assessment)
    summary = book.create_sheet("results")
    summary.append(["dimension", "title", "percentage", "applicable", "not_applicable"])
    for dim in results.dimensions:
        streams.xlsx_append(
            summary,
            [
                dim.code,
                dim.title,
                float(dim.percentage) if dim.percentage is not None else None,
                dim.applicable,
                dim.not_applicable,
            ],
        )
    summary.append(["overall", "", float(results.overall) if results.overall is not None else None])
    _bold_header(summary)
    summary.column_dimensions["B"].width = 45

    actions = book.create_sheet("recommendations")
    actions.append(["indicator", "recommendation", "agency", "due_on", "status"])
    for rec in assessment.recommendations.select_related("agency", "indicator"):
        streams.xlsx_append(
            actions,
            [
                rec.indicator.code if rec.indicator else "",
                rec.text,
                rec.agency.name if rec.agency else "",
                rec.due_on,
                rec.status,
            ],
        )
    _bold_header(actions)
    actions.column_dimensions["B"].width = 60

    about = book.create_sheet("about")
    for key, value in (
        ("crossing_point", assessment.crossing_point.code),
        ("assessed_on", assessment.assessed_on),
        ("template", f"{assessment.template.code} v{assessment.template.version}"),
        ("status", assessment.status),
        ("id", str(assessment.public_id)),
    ):
        streams.xlsx_append(about, [key, value])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
