"""Writes on assessment templates: copy a version to a new draft, edit a draft's dimensions
and indicators, publish, and create a draft from checked spreadsheet rows. A published
version never changes."""

from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hbm.accounts.models import User
from hbm.assessments.models import INDICATOR_TEXTS, LEVELS, Dimension, Indicator, Template
from hbm.audit.models import AuditEvent
from hbm.audit.services import audit_record
from hbm.lib.permissions import require_role
from hbm.lib.translations import clean_translations, language_problem, translations_save
from hbm.lib.types import StrOrPromise

TEMPLATE_EDITORS = ("administrator",)

TEMPLATE_PUBLISHED = _(
    "This template version is published and cannot be changed; copy it to a new draft version."
)
TEMPLATE_ALREADY_PUBLISHED = _("This template version is already published.")
EMPTY_DIMENSION = _("dimension '{}' has no indicator")
NO_DIMENSION = _("the template has no dimension")
WEIGHT_RANGE = _("The weight must be a number above 0 and at most 10.")
LEVELS_REQUIRED = _("Describe each of the five levels, 0 to 4.")
TEXT_REQUIRED = _("This field is required.")


def _require_draft_template(template: Template) -> None:
    if template.is_published:
        raise ValidationError({"template": TEMPLATE_PUBLISHED})


def next_template_version(code: str) -> int:
    return (Template.objects.filter(code=code).aggregate(v=Max("version"))["v"] or 0) + 1


@transaction.atomic
def template_copy(*, actor: User, template: Template, name: str = "") -> Template:
    """A new draft version of the template's family, with every dimension and indicator."""
    require_role(actor, *TEMPLATE_EDITORS)
    copy = Template.objects.create(
        code=template.code,
        version=next_template_version(template.code),
        name=name or template.name,
        description=template.description,
        copied_from=template,
    )
    _copy_translations(template, copy)
    for dimension in template.dimensions.prefetch_related(
        "translations", "indicators__translations"
    ):
        indicators = list(dimension.indicators.all())
        source_dimension = Dimension(pk=dimension.pk)
        dimension.pk, dimension.template = None, copy
        dimension._state.adding = True
        dimension.save()
        _copy_translations(source_dimension, dimension)
        for indicator in indicators:
            source_indicator = Indicator(pk=indicator.pk)
            indicator.pk, indicator.dimension = None, dimension
            indicator._state.adding = True
            indicator.save()
            _copy_translations(source_indicator, indicator)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        target=copy,
        detail=f"copied from {template.code} v{template.version}",
    )
    return copy


def _copy_translations(source: Template | Dimension | Indicator, copy: Any) -> None:
    """The copy gets the source row's translations (a copied template keeps its languages)."""
    model = copy.translations.model
    key = copy.translations.field.name
    rows = list(model.objects.filter(**{key: source.pk}))
    for row in rows:
        row.pk = None
        setattr(row, key, copy)
        row._state.adding = True
    model.objects.bulk_create(rows)


def _clean_weight(value: Any) -> Decimal:
    try:
        weight = Decimal(str(value).replace(",", "."))
    except (InvalidOperation, ValueError):
        raise ValidationError({"weight": WEIGHT_RANGE}) from None
    if not weight.is_finite() or not Decimal(0) < weight <= Decimal(10):
        raise ValidationError({"weight": WEIGHT_RANGE})
    return weight.quantize(Decimal("0.01"))


@transaction.atomic
def template_indicator_update(
    *,
    actor: User,
    indicator: Indicator,
    question: str,
    guidance: str = "",
    evidence_expected: str = "",
    source_ref: str = "",
    verified: bool = True,
    weight: Any = "1",
    levels: Sequence[str] = (),
) -> Indicator:
    require_role(actor, *TEMPLATE_EDITORS)
    indicator = Indicator.objects.select_related("dimension__template").get(pk=indicator.pk)
    _require_draft_template(indicator.dimension.template)
    errors: dict[str, StrOrPromise] = {}
    if not question.strip():
        errors["question"] = TEXT_REQUIRED
    try:
        indicator.weight = _clean_weight(weight)
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
    if len(levels) != len(LEVELS) or not all(text.strip() for text in levels):
        errors["levels"] = LEVELS_REQUIRED
    if errors:
        raise ValidationError(errors)
    indicator.question, indicator.guidance = question.strip(), guidance.strip()
    indicator.evidence_expected, indicator.source_ref = evidence_expected.strip(), source_ref
    indicator.verified = verified
    for level, text in zip(LEVELS, levels, strict=True):
        setattr(indicator, f"level_{level}", text.strip())
    indicator.full_clean()
    indicator.save()
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, target=indicator)
    return indicator


@transaction.atomic
def template_dimension_update(
    *, actor: User, dimension: Dimension, title: str, description: str = ""
) -> Dimension:
    require_role(actor, *TEMPLATE_EDITORS)
    _require_draft_template(dimension.template)
    if not title.strip():
        raise ValidationError({"title": TEXT_REQUIRED})
    dimension.title, dimension.description = title.strip(), description.strip()
    dimension.save(update_fields=["title", "description"])
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, target=dimension)
    return dimension


def template_problems(template: Template) -> list[str]:
    dimensions = list(template.dimensions.prefetch_related("indicators"))
    if not dimensions:
        return [str(NO_DIMENSION)]
    return [EMPTY_DIMENSION.format(d.code) for d in dimensions if not d.indicators.all()]


