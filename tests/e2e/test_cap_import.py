"""A coordinator imports a CAP 1.2 alert from the neighbouring country's system: a file that
is not CAP is refused on the file field, nothing written; the partner's alert then becomes an
alert at the point named in its area."""

import pytest
from playwright.sync_api import expect

from hbm.alerts.models import Alert
from tests.alerts.cap_documents import cap_alert
from tests.conftest import PASSWORD
from tests.e2e.conftest import log_in
from tests.factories import AgencyFactory, CrossingPointFactory, UserFactory

pytestmark = pytest.mark.e2e


@pytest.fixture
def coordinator(transactional_db):
    CrossingPointFactory(code="point-a", name="Point A")
    agency = AgencyFactory(code="immigration", name="Immigration service", kind="immigration")
    return UserFactory(username="patrick", agency=agency, roles=["coordinator"])


def test_the_coordinator_imports_a_partner_cap_alert(live_server, page, coordinator, tmp_path):
    log_in(page, live_server.url, "patrick", PASSWORD, next_path="/alerts/")
    page.get_by_role("link", name="Import a CAP alert").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import a CAP alert")

    bad = tmp_path / "bad.xml"
    bad.write_bytes(cap_alert(severity="Catastrophic"))
    page.get_by_label("CAP 1.2 file").set_input_files(str(bad))
    page.get_by_role("button", name="Import").click()
    expect(page.locator("#id_file-errors")).to_contain_text("severity")
    assert not Alert.objects.exists()

    good = tmp_path / "good.xml"
    good.write_bytes(cap_alert())
    page.get_by_label("CAP 1.2 file").set_input_files(str(good))
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_text("CAP alert imported.")).to_be_visible()
    expect(page.locator('h1 [data-level="warning"]')).to_be_visible()
    assert Alert.objects.get().crossing_point.code == "point-a"
