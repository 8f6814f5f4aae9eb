"""Screening notes may hold line breaks but no control or bidi-override characters."""

import json

from hbm.lib import text
from hbm.screening.models import ProtectionScreening
from tests.registry.helpers import register

ADULT = {"given_name": "Achol", "family_name": "Deng", "sex": "F", "date_of_birth": "1996"}


def post(client, person, notes):
    return client.post(
        f"/api/v1/persons/{person.public_id}/screenings",
        json.dumps({"answers": {}, "notes": notes}),
        content_type="application/json",
    )


def test_notes_with_an_escape_are_a_422_and_line_breaks_pass(
    client_for, officer_amina, protection_bruno
):
    (person,) = register(officer_amina, ADULT, kind="individual")
    client = client_for(protection_bruno)
    refused = post(client, person, "seen \x1b[2J twice")
    assert refused.status_code == 422
    assert refused.json()["errors"] == [
        {"field": "body.notes", "message": text.CONTROL.format("U+001B")}
    ]
    assert not ProtectionScreening.objects.exists()
    assert post(client, person, "first line\r\nsecond\tline").status_code == 201
