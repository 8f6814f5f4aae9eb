"""Assessments API: templates, assessments, scores, review, results and the PDF report."""

from datetime import date
from decimal import Decimal
from typing import Annotated, Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import CursorPagination, paginate

from hbm.accounts.requests import AuthenticatedHttpRequest
from hbm.accounts.selectors import active_users_named, agency_by_code
from hbm.lib.api_choices import own_schema
from hbm.lib.permissions import require_role
from hbm.places.selectors import crossing_point_get_for_user

from . import report, selectors, services
from .models import Assessment, Dimension, Indicator, Recommendation, Score, Template
from .services import templates as template_services

router = Router(tags=["assessments"])

TemplateStatus = Annotated[Template.Status, own_schema(Template.Status)]
AssessmentStatus = Annotated[Assessment.Status, own_schema(Assessment.Status)]
RecommendationStatus = Annotated[Recommendation.Status, own_schema(Recommendation.Status)]
UNKNOWN_USERS = "unknown username(s): {}"
UNKNOWN_AGENCY = "unknown agency code '{}'"


TRANSLATIONS = Field(
    description="Every language's texts, the source ('en') included; the plain fields are in "
    "the caller's language, else the source (ADR 0141)"
)


class TemplateOut(Schema):
    id: int
    code: str
    version: int
    name: str
    status: TemplateStatus
    copied_from: int | None = Field(None, alias="copied_from_id")
    translations: dict[str, dict[str, str]] = TRANSLATIONS

    @staticmethod
    def resolve_name(template: Template) -> str:
        return template.display_name

    @staticmethod
    def resolve_translations(template: Template) -> dict[str, dict[str, str]]:
        return template.texts()


class IndicatorOut(Schema):
    code: str
    order: int
    question: str
    guidance: str
    evidence_expected: str
    source_ref: str
    verified: bool
    weight: Decimal
    levels: list[str]
    translations: dict[str, dict[str, str]] = TRANSLATIONS

    @staticmethod
    def resolve_question(indicator: Indicator) -> str:
        return indicator.display_question

    @staticmethod
    def resolve_guidance(indicator: Indicator) -> str:
        return indicator.display_guidance

    @staticmethod
    def resolve_evidence_expected(indicator: Indicator) -> str:
        return indicator.display_evidence_expected

    @staticmethod
    def resolve_levels(indicator: Indicator) -> list[str]:
        return indicator.display_anchors

    @staticmethod
    def resolve_translations(indicator: Indicator) -> dict[str, dict[str, str]]:
        return indicator.texts()


class DimensionOut(Schema):
    code: str
    order: int
    title: str
    description: str
    indicators: list[IndicatorOut]
    translations: dict[str, dict[str, str]] = TRANSLATIONS

    @staticmethod
    def resolve_title(dimension: Dimension) -> str:
        return dimension.display_title

    @staticmethod
    def resolve_description(dimension: Dimension) -> str:
        return dimension.display_description

    @staticmethod
    def resolve_indicators(dimension: Dimension) -> list[Indicator]:
        return list(dimension.indicators.all())

    @staticmethod
    def resolve_translations(dimension: Dimension) -> dict[str, dict[str, str]]:
        return dimension.texts()


class TemplateDetailOut(TemplateOut):
    description: str
    dimensions: list[DimensionOut]

    @staticmethod
    def resolve_description(template: Template) -> str:
        return template.display_description

    @staticmethod
    def resolve_dimensions(template: Template) -> list[object]:
        return list(selectors.template_dimensions(template))


class AssessmentOut(Schema):
    id: UUID = Field(alias="public_id")
    crossing_point: str
    template: int = Field(alias="template_id")
    assessed_on: date
    status: AssessmentStatus
    team: list[str]
    team_notes: str
    summary: str

    @staticmethod
    def resolve_crossing_point(assessment: Assessment) -> str:
        return assessment.crossing_point.code

    @staticmethod
    def resolve_team(assessment: Assessment) -> list[str]:
        return [u.username for u in assessment.team.all()]


class ScoreOut(Schema):
    indicator: str
    level: int | None
    not_applicable: bool
    na_reason: str
    evidence: str
    attachments: int = 0

    @staticmethod
    def resolve_indicator(score: Score | dict[str, object]) -> object:
        return score["indicator"] if isinstance(score, dict) else score.indicator.code

    @staticmethod
    def resolve_attachments(score: Score | dict[str, object]) -> object:
        return score["attachments"] if isinstance(score, dict) else score.attachments.count()


class AssessmentDetailOut(AssessmentOut):
    scores: list[ScoreOut]

    @staticmethod
    def resolve_scores(assessment: Assessment) -> list[dict[str, object]]:
        return [
            {
                "indicator": item.indicator.code,
                "level": item.score.level,
                "not_applicable": item.score.not_applicable,
                "na_reason": item.score.na_reason,
                "evidence": item.score.evidence,
                "attachments": len(item.attachments),
            }
            for section in selectors.assessment_sheet(assessment)
            for item in section.items
            if item.score is not None
        ]


