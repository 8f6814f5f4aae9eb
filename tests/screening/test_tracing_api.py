"""Tracing requests through /api/v1/tracing-requests: the whole lifecycle, 422 with field
paths, cursor paging, and nothing outside the caller's points."""

import pytest

from hbm.audit.models import AuditEvent
from hbm.screening.models import TracingRequest
from tests.factories import UserFactory
from tests.screening.tracing_helpers import family, open_request

URL = "/api/v1/tracing-requests"


@pytest.fixture
def scene(officer_amina, officer_bintu, protection_bruno):
    return family(officer_amina, officer_bintu)


def body(child, **changes):
    return {
        "crossing_point": "point-a",
        "enquirer": str(child.public_id),
        "relationship": "parent",
        "given_name": "Hassan",
        "family_name": "Karimi",
        "sex": "M",
        "birth_year": 1975,
        "last_seen_place": "Yei market",
        "last_seen_on": "2026-10-02",
        **changes,
    }


def test_open_propose_confirm_and_close_a_request(client_for, protection_bruno, scene):
    father, child, _stranger = scene
    api = client_for(protection_bruno)
    created = api.post(URL, body(child), content_type="application/json")
    assert created.status_code == 201, created.content
    request = created.json()
    assert request["status"] == "open" and request["enquirer"] == str(child.public_id)
    assert request["enquirer_name"] == "Ahmad Hassan Karimi"
    assert request["matches"] == [] and [e["kind"] for e in request["events"]] == ["opened"]

    proposed = api.post(f"{URL}/{request['id']}/proposals").json()
    best = proposed["matches"][0]
    assert best["person"] == str(father.public_id) and best["relation"] == "parent"
    assert best["first_crossing_point"] == "point-b" and best["decision"] == "pending"
    assert "Possibly a parent of the enquirer (family tracing)." in best["reasons"]

    decided = api.post(
        f"{URL}/{request['id']}/matches/{best['id']}/decision",
        {"decision": "confirmed", "note": "Recognised on a photo"},
        content_type="application/json",
    ).json()
    assert decided["status"] == "matched" and decided["matched_person"] == str(father.public_id)
    assert decided["matches"][0]["decision"] == "confirmed"

    closed = api.post(
        f"{URL}/{request['id']}/close", {"reason": "reunited"}, content_type="application/json"
    ).json()
    assert closed["status"] == "closed" and closed["closing_reason"] == "reunited"
    assert [e["kind"] for e in closed["events"]] == ["opened", "proposed", "decided", "closed"]
    assert api.get(f"{URL}/{request['id']}").json()["id"] == request["id"]
    assert AuditEvent.objects.filter(
        actor=protection_bruno,
        object_id=str(father.public_id),
        detail=f"tracing request {request['id']}",
    ).exists()


def test_bad_input_answers_422_with_field_paths(client_for, protection_bruno, scene):
    _father, child, _stranger = scene
    api = client_for(protection_bruno)
    typed = api.post(URL, body(child, birth_year="nineteen"), content_type="application/json")
    assert typed.status_code == 422
    assert [e["field"] for e in typed.json()["errors"]] == ["body.payload.birth_year"]
    ruled = api.post(
        URL,
        body(child, enquirer=None, given_name="", family_name="", approximate_age=40),
        content_type="application/json",
    )
    assert ruled.status_code == 422
    assert sorted(e["field"] for e in ruled.json()["errors"]) == [
        "body.approximate_age",
        "body.enquirer_name",
        "body.given_name",
    ]
    assert not TracingRequest.objects.exists()

    request = open_request(protection_bruno, child)
    decision = api.post(
        f"{URL}/{request.pk}/close", {"reason": "lost"}, content_type="application/json"
    )
    assert decision.status_code == 422
    assert decision.json()["errors"][0]["field"] == "body.reason"
    status = api.get(f"{URL}?status=lost")
    assert status.status_code == 422
    assert status.json()["errors"] == [
        {"field": "query.status", "message": "Choose one of: open, matched, closed."}
    ]
    cursor = api.get(f"{URL}?cursor=!!!")
    assert cursor.status_code == 422 and cursor.json()["errors"][0]["field"] == "query.cursor"


def test_the_list_pages_with_cursors_and_filters_by_status(client_for, protection_bruno, scene):
    _father, child, _stranger = scene
    requests = [open_request(protection_bruno, child, given_name=f"Name{n}") for n in range(3)]
    api = client_for(protection_bruno)
    first = api.get(f"{URL}?page_size=2").json()
    assert [r["id"] for r in first["results"]] == [requests[2].pk, requests[1].pk]
    rest = api.get(first["next"]).json()
    assert [r["id"] for r in rest["results"]] == [requests[0].pk] and rest["next"] is None
    api.post(
        f"{URL}/{requests[1].pk}/close", {"reason": "duplicate"}, content_type="application/json"
    )
    closed = api.get(f"{URL}?status=closed").json()
    assert [r["id"] for r in closed["results"]] == [requests[1].pk]
    assert AuditEvent.objects.filter(detail__startswith="tracing request list (api)").exists()


def test_nothing_outside_the_callers_points_or_compartment(
    client_for, protection_bruno, officer_amina, security_joseph, scene, point_b
):
    father, child, _stranger = scene
    request = open_request(protection_bruno, child)
    elsewhere = UserFactory(
        username="beatrice", roles=["protection_officer"], crossing_points=[point_b]
    )
    api = client_for(elsewhere)
    assert api.get(URL).json()["results"] == []
    assert api.get(f"{URL}/{request.pk}").status_code == 404
    assert api.post(f"{URL}/{request.pk}/proposals").status_code == 404
    assert (
        api.post(
            f"{URL}/{request.pk}/close", {"reason": "found"}, content_type="application/json"
        ).status_code
        == 404
    )
    refused = api.post(URL, body(child, crossing_point="point-a"), content_type="application/json")
    assert refused.status_code == 404, "point A is not hers, nor is the child"
    for other in (officer_amina, security_joseph):
        api = client_for(other)
        assert api.get(URL).status_code == 403
        assert api.get(f"{URL}/{request.pk}").status_code == 403
    api = client_for(protection_bruno)
    proposed = api.post(f"{URL}/{request.pk}/proposals").json()
    match = proposed["matches"][0]["id"]
    other = open_request(protection_bruno, child, given_name="Amina")
    wrong = api.post(
        f"{URL}/{other.pk}/matches/{match}/decision",
        {"decision": "confirmed"},
        content_type="application/json",
    )
    assert wrong.status_code == 404, "a candidate of another request"
    assert TracingRequest.objects.filter(status="open").count() == 2
    assert father.pk in set(request.matches.values_list("person_id", flat=True))
