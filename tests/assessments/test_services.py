import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from hbm.assessments import selectors, services
from hbm.assessments.models import Assessment, Attachment, Score, Template
from hbm.audit.models import AuditEvent
from tests.assessments.conftest import TODAY, approved, indicators, score_all

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def messages_of(exc_info):
    return exc_info.value.message_dict


def first(template, code):
    return next(i for i in indicators(template) if i.code == code)


def test_the_default_template_is_published_with_sources_and_unverified_marks(default_template):
    assert default_template.is_published and default_template.code == "hbm-default"
    items = indicators(default_template)
    assert len(items) == 32 and len(selectors.template_dimensions(default_template)) == 8
    assert all(i.source_ref and len(i.anchors) == 5 and all(i.anchors) for i in items)
    health = [i for i in items if i.code.startswith("HLT-") and i.code != "HLT-13"]
    assert health and not any(i.verified for i in health)
    assert all("[not verified" in i.source_ref for i in health)
    assert first(default_template, "PREP-1").verified


def test_a_score_is_saved_on_each_change_and_audited(assessor_claire, assessment):
    indicator = first(assessment.template, "CTX-1")
    services.score_set(
        actor=assessor_claire, assessment=assessment, indicator=indicator, evidence="notes only"
    )
    score = services.score_set(
        actor=assessor_claire,
        assessment=assessment,
        indicator=indicator,
        level="3",
        evidence="Risk analysis 2025 seen",
    )
    assert (score.level, score.evidence) == (3, "Risk analysis 2025 seen")
    assert Score.objects.filter(assessment=assessment).count() == 1
    assert AuditEvent.objects.filter(object_type="assessments.score").count() == 2


@pytest.mark.parametrize("level", [5, -1, "x", "4.5"])
def test_a_level_out_of_range_is_refused_on_the_level_field(assessor_claire, assessment, level):
    with pytest.raises(ValidationError) as exc:
        services.score_set(
            actor=assessor_claire,
            assessment=assessment,
            indicator=first(assessment.template, "CTX-1"),
            level=level,
        )
    assert messages_of(exc) == {"level": [services.LEVEL_RANGE]}
    assert not Score.objects.exists()


def test_not_applicable_needs_a_reason_and_no_level(assessor_claire, assessment):
    indicator = first(assessment.template, "HLT-10")
    with pytest.raises(ValidationError) as exc:
        services.score_set(
            actor=assessor_claire, assessment=assessment, indicator=indicator, not_applicable=True
        )
    assert messages_of(exc) == {"na_reason": [services.NA_REASON_REQUIRED]}
    with pytest.raises(ValidationError) as exc:
        services.score_set(
            actor=assessor_claire,
            assessment=assessment,
            indicator=indicator,
            level=2,
            not_applicable=True,
            na_reason="no cargo",
        )
    assert messages_of(exc) == {"level": [services.NA_WITH_LEVEL]}
    score = services.score_set(
        actor=assessor_claire,
        assessment=assessment,
        indicator=indicator,
        not_applicable=True,
        na_reason="No cargo crosses here.",
    )
    assert score.not_applicable and score.level is None


def test_weights_and_not_applicable_in_the_stored_results(
    assessor_claire, coordinator_patrick, assessment
):
    score_all(assessor_claire, assessment, level=2, PREP_1=4, PREP_2=0, PREP_3="na")
    results = selectors.assessment_results(assessment)
    prep = results.by_code()["PREP"]
    # PREP-1 weight 2 at 4, PREP-2 weight 2 at 0, PREP-3 N/A: 8 / 16
    assert prep.percentage == Decimal("50.0") and prep.not_applicable == 1
    assert results.by_code()["CTX"].percentage == Decimal("50.0")
    assert results.gaps[0].code == "PREP-2"


def test_an_assessment_needs_a_published_template_and_a_past_date(
    assessor_claire, admin_samuel, default_template, point_a
):
    draft = services.template_copy(actor=admin_samuel, template=default_template)
    with pytest.raises(ValidationError) as exc:
        services.assessment_create(
            actor=assessor_claire, crossing_point=point_a, template=draft, assessed_on=TODAY
        )
    assert messages_of(exc) == {"template": [services.TEMPLATE_NOT_PUBLISHED]}
    with pytest.raises(ValidationError) as exc:
        services.assessment_create(
            actor=assessor_claire,
            crossing_point=point_a,
            template=default_template,
            assessed_on=timezone.localdate() + datetime.timedelta(days=3),
        )
    assert messages_of(exc) == {"assessed_on": [services.FUTURE_DATE]}


