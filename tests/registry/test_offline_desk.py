"""The offline desk's page, service worker and manifest (ADR 0127). The browser half is
tests/e2e/test_offline_desk.py; the hints' API tests/registry/test_recent_api.py."""

from django.contrib.staticfiles import finders

PAGE = "/registry/offline/"
WORKER = "/registry/offline/sw.js"
MANIFEST = "/registry/offline/manifest.webmanifest"


def test_the_page_is_a_registering_officers_with_their_points_only(
    client, client_for, officer_amina, officer_bintu, protection_bruno
):
    assert client.get(PAGE).status_code == 302
    page = client_for(officer_amina).get(PAGE)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'value="point-a"' in html and 'value="point-b"' not in html
    assert MANIFEST in html and "offline-desk.js" in html
    assert {"private", "no-store"} <= {d.strip() for d in page["Cache-Control"].split(",")}
    assert client_for(protection_bruno).get(PAGE).status_code == 403
    # Each user's device storage has a name of their own, which is not their id.
    config_amina = page.context["config"]
    config_bintu = client_for(officer_bintu).get(PAGE).context["config"]
    assert config_amina["user"] != config_bintu["user"]
    assert str(officer_amina.pk) != config_amina["user"]


def test_the_registering_roles_find_the_offline_desk_in_the_menu(
    client_for, officer_amina, protection_bruno
):
    assert PAGE in client_for(officer_amina).get("/").content.decode()
    assert PAGE not in client_for(protection_bruno).get("/").content.decode()


def test_the_worker_covers_the_page_and_lists_the_files_it_keeps(client):
    response = client.get(WORKER)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == PAGE
    source = response.content.decode()
    assert source.startswith("const SHELL = {")
    for name in (
        "/static/hbm/offline-desk.js",
        "/static/hbm/app.css",
        MANIFEST,
        '"page": "/registry/offline/"',
    ):
        assert name in source


def test_the_manifest_makes_the_desk_installable(client):
    manifest = client.get(MANIFEST).json()
    assert manifest["start_url"] == PAGE and manifest["scope"] == PAGE
    assert manifest["display"] == "standalone" and manifest["name"]
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512", "any"} <= sizes
    for icon in manifest["icons"]:
        found = finders.find(icon["src"].removeprefix("/static/"))
        assert found is not None
        with open(found, "rb") as file:
            head = file.read(8)
        assert (
            head == b"\x89PNG\r\n\x1a\n"
            if icon["type"] == "image/png"
            else head.startswith(b"<svg")
        )
