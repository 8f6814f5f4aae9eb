from hbm.places.models import BorderCrossingPoint


def codes(response):
    return [row["code"] for row in response.json()["results"]]


def test_an_officer_sees_only_the_points_assigned_to_them(client_for, officer_amina, point_b):
    client = client_for(officer_amina)
    assert codes(client.get("/api/v1/places/crossing-points")) == ["point-a"]
    assert client.get("/api/v1/places/crossing-points/point-a").status_code == 200
    response = client.get("/api/v1/places/crossing-points/point-b")
    assert response.status_code == 404
    assert response.json() == {"message": "No such crossing point in your area of work."}
    html = client.get("/places/crossing-points/").content.decode()
    assert "Point A" in html and "Point B" not in html
    assert client.get("/places/crossing-points/point-b/").status_code == 404


def test_the_officer_at_b_cannot_see_a(client_for, officer_bintu, point_a):
    client = client_for(officer_bintu)
    assert codes(client.get("/api/v1/places/crossing-points")) == ["point-b"]
    assert client.get("/places/crossing-points/point-a/").status_code == 404


def test_an_outsider_from_another_agency_sees_nothing(client_for, outsider_chen):
    client = client_for(outsider_chen)
    assert codes(client.get("/api/v1/places/crossing-points")) == []
    assert client.get("/api/v1/places/crossing-points/point-a").status_code == 404
    assert client.get("/places/crossing-points/point-a/").status_code == 404
    assert "Point A" not in client.get("/places/crossing-points/").content.decode()
    assert client.get("/audit/").status_code == 403
    assert client.get("/api/v1/audit/events").status_code == 403


def test_a_coordinator_sees_every_point_and_can_filter(client_for, coordinator_patrick):
    client = client_for(coordinator_patrick)
    assert codes(client.get("/api/v1/places/crossing-points")) == ["point-a", "point-b"]
    assert codes(client.get("/api/v1/places/crossing-points?status=restricted")) == ["point-b"]
    assert codes(client.get("/api/v1/places/crossing-points?q=Point A")) == ["point-a"]


def test_a_bad_filter_value_is_a_422_with_the_field(client_for, coordinator_patrick):
    response = client_for(coordinator_patrick).get(
        "/api/v1/places/crossing-points?status=half-open"
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "query.status"


def test_the_list_pages_and_htmx_gets_only_the_results(client_for, coordinator_patrick):
    for n in range(60):
        BorderCrossingPoint.objects.create(
            code=f"extra-{n:02}", name=f"Extra {n:02}", country_id="COD"
        )
    client = client_for(coordinator_patrick)
    html = client.get("/places/crossing-points/").content.decode()
    assert "Page 1 of 2" in html and "<html" in html
    fragment = client.get("/places/crossing-points/?q=Extra 5", HTTP_HX_REQUEST="true")
    body = fragment.content.decode()
    assert "<html" not in body
    assert body.count("Extra 5") == 10
    api = client.get("/api/v1/places/crossing-points?page_size=25").json()
    assert len(api["results"]) == 25 and api["next"]
    more = client.get(api["next"]).json()
    assert more["results"][0]["code"] > api["results"][-1]["code"]


def test_countries_come_from_iso_3166(client_for, officer_amina):
    response = client_for(officer_amina).get("/api/v1/places/countries?q=COD")
    assert [c["name"] for c in response.json()["results"]] == ["Democratic Republic of the Congo"]
