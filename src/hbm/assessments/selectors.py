"""Reads of the assessments app, scoped to the viewer.

National roles (assessor, coordinator, administrator) read every assessment, drafts included.
Staff assigned to crossing points read the *approved* assessments of their own points (they
carry out the recommendations). Anyone else — an outsider — sees nothing. Templates are read
by anyone holding a role; draft template versions by administrators only."""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from hbm.accounts.models import User
from hbm.accounts.roles import Role
from hbm.lib.permissions import has_any_role
from hbm.places.models import BorderCrossingPoint
from hbm.places.selectors import scope_points

from . import scoring
from .models import Assessment, Attachment, Dimension, Indicator, Recommendation, Score, Template
from .services import APPROVERS, TEMPLATE_EDITORS, WRITERS
from .services.defaults import DEFAULT_TEMPLATE_CODE

NO_TEMPLATE = "No such template."
NO_ASSESSMENT = "No such assessment in your area of work."
NO_ATTACHMENT = "No such attachment."
NO_RECOMMENDATION = "No such recommendation."


def can_write(user: User) -> bool:
    return has_any_role(user, *WRITERS)


def can_approve(user: User) -> bool:
    return has_any_role(user, *APPROVERS)


def can_read_templates(user: User) -> bool:
    return has_any_role(user, *Role.values)


def can_edit_templates(user: User) -> bool:
    return has_any_role(user, *TEMPLATE_EDITORS)


# --- templates ------------------------------------------------------------------------------


def template_list(*, user: User, published_only: bool = False) -> QuerySet[Template]:
    if not can_read_templates(user):
        return Template.objects.none()
    templates = Template.objects.prefetch_related("translations")
    if published_only or not can_edit_templates(user):
        templates = templates.filter(status=Template.Status.PUBLISHED)
    return templates.order_by("code", "-version")


def template_get_for_user(*, user: User, template_id: int) -> Template:
    try:
        return template_list(user=user).get(pk=template_id)
    except Template.DoesNotExist:
        raise Http404(NO_TEMPLATE) from None


def template_dimensions(template: Template) -> list[Dimension]:
    return list(
        template.dimensions.prefetch_related(
            "translations",
            Prefetch(
                "indicators",
                queryset=Indicator.objects.order_by("order").prefetch_related("translations"),
            ),
        ).order_by("order")
    )


def indicator_get(*, template: Template, code: str) -> Indicator:
    try:
        return Indicator.objects.select_related("dimension__template").get(
            dimension__template=template, code=code
        )
    except Indicator.DoesNotExist:
        raise Http404("No such indicator in this template.") from None


def default_template() -> Template | None:
    return (
        Template.objects.filter(status=Template.Status.PUBLISHED, code=DEFAULT_TEMPLATE_CODE)
        .order_by("-version")
        .first()
    )


# --- assessments ----------------------------------------------------------------------------


def assessment_list(*, user: User, filters: dict[str, Any] | None = None) -> QuerySet[Assessment]:
    filters = filters or {}
    assessments = Assessment.objects.select_related("crossing_point", "template").prefetch_related(
        "template__translations"
    )
    if not getattr(user, "is_authenticated", False):
        return assessments.none()
    if not user.has_national_scope:
        assessments = assessments.filter(
            crossing_point__in=scope_points(user=user), status=Assessment.Status.APPROVED
        )
    if filters.get("crossing_point"):
        assessments = assessments.filter(crossing_point__code=filters["crossing_point"])
    if filters.get("status"):
        assessments = assessments.filter(status=filters["status"])
    return assessments.order_by("-assessed_on", "-id")


def assessment_get_for_user(*, user: User, public_id: UUID | str) -> Assessment:
    try:
        return assessment_list(user=user).get(public_id=public_id)
    except (Assessment.DoesNotExist, ValueError):
        raise Http404(NO_ASSESSMENT) from None


def assessable_points(*, user: User) -> QuerySet[BorderCrossingPoint]:
    if not can_write(user):
        return BorderCrossingPoint.objects.none()
    return BorderCrossingPoint.objects.order_by("name")


@dataclass
class SheetIndicator:
    indicator: Indicator
    score: Score | None
    attachments: list[Attachment] = field(default_factory=list)


@dataclass
class SheetDimension:
    dimension: Dimension
    items: list[SheetIndicator]

    @property
    def done(self) -> int:
        return sum(
            1
            for item in self.items
            if item.score and (item.score.level is not None or item.score.not_applicable)
        )