@transaction.atomic
def template_publish(*, actor: User, template: Template) -> Template:
    require_role(actor, *TEMPLATE_EDITORS)
    template = Template.objects.select_for_update().get(pk=template.pk)
    if template.is_published:
        raise ValidationError({"template": TEMPLATE_ALREADY_PUBLISHED})
    problems = template_problems(template)
    if problems:
        raise ValidationError({"template": problems})
    template.status, template.published_at = Template.Status.PUBLISHED, timezone.now()
    template.save(update_fields=["status", "published_at"])
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, target=template, fields=["status"])
    return template


@transaction.atomic
def template_create(
    *, actor: User, code: str, name: str, description: str, dimensions: list[dict[str, Any]]
) -> Template:
    """A new draft template version from checked rows (see ``template_io``)."""
    require_role(actor, *TEMPLATE_EDITORS)
    template = Template.objects.create(
        code=code, version=next_template_version(code), name=name, description=description
    )
    for d_order, dim in enumerate(dimensions, start=1):
        dimension = Dimension.objects.create(
            template=template,
            order=d_order,
            code=dim["code"],
            title=dim["title"],
            description=dim.get("description", ""),
        )
        Indicator.objects.bulk_create(
            [
                Indicator(dimension=dimension, order=i_order, **ind)
                for i_order, ind in enumerate(dim["indicators"], start=1)
            ]
        )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.IMPORT,
        target=template,
        detail=f"{len(dimensions)} dimensions",
    )
    return template


NOT_A_MAPPING = _("Give an object of language code → texts.")
NOT_BY_CODE = _("Give an object of code → texts.")
NO_SUCH_CODE = {
    "dimension": _("No dimension with this code in the template."),
    "indicator": _("No indicator with this code in the template."),
}
LEVELS_LIST = _("Give the five levels' texts, 0 to 4, as a list (blank for the source text).")
TEMPLATE_TEXTS = ("name", "description")
DIMENSION_TEXTS = ("title", "description")


def _indicator_texts(texts: Any) -> Any:
    """An indicator's translated texts with ``levels`` [five texts] as level_0 … level_4."""
    if not isinstance(texts, dict) or "levels" not in texts:
        return texts
    levels = texts["levels"]
    if not isinstance(levels, list) or len(levels) != len(LEVELS):
        raise ValidationError(LEVELS_LIST)
    rest = {k: v for k, v in texts.items() if k != "levels"}
    return {**rest, **{f"level_{n}": text for n, text in zip(LEVELS, levels, strict=True)}}


def _check_rows(
    language: str,
    raw: Any,
    rows: dict[str, Any],
    kind: str,
    where: str,
    found: dict[tuple[str, str], dict[str, dict[str, str]]],
) -> dict[str, list[str]]:
    """Checks one language's texts of the dimensions (or indicators) named by code."""
    problems: dict[str, list[str]] = {}
    if not isinstance(raw, dict):
        return {where: [str(NOT_BY_CODE)]}
    fields, multiline = (
        (DIMENSION_TEXTS, ("description",))
        if kind == "dimension"
        else (INDICATOR_TEXTS, INDICATOR_TEXTS)
    )
    for code, texts in raw.items():
        path = f"{where}.{code}"
        if code not in rows:
            problems[path] = [str(NO_SUCH_CODE[kind])]
            continue
        try:
            texts = _indicator_texts(texts) if kind == "indicator" else texts
        except ValidationError as error:
            problems[f"{path}.levels"] = error.messages
            continue
        cleaned, found_problems = clean_translations(
            {language: texts}, fields=fields, multiline=multiline, path=""
        )
        problems.update({f"{path}{k[len(language) :]}": v for k, v in found_problems.items()})
        found.setdefault((kind, code), {}).update(cleaned)
    return problems


@transaction.atomic
def template_translate(*, actor: User, template: Template, translations: Any) -> int:
    """Set a template's texts in other languages: ``{language: {name, description,
    dimensions: {code: {title, description}}, indicators: {code: {question, guidance,
    evidence_expected, levels: [five texts]}}}}``. Allowed on a published version too: the
    translation of a text is not a change of the template (docs/decisions/0141). The texts
    given replace those of the same row and language (blank: the source text shows); all or
    nothing. Returns the number of rows written or removed."""
    require_role(actor, *TEMPLATE_EDITORS)
    if not isinstance(translations, dict):
        raise ValidationError({"translations": NOT_A_MAPPING})
    dimensions = {d.code: d for d in template.dimensions.all()}
    indicators = {i.code: i for i in Indicator.objects.filter(dimension__template=template)}
    own: dict[str, Any] = {}
    found: dict[tuple[str, str], dict[str, dict[str, str]]] = {}
    problems: dict[str, list[str]] = {}
    for language, texts in translations.items():
        if not isinstance(texts, dict):
            own[language] = texts  # clean_translations reports it
            continue
        own[language] = {k: v for k, v in texts.items() if k not in ("dimensions", "indicators")}
        if language_problem(str(language)):
            continue
        where = f"translations.{language}"
        for kind, key, rows in (
            ("dimension", "dimensions", dimensions),
            ("indicator", "indicators", indicators),
        ):
            if key in texts:
                problems.update(
                    _check_rows(language, texts[key], rows, kind, f"{where}.{key}", found)
                )
    cleaned, own_problems = clean_translations(
        own, fields=TEMPLATE_TEXTS, multiline=("description",), path="translations"
    )
    problems.update(own_problems)
    if problems:
        raise ValidationError(problems)
    changed = translations_save(template, cleaned)
    for (kind, code), texts in found.items():
        changed += translations_save(
            dimensions[code] if kind == "dimension" else indicators[code], texts
        )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        target=template,
        fields=["translations"],
        detail=f"{changed} translated rows: {', '.join(sorted(map(str, translations)))}",
    )
    return changed
