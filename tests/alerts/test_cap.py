"""CAP 1.2: the Atom feed and each CAP document validate against the OASIS schema; levels map
to urgency/severity/certainty; Update and Cancel; scope; import of a partner's CAP alert,
idempotent, with bad XML, invalid CAP and an XXE attempt refused and nothing written."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from lxml import etree

from hbm.alerts import cap
from hbm.alerts.models import Alert
from hbm.alerts.services.alerts import alert_close
from hbm.audit.models import AuditEvent
from tests.alerts.cap_documents import cap_alert
from tests.factories import UserFactory

URL = "/api/v1/alerts"
NS = {"cap": cap.CAP_NS, "atom": cap.ATOM_NS}


def _alert(point, level="warning", detector="ears_c2", reason=""):
    return Alert.objects.create(
        crossing_point=point,
        level=level,
        detector=detector,
        first_day=date(2026, 11, 19),
        last_day=date(2026, 11, 20),
        observed=300,
        expected=100.0,
        threshold=140.0,
        reason=reason,
    )


def _cap(client, alert):
    response = client.get(f"{URL}/{alert.public_id}.cap.xml")
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/cap+xml")
    document = etree.fromstring(response.content)
    cap.validate(document)  # raises on any schema error
    return document


def _one(document, path):
    return document.findtext(path, namespaces=NS)


@pytest.fixture
def located_a(point_a):
    point_a.latitude, point_a.longitude = Decimal("-11.66"), Decimal("27.48")
    point_a.save(update_fields=["latitude", "longitude"])
    return point_a


def test_a_cap_document_is_valid_cap_and_carries_no_reason(
    client_for, coordinator_patrick, located_a
):
    alert = _alert(located_a, detector="manual", reason="Told by Ms Kabila on the phone")
    document = _cap(client_for(coordinator_patrick), alert)
    assert _one(document, "cap:identifier") == str(alert.public_id)
    assert _one(document, "cap:msgType") == "Alert"
    assert _one(document, "cap:status") == "Actual"
    assert _one(document, "cap:scope") == "Restricted"
    assert _one(document, "cap:restriction")
    assert _one(document, "cap:sender") == "hbm@testserver"
    assert "." not in _one(document, "cap:sent")  # no fractional seconds
    assert _one(document, "cap:info/cap:area/cap:areaDesc") == "Point A"
    assert _one(document, "cap:info/cap:area/cap:circle") == "-11.660000,27.480000 10"
    assert "Observed 300 a day, expected 100" in _one(document, "cap:info/cap:description")
    assert b"Kabila" not in etree.tostring(document)
    assert AuditEvent.objects.filter(action="export", object_id=str(alert.public_id)).exists()


@pytest.mark.parametrize(
    ("level", "urgency", "severity", "certainty"),
    [
        ("normal", "Past", "Minor", "Unlikely"),
        ("watch", "Future", "Moderate", "Possible"),
        ("warning", "Expected", "Severe", "Likely"),
        ("emergency", "Immediate", "Extreme", "Observed"),
    ],
)
def test_levels_map_to_urgency_severity_and_certainty(
    client_for, coordinator_patrick, point_a, level, urgency, severity, certainty
):
    point_a.latitude = point_a.longitude = None
    point_a.save(update_fields=["latitude", "longitude"])
    document = _cap(client_for(coordinator_patrick), _alert(point_a, level=level))
    info = document.find("cap:info", NS)
    got = [_one(info, f"cap:{name}") for name in ("urgency", "severity", "certainty")]
    assert got == [urgency, severity, certainty]
    assert info.find("cap:area/cap:circle", NS) is None  # the point has no coordinates


def test_a_risen_level_is_an_update_and_a_closed_alert_a_cancel(
    client_for, coordinator_patrick, point_a
):
    client = client_for(coordinator_patrick)
    alert = _alert(point_a, level="watch")
    alert.level = "emergency"
    alert.save(update_fields=["level", "updated_at"])
    update = _cap(client, alert)
    assert _one(update, "cap:msgType") == "Update"
    assert _one(update, "cap:identifier") == f"{alert.public_id}-emergency"
    first_sent = cap.sent(alert.raised_at)
    assert _one(update, "cap:references") == f"hbm@testserver,{alert.public_id},{first_sent}"
    alert_close(actor=coordinator_patrick, alert=alert)
    cancel = _cap(client, Alert.objects.get(pk=alert.pk))
    assert _one(cancel, "cap:msgType") == "Cancel"
    assert _one(cancel, "cap:references").endswith(first_sent)


@override_settings(CAP_SCOPE="Public", CAP_SENDER="ews@border.example")
def test_scope_and_sender_are_settings(client_for, coordinator_patrick, point_a):
    document = _cap(client_for(coordinator_patrick), _alert(point_a))
    assert (_one(document, "cap:scope"), _one(document, "cap:restriction")) == ("Public", None)
    assert _one(document, "cap:sender") == "ews@border.example"


def test_the_feed_lists_active_and_recently_cancelled_alerts_as_valid_cap(
    client_for, coordinator_patrick, point_a, point_b
):
    client = client_for(coordinator_patrick)
    older, newer = _alert(point_a), _alert(point_b, level="emergency")
    closed = alert_close(actor=coordinator_patrick, alert=_alert(point_a, detector="capacity"))
    _alert(point_a, detector="cap")  # from a partner: not echoed back
    response = client.get(f"{URL}/feed.atom")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = etree.fromstring(response.content)
    entries = feed.findall("atom:entry", NS)
    ids = [_one(entry, "atom:id") for entry in entries]
    assert ids == [f"urn:uuid:{a.public_id}" for a in (closed, newer, older)]
    for entry in entries:
        href = entry.find("atom:link[@type='application/cap+xml']", NS).get("href")
        assert href.startswith("http://testserver/api/v1/alerts/")
        document = etree.fromstring(client.get(href).content)
        cap.validate(document)
    assert "Cancel" in _one(entries[0], "atom:title")


def test_outsiders_and_other_points_readers_see_nothing(
    client_for, outsider_chen, point_a, point_b
):
    alert = _alert(point_a)
    outsider = client_for(outsider_chen)
    assert outsider.get(f"{URL}/feed.atom").status_code == 403
    assert outsider.get(f"{URL}/{alert.public_id}.cap.xml").status_code == 403
    elsewhere = UserFactory(username="b-only", roles=["flow_enumerator"], crossing_points=[point_b])
    reader = client_for(elsewhere)
    feed = etree.fromstring(reader.get(f"{URL}/feed.atom").content)
    assert feed.findall("atom:entry", NS) == []
    assert reader.get(f"{URL}/{alert.public_id}.cap.xml").status_code == 404


def test_the_feed_needs_a_login(client, point_a):
    assert client.get(f"{URL}/feed.atom").status_code == 401


def _import(client, data, crossing_point=""):
    upload = SimpleUploadedFile("alert.xml", data, content_type="application/xml")
    return client.post(f"{URL}/cap-import", {"file": upload, "crossing_point": crossing_point})


def test_a_partner_alert_is_imported_once_then_updated_then_cancelled(
    client_for, coordinator_patrick, point_a
):
    client = client_for(coordinator_patrick)
    response = _import(client, cap_alert())
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["created"] and body["alert"]["crossing_point"] == "point-a"
    assert (body["alert"]["detector"], body["alert"]["level"]) == ("cap", "warning")
    assert "ews@partner.example" in body["alert"]["reason"]
    replay = _import(client, cap_alert())
    assert replay.status_code == 200 and not replay.json()["changed"]
    assert Alert.objects.count() == 1
    same_id_update = _import(client, cap_alert(msg_type="Update", severity="Extreme"))
    assert same_id_update.json()["alert"]["level"] == "emergency"
    refs = "ews@partner.example,P-1,2026-11-20T08:00:00+02:00"
    cancel = _import(client, cap_alert("P-3", msg_type="Cancel", refs=refs))
    assert cancel.json()["alert"]["status"] == "closed"
    assert Alert.objects.count() == 1
    events = AuditEvent.objects.filter(action="import").values_list("detail", flat=True)
    assert len(events) == 3


def test_an_update_with_its_own_identifier_finds_the_alert_it_refers_to(
    client_for, coordinator_patrick, point_a, point_b
):
    client = client_for(coordinator_patrick)
    _import(client, cap_alert(area="Somewhere else"), crossing_point="point-b")
    refs = "ews@partner.example,P-1,2026-11-20T08:00:00+02:00"
    response = _import(client, cap_alert("P-2", msg_type="Update", severity="Moderate", refs=refs))
    assert response.status_code == 200
    alert = Alert.objects.get()
    assert (alert.level, alert.crossing_point.code) == ("watch", "point-b")


def _refused(response, field="body.file"):
    assert response.status_code == 422, response.content
    errors = response.json()["errors"]
    assert errors and errors[0]["field"] == field
    assert Alert.objects.count() == 0
    assert not AuditEvent.objects.filter(action="import").exists()
    return errors[0]["message"]


def test_bad_xml_and_invalid_cap_are_refused_and_nothing_is_written(
    client_for, coordinator_patrick, point_a
):
    client = client_for(coordinator_patrick)
    assert "well-formed" in _refused(_import(client, b"<alert><identifier>"))
    invalid = cap_alert(severity="Catastrophic")
    assert "severity" in _refused(_import(client, invalid))
    no_sender = cap_alert().replace(b"<sender>ews@partner.example</sender>", b"")
    assert "sender" in _refused(_import(client, no_sender))
    ack = cap_alert(msg_type="Ack", refs="ews@partner.example,P-0,2026-11-20T07:00:00+02:00")
    assert "Ack" in _refused(_import(client, ack))
    test_message = cap_alert().replace(b"<status>Actual", b"<status>Test")
    assert "Actual" in _refused(_import(client, test_message))
    nowhere = _import(client, cap_alert(area="Unknown place"))
    assert "Unknown place" in _refused(nowhere, field="body.crossing_point")


def test_an_xxe_attempt_is_refused(client_for, coordinator_patrick, point_a, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    evil = (
        cap_alert()
        .replace(
            b'<?xml version="1.0" encoding="UTF-8"?>',
            f'<?xml version="1.0"?><!DOCTYPE alert [<!ENTITY x SYSTEM "file://{secret}">]>'.encode(),
        )
        .replace(b"Reported by the district office.", b"&x;")
    )
    message = _refused(_import(client_for(coordinator_patrick), evil))
    assert "DOCTYPE" in message and "TOP-SECRET" not in message


def test_only_coordinators_import(client_for, enumerator_esther, point_a):
    response = _import(client_for(enumerator_esther), cap_alert())
    assert response.status_code == 403
    assert Alert.objects.count() == 0


def test_the_import_page_shows_the_problem_and_imports(client_for, coordinator_patrick, point_a):
    client = client_for(coordinator_patrick)
    page = client.get("/alerts/cap-import/")
    assert page.status_code == 200 and b'enctype="multipart/form-data"' in page.content
    bad = client.post(
        "/alerts/cap-import/",
        {"file": SimpleUploadedFile("a.xml", b"not xml"), "crossing_point": ""},
    )
    assert bad.status_code == 422 and b"Not well-formed XML" in bad.content
    good = client.post(
        "/alerts/cap-import/",
        {"file": SimpleUploadedFile("a.xml", cap_alert()), "crossing_point": "point-a"},
    )
    alert = Alert.objects.get()
    assert good.status_code == 302 and good["Location"].endswith(f"{alert.public_id}/")
