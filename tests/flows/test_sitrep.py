"""The situation report: its PDF's figures match the database, and only coordinators and
administrators produce it (audited)."""

import io
import re
from datetime import datetime, timedelta

import pytest
from django.db.models import Sum
from pypdf import PdfReader

from hbm.audit.models import AuditEvent
from hbm.flows.models import FlowDaily
from tests.flows.helpers import LUBUMBASHI, line, tally

pytestmark = pytest.mark.django_db
PERIOD = "start=2026-11-10&end=2026-11-23"


@pytest.fixture
def flows(enumerator_esther, informal_point):
    informal_point.daily_capacity = 10
    informal_point.save()
    start = datetime(2026, 11, 20, 8, 0, tzinfo=LUBUMBASHI)
    tally(
        enumerator_esther,
        line(female_18_59=6, female_0_4=3, male_18_59=4, nationality="SSD"),
        line(direction="exit", male_18_59=5, nationality="COD"),
    )
    tally(enumerator_esther, line(male_5_17=2, nationality="CAF"), start=start + timedelta(days=1))


def pdf_text(content):
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def figure(text, label):
    match = re.search(re.escape(label) + r"\s+([\d,]+)", text)
    assert match, f"{label!r} not in the report"
    return int(match.group(1).replace(",", ""))


def test_the_pdf_totals_match_the_database(client_for, coordinator_patrick, flows):
    response = client_for(coordinator_patrick).get(f"/flows/sitrep/?{PERIOD}&format=pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    rows = FlowDaily.objects.filter(day__range=("2026-11-10", "2026-11-23"))
    arrivals = rows.filter(direction="entry").aggregate(n=Sum("people"))["n"]
    departures = rows.filter(direction="exit").aggregate(n=Sum("people"))["n"]
    assert (arrivals, departures) == (15, 5)
    assert figure(text, "Arrivals") == arrivals
    assert figure(text, "Departures") == departures
    assert figure(text, "Net arrivals") == arrivals - departures
    assert "Footpath" in text
    # the capacity alert: 13 arrivals on 20 November where 10 can be received
    assert re.search(r"2026-11-20\s+Footpath\s+13\s+10", text)


def test_the_report_page_shows_the_same_figures(client_for, coordinator_patrick, flows):
    page = client_for(coordinator_patrick).get(f"/flows/sitrep/?{PERIOD}").content.decode()
    assert re.search(r'data-key="arrivals">15<', page)
    assert re.search(r'data-key="departures">5<', page)
    assert "<svg" in page


def test_only_coordinators_produce_reports_and_each_is_audited(
    client_for, coordinator_patrick, enumerator_esther, flows
):
    assert client_for(enumerator_esther).get(f"/flows/sitrep/?{PERIOD}").status_code == 403
    client_for(coordinator_patrick).get(f"/flows/sitrep/?{PERIOD}")
    assert AuditEvent.objects.filter(object_type="flows.sitrep", actor=coordinator_patrick).exists()
