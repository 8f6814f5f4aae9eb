import csv
import io

from openpyxl import load_workbook

from hbm.audit.models import AuditEvent
from tests.registry.helpers import register

URL = "/api/v1/crossings/export"


def read_csv(response):
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_csv_export_has_headers_an_hxl_row_and_the_rows_in_scope(
    client_for, officer_amina, officer_bintu
):
    register(
        officer_amina,
        {
            "given_name": "Amina",
            "family_name": "Deng",
            "sex": "F",
            "date_of_birth": "1990",
            "nationality": "SSD",
        },
        {"given_name": "Akol", "family_name": "Deng", "age_estimate": 4},
    )
    register(officer_bintu, {"given_name": "Other", "family_name": "Place"}, point="point-b")
    response = client_for(officer_amina).get(URL)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = read_csv(response)
    assert rows[0][:3] == ["crossing_id", "crossed_at", "crossing_point"]
    assert rows[1][:3] == ["#meta+id+crossing", "#date+crossed", "#loc+code+crossing"]
    body = [dict(zip(rows[0], r, strict=True)) for r in rows[2:]]
    assert sorted(r["given_name"] for r in body) == ["Akol", "Amina"]
    assert {r["crossing_point"] for r in body} == {"point-a"}
    assert sorted(r["relationship"] for r in body) == ["child", "head"]
    event = AuditEvent.objects.get(action="export")
    assert event.actor == officer_amina and event.detail == "csv export: all"


def test_xlsx_export(client_for, coordinator_patrick, officer_amina):
    register(officer_amina, {"given_name": "Amina", "family_name": "Deng"})
    response = client_for(coordinator_patrick).get(
        URL, {"format": "xlsx", "crossing_point": "point-a"}
    )
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    sheet = load_workbook(io.BytesIO(content), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == "#meta+id+crossing"
    assert dict(zip(rows[0], rows[2], strict=True))["given_name"] == "Amina"
    assert "crossing_point=point-a" in AuditEvent.objects.get(action="export").detail


def test_roles_without_export_rights_are_refused_and_nothing_is_audited(
    client_for, protection_bruno, outsider_chen
):
    for user in (protection_bruno, outsider_chen):
        assert client_for(user).get(URL).status_code == 403
    assert not AuditEvent.objects.filter(action="export").exists()


def test_a_bad_format_is_a_422(client_for, coordinator_patrick):
    response = client_for(coordinator_patrick).get(URL, {"format": "pdf"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "query.format"
