import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from hbm.assessments import services
from hbm.assessments.models import Assessment, Recommendation, Score
from hbm.audit.models import AuditEvent
from tests.assessments.conftest import TODAY, approved, indicators, score_all

HTMX = {"HTTP_HX_REQUEST": "true"}


def page(client, url, status=200, **extra):
    response = client.get(url, **extra)
    assert response.status_code == status, response.content[:500]
    return response.content.decode()


def test_an_assessor_starts_an_assessment_from_the_form(client_for, assessor_claire, point_a):
    client = client_for(assessor_claire)
    assert "Assessments" in page(client, "/")
    html = page(client, "/assessments/new/")
    assert "HBM capacity assessment (default) v1" in html
    form = {"crossing_point": point_a.pk, "assessed_on": "2099-01-01"}
    from hbm.assessments.selectors import default_template

    form["template"] = default_template().pk
    response = client.post("/assessments/new/", form)
    assert response.status_code == 422 and str(services.FUTURE_DATE) in response.content.decode()
    form["assessed_on"] = str(TODAY)
    response = client.post("/assessments/new/", form)
    assessment = Assessment.objects.get()
    assert response.status_code == 302 and response.url == f"/assessments/{assessment.public_id}/"
    html = page(client, response.url)
    assert "0 of 32 indicators scored" in html and 'name="level"' in html