def test_only_assessors_coordinators_and_administrators_create(
    officer_amina, outsider_chen, default_template, point_a
):
    for user in (officer_amina, outsider_chen):
        with pytest.raises(PermissionDenied):
            services.assessment_create(
                actor=user, crossing_point=point_a, template=default_template, assessed_on=TODAY
            )


def test_submit_needs_every_indicator_scored(assessor_claire, assessment):
    score_all(assessor_claire, assessment)
    Score.objects.filter(indicator__code__in=["HLT-12", "ADM-2"]).update(level=None)
    with pytest.raises(ValidationError) as exc:
        services.assessment_submit(actor=assessor_claire, assessment=assessment)
    assert messages_of(exc) == {"scores": [services.UNSCORED.format(n=2, codes="ADM-2, HLT-12")]}


def test_the_approval_flow_and_an_approved_assessment_is_locked(
    assessor_claire, coordinator_patrick, assessment
):
    score_all(assessor_claire, assessment)
    services.assessment_submit(actor=assessor_claire, assessment=assessment)
    indicator = first(assessment.template, "CTX-1")
    with pytest.raises(ValidationError) as exc:
        services.score_set(
            actor=assessor_claire, assessment=assessment, indicator=indicator, level=4
        )
    assert messages_of(exc) == {"status": [services.ASSESSMENT_SUBMITTED]}
    with pytest.raises(PermissionDenied):
        services.assessment_approve(actor=assessor_claire, assessment=assessment)
    services.assessment_approve(actor=coordinator_patrick, assessment=assessment, note="Good")
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.APPROVED
    assert assessment.approved_by == coordinator_patrick
    for attempt in (
        lambda: services.score_set(
            actor=coordinator_patrick, assessment=assessment, indicator=indicator, level=4
        ),
        lambda: services.assessment_update(
            actor=assessor_claire,
            assessment=assessment,
            assessed_on=TODAY,
            team=[],
            team_notes="",
            summary="changed",
        ),
        lambda: services.attachment_add(
            actor=assessor_claire,
            assessment=assessment,
            indicator=indicator,
            name="a.pdf",
            content=PDF,
        ),
        lambda: services.assessment_approve(actor=coordinator_patrick, assessment=assessment),
    ):
        with pytest.raises(ValidationError) as exc:
            attempt()
        assert messages_of(exc) == {"status": [services.ASSESSMENT_APPROVED]}
    assert Score.objects.get(assessment=assessment, indicator=indicator).level == 2


def test_a_reviewer_returns_a_submitted_assessment_with_a_note(
    assessor_claire, coordinator_patrick, assessment
):
    score_all(assessor_claire, assessment)
    services.assessment_submit(actor=assessor_claire, assessment=assessment)
    with pytest.raises(ValidationError):
        services.assessment_return(actor=coordinator_patrick, assessment=assessment, note=" ")
    services.assessment_return(
        actor=coordinator_patrick, assessment=assessment, note="Check HLT evidence"
    )
    assessment.refresh_from_db()
    assert assessment.status == "draft" and assessment.review_note == "Check HLT evidence"
    services.score_set(
        actor=assessor_claire,
        assessment=assessment,
        indicator=first(assessment.template, "HLT-1"),
        level=3,
    )


def test_a_published_template_is_immutable_and_copies_to_a_new_draft(
    admin_samuel, default_template
):
    indicator = first(default_template, "CTX-1")
    with pytest.raises(ValidationError) as exc:
        services.template_indicator_update(
            actor=admin_samuel, indicator=indicator, question="Changed?", levels=["x"] * 5
        )
    assert messages_of(exc) == {"template": [services.TEMPLATE_PUBLISHED]}
    copy = services.template_copy(actor=admin_samuel, template=default_template, name="HBM v2")
    assert (copy.code, copy.version, copy.status, copy.copied_from) == (
        "hbm-default",
        2,
        "draft",
        default_template,
    )
    assert len(indicators(copy)) == 32
    edited = services.template_indicator_update(
        actor=admin_samuel,
        indicator=first(copy, "CTX-1"),
        question="Crisis types are documented and reviewed every year.",
        weight="2.5",
        levels=["none", "ad hoc", "written", "applied", "tested"],
    )
    assert edited.weight == Decimal("2.50") and edited.level_4 == "tested"
    assert first(default_template, "CTX-1").question == indicator.question
    services.template_publish(actor=admin_samuel, template=copy)
    copy.refresh_from_db()
    assert copy.is_published
    with pytest.raises(ValidationError):
        services.template_dimension_update(
            actor=admin_samuel, dimension=copy.dimensions.first(), title="New"
        )


