"""Exports of the flow series: HXL read back by libhxl with the right totals, XLSX and JSON
agree with CSV, the role limits and the audit."""

import io
import json
from datetime import datetime, timedelta

import hxl
import pytest
from django.db.models import Sum
from django.utils import timezone
from openpyxl import load_workbook

from hbm.audit.models import AuditEvent
from hbm.flows.models import FlowDaily
from tests.flows.helpers import LUBUMBASHI, line, tally
from tests.registry.helpers import register

pytestmark = pytest.mark.django_db
PERIOD = "start=2026-11-01&end=2026-11-30"


@pytest.fixture
def flows(enumerator_esther):
    start = datetime(2026, 11, 20, 8, 0, tzinfo=LUBUMBASHI)
    tally(
        enumerator_esther,
        line(female_18_59=3, female_0_4=1, male_60_plus=1, nationality="SSD"),
        line(direction="exit", male_18_59=4, nationality="COD"),
    )
    tally(
        enumerator_esther,
        line(female_5_17=2, male_5_17=2, nationality="CAF", children_alone=1),
        start=start + timedelta(days=2),
    )
    tally(enumerator_esther, line(male_18_59=6, nationality="SSD"), point="point-a", start=start)


def download(client, file_format, query=PERIOD):
    response = client.get(f"/flows/export.{file_format}?{query}")
    assert response.status_code == 200, response.content
    if response.streaming:
        return b"".join(response.streaming_content)
    return b"".join(response)


def read_hxl(content):
    """Parse with libhxl as a partner would, from the bytes we served."""
    with io.BytesIO(content) as stream:
        dataset = hxl.data(stream)
        return dataset.tags, list(dataset)


def test_libhxl_reads_the_csv_back_with_the_right_totals(
    client_for, coordinator_patrick, flows, tmp_path
):
    tags, rows = read_hxl(download(client_for(coordinator_patrick), "csv"))
    assert "#population" in tags and "#loc" in tags
    expected = FlowDaily.objects.aggregate(n=Sum("people"))["n"]
    assert expected == 19
    assert sum(int(row.get("#population+ind")) for row in rows) == expected
    women = sum(int(row.get("#population+f+adults+age18_59")) for row in rows)
    assert women == 3
    ssd = sum(
        int(row.get("#population+ind"))
        for row in rows
        if row.get("#country+code+nationality") == "SSD"
    )
    assert ssd == 5 + 6
    exits = sum(
        int(row.get("#population+ind")) for row in rows if row.get("#indicator+direction") == "exit"
    )
    assert exits == 4
    for row in rows:  # every row's cells add up to its total
        cells = [int(v or 0) for v in row.get_all("#population")]
        assert sum(cells[1:]) == cells[0]


def test_filters_apply_to_the_export(client_for, coordinator_patrick, flows, tmp_path):
    content = download(
        client_for(coordinator_patrick), "csv", PERIOD + "&point=footpath&nationality=SSD"
    )
    _tags, rows = read_hxl(content)
    assert {row.get("#loc+code") for row in rows} == {"footpath"}
    assert sum(int(row.get("#population+ind")) for row in rows) == 5


def test_xlsx_and_json_carry_the_same_figures(client_for, coordinator_patrick, flows):
    client = client_for(coordinator_patrick)
    book = load_workbook(io.BytesIO(download(client, "xlsx")), read_only=True)
    sheet = list(book["flows"].iter_rows(values_only=True))
    headers, tags, data = sheet[0], sheet[1], sheet[2:]
    assert tags[headers.index("people")] == "#population+ind"
    assert sum(row[headers.index("people")] for row in data) == 19
    document = json.loads(download(client, "json"))
    assert document["hxl"]["people"] == "#population+ind"
    assert sum(row["people"] for row in document["rows"]) == 19
    assert document["start"] == "2026-11-01"


def test_exports_are_limited_by_role_and_audited(
    client_for, officer_amina, coordinator_patrick, flows
):
    assert client_for(officer_amina).get(f"/flows/export.csv?{PERIOD}").status_code == 403
    download(client_for(coordinator_patrick), "csv")
    event = AuditEvent.objects.filter(action="export", object_type="flows.flowdaily").get()
    assert event.actor == coordinator_patrick and "2026-11-01..2026-11-30" in event.detail
    assert client_for(coordinator_patrick).get("/flows/export.pdf").status_code == 404


def test_registrations_and_tallies_export_with_their_source(
    client_for, coordinator_patrick, officer_amina, enumerator_esther, tmp_path
):
    register(
        officer_amina, {"given_name": "A", "sex": "F", "age_estimate": 30, "nationality": "SSD"}
    )
    tally(enumerator_esther, line(male_18_59=2), start=timezone.now() - timedelta(hours=5))
    _tags, rows = read_hxl(download(client_for(coordinator_patrick), "csv", ""))
    assert {row.get("#meta+source") for row in rows} == {"registration", "count"}


def test_an_export_too_big_for_one_worksheet_is_refused_with_a_reason(
    client_for, coordinator_patrick, flows, monkeypatch
):
    from hbm.lib import streams

    monkeypatch.setattr(streams, "XLSX_MAX_ROWS", 3)
    client = client_for(coordinator_patrick)
    response = client.get(f"/flows/export.xlsx?{PERIOD}", follow=True)
    assert response.redirect_chain and response.redirect_chain[0][1] == 302
    assert "do not fit in one worksheet" in response.content.decode()
    assert not AuditEvent.objects.filter(action="export", object_type="flows.flowdaily").exists()
    api = client.get(f"/api/v1/flows/export?format=xlsx&{PERIOD}")
    assert api.status_code == 422 and api.json()["errors"][0]["field"] == "body.format"
