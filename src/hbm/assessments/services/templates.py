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
from hbm.assessments.models import LEVELS, Dimension, Indicator, Template
from hbm.audit.models import AuditEvent
from hbm.audit.services import audit_record
from hbm.lib.permissions import require_role
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
    for dimension in template.dimensions.prefetch_related("indicators"):
        indicators = list(dimension.indicators.all())
        dimension.pk, dimension.template = None, copy
        dimension._state.adding = True
        dimension.save()
        for indicator in indicators:
            indicator.pk, indicator.dimension = None, dimension
            indicator._state.adding = True
        Indicator.objects.bulk_create(indicators)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        target=copy,
        detail=f"copied from {template.code} v{template.version}",
    )
    return copy


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
