"""A security officer sees a hit only where he may see the person behind it: persons who crossed
at one of his points. A hit outside answers 404 as one that does not exist, on every path (list,
detail, decision, metrics; API and web), and the attempt is audited."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from hbm.audit.models import AuditEvent
from hbm.security import selectors, services
from hbm.security.models import Hit
from tests.factories import UserFactory
from tests.registry.helpers import register

CSV = (
    "external_id,given_name,family_name,date_of_birth,nationality,reason_category\n"
    "W-A,Joseph,Kony,1961,UGA,wanted at A\n"
    "W-B,Vincent,Otti,1946,UGA,terrorism\n"
)


@pytest.fixture
def security_sara(point_b):
    """A second security officer, assigned to point B only."""
    return UserFactory(username="sara", roles=["security_officer"], crossing_points=[point_b])


@pytest.fixture
def hits(security_joseph, officer_amina, officer_bintu):
    """One hit about a person who crossed only at point A, one about a person who crossed only
    at point B."""
    watchlist = services.watchlist_create(
        actor=security_joseph, owner=security_joseph.agency, name="National", legal_basis="Law"
    )
    services.watchlist_load(
        actor=security_joseph, watchlist=watchlist, content=CSV.encode(), filename="n.csv"
    )
    kony = {"given_name": "Joseph", "family_name": "Kony", "date_of_birth": "1961"}
    otti = {"given_name": "Vincent", "family_name": "Otti", "date_of_birth": "1946"}
    register(officer_amina, {**kony, "nationality": "UGA"})
    register(officer_bintu, {**otti, "nationality": "UGA"}, point="point-b")
    return Hit.objects.get(entry__external_id="W-A"), Hit.objects.get(entry__external_id="W-B")


def decide(client, hit):
    body = json.dumps({"decision": "confirmed", "reason": "Documents checked"})
    return client.post(f"/api/v1/hits/{hit.pk}/decision", body, content_type="application/json")


def denied(user, hit):
    return AuditEvent.objects.filter(
        actor=user, action="denied", object_type="security.hit", object_id=str(hit.pk)
    )


def test_the_hit_lists_show_only_hits_at_the_officers_points(
    client_for, security_joseph, security_sara, hits
):
    at_a, at_b = hits
    for user, mine in ((security_joseph, at_a), (security_sara, at_b)):
        client = client_for(user)
        listed = client.get("/api/v1/hits").json()["results"]
        assert [hit["id"] for hit in listed] == [mine.pk]
        page = client.get("/security/hits/").content.decode()
        assert f"/security/hits/{mine.pk}/" in page
        other = at_b if mine == at_a else at_a
        assert f"/security/hits/{other.pk}/" not in page
        assert other.person.family_name not in page


def test_a_hit_at_another_point_answers_404_like_no_hit_and_is_audited(
    client_for, security_joseph, hits
):
    at_a, at_b = hits
    client = client_for(security_joseph)
    missing = Hit.objects.order_by("pk").last().pk + 1000
    assert client.get(f"/api/v1/hits/{at_a.pk}").status_code == 200
    assert client.get(f"/security/hits/{at_a.pk}/").status_code == 200
    views = AuditEvent.objects.filter(action="view", object_id=str(at_a.pk))
    assert views.filter(actor=security_joseph, object_type="security.hit").count() == 2
    out_of_scope = client.get(f"/api/v1/hits/{at_b.pk}")
    absent = client.get(f"/api/v1/hits/{missing}")
    assert out_of_scope.status_code == absent.status_code == 404
    assert out_of_scope.json() == absent.json()
    assert "terrorism" not in out_of_scope.content.decode()
    web = client.get(f"/security/hits/{at_b.pk}/")
    assert web.status_code == 404
    assert "terrorism" not in web.content.decode()
    assert denied(security_joseph, at_b).count() == 2
    assert denied(security_joseph, at_b).first().detail == selectors.OUT_OF_SCOPE
    assert denied(security_joseph, at_a).count() == 0


def test_an_officer_cannot_decide_a_hit_at_another_point(
    client_for, security_joseph, security_sara, hits
):
    _at_a, at_b = hits
    client = client_for(security_joseph)
    assert decide(client, at_b).status_code == 404
    web = client.post(
        f"/security/hits/{at_b.pk}/", {"decision": "confirmed", "reason": "Documents checked"}
    )
    assert web.status_code == 404
    at_b.refresh_from_db()
    assert at_b.status == "open" and at_b.decided_by is None
    assert denied(security_joseph, at_b).count() == 2
    assert decide(client_for(security_sara), at_b).json()["status"] == "confirmed"


def test_the_decision_service_itself_refuses_a_hit_at_another_point(security_joseph, hits):
    _at_a, at_b = hits
    with pytest.raises(Http404):
        services.hit_decide(
            actor=security_joseph, hit=at_b, decision="confirmed", reason="Documents checked"
        )
    at_b.refresh_from_db()
    assert at_b.status == "open"


def test_a_hit_is_visible_exactly_where_its_person_is(
    client_for, security_joseph, security_sara, hits, immigration, point_a, point_b
):
    """A person who first crossed at B and later at A is seen at A: the hit with him."""
    at_a, at_b = hits
    both = UserFactory(
        username="both",
        agency=immigration,
        roles=["registration_officer"],
        crossing_points=[point_a, point_b],
    )
    register(both, {"existing_person": at_b.person.public_id}, direction="exit")
    for user in (security_joseph, security_sara):
        client = client_for(user)
        for hit in (at_a, at_b):
            person = client.get(f"/api/v1/persons/{hit.person.public_id}").status_code
            assert client.get(f"/api/v1/hits/{hit.pk}").status_code == person
    joseph = client_for(security_joseph)
    assert {hit["id"] for hit in joseph.get("/api/v1/hits").json()["results"]} == {
        at_a.pk,
        at_b.pk,
    }


def test_metrics_count_only_the_hits_at_the_officers_points(
    client_for, security_joseph, security_sara, hits
):
    at_b = hits[1]
    services.hit_decide(actor=security_sara, hit=at_b, decision="confirmed", reason="Checked")
    joseph = client_for(security_joseph).get("/api/v1/security/metrics").json()
    assert joseph["by_crossing_point"] == [{"crossing_point": "point-a", "n": 1}]
    assert joseph["by_status"] == [{"status": "open", "n": 1}]
    assert joseph["by_list"] == [{"watchlist": "National", "n": 1}]
    assert joseph["mean_review_hours"] is None, "the only decided hit is at point B"
    sara = client_for(security_sara).get("/api/v1/security/metrics").json()
    assert sara["by_crossing_point"] == [{"crossing_point": "point-b", "n": 1}]
    assert sara["by_status"] == [{"status": "confirmed", "n": 1}]
    assert sara["mean_review_hours"] is not None
    reads = AuditEvent.objects.filter(action="view", detail="security metrics (api)")
    assert set(reads.values_list("actor__username", flat=True)) == {"joseph", "sara"}


def test_a_security_officer_with_national_scope_sees_every_hit(client_for, hits):
    national = UserFactory(username="chief", roles=["security_officer", "coordinator"])
    listed = client_for(national).get("/api/v1/hits").json()["results"]
    assert {hit["id"] for hit in listed} == {hit.pk for hit in hits}


@pytest.mark.parametrize("persona", ["officer_amina", "protection_bruno", "coordinator_patrick"])
def test_other_roles_get_404_everywhere_in_the_compartment_and_it_is_audited(
    request, client_for, persona, hits
):
    user = request.getfixturevalue(persona)
    client = client_for(user)
    watchlist = hits[0].entry.watchlist
    reads = [
        "/api/v1/hits",
        "/security/hits/",
        f"/security/hits/{hits[0].pk}/",
        "/api/v1/security/metrics",
        "/security/watchlists/",
        "/api/v1/security/rescreen/latest",
    ]
    for url in reads:
        assert client.get(url).status_code == 404, url
    writes = [
        ("/api/v1/watchlists", {"name": "Mine", "owner": "police", "legal_basis": "None"}),
        (f"/api/v1/watchlists/{watchlist.pk}/entries/W-A/remove", {}),
        ("/api/v1/security/rescreen", {}),
    ]
    for url, body in writes:
        assert client.post(url, body, content_type="application/json").status_code == 404, url
    upload = SimpleUploadedFile("mine.csv", CSV.encode())
    assert (
        client.post(f"/api/v1/watchlists/{watchlist.pk}/load", {"file": upload}).status_code == 404
    )
    assert decide(client, hits[0]).status_code == 404
    assert AuditEvent.objects.filter(actor=user, action="denied").count() == len(reads) + 5
    assert watchlist.entries.filter(active=True).count() == 2
    assert not watchlist.loads.exclude(filename="n.csv").exists()


def test_a_load_names_a_watchlist_that_exists_or_gets_404(client_for, security_joseph, hits):
    client = client_for(security_joseph)
    for value in ("not-a-number", "999999"):
        response = client.post(f"/security/watchlists/{value}/load/", {"content": ""})
        assert response.status_code == 404, value
    assert client.post("/api/v1/watchlists/999999/entries/W-A/remove").status_code == 404


def test_watchlists_are_shared_by_every_security_officer(client_for, security_sara, hits):
    client = client_for(security_sara)
    assert "National" in client.get("/security/watchlists/").content.decode()
    read = AuditEvent.objects.get(actor=security_sara, action="view")
    assert read.object_type == "security.watchlist"
    watchlist = hits[0].entry.watchlist
    removed = client.post(f"/api/v1/watchlists/{watchlist.pk}/entries/W-A/remove")
    assert removed.status_code == 200
    assert not watchlist.entries.get(external_id="W-A").active
