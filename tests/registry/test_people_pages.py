from hbm.audit.models import AuditEvent
from tests.registry.helpers import register

HASSAN = {
    "given_name": "Mohammed",
    "family_name": "Hassan",
    "sex": "M",
    "date_of_birth": "1984-03-12",
    "nationality": "SSD",
    "document_number": "P123",
}


def test_the_person_page_shows_identity_crossings_and_group_and_is_audited(
    client_for, officer_amina
):
    head, _child = register(
        officer_amina, HASSAN, {"given_name": "Yusuf", "family_name": "Hassan", "age_estimate": 7}
    )
    html = client_for(officer_amina).get(f"/registry/people/{head.public_id}/").content.decode()
    assert "Mohammed Hassan" in html and "P123" in html and "Point A" in html
    assert "Yusuf Hassan" in html
    event = AuditEvent.objects.filter(action="view", object_id=str(head.public_id)).get()
    assert event.actor == officer_amina and event.detail == "person page"


def test_people_outside_ones_points_are_not_found(
    client_for, officer_amina, officer_bintu, coordinator_patrick, outsider_chen
):
    (head,) = register(officer_amina, HASSAN)
    url = f"/registry/people/{head.public_id}/"
    assert client_for(officer_bintu).get(url).status_code == 404
    assert client_for(coordinator_patrick).get(url).status_code == 200
    assert client_for(outsider_chen).get(url).status_code == 403
    assert client_for(outsider_chen).get(f"/api/v1/persons/{head.public_id}").status_code == 403
    assert client_for(officer_bintu).get(f"/api/v1/persons/{head.public_id}").status_code == 404


def test_search_finds_a_misspelled_and_an_arabic_script_name(client_for, officer_amina):
    register(officer_amina, HASSAN)
    register(officer_amina, {"given_name": "Nkurunziza", "family_name": "Jean", "sex": "M"})
    client = client_for(officer_amina)
    for query in ("Muhamad Hasan", "محمد حسن", "hassan mohammed"):
        html = client.get("/registry/people/", {"name": query}).content.decode()
        assert "Mohammed Hassan" in html, query
        assert "Nkurunziza" not in html, query
    html = client.get("/registry/people/", {"document_number": "p 123"}).content.decode()
    assert "Mohammed Hassan" in html
    api = client.get("/api/v1/persons", {"name": "Muhammad Hassan"}).json()
    assert [p["given_name"] for p in api["results"]] == ["Mohammed"]
    assert AuditEvent.objects.filter(action="view", detail__startswith="search").exists()


def test_search_is_limited_to_the_officers_points(client_for, officer_amina, officer_bintu):
    register(officer_amina, HASSAN)
    response = client_for(officer_bintu).get(
        "/registry/people/", {"name": "Mohammed Hassan"}, HTTP_HX_REQUEST="true"
    )
    assert "Nobody in your area of work matches." in response.content.decode()
    api = client_for(officer_bintu).get("/api/v1/persons", {"document_number": "P123"}).json()
    assert api["results"] == []


def test_crossings_list_filters_and_pages(client_for, officer_amina, coordinator_patrick):
    for n in range(3):
        register(officer_amina, {"given_name": f"Person{n}", "family_name": "Test"})
    register(officer_amina, {"given_name": "Leaving", "family_name": "Test"}, direction="exit")
    client = client_for(coordinator_patrick)
    page = client.get("/api/v1/crossings", {"page_size": 2, "direction": "entry"}).json()
    assert len(page["results"]) == 2 and page["next"]
    rest = client.get(page["next"]).json()
    assert len(rest["results"]) == 1
    exits = client.get("/api/v1/crossings", {"direction": "exit"}).json()["results"]
    assert len(exits) == 1


def test_match_api_returns_candidates_with_explanations(client_for, officer_amina):
    register(officer_amina, HASSAN)
    response = client_for(officer_amina).post(
        "/api/v1/persons/match",
        {
            "given_name": "Muhammad",
            "family_name": "Hasan",
            "date_of_birth": "1984",
            "nationality": "ssd",
        },
        content_type="application/json",
    )
    assert response.status_code == 200
    (candidate,) = response.json()
    assert candidate["name"] == "Mohammed Hassan"
    assert candidate["explanation"]["fields"]
    bad = client_for(officer_amina).post(
        "/api/v1/persons/match", {"limit": 500}, content_type="application/json"
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "body.payload.limit"


def test_the_index_snapshot_saves_and_reloads(tmp_path, officer_amina):
    from django.core.management import call_command

    from hbm.registry.identity import RegistryIndex, registry_index

    register(officer_amina, HASSAN)
    registry_index.snapshot = tmp_path / "index.bin"
    call_command("person_index", "save")
    restarted = RegistryIndex(snapshot=tmp_path / "index.bin")
    register(officer_amina, {"given_name": "Later", "family_name": "Arrival"})
    index = restarted.current()
    assert len(index) == 2, "loaded from the snapshot, then caught up with the newcomer"
