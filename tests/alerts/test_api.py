"""/api/v1/alerts: lists scoped to the caller's points, the coordinators' actions, 422 with
field paths and 409 on an action the alert's state forbids."""

from datetime import date

import pytest

from hbm.alerts.models import Alert
from hbm.audit.models import AuditEvent

URL = "/api/v1/alerts"


def _alert(point, level="warning", detector="ears_c2", nationality="", day=date(2026, 11, 20)):
    return Alert.objects.create(
        crossing_point=point,
        level=level,
        detector=detector,
        nationality=nationality,
        first_day=day,
        last_day=day,
        observed=300,
        expected=100.0,
        threshold=140.0,
        evidence={
            "days": ["2026-11-19", "2026-11-20"],
            "observed": [95, 300],
            "expected": [100.0, 100.0],
            "threshold": [140.0, 140.0],
        },
    )


def _post(client, url, body=None):
    return client.post(url, body or {}, content_type="application/json")


@pytest.fixture
def alerts(point_a, point_b):
    return {
        "a": _alert(point_a),
        "a_capacity": _alert(point_a, level="emergency", detector="capacity"),
        "b": _alert(point_b, level="watch", day=date(2026, 11, 21)),
    }


def test_the_list_is_paginated_filtered_and_newest_first(client_for, coordinator_patrick, alerts):
    client = client_for(coordinator_patrick)
    body = client.get(URL, {"limit": 2}).json()
    assert body["count"] == 3 and len(body["items"]) == 2
    assert body["items"][0]["id"] == str(alerts["b"].public_id)
    levels = client.get(URL, {"level": "emergency"}).json()["items"]
    assert [a["detector"] for a in levels] == ["capacity"]
    at_a = client.get(URL, {"point": "point-a", "status": "open"}).json()
    assert at_a["count"] == 2


def test_bad_filters_answer_422_with_their_paths(client_for, coordinator_patrick):
    response = client_for(coordinator_patrick).get(URL, {"level": "red", "status": "gone"})
    assert response.status_code == 422
    fields = {error["field"] for error in response.json()["errors"]}
    assert fields == {"query.level", "query.status"}


def test_the_detail_carries_the_evidence(client_for, coordinator_patrick, alerts):
    body = client_for(coordinator_patrick).get(f"{URL}/{alerts['a'].public_id}").json()
    assert body["evidence"]["observed"] == [95, 300]
    assert (body["observed"], body["expected"], body["threshold"]) == (300, 100.0, 140.0)


def test_staff_see_their_own_points_only_and_outsiders_nothing(
    client_for, officer_amina, outsider_chen, alerts
):
    client = client_for(officer_amina)
    codes = {a["crossing_point"] for a in client.get(URL).json()["items"]}
    assert codes == {"point-a"}
    assert client.get(f"{URL}/{alerts['b'].public_id}").status_code == 404
    outsider = client_for(outsider_chen)
    assert outsider.get(URL).status_code == 403
    assert outsider.get(f"{URL}/{alerts['a'].public_id}").status_code == 403


def test_acknowledging_is_audited_and_twice_is_a_conflict(client_for, coordinator_patrick, alerts):
    client = client_for(coordinator_patrick)
    url = f"{URL}/{alerts['a'].public_id}/acknowledge"
    first = _post(client, url)
    assert first.status_code == 200
    assert (first.json()["status"], first.json()["acknowledged_by"]) == ("acknowledged", "patrick")
    again = _post(client, url)
    assert again.status_code == 409
    assert again.json()["message"] == "This alert has already been acknowledged."
    events = AuditEvent.objects.filter(object_type="alerts.alert", detail="acknowledged")
    assert events.count() == 1


def test_escalating_then_closing_and_nothing_after(client_for, coordinator_patrick, alerts):
    client = client_for(coordinator_patrick)
    url = f"{URL}/{alerts['a'].public_id}"
    escalated = _post(client, f"{url}/escalate", {"note": "Governor's office informed"})
    assert escalated.json()["status"] == "escalated"
    assert escalated.json()["escalation_note"] == "Governor's office informed"
    assert _post(client, f"{url}/escalate").status_code == 409
    assert _post(client, f"{url}/close").json()["status"] == "closed"
    assert _post(client, f"{url}/acknowledge").status_code == 409


def test_point_staff_read_but_do_not_act(client_for, officer_amina, alerts):
    response = _post(client_for(officer_amina), f"{URL}/{alerts['a'].public_id}/acknowledge")
    assert response.status_code == 403
    assert Alert.objects.get(pk=alerts["a"].pk).status == "open"


def test_a_coordinator_raises_an_alert_by_hand(client_for, coordinator_patrick):
    body = {
        "crossing_point": "point-b",
        "level": "emergency",
        "reason": "Uganda's border police: 3,000 people walking towards Point B",
        "nationality": "ssd",
    }
    response = _post(client_for(coordinator_patrick), URL, body)
    assert response.status_code == 201
    alert = response.json()
    assert (alert["detector"], alert["level"], alert["nationality"]) == (
        "manual",
        "emergency",
        "SSD",
    )
    assert alert["raised_by"] == "patrick" and alert["evidence"]["days"] == []
    assert AuditEvent.objects.filter(object_type="alerts.alert", action="create").count() == 1


def test_a_bad_manual_alert_names_each_field_and_writes_nothing(client_for, coordinator_patrick):
    client = client_for(coordinator_patrick)
    response = _post(
        client,
        URL,
        {"crossing_point": "nowhere", "level": "warning", "reason": " ", "nationality": "XXX"},
    )
    assert response.status_code == 422
    fields = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert fields == {
        "body.crossing_point": "No crossing point with this code in your area of work.",
        "body.reason": "Say what was reported and by whom.",
        "body.nationality": "Not an ISO 3166 alpha-3 country code.",
    }
    wrong_level = _post(client, URL, {"crossing_point": "point-a", "level": "red", "reason": "x"})
    assert wrong_level.status_code == 422
    assert wrong_level.json()["errors"][0]["field"] == "body.payload.level"
    assert not Alert.objects.exists()
