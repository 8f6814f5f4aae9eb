"""The alerts pages: list with level badges, filters and pages; the alert with its evidence
drawn as SVG and the coordinators' buttons; the manual alert and detector forms with field
errors; the navigation link; the situation report's open alerts."""

from datetime import date, timedelta

from hbm.alerts.models import Alert, DetectorConfig
from tests.alerts.test_api import _alert


def test_the_list_shows_level_badges_and_filters(client_for, coordinator_patrick, point_a, point_b):
    _alert(point_a, level="emergency", detector="capacity")
    _alert(point_b, level="watch")
    client = client_for(coordinator_patrick)
    page = client.get("/alerts/").content.decode()
    assert 'data-level="emergency"' in page and 'data-level="watch"' in page
    only = client.get("/alerts/", {"level": "watch", "status": "active"}).content.decode()
    assert 'data-level="watch"' in only and 'data-level="emergency"' not in only


def test_the_list_pages_through_many_alerts(client_for, coordinator_patrick, point_a):
    for n in range(30):
        _alert(point_a, detector="manual", day=date(2026, 10, 1) + timedelta(days=n))
    client = client_for(coordinator_patrick)
    first = client.get("/alerts/").content.decode()
    assert "Page 1 of 2" in first and "2026-10-30" in first and "2026-10-01" not in first
    second = client.get("/alerts/", {"status": "active", "page": 2}).content.decode()
    assert "2026-10-01" in second


def test_the_alert_page_draws_the_evidence_and_acknowledges(
    client_for, coordinator_patrick, point_a
):
    alert = _alert(point_a)
    client = client_for(coordinator_patrick)
    page = client.get(f"/alerts/{alert.public_id}/").content.decode()
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in page and "2026-11-20: 300" in page
    assert "Acknowledge" in page and "Escalate" in page
    response = client.post(f"/alerts/{alert.public_id}/acknowledge/", follow=True)
    assert "Alert acknowledged." in response.content.decode()
    again = client.post(f"/alerts/{alert.public_id}/acknowledge/", follow=True)
    assert "This alert has already been acknowledged." in again.content.decode()
    assert Alert.objects.get(pk=alert.pk).status == "acknowledged"


def test_point_staff_see_the_alert_without_buttons_and_outsiders_not_at_all(
    client_for, officer_amina, outsider_chen, point_a, point_b
):
    alert, elsewhere = _alert(point_a), _alert(point_b)
    page = client_for(officer_amina).get(f"/alerts/{alert.public_id}/").content.decode()
    assert "alert-actions" not in page
    assert client_for(officer_amina).get(f"/alerts/{elsewhere.public_id}/").status_code == 404
    assert client_for(outsider_chen).get("/alerts/").status_code == 403


def test_the_manual_alert_form_shows_each_problem_by_its_field(client_for, coordinator_patrick):
    client = client_for(coordinator_patrick)
    response = client.post(
        "/alerts/new/",
        {"crossing_point": "point-a", "level": "warning", "reason": "  ", "nationality": "ZZZ"},
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "Not an ISO 3166 alpha-3 country code." in page
    assert 'id="id_nationality-errors"' in page and 'id="id_reason-errors"' in page
    assert not Alert.objects.exists()
    raised = client.post(
        "/alerts/new/",
        {"crossing_point": "point-a", "level": "warning", "reason": "Partner report at Oraba"},
    )
    assert raised.status_code == 302
    assert Alert.objects.get().reason == "Partner report at Oraba"


def test_detector_settings_out_of_order_are_refused_by_field(
    client_for, coordinator_patrick, officer_amina, point_a
):
    client = client_for(coordinator_patrick)
    url = "/alerts/points/point-a/detectors/"
    shown = client.get(url).content.decode()
    assert 'value="ears_c2"' in shown and 'value="0.9"' in shown  # the defaults
    bad = client.post(
        url,
        {
            "detectors": ["capacity"],
            "watch_share": "0.9",
            "warning_share": "0.8",
            "emergency_share": "1.1",
            "warning_ratio": "2",
        },
    )
    assert bad.status_code == 422
    assert "Capacity shares must rise" in bad.content.decode()
    assert not DetectorConfig.objects.exists()
    good = client.post(
        url,
        {
            "detectors": ["capacity", "ears_c3"],
            "watch_share": "0.6",
            "warning_share": "0.8",
            "emergency_share": "1.0",
            "warning_ratio": "1.5",
        },
    )
    assert good.status_code == 302
    saved = DetectorConfig.objects.get(crossing_point=point_a)
    assert (saved.detectors, saved.watch_share, saved.by_nationality) == (
        ["capacity", "ears_c3"],
        0.6,
        False,
    )
    assert client.get("/alerts/points/nowhere/detectors/").status_code == 404
    assert client_for(officer_amina).get(url).status_code == 403


def test_the_navigation_links_alerts_for_readers_only(client_for, officer_amina, outsider_chen):
    assert 'href="/alerts/"' in client_for(officer_amina).get("/").content.decode()
    assert 'href="/alerts/"' not in client_for(outsider_chen).get("/").content.decode()


def test_the_situation_report_lists_the_open_alerts(client_for, coordinator_patrick, point_a):
    _alert(point_a, level="emergency", detector="capacity")
    closed = _alert(point_a, level="watch", detector="ears_c1")
    closed.status = "closed"
    closed.save()
    page = client_for(coordinator_patrick).get("/flows/sitrep/").content.decode()
    table = page[
        page.index('id="open-alerts"') : page.index("</table>", page.index('id="open-alerts"'))
    ]
    assert "Emergency" in table and "Reception capacity" in table and "EARS C1" not in table
