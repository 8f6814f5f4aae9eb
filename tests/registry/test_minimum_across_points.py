"""#20 minimum data across points: a match or duplicate candidate registered outside the
officer's points shows name, year of birth, sex, point and date only; the whole identity needs
the audited "needed for this case" step, which lasts PERSON_REVEAL_MINUTES."""

from datetime import timedelta

import pytest
from django.utils import timezone

from hbm.audit.models import AuditEvent
from hbm.registry.models import DuplicateCandidate, PersonReveal
from hbm.registry.services import SHOW_THRESHOLD
from tests.registry.helpers import VARIANT, register
from tests.registry.test_duplicates import HASSAN

MATCH = "/api/v1/persons/match"
QUERY = {"given_name": "Muhammad", "family_name": "Hasan", "date_of_birth": "1984"}
ELSEWHERE = {**HASSAN, "phone": "+256700111222", "document_number": "P1234567"}


@pytest.fixture
def hassan_at_b(officer_bintu):
    (person,) = register(officer_bintu, ELSEWHERE, point="point-b")
    return person


def _match(client, **query):
    response = client.post(MATCH, {**QUERY, **query}, content_type="application/json")
    assert response.status_code == 200, response.content
    return response.json()


def _reveal(client, person, reason):
    return client.post(
        f"/api/v1/persons/{person.public_id}/reveal",
        {"reason": reason},
        content_type="application/json",
    )


def test_a_match_from_another_point_shows_the_minimum(client_for, officer_amina, hassan_at_b):
    (candidate,) = _match(client_for(officer_amina))
    assert candidate["shown"] == "minimum"
    assert candidate["name"] == "Mohammed Ali Hassan"
    assert candidate["year_of_birth"] == "1984" and candidate["sex"] == "M"
    assert candidate["first_crossing_point"] == "point-b"
    assert candidate["registered_on"] == timezone.localdate(hassan_at_b.created_at).isoformat()
    assert candidate["date_of_birth"] == "" and candidate["nationality"] is None
    assert "P1234567" not in str(candidate) and "+256700111222" not in str(candidate)
    read = AuditEvent.objects.get(object_id=str(hassan_at_b.public_id), action="view")
    assert read.detail.endswith(", minimum")


def test_a_match_at_the_officers_own_point_is_shown_in_full(client_for, officer_bintu, hassan_at_b):
    (candidate,) = _match(client_for(officer_bintu))
    assert candidate["shown"] == "full"
    assert candidate["date_of_birth"] == "1984-03-12" and candidate["nationality"] == "SSD"


def test_national_roles_see_every_candidate_in_full(client_for, coordinator_patrick, hassan_at_b):
    (candidate,) = _match(client_for(coordinator_patrick))
    assert candidate["shown"] == "full" and candidate["nationality"] == "SSD"


def test_threshold_zero_is_no_national_lookup(
    client_for, officer_amina, officer_bintu, coordinator_patrick
):
    """Other points' people unlike the query stay out, whatever threshold the caller asks for;
    the officer's own point's and, for national roles, everyone's do not."""
    for i, given in enumerate(["Ahmed", "Omar", "Yusuf"]):
        person = {
            "given_name": given,
            "family_name": "Hassan",
            "date_of_birth": f"{1950 + 7 * i}-0{i + 1}-1{i}",
            "sex": "M",
            "nationality": "SSD",
            "document_number": f"P00{i}",
        }
        register(officer_bintu, person, point="point-b")
        register(officer_amina, person)
    unlike = {
        "given_name": "Ahmed",
        "family_name": "Hassan",
        "date_of_birth": "2020-12-01",
        "sex": "F",
        "nationality": "FRA",
        "document_number": "X999",
    }
    found = _match(client_for(officer_amina), threshold=0, limit=50, **unlike)
    assert found and {c["first_crossing_point"] for c in found} == {"point-a"}
    assert all(c["probability"] < SHOW_THRESHOLD for c in found)
    national = _match(client_for(coordinator_patrick), threshold=0, limit=50, **unlike)
    assert {c["first_crossing_point"] for c in national} == {"point-a", "point-b"}


def test_the_reveal_step_shows_the_whole_record_for_an_hour(
    client_for, officer_amina, hassan_at_b, settings
):
    client = client_for(officer_amina)
    response = _reveal(client, hassan_at_b, "  Same family as group 12 at the desk  ")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["person"]["document_number"] == "P1234567"
    assert body["person"]["phone"] == "+256700111222"
    assert body["reason"] == "Same family as group 12 at the desk"
    reveal = PersonReveal.objects.get()
    assert reveal.user == officer_amina and reveal.person == hassan_at_b
    lasts = reveal.expires_at - reveal.revealed_at
    assert abs(lasts - timedelta(minutes=settings.PERSON_REVEAL_MINUTES)) < timedelta(seconds=2)
    audit = AuditEvent.objects.filter(detail__startswith="whole record, needed for this case")
    assert audit.get().detail.endswith("Same family as group 12 at the desk")
    (candidate,) = _match(client)
    assert candidate["shown"] == "full" and candidate["nationality"] == "SSD"
    PersonReveal.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    (candidate,) = _match(client)
    assert candidate["shown"] == "minimum", "an expired step shows the minimum again"


def test_a_reveal_is_the_users_own(client_for, officer_amina, hassan_at_b, immigration, point_a):
    from tests.factories import UserFactory

    colleague = UserFactory(
        username="omar",
        agency=immigration,
        roles=["registration_officer"],
        crossing_points=[point_a],
    )
    assert (
        _reveal(client_for(officer_amina), hassan_at_b, "Checking family links").status_code == 200
    )
    (candidate,) = _match(client_for(colleague))
    assert candidate["shown"] == "minimum"


