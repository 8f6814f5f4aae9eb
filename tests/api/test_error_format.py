import json

from openapi_spec_validator import validate


def test_the_openapi_document_is_valid_openapi_3(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    spec = response.json()
    assert spec["openapi"].startswith("3.")
    validate(spec)
    assert "/api/v1/places/crossing-points" in spec["paths"]


def test_the_docs_page_is_served_without_a_cdn(client, db):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()
    asset = client.get("/static/ninja/swagger-ui-bundle.js")
    asset.close()
    assert asset.status_code == 200


def test_401_403_404_and_422_share_one_format(client_for, client, officer_amina):
    unauthenticated = client.get("/api/v1/places/crossing-points")
    assert unauthenticated.status_code == 401
    assert set(unauthenticated.json()) == {"message"}
    api = client_for(officer_amina)
    forbidden = api.get("/api/v1/audit/events")
    assert forbidden.status_code == 403 and set(forbidden.json()) == {"message"}
    missing = api.get("/api/v1/places/crossing-points/nowhere")
    assert missing.status_code == 404 and set(missing.json()) == {"message"}
    invalid = api.post(
        "/api/v1/accounts/tokens",
        json.dumps({"name": 5, "extra": 1}),
        content_type="application/json",
    )
    assert invalid.status_code == 422
    assert invalid.json() == {
        "message": "The request has invalid fields.",
        "errors": [{"field": "body.payload.name", "message": "Input should be a valid string"}],
    }
    malformed = api.post("/api/v1/accounts/tokens", "{not json", content_type="application/json")
    assert malformed.status_code in (400, 422)
    assert "message" in malformed.json()


def test_a_bad_cursor_is_a_422(client_for, coordinator_patrick):
    response = client_for(coordinator_patrick).get("/api/v1/places/crossing-points?cursor=!!!")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "query.cursor"


def test_session_writes_need_the_csrf_token(officer_amina):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(officer_amina)
    response = client.post(
        "/api/v1/accounts/tokens", {"name": "x"}, content_type="application/json"
    )
    assert response.status_code in (401, 403)


def test_an_offset_past_what_a_database_holds_is_a_422_on_every_list(client_for, admin_samuel):
    api = client_for(admin_samuel)
    paths = api.get("/api/v1/openapi.json").json()["paths"]
    offset_lists = [
        path
        for path, operations in paths.items()
        if "{" not in path
        and any(p["name"] == "offset" for p in operations.get("get", {}).get("parameters", []))
    ]
    assert "/api/v1/fieldops/teams" in offset_lists
    for path in offset_lists:
        response = api.get(path, {"offset": 2**70})
        assert response.status_code == 422, (path, response.status_code)
        assert response.json()["errors"][0]["field"] == "query.offset", path
