import base64
import io

import pytest
from openpyxl import Workbook

from hbm.audit.models import AuditEvent
from hbm.lib.rejected import Rejected
from hbm.places import services
from hbm.places.models import AdminArea, BorderCrossingPoint

HEADER = (
    "code,name,kind,country,neighbour_country,admin_area,latitude,longitude,daily_capacity,"
    "status,time_zone\n"
)
GOOD_ROWS = (
    "mahagi-goli,Mahagi – Goli,official_bcp,COD,UGA,CD54,2.284,31.007,600,open,Africa/Lubumbashi\n"
    "aba,Aba,Official border crossing point,cod,SSD,,3.869,30.229,,Restricted,\n"
)


@pytest.fixture
def ituri(db):
    return AdminArea.objects.create(pcode="CD54", name="Ituri", level=1, country_id="COD")


def run(actor, text, filename="points.csv", dry_run=False):
    return services.crossing_point_import(
        actor=actor,
        content=text.encode() if isinstance(text, str) else text,
        filename=filename,
        dry_run=dry_run,
    )


def test_it_imports_plain_columns(admin_samuel, ituri):
    preview = run(admin_samuel, HEADER + GOOD_ROWS)
    assert preview.total == 2
    mahagi = BorderCrossingPoint.objects.get(code="mahagi-goli")
    assert (mahagi.country_id, mahagi.neighbour_country_id, mahagi.admin_area) == (
        "COD",
        "UGA",
        ituri,
    )
    assert str(mahagi.latitude) == "2.284000" and mahagi.daily_capacity == 600
    aba = BorderCrossingPoint.objects.get(code="aba")
    assert (aba.kind, aba.status, aba.time_zone) == ("official_bcp", "restricted", "UTC")
    event = AuditEvent.objects.get(action="import")
    assert event.actor == admin_samuel and "2 created" in event.detail


def test_it_reads_an_hxl_hashtag_row_under_the_header(admin_samuel, ituri):
    text = (
        "Point,Name,Country,Across,Province,Lat,Lon\n"
        "#loc +code,#loc+name,#country+code,#country+neighbour+code,#adm1+code,#geo+lat,#geo+lon\n"
        "mahagi-goli,Mahagi – Goli,COD,UGA,CD54,2.284,31.007\n"
    )
    run(admin_samuel, text)
    point = BorderCrossingPoint.objects.get(code="mahagi-goli")
    assert point.neighbour_country_id == "UGA" and point.admin_area == ituri


def test_it_reads_hashtags_alone_and_updates_known_codes(admin_samuel, ituri):
    run(admin_samuel, HEADER + GOOD_ROWS)
    text = "#loc+code,#loc+name,#country+code,#status\naba,Aba,COD,closed\nndu,Ndu,COD,open\n"
    preview = run(admin_samuel, text)
    assert [r["code"] for r in preview.to_update] == ["aba"]
    assert [r["code"] for r in preview.to_create] == ["ndu"]
    assert BorderCrossingPoint.objects.get(code="aba").status == "closed"


def test_it_reads_xlsx(admin_samuel, ituri):
    book = Workbook()
    sheet = book.active
    for line in (HEADER + GOOD_ROWS).splitlines():
        sheet.append(line.split(","))
    buffer = io.BytesIO()
    book.save(buffer)
    run(admin_samuel, buffer.getvalue(), filename="points.xlsx")
    assert BorderCrossingPoint.objects.count() == 2


def test_a_dry_run_writes_nothing(admin_samuel, ituri):
    preview = run(admin_samuel, HEADER + GOOD_ROWS, dry_run=True)
    assert len(preview.to_create) == 2
    assert not BorderCrossingPoint.objects.exists()
    assert not AuditEvent.objects.filter(action="import").exists()


def test_every_problem_is_reported_with_its_line_and_nothing_is_written(admin_samuel, ituri):
    text = (
        HEADER
        + GOOD_ROWS
        + (
            "bad1,,official_bcp,XXX,UGA,CD99,91,31,-5,open,Mars/Olympus\n"
            "bad2,Same,,COD,COD,,abc,181,12,half-open,\n"
            "aba,Aba again,,COD,,,,,,,\n"
            "bad 3,Spaces,,COD,,,,,,,\n"
        )
    )
    with pytest.raises(Rejected) as caught:
        run(admin_samuel, text)
    assert caught.value.problems == [
        "line 4: name: is required",
        "line 4: country: unknown ISO 3166 alpha-3 country code 'XXX'",
        "line 4: admin_area: unknown admin area p-code 'CD99'",
        "line 4: latitude: '91' is out of range (-90 to 90)",
        "line 4: daily_capacity: '-5' is not a whole number of 0 or more",
        "line 4: time_zone: 'Mars/Olympus' is not an IANA time zone such as Africa/Lubumbashi",
        "line 5: neighbour_country: the neighbour country must differ from the country",
        "line 5: latitude: 'abc' is not a number",
        "line 5: longitude: '181' is out of range (-180 to 180)",
        "line 5: status: 'half-open' is not one of: open, restricted, closed",
        "line 6: code: code 'aba' already appears on line 3",
        "line 7: code: 'bad 3' may hold only letters, digits, '-' and '_'",
    ]
    assert not BorderCrossingPoint.objects.exists()


