"""The one way lists page and put on record what a page showed (hbm.audit.paging): a page
records exactly the persons on it, for the views and the API alike."""

import pytest
from django.test import RequestFactory

from hbm.audit.models import AuditEvent
from hbm.audit.paging import page_shown
from hbm.registry.models import Person
from tests.registry.helpers import register

NAMES = ["Akol", "Akon", "Akot", "Akech", "Akuol"]


@pytest.fixture
def persons(officer_amina):
    return [register(officer_amina, {"given_name": name, "age_estimate": 30})[0] for name in NAMES]


def _views(actor):
    return AuditEvent.objects.filter(actor=actor, action="view")


def _ids(persons):
    return sorted(str(person.public_id) for person in persons)


def _page(user, number, **kwargs):
    request = RequestFactory().get("/", {"p": number})
    request.user = user
    rows = Person.objects.order_by("pk")
    return page_shown(request, rows, detail="test list", param="p", per_page=2, **kwargs)


@pytest.mark.parametrize("number", [1, 2, 3])
def test_a_page_records_exactly_the_persons_it_shows(officer_amina, persons, number):
    page = _page(officer_amina, number, shown=lambda person: [person])
    assert list(page) == persons[(number - 1) * 2 : number * 2]
    events = _views(officer_amina)
    assert sorted(e.object_id for e in events) == _ids(page)
    assert {(e.object_type, e.detail) for e in events} == {("registry.person", "test list")}


def test_a_list_of_no_one_is_recorded_once_and_a_list_of_nothing_not_at_all(officer_amina, persons):
    _page(officer_amina, 1, object_type="registry.person")
    (event,) = _views(officer_amina)
    assert (event.object_type, event.object_id, event.detail) == (
        "registry.person",
        "",
        "test list",
    )
    page = _page(officer_amina, 2)
    assert len(page) == 2 and _views(officer_amina).count() == 1


def _api_pages(client, url):
    """Each page of an API list with the persons' reads its request wrote."""
    while url:
        before = set(AuditEvent.objects.filter(action="view").values_list("pk", flat=True))
        body = client.get(url).json()
        new = list(AuditEvent.objects.filter(action="view").exclude(pk__in=before))
        yield body["results"], new
        url = body["next"]


@pytest.mark.parametrize("query", ["", "name=Akol"], ids=["newest first", "ranked by name"])
def test_an_api_page_records_exactly_the_persons_it_returns(
    client_for, officer_amina, persons, query
):
    client = client_for(officer_amina)
    pages = list(_api_pages(client, f"/api/v1/persons?page_size=2&{query}"))
    assert len(pages) >= 2
    seen = []
    for results, events in pages:
        assert sorted(e.object_id for e in events) == sorted(p["id"] for p in results)
        assert {e.object_type for e in events} == {"registry.person"}
        seen += [p["id"] for p in results]
    assert len(seen) == len(set(seen))


def test_an_api_page_of_no_one_is_still_on_record(client_for, officer_amina, persons):
    body = client_for(officer_amina).get("/api/v1/persons?document_number=none").json()
    assert body["results"] == []
    (event,) = _views(officer_amina)
    assert (event.object_type, event.object_id) == ("registry.person", "")
    assert event.detail == "search by document_number (api)"
