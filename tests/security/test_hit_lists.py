"""The hit list pages and the hits API page through every hit, even hits found in the same
instant (a rescreen finds many at once), and never lose or repeat one."""

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
