"""Watchlists, their files (CSV and FollowTheMoney lines) and hit decisions refuse control,
bidi-override and invisible characters, naming the line or field; nothing is half loaded."""

import json
import uuid

import pytest

from hbm.lib import text
from hbm.lib.rejected import Rejected
from hbm.security import services
from hbm.security.models import Hit, WatchlistEntry

NUL = text.CONTROL.format("U+0000")
RLO = text.BIDI_CONTROL.format("U+202E RIGHT-TO-LEFT OVERRIDE")
ZWSP = text.INVISIBLE.format("U+200B ZERO WIDTH SPACE")


@pytest.fixture
def watchlist(security_joseph):
    return services.watchlist_create(
        actor=security_joseph, owner=security_joseph.agency, name="National", legal_basis="Law 4"
    )


def load(actor, watchlist, content, filename):
    return services.watchlist_load(
        actor=actor, watchlist=watchlist, content=content.encode(), filename=filename
    )


def test_a_watchlist_name_with_an_override_is_a_422(client_for, security_joseph):
    response = client_for(security_joseph).post(
        "/api/v1/watchlists",
        json.dumps(
            {"name": "Nat\u202eional", "owner": security_joseph.agency.code, "legal_basis": "x"}
        ),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "body.name", "message": RLO}]


def test_a_followthemoney_line_with_a_nul_loads_nothing(security_joseph, watchlist):
    lines = [
        {"id": "os-1", "schema": "Person", "properties": {"name": ["Abdul Rahman"]}},
        {"id": "os-2", "schema": "Person", "properties": {"firstName": ["Ali\u0000"]}},
    ]
    with pytest.raises(Rejected) as caught:
        load(security_joseph, watchlist, "\n".join(json.dumps(x) for x in lines), "os.jsonl")
    assert caught.value.problems == [services.BAD_TEXT.format(2, "given_name", NUL)]
    assert not WatchlistEntry.objects.exists()


def test_a_csv_entry_with_a_zero_width_space_names_its_line(security_joseph, watchlist):
    csv = "external_id,given_name,family_name\nW-1,Joseph,Kony\nW-2,Jo\u200bseph,Kony\n"
    with pytest.raises(Rejected) as caught:
        load(security_joseph, watchlist, csv, "list.csv")
    assert caught.value.problems == [services.BAD_TEXT.format(3, "given_name", ZWSP)]
    assert not WatchlistEntry.objects.exists()


def test_a_decision_reason_with_a_nul_is_a_422(
    client_for, security_joseph, watchlist, officer_amina
):
    load(
        security_joseph, watchlist, "external_id,given_name,family_name\nW-1,Joseph,Kony\n", "l.csv"
    )
    body = {
        "id": str(uuid.uuid4()),
        "crossing_point": "point-a",
        "direction": "entry",
        "group_kind": "individual",
        "consent_given": True,
        "members": [{"relationship": "head", "given_name": "Joseph", "family_name": "Kony"}],
    }
    client_for(officer_amina).post(
        "/api/v1/registrations", json.dumps(body), content_type="application/json"
    )
    hit = Hit.objects.get()
    response = client_for(security_joseph).post(
        f"/api/v1/hits/{hit.pk}/decision",
        json.dumps({"decision": "false_positive", "reason": "not\u0000him"}),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "body.reason", "message": NUL}]
    hit.refresh_from_db()
    assert hit.status == Hit.Status.OPEN