def assessment_sheet(assessment: Assessment) -> list[SheetDimension]:
    """The template's dimensions and indicators with this assessment's scores, in order."""
    scores = {
        s.indicator_id: s
        for s in Score.objects.filter(assessment=assessment).prefetch_related("attachments")
    }
    return [
        SheetDimension(
            dimension,
            [
                SheetIndicator(
                    indicator,
                    scores.get(indicator.pk),
                    list(scores[indicator.pk].attachments.all()) if indicator.pk in scores else [],
                )
                for indicator in dimension.indicators.all()
            ],
        )
        for dimension in template_dimensions(assessment.template)
    ]


def assessment_results(assessment: Assessment) -> scoring.Results:
    dimensions = template_dimensions(assessment.template)
    scores = {
        s.indicator_id: s
        for s in Score.objects.filter(assessment=assessment).only(
            "indicator_id", "level", "not_applicable"
        )
    }
    return scoring.compute(
        [(d.code, d.display_title) for d in dimensions],
        [
            scoring.IndicatorScore(
                code=i.code,
                question=i.display_question,
                dimension_code=d.code,
                weight=i.weight,
                level=scores[i.pk].level if i.pk in scores else None,
                not_applicable=scores[i.pk].not_applicable if i.pk in scores else False,
            )
            for d in dimensions
            for i in d.indicators.all()
        ],
    )


def assessment_previous(*, user: User, assessment: Assessment) -> Assessment | None:
    """The latest earlier approved assessment of the same point with the same template family."""
    return (
        assessment_list(user=user)
        .filter(
            crossing_point=assessment.crossing_point_id,
            template__code=assessment.template.code,
            status=Assessment.Status.APPROVED,
            assessed_on__lt=assessment.assessed_on,
        )
        .exclude(pk=assessment.pk)
        .first()
    )


def assessments_of_point(*, user: User, assessment: Assessment) -> QuerySet[Assessment]:
    return (
        assessment_list(user=user)
        .filter(
            crossing_point=assessment.crossing_point_id, template__code=assessment.template.code
        )
        .exclude(pk=assessment.pk)
    )


@dataclass
class ComparisonRow:
    assessment: Assessment
    results: scoring.Results
    previous: Assessment | None = None
    previous_results: scoring.Results | None = None

    @property
    def change(self) -> Decimal | None:
        if self.previous_results is None:
            return None
        before, after = self.previous_results.overall, self.results.overall
        return None if before is None or after is None else after - before


def comparison(*, user: User) -> tuple[list[tuple[str, str]], list[ComparisonRow]]:
    """The latest approved assessment per crossing point (default template family first),
    with the dimension columns of the newest template version among them."""
    latest: dict[int, list[Assessment]] = {}
    approved = assessment_list(user=user, filters={"status": Assessment.Status.APPROVED})
    for assessment in approved.order_by("crossing_point__name", "-assessed_on", "-id"):
        same = latest.setdefault(assessment.crossing_point_id, [])
        if len(same) < 2 and (not same or same[0].template.code == assessment.template.code):
            same.append(assessment)
    rows = [
        ComparisonRow(
            pair[0],
            assessment_results(pair[0]),
            pair[1] if len(pair) > 1 else None,
            assessment_results(pair[1]) if len(pair) > 1 else None,
        )
        for pair in latest.values()
    ]
    columns: dict[str, str] = {}
    for row in rows:
        for dim in row.results.dimensions:
            columns.setdefault(dim.code, dim.title)
    return list(columns.items()), rows


def recommendation_list(*, user: User, assessment: Assessment) -> QuerySet[Recommendation]:
    return assessment.recommendations.select_related("agency", "indicator").order_by("due_on", "id")


def recommendation_get_for_user(*, user: User, public_id: UUID | str) -> Recommendation:
    visible = assessment_list(user=user)
    try:
        return Recommendation.objects.select_related("assessment").get(
            public_id=public_id, assessment__in=visible
        )
    except (Recommendation.DoesNotExist, ValueError):
        raise Http404(NO_RECOMMENDATION) from None


def action_list(*, user: User, filters: dict[str, Any] | None = None) -> QuerySet[Recommendation]:
    filters = filters or {}
    actions = Recommendation.objects.select_related(
        "assessment__crossing_point", "agency", "indicator"
    ).filter(assessment__in=assessment_list(user=user))
    if filters.get("status"):
        actions = actions.filter(status=filters["status"])
    if filters.get("open"):
        actions = actions.filter(~Q(status=Recommendation.Status.DONE))
    return actions.order_by("due_on", "id")


def attachment_get_for_user(*, user: User, public_id: UUID | str) -> Attachment:
    visible = assessment_list(user=user)
    try:
        return Attachment.objects.select_related("score__assessment").get(
            public_id=public_id, score__assessment__in=visible
        )
    except (Attachment.DoesNotExist, ValueError):
        raise Http404(NO_ATTACHMENT) from None
