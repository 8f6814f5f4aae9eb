"""An officer exports more registrations than are sent at once: the page says the export is
being prepared, shows its progress, then a download link once the worker has written it."""

import re

import pytest
from playwright.sync_api import expect

from hbm.registry.models import ExportFile
from hbm.registry.tasks import export_crossings
from tests.e2e.test_protection_referral import log_in
from tests.factories import CrossingPointFactory, UserFactory
from tests.registry.helpers import register

pytestmark = pytest.mark.e2e


@pytest.fixture
def scene(transactional_db, settings, tmp_path):
    settings.EXPORT_DIR = tmp_path / "exports"
    settings.EXPORT_IMMEDIATE_MAX_ROWS = 2
    settings.RUN_CHUNK_SIZE = 2
    point = CrossingPointFactory(code="mahagi-goli", name="Mahagi – Goli")
    amina = UserFactory(username="amina", roles=["registration_officer"], crossing_points=[point])
    for given in ("Baraka", "Mary", "Mari", "Akol", "Deng"):
        register(amina, {"given_name": given, "family_name": "Kahindo"}, point="mahagi-goli")


def test_a_large_export_shows_its_progress_then_a_download_link(
    live_server, page, scene, screenshot_path
):
    log_in(page, live_server.url, "amina")
    page.goto(f"{live_server.url}/registry/people/")
    page.screenshot(path=screenshot_path("people-export.png"))
    page.get_by_role("button", name="XLSX").click()
    expect(page).to_have_url(re.compile(r"/registry/exports/\d+/$"))
    expect(page.locator("#export")).to_contain_text("Preparing your export")
    expect(page.locator("#export progress")).to_be_visible()

    export_crossings.call(export_id=ExportFile.objects.get().pk)  # the worker's turn
    link = page.get_by_role("link", name="Download the XLSX file")
    expect(link).to_be_visible()  # the page polled its progress and swapped it in
    expect(page.locator("#export")).to_contain_text("Your export is ready: 5 rows.")
    page.screenshot(path=screenshot_path("export-ready.png"))
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename.endswith(".xlsx")
