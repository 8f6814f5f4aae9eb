"""POST /api/v1/persons/match refuses a query the engine cannot read with a 422 naming the
field (the API fuzz found a 500 for an impossible sex or date of birth)."""

import pytest


@pytest.mark.parametrize(("field", "value"), [("sex", "Q"), ("date_of_birth", "\x94born\x12")])
def test_an_unreadable_match_query_is_a_422_naming_the_field(
    client_for, officer_amina, field, value
):
    response = client_for(officer_amina).post(
        "/api/v1/persons/match",
        {"given_name": "Amina", field: value},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == [f"body.{field}"]