@pytest.mark.parametrize(
    ("reason", "message"),
    [
        ("", "at least 10 characters"),
        ("   short  ", "at least 10 characters"),
        ("x" * 301, "At most 300 characters."),
        ("needed\u202efor the case", "U+202E"),
    ],
)
def test_the_reveal_needs_a_reason(client_for, officer_amina, hassan_at_b, reason, message):
    response = _reveal(client_for(officer_amina), hassan_at_b, reason)
    assert response.status_code == 422
    (error,) = response.json()["errors"]
    assert error["field"] == "body.reason" and message in error["message"]
    assert not PersonReveal.objects.exists()
    assert not AuditEvent.objects.filter(detail__startswith="whole record").exists()


def test_the_reveal_of_an_unknown_person_is_404_and_of_a_non_reader_403(
    client_for, officer_amina, hassan_at_b, db
):
    from tests.factories import UserFactory

    client = client_for(officer_amina)
    unknown = client.post(
        "/api/v1/persons/00000000-0000-0000-0000-000000000000/reveal",
        {"reason": "Checking family links"},
        content_type="application/json",
    )
    assert unknown.status_code == 404
    provider = UserFactory(username="provider", roles=["service_provider"])
    refused = _reveal(client_for(provider), hassan_at_b, "Checking family links")
    assert refused.status_code == 403
    assert not PersonReveal.objects.exists()


def test_a_person_of_the_own_area_needs_no_step(client_for, officer_bintu, hassan_at_b):
    response = _reveal(client_for(officer_bintu), hassan_at_b, "")
    assert response.status_code == 200 and response.json()["expires_at"] is None
    assert not PersonReveal.objects.exists()
    assert AuditEvent.objects.filter(action="view", detail="own area").count() == 1


def test_the_page_step_for_the_own_area_records_no_reveal(client_for, officer_bintu, hassan_at_b):
    response = client_for(officer_bintu).post(
        f"/registry/people/{hassan_at_b.public_id}/reveal/", {"reveal_reason": ""}
    )
    assert response.status_code == 200
    assert not PersonReveal.objects.exists()
    assert AuditEvent.objects.filter(action="view", detail="own area").count() == 1


def test_the_registration_answer_shows_other_points_candidates_at_the_minimum(
    client_for, officer_amina, hassan_at_b
):
    from tests.registry.test_registration_api import URL, family

    body = family()
    body["members"] = body["members"][:1]
    response = client_for(officer_amina).post(URL, body, content_type="application/json")
    assert response.status_code == 201, response.content
    (candidate,) = response.json()["persons"][0]["duplicate_candidates"]
    assert candidate["person"] == str(hassan_at_b.public_id) and candidate["shown"] == "minimum"
    assert candidate["nationality"] is None and candidate["date_of_birth"] == ""
    assert candidate["year_of_birth"] == "1984" and candidate["sex"] == "M"


def test_the_desk_panel_shows_the_minimum_and_the_reveal_step(
    client_for, officer_amina, hassan_at_b
):
    client = client_for(officer_amina)
    panel = client.post(
        "/registry/desk/candidates/",
        {
            "member": "members-0",
            "members-0-given_name": "Muhammad",
            "members-0-family_name": "Hasan",
            "members-0-date_of_birth": "1984",
        },
    ).content.decode()
    assert "Mohammed Ali Hassan" in panel and "1984" in panel
    assert "1984-03-12" not in panel and "SSD" not in panel
    assert f"/registry/people/{hassan_at_b.public_id}/reveal/" in panel
    refused = client.post(
        f"/registry/people/{hassan_at_b.public_id}/reveal/", {"reveal_reason": "why"}
    )
    assert refused.status_code == 422
    html = refused.content.decode()
    assert "at least 10 characters" in html and 'value="why"' in html, "the reason kept"
    shown = client.post(
        f"/registry/people/{hassan_at_b.public_id}/reveal/",
        {"reveal_reason": "Same family as the group at the desk"},
    )
    assert shown.status_code == 200
    assert "P1234567" in shown.content.decode() and "+256700111222" in shown.content.decode()


def test_the_duplicate_review_shows_the_card_in_full_after_the_step(
    client_for, officer_amina, officer_bintu
):
    register(officer_bintu, ELSEWHERE, point="point-b")
    register(officer_amina, VARIANT)
    pair = DuplicateCandidate.objects.get()
    client = client_for(officer_amina)
    url = f"/registry/duplicates/{pair.pk}/"
    assert "P1234567" not in client.get(url).content.decode()
    refused = client.post(
        f"/registry/people/{pair.person_a.public_id}/reveal/",
        {"reveal_reason": "pair", "reveal_in": "card"},
    )
    assert refused.status_code == 422
    card = refused.content.decode()
    assert "short-card" in card and 'value="pair"' in card and "at least 10" in card
    assert "P1234567" not in card
    client.post(
        f"/registry/people/{pair.person_a.public_id}/reveal/",
        {"reveal_reason": "Deciding this duplicate pair"},
    )
    html = client.get(url).content.decode()
    assert "P1234567" in html and "short-card" not in html
    assert f'/registry/people/{pair.person_a.public_id}/"' not in html, "still no link to a 404"
    details = AuditEvent.objects.filter(object_id=str(pair.person_a.public_id)).values_list(
        "detail", flat=True
    )
    assert f"duplicate review {pair.pk}, revealed for a case" in details
