"""The rescue pages: record an incident (bad input shown on its field), add the people found
(linked, or registered on the spot), the outcome, the filters, the person page's section."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from hbm.audit.models import AuditEvent
from hbm.fieldops.models import RescuedPerson, RescueIncident
from hbm.fieldops.services import rescues as services
from hbm.registry.models import Person
from tests.fieldops.conftest import LOCAL, record_rescue, rescue_form


def test_record_an_incident_and_see_bad_coordinates_on_their_fields(
    client_for, coordinator_patrick
):
    client = client_for(coordinator_patrick)
    future = (timezone.localtime() + timedelta(hours=2)).strftime(LOCAL)
    bad = client.post(
        "/fieldops/rescues/new/", rescue_form(latitude="95", longitude="abc", occurred_at=future)
    )
    assert bad.status_code == 422
    page = bad.content.decode()
    for problem in (
        services.LATITUDE_RANGE,
        services.LONGITUDE_RANGE,
        services.OCCURRED_IN_FUTURE,
    ):
        assert escape(problem) in page
    assert 'id="id_latitude-errors"' in page
    assert not RescueIncident.objects.exists()
    made = client.post("/fieldops/rescues/new/", rescue_form())
    incident = RescueIncident.objects.get()
    assert made.status_code == 302 and str(incident.public_id) in made["Location"]
    listed = client.get("/fieldops/rescues/").content.decode()
    assert str(incident.public_id) in listed and "River or lake: drowning" in listed
    assert (
        str(incident.public_id) not in client.get("/fieldops/rescues/?hazard=heat").content.decode()
    )
    wrong = client.get("/fieldops/rescues/?since=yesterday")
    assert wrong.status_code == 422 and 'id="id_since-errors"' in wrong.content.decode()
    assert "/fieldops/rescues/" in client.get("/fieldops/").content.decode()


def test_add_the_people_found_set_the_outcome_and_read_them(
    client_for, coordinator_patrick, admin_samuel, families
):
    dengs, _ = families
    incident = record_rescue(coordinator_patrick)
    base = f"/fieldops/rescues/{incident.public_id}"
    client = client_for(coordinator_patrick)
    page = client.get(f"{base}/").content.decode()
    # a coordinator links records; the registration fields are for those who register
    assert 'name="person"' in page and 'name="given_name"' not in page
    linked = client.post(
        f"{base}/found/",
        {"person": str(dengs[0].public_id), "injury": "serious", "condition": "Hypothermia"},
    )
    assert linked.status_code == 302
    twice = client.post(f"{base}/found/", {"person": str(dengs[0].public_id), "injury": "none"})
    assert twice.status_code == 422
    assert escape(services.ALREADY_FOUND.format("Achol Deng")) in twice.content.decode()
    admin = client_for(admin_samuel)
    form = admin.get(f"{base}/").content.decode()
    assert 'name="given_name"' in form
    bad = admin.post(f"{base}/found/", {"given_name": "Lual", "sex": "F", "injury": "none"})
    assert bad.status_code == 422 and RescuedPerson.objects.count() == 1
    registered = admin.post(
        f"{base}/found/",
        {
            "given_name": "Lual",
            "family_name": "Garang",
            "sex": "M",
            "age_estimate": "8",
            "consent_given": "on",
            "injury": "minor",
        },
    )
    assert registered.status_code == 302, registered.content.decode()[:2000]
    assert Person.objects.filter(given_name="Lual").exists()
    shown = admin.get(f"{base}/").content.decode()
    assert "Achol Deng" in shown and "Lual Garang" in shown and "Registered on the spot" in shown
    assert AuditEvent.objects.filter(
        action="view", object_type="registry.person", detail=f"rescue {incident.public_id}"
    ).exists()
    unknown = admin.post(f"{base}/outcome/", {"outcome": "found"})
    assert unknown.status_code == 422
    assert admin.post(f"{base}/outcome/", {"outcome": "closed"}).status_code == 302
    closed = admin.get(f"{base}/").content.decode()
    assert 'id="found-form"' not in closed and 'id="rescue-outcome">Closed' in closed
    section = admin.get(f"/fieldops/persons/{dengs[0].public_id}/rescues/").content.decode()
    assert "Found in a rescue" in section and "Hypothermia" in section
    person_page = admin.get(reverse("registry:person-detail", args=[dengs[0].public_id]))
    assert "/rescues/" in person_page.content.decode()


def test_the_condition_notes_are_for_those_who_care_for_the_person(
    client_for, coordinator_patrick, officer_amina, families
):
    dengs, _ = families
    incident = record_rescue(coordinator_patrick)
    services.rescued_add(
        actor=coordinator_patrick,
        incident=incident,
        data=services.FoundInput(
            person=str(dengs[1].public_id), injury="critical", condition="Broken leg"
        ),
    )
    section = client_for(officer_amina).get(f"/fieldops/persons/{dengs[1].public_id}/rescues/")
    assert section.status_code == 200
    assert "Critical" in section.content.decode() and "Broken leg" not in section.content.decode()
    assert (
        client_for(officer_amina).get(f"/fieldops/rescues/{incident.public_id}/").status_code == 403
    )


def test_the_rescue_pages_speak_french_and_arabic(client_for, coordinator_patrick):
    incident = record_rescue(coordinator_patrick)
    client = client_for(coordinator_patrick)
    french = client.get("/fieldops/rescues/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Recherche et sauvetage" in french and "Rivière ou lac : noyade" in french
    arabic = client.get(
        f"/fieldops/rescues/{incident.public_id}/", HTTP_ACCEPT_LANGUAGE="ar"
    ).content.decode()
    assert "حادثة إنقاذ" in arabic and "الأشخاص الذين عُثر عليهم" in arabic