def test_a_score_saves_through_htmx_and_errors_land_next_to_their_field(
    client_for, assessor_claire, assessment
):
    client = client_for(assessor_claire)
    url = f"/assessments/{assessment.public_id}/scores/CTX-1/"
    response = client.post(url, {"level": "3", "evidence": "seen"}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200 and "Saved: level 3" in html
    assert 'id="err-CTX-1-level" class="field-errors" hx-swap-oob="true"></div>' in html
    assert Score.objects.get().level == 3

    response = client.post(url, {"level": "9"}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 422 and "Not saved" in html
    assert (
        f'id="err-CTX-1-level" class="field-errors" hx-swap-oob="true"><p>{services.LEVEL_RANGE}'
        in html
    )
    response = client.post(url, {"not_applicable": "on", "na_reason": ""}, **HTMX)
    assert response.status_code == 422
    assert f"<p>{services.NA_REASON_REQUIRED}</p>" in response.content.decode()
    assert Score.objects.get().level == 3

    # without JavaScript the page comes back with the error under the indicator
    response = client.post(url, {"level": "9"})
    html = response.content.decode()
    assert response.status_code == 422 and 'id="ind-CTX-1"' in html
    assert f'<div id="err-CTX-1-level" class="field-errors"><p>{services.LEVEL_RANGE}' in html
    response = client.post(url, {"level": "1"})
    assert response.status_code == 302 and response.url.endswith("#ind-CTX-1")


def test_a_wrong_attachment_type_is_refused_in_the_page(
    client_for, assessor_claire, assessment, settings, tmp_path
):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        },
    }
    client = client_for(assessor_claire)
    url = f"/assessments/{assessment.public_id}/attachments/INF-1/"
    response = client.post(url, {"file": SimpleUploadedFile("virus.pdf", b"MZ\x90")}, **HTMX)
    assert response.status_code == 422
    assert str(services.ATTACHMENT_TYPE) in response.content.decode()
    pdf = b"%PDF-1.4\n%%EOF\n"
    response = client.post(url, {"file": SimpleUploadedFile("plan.pdf", pdf)}, **HTMX)
    assert response.status_code == 200 and "plan.pdf" in response.content.decode()
    attachment = Score.objects.get().attachments.get()
    download = client.get(f"/assessments/attachments/{attachment.public_id}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == pdf


def test_review_buttons_follow_the_role(
    client_for, assessor_claire, coordinator_patrick, assessment
):
    client = client_for(assessor_claire)
    detail = f"/assessments/{assessment.public_id}/"
    client.post(f"{detail}submit/")
    assert "not scored yet" in page(client, detail)
    score_all(assessor_claire, assessment)
    client.post(f"{detail}submit/")
    html = page(client, detail)
    assert "waiting for a coordinator" in html and "Approve" not in html
    client.force_login(coordinator_patrick)
    assert "Approve" in page(client, detail)
    client.post(f"{detail}approve/", {"note": "fine"})
    html = page(client, detail)
    assert "can no longer be changed" in html and "disabled" in html
    response = client.post(f"{detail}scores/CTX-1/", {"level": "4"}, **HTMX)
    assert response.status_code == 422
    assert str(services.ASSESSMENT_APPROVED) in response.content.decode()
    response = client.get(f"{detail}edit/", follow=True)
    assert str(services.ASSESSMENT_APPROVED) in response.content.decode()


@pytest.fixture
def two_years(assessor_claire, coordinator_patrick, default_template, point_a, immigration):
    before = services.assessment_create(
        actor=assessor_claire,
        crossing_point=point_a,
        template=default_template,
        assessed_on=TODAY - datetime.timedelta(days=365),
    )
    approved(assessor_claire, coordinator_patrick, before, level=1)
    after = services.assessment_create(
        actor=assessor_claire, crossing_point=point_a, template=default_template, assessed_on=TODAY
    )
    approved(assessor_claire, coordinator_patrick, after, level=1, PREP_1=4, PREP_2=3, PREP_3=3)
    services.recommendation_create(
        actor=assessor_claire, assessment=after, text="Train the night shift", agency=immigration
    )
    return before, after


def test_results_show_charts_gaps_actions_and_the_deltas(
    client_for, coordinator_patrick, two_years
):
    before, after = two_years
    client = client_for(coordinator_patrick)
    html = page(client, f"/assessments/{after.public_id}/results/")
    assert html.count("<svg") == 2 and 'class="chart radar"' in html
    assert 'data-dimension="PREP"' in html and 'data-change="60.0"' in html
    assert 'data-change="0.0"' in html  # CTX unchanged
    assert "Train the night shift" in html and "Immigration service" in html
    assert html.index("HLT-") < html.index("Train the night shift")
    html = page(client, f"/assessments/{before.public_id}/results/")
    assert "No earlier approved assessment" in html
    html = page(client, f"/assessments/{before.public_id}/results/?compare={after.public_id}")
    assert 'data-change="-60.0"' in html


def test_recommendation_added_and_its_status_changed(
    client_for, assessor_claire, two_years, immigration
):
    _, after = two_years
    client = client_for(assessor_claire)
    response = client.post(
        f"/assessments/{after.public_id}/recommendations/",
        {
            "text": "Buy radios",
            "indicator": "INF-1",
            "agency": immigration.pk,
            "due_on": str(TODAY + datetime.timedelta(days=30)),
        },
    )
    assert response.status_code == 302
    rec = Recommendation.objects.get(text="Buy radios")
    assert rec.indicator.code == "INF-1"
    response = client.post(
        f"/assessments/recommendations/{rec.public_id}/status/", {"status": "done"}, **HTMX
    )
    assert response.status_code == 200 and "Done" in response.content.decode()
    assert "Buy radios" not in page(client, "/assessments/actions/")
    assert "Buy radios" in page(client, "/assessments/actions/?all=1")


def test_report_page_and_xlsx_export(client_for, coordinator_patrick, two_years):
    _, after = two_years
    client = client_for(coordinator_patrick)
    html = page(client, f"/assessments/{after.public_id}/report/")
    assert "HBM capacity assessment report" in html and "Progress since" in html
    response = client.get(f"/assessments/{after.public_id}/scores.xlsx")
    book = load_workbook(io.BytesIO(response.content))
    scores = list(book["scores"].values)
    assert scores[0][:5] == ("dimension", "code", "question", "weight", "level")
    assert len(scores) == 33
    results = {r[0]: r[2] for r in book["results"].values}
    assert results["PREP"] == 85 and results["CTX"] == 25
    assert AuditEvent.objects.filter(action="export", object_id=str(after.public_id)).exists()


def test_comparison_lists_the_latest_approved_assessment_per_point(
    client_for, coordinator_patrick, two_years
):
    html = page(client_for(coordinator_patrick), "/assessments/compare/")
    assert html.count('data-point="point-a"') == 1 and TODAY.isoformat() in html
    assert 'data-change="7.6"' in html  # overall: 25.0 % → (39.5 + 12) / 158 = 32.6 %


def test_template_pages_copy_edit_and_publish(client_for, admin_samuel, default_template):
    client = client_for(admin_samuel)
    html = page(client, f"/assessments/templates/{default_template.pk}/")
    assert "unverified source" in html and "Copy to a new draft version" in html
    edit = f"/assessments/templates/{default_template.pk}/indicators/CTX-1/"
    response = client.post(edit, {"question": "x", "weight": "1"})
    assert response.status_code == 409 and "is published and cannot be changed" in (
        response.content.decode()
    )
    response = client.post(f"/assessments/templates/{default_template.pk}/copy/", {"name": ""})
    copy_url = response.url
    assert "Publish this version" in page(client, copy_url)
    copy_id = copy_url.rstrip("/").split("/")[-1]
    form = {
        "question": "Crises documented?",
        "weight": "12",
        "guidance": "",
        "evidence_expected": "",
        "source_ref": "",
        **{f"level_{n}": f"level {n}" for n in range(5)},
    }
    edit = f"/assessments/templates/{copy_id}/indicators/CTX-1/"
    response = client.post(edit, form)
    assert response.status_code == 422 and str(services.WEIGHT_RANGE) in response.content.decode()
    response = client.post(edit, {**form, "weight": "2"})
    assert response.status_code == 302
    client.post(f"/assessments/templates/{copy_id}/publish/")
    assert "Published" in page(client, copy_url)
    export = client.get(f"/assessments/templates/{copy_id}/export.xlsx")
    assert export["Content-Disposition"].endswith('hbm-default-v2.xlsx"')


def test_an_outsider_sees_no_assessment_page(client_for, outsider_chen, two_years):
    _, after = two_years
    client = client_for(outsider_chen)
    assert "Assessments" not in page(client, "/")
    assert "point-a" not in page(client, "/assessments/")
    for url in ("", "results/", "report/", "report.pdf", "scores.xlsx"):
        assert client.get(f"/assessments/{after.public_id}/{url}").status_code == 404
    assert client.get("/assessments/templates/").status_code == 403
    assert client.get("/assessments/new/").status_code == 403
    assert "data-point" not in page(client, "/assessments/compare/")


def test_an_officer_reads_the_approved_assessment_of_their_point(
    client_for, officer_amina, two_years
):
    _, after = two_years
    client = client_for(officer_amina)
    html = page(client, f"/assessments/{after.public_id}/results/")
    assert "Add a recommendation" not in html
    assert client.get("/assessments/new/").status_code == 403
    assert len(indicators(after.template)) == 32


def test_the_team_edits_date_team_and_summary_of_a_draft(
    client_for, assessor_claire, coordinator_patrick, assessment
):
    client = client_for(assessor_claire)
    url = f"/assessments/{assessment.public_id}/edit/"
    assert "Summary of findings" in page(client, url)
    form = {
        "assessed_on": str(TODAY),
        "team": [assessor_claire.pk, coordinator_patrick.pk],
        "team_notes": "Jean (DGM)",
        "summary": "No plan yet.",
    }
    response = client.post(url, {**form, "assessed_on": "2099-01-01"})
    assert response.status_code == 422 and str(services.FUTURE_DATE) in response.content.decode()
    assert client.post(url, form).status_code == 302
    assessment.refresh_from_db()
    assert assessment.summary == "No plan yet." and assessment.team.count() == 2
    assert "No plan yet." in page(client, f"/assessments/{assessment.public_id}/report/")
