"""The hit list pages and the hits API page through every hit, even hits found in the same
instant (a rescreen finds many at once), and never lose or repeat one. Both list the most likely
hits first, then the newest, and say in one line why each is likely."""

import html
import re

import pytest

from hbm.audit.models import AuditEvent
from hbm.security import services
from hbm.security.models import Hit
from hbm.security.views import PAGE_SIZE
from tests.paging import walk
from tests.registry.helpers import register

MORE_THAN_A_PAGE = PAGE_SIZE + 3


@pytest.fixture
def many_hits(security_joseph, officer_amina):
    """One open hit per entry of a long list, all found at the same instant, and one decided."""
    watchlist = services.watchlist_create(
        actor=security_joseph, owner=security_joseph.agency, name="National", legal_basis="Law"
    )
    rows = "".join(f"W-{n},Entry{n},Listed{n}\n" for n in range(MORE_THAN_A_PAGE + 1))
    services.watchlist_load(
        actor=security_joseph,
        watchlist=watchlist,
        content=f"external_id,given_name,family_name\n{rows}".encode(),
        filename="long.csv",
    )
    (person,) = register(officer_amina, {"given_name": "Lado", "family_name": "Wani"})
    Hit.objects.bulk_create(
        Hit(person=person, entry=entry, probability=0.6)
        for entry in watchlist.entries.exclude(hits__person=person)
    )
    Hit.objects.update(found_at=Hit.objects.earliest("found_at").found_at)
    decided = Hit.objects.order_by("pk").first()
    services.hit_decide(actor=security_joseph, hit=decided, decision="confirmed", reason="ID")
    return list(Hit.objects.filter(status="open").order_by("-pk"))


def test_the_hit_page_shows_every_open_hit_across_pages(client_for, security_joseph, many_hits):
    assert len(many_hits) > PAGE_SIZE
    client = client_for(security_joseph)
    pages, visited = walk(client, "/security/hits/?status=open", r'href="/security/hits/(\d+)/"')
    assert visited == ["/security/hits/?status=open", "/security/hits/?status=open&page=2"]
    assert [len(rows) for rows in pages] == [PAGE_SIZE, len(many_hits) - PAGE_SIZE]
    shown = [int(pk) for rows in pages for pk in rows]
    assert shown == [hit.pk for hit in many_hits], "none lost, none repeated"
    reads = AuditEvent.objects.filter(actor=security_joseph, detail="hit list (open)")
    assert reads.count() == 2


def test_the_hits_api_pages_with_a_cursor_and_keeps_the_filter(
    client_for, security_joseph, many_hits
):
    client = client_for(security_joseph)
    url, shown, pages = "/api/v1/hits?status=open&page_size=20", [], 0
    while url:
        body = client.get(url).json()
        assert set(body) == {"results", "next", "previous"}
        assert all(hit["status"] == "open" for hit in body["results"])
        shown += [hit["id"] for hit in body["results"]]
        url, pages = body["next"], pages + 1
    assert pages == 3
    assert shown == [hit.pk for hit in many_hits], "none lost, none repeated"
    assert AuditEvent.objects.filter(actor=security_joseph, detail="hit list (api) (open)").exists()


NAMESAKE = {
    "prior_weight": -8.4,
    "weight": 0.9,
    "probability": 0.65,
    "fields": [
        {"field": "given_name", "level": "exact", "weight": 3.1},
        {"field": "family_name", "level": "exact", "weight": 3.9},
        {"field": "father_name", "level": "different", "weight": -4.2},
        {"field": "date_of_birth", "level": "same_year", "weight": 2.0},
        {"field": "document_number", "level": "missing", "weight": 0.0},
    ],
}
NAMESAKE_WHY = (
    "Given name and Family name exact, Date of birth same year; but Father's name different"
)


@pytest.fixture
def hits_by_likelihood(security_joseph, officer_amina):
    """Three open hits: the most likely found first, two less likely found later (the newer of
    them found last), and a confirmed one more likely than all."""
    watchlist = services.watchlist_create(
        actor=security_joseph, owner=security_joseph.agency, name="National", legal_basis="Law"
    )
    rows = "".join(f"W-{n},Entry{n},Listed{n}\n" for n in range(4))
    services.watchlist_load(
        actor=security_joseph,
        watchlist=watchlist,
        content=f"external_id,given_name,family_name\n{rows}".encode(),
        filename="four.csv",
    )
    (person,) = register(officer_amina, {"given_name": "Lado", "family_name": "Wani"})
    entries = list(watchlist.entries.order_by("external_id"))
    found = [
        (0.92, "2026-11-01T08:00:00+00:00"),
        (0.65, "2026-11-03T08:00:00+00:00"),
        (0.65, "2026-11-05T08:00:00+00:00"),
        (0.99, "2026-11-06T08:00:00+00:00"),
    ]
    hits = []
    for entry, (probability, found_at) in zip(entries, found, strict=True):
        hit, _ = Hit.objects.update_or_create(
            person=person,
            entry=entry,
            defaults={"probability": probability, "explanation": NAMESAKE},
        )
        Hit.objects.filter(pk=hit.pk).update(found_at=found_at)
        hits.append(hit)
    services.hit_decide(actor=security_joseph, hit=hits[3], decision="confirmed", reason="ID")
    older_likely, older_unlikely, newer_unlikely, _confirmed = hits
    return [older_likely.pk, newer_unlikely.pk, older_unlikely.pk]


def test_the_hit_page_shows_the_most_likely_first_then_the_newest(
    client_for, security_joseph, hits_by_likelihood
):
    content = client_for(security_joseph).get("/security/hits/").content.decode()
    shown = [int(pk) for pk in re.findall(r'href="/security/hits/(\d+)/"', content)]
    assert shown == hits_by_likelihood, "92 % found first, then 65 % newest first; open only"
    assert content.count(html.escape(NAMESAKE_WHY)) == 3


def test_the_hits_api_answers_the_most_likely_first_with_why(
    client_for, security_joseph, hits_by_likelihood
):
    client = client_for(security_joseph)
    body = client.get("/api/v1/hits?status=open").json()
    assert [hit["id"] for hit in body["results"]] == hits_by_likelihood
    assert {hit["why"] for hit in body["results"]} == {NAMESAKE_WHY}
    url, shown = "/api/v1/hits?status=open&page_size=1", []
    while url:  # a cursor on a likelihood two hits share
        body = client.get(url).json()
        shown += [hit["id"] for hit in body["results"]]
        url = body["next"]
    assert shown == hits_by_likelihood, "none lost, none repeated"
    everything = client.get("/api/v1/hits").json()["results"]
    assert [hit["probability"] for hit in everything] == [0.99, 0.92, 0.65, 0.65]


def test_a_hits_page_says_why_in_the_same_words(client_for, security_joseph, hits_by_likelihood):
    response = client_for(security_joseph).get(f"/security/hits/{hits_by_likelihood[0]}/")
    content = response.content.decode()
    assert html.escape(NAMESAKE_WHY) in content
    assert "<td>Father&#x27;s name</td><td>different</td>" in content
    assert "Document number" not in content, "a field neither record gave weighs nothing"