class AssessmentIn(Schema):
    crossing_point: str = Field(description="Crossing point code")
    template: int | None = Field(
        None, description="Published template id; the default template if omitted"
    )
    assessed_on: date
    team: list[str] = Field(default_factory=list, description="Usernames of team members")
    team_notes: str = Field("", max_length=4000)


class ScoreIn(Schema):
    level: int | None = Field(None, ge=0, le=4, description="0–4; omit when not applicable")
    not_applicable: bool = False
    na_reason: str = Field("", max_length=4000)
    evidence: str = Field("", max_length=4000)


class RecommendationIn(Schema):
    text: str = Field(max_length=4000)
    indicator: str = Field("", description="Indicator code, optional")
    agency: str = Field("", description="Agency code, optional")
    due_on: date | None = None


class RecommendationStatusIn(Schema):
    status: RecommendationStatus


class RecommendationOut(Schema):
    id: UUID = Field(alias="public_id")
    text: str
    indicator: str | None
    agency: str | None
    due_on: date | None
    status: RecommendationStatus

    @staticmethod
    def resolve_indicator(rec: Recommendation) -> str | None:
        return rec.indicator.code if rec.indicator else None

    @staticmethod
    def resolve_agency(rec: Recommendation) -> str | None:
        return rec.agency.code if rec.agency else None


class ReviewIn(Schema):
    note: str = Field("", max_length=4000)


class AssessmentFilters(Schema):
    crossing_point: str = ""
    status: AssessmentStatus | None = None


class DimensionResultOut(Schema):
    code: str
    title: str
    percentage: Decimal | None
    applicable: int
    not_applicable: int
    unscored: int


class GapOut(Schema):
    code: str
    dimension: str
    level: int
    weight: Decimal
    priority: Decimal


class ResultsOut(Schema):
    assessment: UUID
    overall: Decimal | None
    formula: str
    dimensions: list[DimensionResultOut]
    gaps: list[GapOut]


@router.get("/templates", response=list[TemplateOut], summary="Assessment templates")
@paginate(CursorPagination, ordering=("id",))
def template_list(request: AuthenticatedHttpRequest) -> QuerySet[Template]:
    return selectors.template_list(user=request.user)


@router.get("/templates/{template_id}", response=TemplateDetailOut)
def template_detail(request: AuthenticatedHttpRequest, template_id: int) -> Template:
    return selectors.template_get_for_user(user=request.user, template_id=template_id)


class TemplateTranslationsIn(Schema):
    translations: dict[str, Any] = Field(
        description="language → {name, description, dimensions: {code: {title, description}}, "
        "indicators: {code: {question, guidance, evidence_expected, levels: [five texts]}}}; a "
        "blank text falls back to the source"
    )


@router.put(
    "/templates/{template_id}/translations",
    response=TemplateDetailOut,
    summary="Set a template's texts in other languages (administrators)",
)
def template_translate(
    request: AuthenticatedHttpRequest, template_id: int, payload: TemplateTranslationsIn
) -> Template:
    template = selectors.template_get_for_user(user=request.user, template_id=template_id)
    template_services.template_translate(
        actor=request.user, template=template, translations=payload.translations
    )
    return selectors.template_get_for_user(user=request.user, template_id=template_id)


@router.get("", response=list[AssessmentOut], summary="Assessments in the caller's area of work")
@paginate(CursorPagination, ordering=("-assessed_on", "-id"))
def assessment_list(
    request: AuthenticatedHttpRequest, filters: Query[AssessmentFilters]
) -> QuerySet[Assessment]:
    return selectors.assessment_list(
        user=request.user, filters=filters.dict(exclude_none=True)
    ).prefetch_related("team")


@router.post("", response={201: AssessmentOut}, summary="Start an assessment of a crossing point")
def assessment_create(
    request: AuthenticatedHttpRequest, payload: AssessmentIn
) -> Status[Assessment]:
    require_role(request.user, *services.WRITERS)
    point = crossing_point_get_for_user(user=request.user, code=payload.crossing_point)
    if payload.template is None:
        template = selectors.default_template()
        if template is None:
            raise Http404(selectors.NO_TEMPLATE)
    else:
        template = selectors.template_get_for_user(user=request.user, template_id=payload.template)
    team = active_users_named(usernames=payload.team)
    missing = sorted(set(payload.team) - {u.username for u in team})
    if missing:
        raise ValidationError({"team": UNKNOWN_USERS.format(", ".join(missing))})
    assessment = services.assessment_create(
        actor=request.user,
        crossing_point=point,
        template=template,
        assessed_on=payload.assessed_on,
        team=team,
        team_notes=payload.team_notes,
    )
    return Status(201, assessment)


def _get(request: AuthenticatedHttpRequest, assessment_id: UUID) -> Assessment:
    return selectors.assessment_get_for_user(user=request.user, public_id=assessment_id)


