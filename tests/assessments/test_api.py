import pytest

from hbm.assessments.models import Assessment
from tests.assessments.conftest import TODAY, approved, score_all

BASE = "/api/v1/assessments"


@pytest.fixture
def api(client_for, assessor_claire):
    return client_for(assessor_claire)


def create(client, **body):
    payload = {"crossing_point": "point-a", "assessed_on": str(TODAY), **body}
    return client.post(BASE, payload, content_type="application/json")


def test_templates_list_and_detail(api, default_template):
    listed = api.get(f"{BASE}/templates").json()["results"]
    assert [(t["code"], t["version"], t["status"]) for t in listed] == [
        ("hbm-default", 1, "published")
    ]
    detail = api.get(f"{BASE}/templates/{default_template.pk}").json()
    assert [d["code"] for d in detail["dimensions"]] == [
        "CTX",
        "LEG",
        "PREP",
        "COORD",
        "ADM",
        "OPS",
        "INF",
        "HLT",
    ]
    first = detail["dimensions"][0]["indicators"][0]
    assert first["code"] == "CTX-1" and len(first["levels"]) == 5 and first["source_ref"]


def test_create_score_submit_approve_and_results(
    api, client, assessor_claire, coordinator_patrick, default_template
):
    response = create(api, team=["patrick"], team_notes="Jean (DGM)")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["template"] == default_template.pk and sorted(body["team"]) == ["claire", "patrick"]
    uid = body["id"]
    scored = api.put(
        f"{BASE}/{uid}/scores/PREP-1",
        {"level": 4, "evidence": "Plan of 2025"},
        content_type="application/json",
    )
    assert scored.status_code == 200 and scored.json()["level"] == 4
    na = api.put(
        f"{BASE}/{uid}/scores/PREP-3",
        {"not_applicable": True, "na_reason": "No early warning expected here"},
        content_type="application/json",
    )
    assert na.json()["not_applicable"] is True
    detail = api.get(f"{BASE}/{uid}").json()
    assert {s["indicator"] for s in detail["scores"]} == {"PREP-1", "PREP-3"}
    not_done = api.post(f"{BASE}/{uid}/submit")
    assert not_done.status_code == 422 and not_done.json()["errors"][0]["field"] == "body.scores"

    assessment = Assessment.objects.get(public_id=uid)
    score_all(assessor_claire, assessment, level=2, PREP_1=4, PREP_2=0, PREP_3="na")
    assert api.post(f"{BASE}/{uid}/submit").json()["status"] == "submitted"
    assert api.post(f"{BASE}/{uid}/approve", {}, content_type="application/json").status_code == 403
    client.force_login(coordinator_patrick)
    approved_body = client.post(
        f"{BASE}/{uid}/approve", {"note": "ok"}, content_type="application/json"
    ).json()
    assert approved_body["status"] == "approved"
    results = client.get(f"{BASE}/{uid}/results").json()
    prep = next(d for d in results["dimensions"] if d["code"] == "PREP")
    assert prep["percentage"] == "50.0" and prep["not_applicable"] == 1
    assert results["gaps"][0]["code"] == "PREP-2"
    assert results["overall"] is not None


def test_a_level_out_of_range_is_a_422_with_the_field_path(api, assessment):
    response = api.put(
        f"{BASE}/{assessment.public_id}/scores/CTX-1",
        {"level": 7},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body.payload.level"


def test_not_applicable_without_reason_is_a_422_on_na_reason(api, assessment):
    response = api.put(
        f"{BASE}/{assessment.public_id}/scores/CTX-1",
        {"not_applicable": True},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "body.na_reason", "message": "Say why this indicator does not apply."}
    ]


def test_editing_an_approved_assessment_is_a_clear_422(
    api, assessor_claire, coordinator_patrick, assessment
):
    approved(assessor_claire, coordinator_patrick, assessment)
    response = api.put(
        f"{BASE}/{assessment.public_id}/scores/CTX-1",
        {"level": 4},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "field": "body.status",
            "message": "This assessment is approved and can no longer be changed.",
        }
    ]


def test_an_unknown_indicator_or_point_is_a_404(api, assessment):
    response = api.put(
        f"{BASE}/{assessment.public_id}/scores/NOPE-1",
        {"level": 1},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert create(api, crossing_point="nowhere").status_code == 404
    bad_team = create(api, team=["ghost"])
    assert bad_team.status_code == 422
    assert bad_team.json()["errors"][0] == {
        "field": "body.team",
        "message": "unknown username(s): ghost",
    }


def test_an_outsider_sees_nothing_and_cannot_create(client_for, outsider_chen, assessment):
    client = client_for(outsider_chen)
    assert client.get(BASE).json()["results"] == []
    assert client.get(f"{BASE}/templates").json()["results"] == []
    assert client.get(f"{BASE}/{assessment.public_id}").status_code == 404
    assert client.get(f"{BASE}/{assessment.public_id}/results").status_code == 404
    assert client.get(f"{BASE}/{assessment.public_id}/report.pdf").status_code == 404
    assert create(client).status_code == 403


def test_an_officer_cannot_score(client_for, officer_amina, assessment):
    response = client_for(officer_amina).put(
        f"{BASE}/{assessment.public_id}/scores/CTX-1",
        {"level": 1},
        content_type="application/json",
    )
    assert response.status_code == 404  # drafts are outside an officer's view


def test_list_filters_by_point_and_status(api, assessment):
    rows = api.get(f"{BASE}?crossing_point=point-a&status=draft").json()["results"]
    assert [r["id"] for r in rows] == [str(assessment.public_id)]
    assert api.get(f"{BASE}?status=approved").json()["results"] == []
    assert api.get(f"{BASE}?status=done").status_code == 422


def test_recommendations_are_added_and_tracked_through_the_api(
    api, client_for, assessment, immigration, outsider_chen
):
    url = f"{BASE}/{assessment.public_id}/recommendations"
    response = api.post(
        url,
        {
            "text": "Write SOPs",
            "indicator": "PREP-2",
            "agency": "immigration",
            "due_on": "2026-06-30",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    rec = response.json()
    assert (rec["indicator"], rec["agency"], rec["status"]) == ("PREP-2", "immigration", "open")
    bad = api.post(url, {"text": "x", "agency": "nobody"}, content_type="application/json")
    assert bad.json()["errors"] == [
        {"field": "body.agency", "message": "unknown agency code 'nobody'"}
    ]
    patched = api.patch(
        f"{BASE}/recommendations/{rec['id']}",
        {"status": "done"},
        content_type="application/json",
    )
    assert patched.json()["status"] == "done"
    wrong = api.patch(
        f"{BASE}/recommendations/{rec['id']}",
        {"status": "finished"},
        content_type="application/json",
    )
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "body.payload.status"
    assert [r["text"] for r in api.get(url).json()] == ["Write SOPs"]
    outsider = client_for(outsider_chen)
    assert outsider.get(url).status_code == 404
    assert (
        outsider.patch(
            f"{BASE}/recommendations/{rec['id']}",
            {"status": "open"},
            content_type="application/json",
        ).status_code
        == 404
    )
