"""The registration XLSForm HBM ships (data/registration.xlsx), written with openpyxl so that
it is reviewed as code. Regenerate the file after a change:

    .venv/bin/hbm collect_template src/hbm/collect/data/registration.xlsx
"""

import io
from collections.abc import Iterable
from typing import Any

from django.utils import translation
from openpyxl import Workbook

from hbm.registry.models import Crossing, Relationship, Sex

FORM_ID = "hbm_registration"
TITLE = "HBM border registration"
VERSION = "2026120601"

MEMBER_QUESTIONS = [
    ["text", "given_name", "Given name", "yes"],
    ["text", "family_name", "Family name", ""],
    ["select_one sex", "sex", "Sex", "yes"],
    ["date", "date_of_birth", "Date of birth (if known)", ""],
    ["integer", "age_estimate", "Estimated age in years (if no date of birth)", ""],
    ["text", "nationality", "Nationality (ISO 3166 alpha-3, e.g. SSD)", ""],
    ["text", "document_number", "Document number", ""],
]

SURVEY = [
    ["type", "name", "label", "required"],
    ["start", "start", "", ""],
    ["end", "end", "", ""],
    ["select_one direction", "direction", "Direction", "yes"],
    [
        "select_one yes_no",
        "consent",
        "Did the group (a parent or guardian for a child) consent to registration?",
        "yes",
    ],
    ["select_one transport", "transport", "Means of transport", ""],
    ["select_one reason", "reason", "Main reason for the journey", ""],
    ["text", "origin_country", "Country of origin (ISO 3166 alpha-3)", ""],
    ["text", "destination", "Intended destination", ""],
    ["begin_group", "head", "Head of the group", ""],
    *MEMBER_QUESTIONS,
    ["text", "phone", "Phone", ""],
    ["end_group", "", "", ""],
    ["begin_repeat", "members", "Other members of the group", ""],
    ["select_one relationship", "relationship", "Relationship to the head", "yes"],
    *MEMBER_QUESTIONS,
    ["end_repeat", "", "", ""],
]


def _choices(list_name: str, choices: Iterable[tuple[str, Any]]) -> list[list[str]]:
    return [[list_name, code, str(label)] for code, label in choices]


def choices_sheet() -> list[list[str]]:
    """The answer lists, from the registry's own choices (labels in English)."""
    with translation.override("en"):
        return [
            ["list_name", "name", "label"],
            *_choices("direction", Crossing.Direction.choices),
            *_choices("yes_no", [("yes", "Yes"), ("no", "No")]),
            *_choices("sex", Sex.choices),
            *_choices("transport", Crossing.Transport.choices),
            *_choices("reason", Crossing.Reason.choices),
            *_choices(
                "relationship",
                [(code, label) for code, label in Relationship.choices if code != "head"],
            ),
        ]


SETTINGS = [["form_title", "form_id", "version"], [TITLE, FORM_ID, VERSION]]


def template_xlsx() -> bytes:
    """The shipped registration XLSForm, as the bytes of an .xlsx file."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "survey"
    for name, rows in (("survey", SURVEY), ("choices", choices_sheet()), ("settings", SETTINGS)):
        target = sheet if name == "survey" else book.create_sheet(name)
        for row in rows:
            target.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