@router.get("/{assessment_id}", response=AssessmentDetailOut)
def assessment_detail(request: AuthenticatedHttpRequest, assessment_id: UUID) -> Assessment:
    return _get(request, assessment_id)


@router.put(
    "/{assessment_id}/scores/{code}",
    response=ScoreOut,
    summary="Save one indicator's score (level 0–4, or not applicable with a reason)",
)
def score_set(
    request: AuthenticatedHttpRequest, assessment_id: UUID, code: str, payload: ScoreIn
) -> Score:
    assessment = _get(request, assessment_id)
    indicator = selectors.indicator_get(template=assessment.template, code=code)
    return services.score_set(
        actor=request.user,
        assessment=assessment,
        indicator=indicator,
        level=payload.level,
        not_applicable=payload.not_applicable,
        na_reason=payload.na_reason,
        evidence=payload.evidence,
    )


@router.post("/{assessment_id}/submit", response=AssessmentOut)
def assessment_submit(request: AuthenticatedHttpRequest, assessment_id: UUID) -> Assessment:
    return services.assessment_submit(actor=request.user, assessment=_get(request, assessment_id))


@router.post("/{assessment_id}/approve", response=AssessmentOut)
def assessment_approve(
    request: AuthenticatedHttpRequest, assessment_id: UUID, payload: ReviewIn
) -> Assessment:
    return services.assessment_approve(
        actor=request.user, assessment=_get(request, assessment_id), note=payload.note
    )


@router.post("/{assessment_id}/return", response=AssessmentOut)
def assessment_return(
    request: AuthenticatedHttpRequest, assessment_id: UUID, payload: ReviewIn
) -> Assessment:
    return services.assessment_return(
        actor=request.user, assessment=_get(request, assessment_id), note=payload.note
    )


@router.get("/{assessment_id}/results", response=ResultsOut)
def assessment_results(request: AuthenticatedHttpRequest, assessment_id: UUID) -> ResultsOut:
    assessment = _get(request, assessment_id)
    results = selectors.assessment_results(assessment)
    return ResultsOut(
        assessment=assessment.public_id,
        overall=results.overall,
        formula="100 × Σ(weight × level) / Σ(weight × 4) over applicable indicators",
        dimensions=[
            DimensionResultOut(
                code=d.code,
                title=d.title,
                percentage=d.percentage,
                applicable=d.applicable,
                not_applicable=d.not_applicable,
                unscored=d.unscored,
            )
            for d in results.dimensions
        ],
        gaps=[
            GapOut(
                code=g.code,
                dimension=g.dimension_code,
                level=g.level,
                weight=g.weight,
                priority=g.priority,
            )
            for g in results.gaps
        ],
    )


@router.get(
    "/{assessment_id}/report.pdf",
    response={200: None},
    summary="The report as PDF (audited as an export)",
)
def assessment_report_pdf(request: AuthenticatedHttpRequest, assessment_id: UUID) -> HttpResponse:
    assessment = _get(request, assessment_id)
    context = report.report_context(user=request.user, assessment=assessment)
    services.assessment_export_record(actor=request.user, assessment=assessment, file_format="pdf")
    response = HttpResponse(report.report_pdf(context=context), content_type="application/pdf")
    filename = f"assessment-{assessment.crossing_point.code}-{assessment.assessed_on}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@router.get("/{assessment_id}/recommendations", response=list[RecommendationOut])
def recommendation_list(
    request: AuthenticatedHttpRequest, assessment_id: UUID
) -> list[Recommendation]:
    assessment = _get(request, assessment_id)
    return list(selectors.recommendation_list(user=request.user, assessment=assessment))


@router.post(
    "/{assessment_id}/recommendations",
    response={201: RecommendationOut},
    summary="Add a recommendation, tracked as an action",
)
def recommendation_create(
    request: AuthenticatedHttpRequest, assessment_id: UUID, payload: RecommendationIn
) -> Status[Recommendation]:
    assessment = _get(request, assessment_id)
    agency = None
    if payload.agency:
        agency = agency_by_code(code=payload.agency)
        if agency is None:
            raise ValidationError({"agency": UNKNOWN_AGENCY.format(payload.agency)})
    indicator = (
        selectors.indicator_get(template=assessment.template, code=payload.indicator)
        if payload.indicator
        else None
    )
    recommendation = services.recommendation_create(
        actor=request.user,
        assessment=assessment,
        text=payload.text,
        agency=agency,
        due_on=payload.due_on,
        indicator=indicator,
    )
    return Status(201, recommendation)


@router.patch("/recommendations/{recommendation_id}", response=RecommendationOut)
def recommendation_set_status(
    request: AuthenticatedHttpRequest, recommendation_id: UUID, payload: RecommendationStatusIn
) -> Recommendation:
    recommendation = selectors.recommendation_get_for_user(
        user=request.user, public_id=recommendation_id
    )
    return services.recommendation_set_status(
        actor=request.user, recommendation=recommendation, status=payload.status
    )
