"""A nationality or origin typed with a NUL (or anything but a code) is an unknown country by
field, on PostgreSQL too, which refuses a NUL in a query."""

import json
import uuid

from tests.registry.helpers import register
from tests.registry.test_duplicates import HASSAN


def test_a_correction_with_a_nul_nationality_is_a_422(client_for, officer_amina):
    (person,) = register(officer_amina, HASSAN)
    response = client_for(officer_amina).patch(
        f"/api/v1/persons/{person.public_id}",
        json.dumps({"reason": "x", "nationality": "S\u0000D"}),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["body.nationality"]


def test_a_registration_with_a_nul_origin_is_a_422(client_for, officer_amina):
    body = {
        "id": str(uuid.uuid4()),
        "crossing_point": "point-a",
        "direction": "entry",
        "origin_country": "S\u0000D",
        "consent_given": True,
        "members": [{"relationship": "head", "given_name": "Amina", "nationality": "S\u0000D"}],
    }
    response = client_for(officer_amina).post(
        "/api/v1/registrations", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 422
    fields = sorted(e["field"] for e in response.json()["errors"])
    assert fields == ["body.members.0.nationality", "body.origin_country"]