def test_editing_a_draft_indicator_checks_weight_and_levels(admin_samuel, default_template):
    copy = services.template_copy(actor=admin_samuel, template=default_template)
    with pytest.raises(ValidationError) as exc:
        services.template_indicator_update(
            actor=admin_samuel,
            indicator=first(copy, "CTX-1"),
            question="",
            weight="11",
            levels=["a", "b", "", "d", "e"],
        )
    assert messages_of(exc) == {
        "question": [services.TEXT_REQUIRED],
        "weight": [services.WEIGHT_RANGE],
        "levels": [services.LEVELS_REQUIRED],
    }


def test_a_template_with_an_empty_dimension_cannot_be_published(admin_samuel, default_template):
    copy = services.template_copy(actor=admin_samuel, template=default_template)
    dimension = copy.dimensions.get(code="CTX")
    dimension.indicators.all().delete()
    with pytest.raises(ValidationError) as exc:
        services.template_publish(actor=admin_samuel, template=copy)
    assert messages_of(exc) == {"template": [services.EMPTY_DIMENSION.format("CTX")]}


def test_only_administrators_edit_templates(coordinator_patrick, default_template):
    with pytest.raises(PermissionDenied):
        services.template_copy(actor=coordinator_patrick, template=default_template)


def test_attachments_are_checked_by_their_bytes_and_stored_privately(
    assessor_claire, assessment, settings, tmp_path
):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        },
    }
    indicator = first(assessment.template, "INF-1")
    for name, content, message in (
        ("notes.pdf", b"MZ\x90\x00 not a pdf", services.ATTACHMENT_TYPE),
        ("report.exe", b"MZ\x90\x00", services.ATTACHMENT_TYPE),
        ("sheet.xlsx", b"plain text", services.ATTACHMENT_TYPE),
        ("empty.pdf", b"", services.ATTACHMENT_EMPTY),
        ("big.pdf", PDF + b"0" * services.MAX_ATTACHMENT_BYTES, services.ATTACHMENT_TOO_BIG),
    ):
        with pytest.raises(ValidationError) as exc:
            services.attachment_add(
                actor=assessor_claire,
                assessment=assessment,
                indicator=indicator,
                name=name,
                content=content,
            )
        assert messages_of(exc) == {"file": [message]}
    attachment = services.attachment_add(
        actor=assessor_claire,
        assessment=assessment,
        indicator=indicator,
        name="inventory.pdf",
        content=PDF,
    )
    assert attachment.content_type == "application/pdf" and attachment.size == len(PDF)
    assert attachment.file.name.startswith("assessments/")
    assert (tmp_path / attachment.file.name).read_bytes() == PDF
    assert Attachment.objects.count() == 1


def test_recommendations_are_actions_with_agency_due_date_and_status(
    assessor_claire, coordinator_patrick, assessment, immigration
):
    approved(assessor_claire, coordinator_patrick, assessment)
    recommendation = services.recommendation_create(
        actor=assessor_claire,
        assessment=assessment,
        text="Write SOPs for a mass arrival",
        agency=immigration,
        due_on=TODAY + datetime.timedelta(days=90),
        indicator=first(assessment.template, "PREP-2"),
    )
    services.recommendation_set_status(
        actor=coordinator_patrick, recommendation=recommendation, status="in_progress"
    )
    recommendation.refresh_from_db()
    assert recommendation.status == "in_progress"
    with pytest.raises(ValidationError) as exc:
        services.recommendation_set_status(
            actor=coordinator_patrick, recommendation=recommendation, status="finished"
        )
    assert "status" in messages_of(exc)
    with pytest.raises(ValidationError) as exc:
        services.recommendation_create(
            actor=assessor_claire,
            assessment=assessment,
            text=" ",
            due_on=TODAY - datetime.timedelta(days=1),
        )
    assert messages_of(exc) == {
        "text": [services.TEXT_REQUIRED],
        "due_on": [services.DUE_IN_PAST],
    }


def test_template_versions_are_numbered_per_code(admin_samuel, default_template):
    services.template_copy(actor=admin_samuel, template=default_template)
    services.template_copy(actor=admin_samuel, template=default_template)
    assert list(Template.objects.filter(code="hbm-default").values_list("version", flat=True)) == [
        3,
        2,
        1,
    ]
