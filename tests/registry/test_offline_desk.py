"""The offline desk's page, service worker and manifest (ADR 0127). The browser half is
tests/e2e/test_offline_desk.py; the hints' API tests/registry/test_recent_api.py."""

import base64

from django.contrib.staticfiles import finders
from django.test import override_settings

from hbm.registry.views_offline import DEVICE_KEY_VERSION, device_secret

PAGE = "/registry/offline/"
WORKER = "/registry/offline/sw.js"
MANIFEST = "/registry/offline/manifest.webmanifest"
KEY = "/registry/offline/key"


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


def test_the_device_secret_is_each_users_own_from_a_session_and_never_kept(
    client, client_for, officer_amina, officer_bintu, protection_bruno
):
    """ADR 0136: the secret that locks a user's registrations on a device."""
    assert client.get(KEY).status_code == 302
    assert client_for(protection_bruno).get(KEY).status_code == 403
    answer = client_for(officer_amina).get(KEY)
    assert answer.status_code == 200
    assert {"private", "no-store"} <= {d.strip() for d in answer["Cache-Control"].split(",")}
    amina = answer.json()
    assert amina["version"] == DEVICE_KEY_VERSION
    assert len(base64.b64decode(amina["secret"])) == 32
    # The same every time (derived, not stored), another user's differs, and so does the
    # next version's or another server's.
    assert client_for(officer_amina).get(KEY).json() == amina
    bintu = client_for(officer_bintu).get(KEY).json()
    assert bintu["secret"] != amina["secret"]
    assert base64.b64decode(amina["secret"]) == device_secret(officer_amina)
    assert device_secret(officer_amina, DEVICE_KEY_VERSION + 1) != device_secret(officer_amina)
    with override_settings(SECRET_KEY="another server's secret key, long enough to count"):
        assert device_secret(officer_amina) != base64.b64decode(amina["secret"])
    # The page the service worker keeps names where the secret is, never the secret.
    page = client_for(officer_amina).get(PAGE)
    assert page.context["config"]["key"] == KEY
    assert amina["secret"] not in page.content.decode()


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
