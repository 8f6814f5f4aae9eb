"""The engine's explanation of a score, in the desk's words.

A stored explanation (``services.explanation_json``) lists each field's agreement level and
its weight in bits. The registration desk shows it as waterfall rows; the desk, the duplicate
queue and the security hit list show it as one line, "why": the fields that agree most
strongly and the strongest evidence against. The same labels serve all three, so the words
are the same everywhere."""

from collections.abc import Mapping
from typing import Any

from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

FIELD_LABELS = {
    "given_name": gettext_lazy("Given name"),
    "family_name": gettext_lazy("Family name"),
    "father_name": gettext_lazy("Father's name"),
    "date_of_birth": gettext_lazy("Date of birth"),
    "sex": gettext_lazy("Sex"),
    "nationality": gettext_lazy("Nationality"),
    "document_number": gettext_lazy("Document number"),
    "phone": gettext_lazy("Phone"),
    "place_of_origin": gettext_lazy("Place of origin"),
}
LEVEL_LABELS = {
    "exact": gettext_lazy("exact"),
    "variant": gettext_lazy("spelling variant"),
    "similar": gettext_lazy("similar"),
    "phonetic": gettext_lazy("sounds alike"),
    "fuzzy": gettext_lazy("close"),
    "partial": gettext_lazy("partly"),
    "different": gettext_lazy("different"),
    "missing": gettext_lazy("not given"),
    "agree": gettext_lazy("same"),
    "disagree": gettext_lazy("different"),
    "day_month_swap": gettext_lazy("day and month swapped"),
    "one_digit": gettext_lazy("one digit apart"),
    "same_month": gettext_lazy("same month"),
    "same_year": gettext_lazy("same year"),
    "overlap": gettext_lazy("ranges overlap"),
    "within_1y": gettext_lazy("within a year"),
    "within_5y": gettext_lazy("within five years"),
    "different_full": gettext_lazy("different"),
    "disjoint": gettext_lazy("far apart"),
    "one_edit": gettext_lazy("one character apart"),
    "different_same_type": gettext_lazy("different"),
    "very_similar": gettext_lazy("very similar"),
    "somewhat_similar": gettext_lazy("somewhat similar"),
}
#: How many agreeing fields and how many against the line names, strongest first.
AGREEING_SHOWN = 3
AGAINST_SHOWN = 1


def field_label(field: str) -> str:
    return str(FIELD_LABELS.get(field, field))


def level_label(level: str) -> str:
    return str(LEVEL_LABELS.get(level, level))


def signed(weight: float) -> str:
    return f"{weight:+.1f}"


def _compared(explanation: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The fields both records gave (a missing field is no evidence either way)."""
    return [row for row in explanation.get("fields", []) if row.get("level") != "missing"]


def waterfall_rows(explanation: Mapping[str, Any]) -> list[dict[str, str]]:
    """Each compared field as a row: its label, its level's label, its signed weight."""
    return [
        {
            "field": field_label(row["field"]),
            "level": level_label(row["level"]),
            "weight": signed(row["weight"]),
        }
        for row in _compared(explanation)
    ]


def _strongest(rows: list[Mapping[str, Any]], shown: int) -> list[list[Mapping[str, Any]]]:
    """The ``shown`` rows of greatest weight, grouped by their level's words: a group stands
    where its strongest row does, its rows in the engine's field order."""
    strongest = sorted(rows, key=lambda row: -abs(row["weight"]))[:shown]
    groups: dict[str, list[Mapping[str, Any]]] = {}
    for row in strongest:
        groups.setdefault(level_label(row["level"]), []).append(row)
    return [sorted(group, key=rows.index) for group in groups.values()]


def _named(groups: list[list[Mapping[str, Any]]]) -> str:
    return ", ".join(
        # Translators: fields that compare alike, then how: "Given name and Family name exact".
        _("%(fields)s %(level)s")
        % {
            "fields": get_text_list([field_label(row["field"]) for row in group], _("and")),
            "level": level_label(group[0]["level"]),
        }
        for group in groups
    )


def why_phrase(explanation: Mapping[str, Any]) -> str:
    """One line saying why the engine thinks two records are one person: the fields that
    agree most strongly, then the strongest evidence against ("Given name and Family name
    exact, Date of birth same year; but Father's name different"). Fields either record
    lacks are left out, as they weigh nothing. Empty when nothing was compared."""
    compared = _compared(explanation)
    agree = _named(_strongest([r for r in compared if r["weight"] > 0], AGREEING_SHOWN))
    against = _named(_strongest([r for r in compared if r["weight"] < 0], AGAINST_SHOWN))
    if agree and against:
        # Translators: why two records may be one person: what agrees; what speaks against.
        return _("%(agree)s; but %(against)s") % {"agree": agree, "against": against}
    if against:
        return _("No field agrees; %(against)s") % {"against": against}
    return agree


def explained(explanation: Mapping[str, Any]) -> dict[str, Any]:
    """An explanation as the desk shows it: the one line, and behind "details" the starting
    point, each compared field and the total, signed."""
    return {
        "why": why_phrase(explanation),
        "prior": signed(explanation.get("prior_weight", 0.0)),
        "total": signed(explanation.get("weight", 0.0)),
        "rows": waterfall_rows(explanation),
    }
