"""Why a registered person is proposed for a tracing request, in plain words.

A proposal stores its reasons as data — ``[code, values]`` pairs — and they are worded when
shown, in the viewer's language. Two kinds of evidence are worded here: how the person
compares with the description of the person looked for (the desk's words, from
``registry.explain``), and the family signals the engine's ``relatives()`` found between the
person and the enquirer (its reason strings, translated into codes by ``family_reasons``)."""

import re
from collections.abc import Mapping, Sequence
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hbm.matching import Explanation
from hbm.registry.explain import why_phrase

Reason = list[Any]  # [code, {values}]

RELATION_LABELS = {
    "parent": gettext_lazy("a parent of the enquirer"),
    "child": gettext_lazy("a child of the enquirer"),
    "sibling": gettext_lazy("a brother or sister of the enquirer"),
    "spouse": gettext_lazy("the enquirer's husband or wife"),
}
TEXTS = {
    "family_parent": gettext_lazy("The enquirer's father's name is this person's given name."),
    "family_child": gettext_lazy("This person's father's name is the enquirer's given name."),
    "same_father_name": gettext_lazy("Same father's name as the enquirer."),
    "shared_family_name": gettext_lazy("Same family name as the enquirer."),
    "shared_place": gettext_lazy("Same place of origin as the enquirer."),
    "shared_phone": gettext_lazy("Same phone number as the enquirer."),
    "older": gettext_lazy("%(years)s years older than the enquirer."),
    "younger": gettext_lazy("%(years)s years younger than the enquirer."),
    "years_apart": gettext_lazy("Born %(years)s years apart from the enquirer."),
    "as_stated": gettext_lazy("The relation the enquirer gave."),
}
# The engine's reason strings (hbm.matching.family) and the codes they stand for.
_FAMILY_CODES = {
    "patronymic: query's father_name is candidate's given_name": "family_parent",
    "patronymic: candidate's father_name is query's given_name": "family_child",
    "same father_name": "same_father_name",
    "shared family name": "shared_family_name",
    "shared place of origin": "shared_place",
    "shared phone": "shared_phone",
}
_YEARS = re.compile(r"^(?:candidate (\d+) years (older|younger)|birth years (\d+) apart)$")


def description_reason(explanation: Explanation) -> Reason | None:
    """How the person compares with the description, as the fields compared and their levels
    (None when the description and the person share no field)."""
    fields = [
        {"field": c.field, "level": c.level, "weight": round(c.weight, 2)}
        for c in explanation.contributions
        if c.level != "missing"
    ]
    return ["description", {"fields": fields}] if fields else None


def family_reasons(relation: str, engine_reasons: Sequence[str], *, stated: bool) -> list[Reason]:
    """The engine's family signals as codes: the relation first, then each signal it gave."""
    reasons: list[Reason] = [["relation", {"relation": relation}]]
    if stated:
        reasons.append(["as_stated", {}])
    for text in engine_reasons:
        if text in _FAMILY_CODES:
            reasons.append([_FAMILY_CODES[text], {}])
        elif found := _YEARS.match(text):
            older, way, apart = found.groups()
            code = "years_apart" if apart else way
            reasons.append([code, {"years": int(apart or older)}])
    return reasons


def reason_text(code: str, values: Mapping[str, Any]) -> str:
    """One reason in the viewer's language; an unknown code is shown as it is."""
    if code == "description":
        phrase = why_phrase({"fields": values.get("fields", [])})
        # Translators: how a registered person compares with the description of the person
        # looked for, e.g. "Like the description: Given name and Family name exact".
        return _("Like the description: %(why)s") % {"why": phrase}
    if code == "relation":
        relation = values.get("relation", "")
        label = RELATION_LABELS.get(relation, relation)
        return _("Possibly %(relation)s (family tracing).") % {"relation": label}
    if code in TEXTS:
        return str(TEXTS[code]) % dict(values) if values else str(TEXTS[code])
    return code


def reason_texts(reasons: Sequence[Sequence[Any]]) -> list[str]:
    return [reason_text(code, values) for code, values in reasons]
