"""Who reaches security data, over the web pages, the API and the exports."""

import pytest

from hbm.security import services
from hbm.security.models import Hit
from tests.factories import UserFactory
from tests.registry.helpers import register

CSV = (
    "external_id,given_name,family_name,date_of_birth,nationality,reason_category\n"
    "W-9,Joseph,Kony,1961,UGA,wanted for war crimes\n"
)


@pytest.fixture
def hit(security_joseph, officer_amina):
    watchlist = services.watchlist_create(
        actor=security_joseph, owner=security_joseph.agency, name="National", legal_basis="Law"
    )
    services.watchlist_load(
        actor=security_joseph, watchlist=watchlist, content=CSV.encode(), filename="n.csv"
    )
    register(
        officer_amina,
        {
            "given_name": "Joseph",
            "family_name": "Kony",
            "date_of_birth": "1961",
            "nationality": "UGA",
        },
    )
    return Hit.objects.get()


PERSONAS = [
    "officer_amina",
    "protection_bruno",
    "coordinator_patrick",
    "admin_samuel",
    "outsider_chen",
    "security_joseph",
    "health",
    "provider",
]


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_security_officers_reach_security_data(request, client_for, hit, persona, point_a):
    if persona == "health":
        user = UserFactory(username="nurse", roles=["health_officer"], crossing_points=[point_a])
    elif persona == "provider":
        user = UserFactory(username="ngo", roles=["service_provider"])
    else:
        user = request.getfixturevalue(persona)
    client = client_for(user)
    allowed = persona == "security_joseph"
    expected = 200 if allowed else 404
    assert client.get("/security/hits/").status_code == expected
    assert client.get(f"/security/hits/{hit.pk}/").status_code == expected
    assert client.get("/security/watchlists/").status_code == expected
    assert client.get("/api/v1/hits").status_code == expected
    assert client.get(f"/api/v1/hits/{hit.pk}").status_code == expected
    assert client.get("/api/v1/security/metrics").status_code == expected
    export = client.get("/api/v1/crossings/export")
    if export.status_code == 200:
        content = b"".join(export.streaming_content).decode()
        assert "war crimes" not in content and "W-9" not in content
    person = client.get(f"/api/v1/persons/{hit.person.public_id}")
    if person.status_code == 200:
        assert "war crimes" not in person.content.decode()