@pytest.mark.parametrize(
    ("content", "filename", "expected"),
    [
        (b"\xff\xfecode,name\n", "points.csv", "not UTF-8"),
        (b"", "points.csv", "the file is empty"),
        (b"colour,size\nred,big\n", "points.csv", "no known column"),
        (b"not a zip", "points.xlsx", "not a readable XLSX workbook"),
        (HEADER.encode(), "points.csv", "no data rows"),
    ],
)
def test_unreadable_files_are_refused_whole(admin_samuel, content, filename, expected):
    with pytest.raises(Rejected) as caught:
        run(admin_samuel, content, filename=filename)
    assert expected in caught.value.problems[0]


def test_only_administrators_import(officer_amina, coordinator_patrick, ituri):
    from django.core.exceptions import PermissionDenied

    for user in (officer_amina, coordinator_patrick):
        with pytest.raises(PermissionDenied):
            run(user, HEADER + GOOD_ROWS)
    assert not BorderCrossingPoint.objects.filter(code__in=["mahagi-goli", "aba"]).exists()


def test_the_api_answers_422_with_the_problems(client_for, admin_samuel, ituri):
    client = client_for(admin_samuel)
    bad = io.BytesIO((HEADER + "x,,,ZZZ,,,,,,,\n").encode())
    bad.name = "points.csv"
    response = client.post(
        "/api/v1/places/crossing-points/import", {"file": bad, "dry_run": "false"}
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "body.file", "message": "line 2: name: is required"},
        {
            "field": "body.file",
            "message": "line 2: country: unknown ISO 3166 alpha-3 country code 'ZZZ'",
        },
    ]
    good = io.BytesIO((HEADER + GOOD_ROWS).encode())
    good.name = "points.csv"
    response = client.post("/api/v1/places/crossing-points/import", {"file": good})
    assert response.status_code == 200 and response.json()["dry_run"] is True
    assert response.json()["created"] == 2 and not BorderCrossingPoint.objects.exists()


def test_the_api_forbids_non_administrators(client_for, officer_amina):
    upload = io.BytesIO((HEADER + GOOD_ROWS).encode())
    upload.name = "points.csv"
    response = client_for(officer_amina).post(
        "/api/v1/places/crossing-points/import", {"file": upload}
    )
    assert response.status_code == 403
    assert response.json() == {"message": "Your role does not allow this."}


def test_the_page_previews_then_imports_on_confirmation(client_for, admin_samuel, ituri):
    client = client_for(admin_samuel)
    upload = io.BytesIO((HEADER + GOOD_ROWS).encode())
    upload.name = "points.csv"
    response = client.post("/places/crossing-points/import/", {"file": upload})
    html = response.content.decode()
    assert "Preview: 2 to create, 0 to update" in html
    assert not BorderCrossingPoint.objects.exists()
    content = base64.b64encode((HEADER + GOOD_ROWS).encode()).decode()
    response = client.post(
        "/places/crossing-points/import/",
        {"confirm": "1", "filename": "points.csv", "content": content},
    )
    assert response.status_code == 302
    assert BorderCrossingPoint.objects.count() == 2


def test_the_page_lists_the_problems(client_for, admin_samuel):
    upload = io.BytesIO((HEADER + "x,,,ZZZ,,,,,,,\n").encode())
    upload.name = "points.csv"
    response = client_for(admin_samuel).post("/places/crossing-points/import/", {"file": upload})
    assert response.status_code == 422
    html = response.content.decode()
    assert "2 problems — nothing was imported" in html
    assert "line 2: country: unknown ISO 3166 alpha-3 country code &#x27;ZZZ&#x27;" in html


def test_the_page_refuses_other_file_types_and_roles(client_for, admin_samuel, officer_amina):
    upload = io.BytesIO(b"hello")
    upload.name = "points.pdf"
    response = client_for(admin_samuel).post("/places/crossing-points/import/", {"file": upload})
    assert response.status_code == 422
    assert "Upload a .csv or .xlsx file." in response.content.decode()
    assert client_for(officer_amina).get("/places/crossing-points/import/").status_code == 403
