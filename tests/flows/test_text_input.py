"""Tallies: places and notes refuse control and bidi-override characters; a window dated
before 2000 is refused as a typo of the year."""

import pytest

from hbm.flows import validation
from hbm.flows.models import FlowCount
from hbm.lib import text
from tests.flows.test_api import body, post

pytestmark = pytest.mark.django_db


def test_a_place_with_an_override_is_a_422_on_its_line(client_for, enumerator_esther):
    data = body()
    data["lines"][0]["origin_place"] = "Yei\u202e"
    response = post(client_for(enumerator_esther), data)
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "field": "body.lines.0.origin_place",
            "message": text.BIDI_CONTROL.format("U+202E RIGHT-TO-LEFT OVERRIDE"),
        }
    ]
    assert not FlowCount.objects.exists()


def test_notes_take_line_breaks_but_not_a_nul(client_for, enumerator_esther):
    client = client_for(enumerator_esther)
    refused = post(client, body(notes="rain\x00"))
    assert refused.status_code == 422
    assert refused.json()["errors"] == [
        {"field": "body.notes", "message": text.CONTROL.format("U+0000")}
    ]
    assert post(client, body(notes="rain\nroad closed at noon")).status_code == 201


def test_a_window_in_1900_is_refused(client_for, enumerator_esther):
    data = body(window_start="1900-11-20T08:00:00+02:00", window_end="1900-11-20T12:00:00+02:00")
    response = post(client_for(enumerator_esther), data)
    assert response.status_code == 422
    assert {
        "field": "body.window_start",
        "message": str(validation.TOO_EARLY).format("2000-01-01"),
    } in response.json()["errors"]
