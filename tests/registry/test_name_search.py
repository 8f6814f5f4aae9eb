"""Finding a person by name on the people page and the API: one word, a prefix, another
spelling or script, a misspelling; most alike first, with the likeness shown; paged; within
the officer's area of work."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hbm.audit.models import AuditEvent
from hbm.registry import search, views
from hbm.registry.selectors import NAME_MAX_LENGTH, NAME_TOO_LONG
from tests.paging import walk
from tests.registry.helpers import register

ROW_NAME = r'<a href="/registry/people/[0-9a-f-]+/">([^<]*)</a>'
ROW_LIKENESS = r'<td class="likeness"><bdi>([^<]*)</bdi></td>'


def names_on_page(client, query, **filters):
    html = client.get("/registry/people/", {"name": query, **filters}).content.decode()
    return re.findall(ROW_NAME, html)


def api_names(client, query, **params):
    answer = client.get("/api/v1/persons", {"name": query, **params})
    assert answer.status_code == 200, answer.content
    return [f"{p['given_name']} {p['family_name']}" for p in answer.json()["results"]]


@pytest.fixture
def registered(officer_amina):
    register(
        officer_amina,
        {"given_name": "Baraka", "family_name": "Kahindo", "sex": "M"},
        {"given_name": "Jean-Pierre", "family_name": "Mukendi", "relationship": "sibling"},
    )
    register(
        officer_amina,
        {
            "given_name": "Mary",
            "family_name": "Mabior Deng",
            "name_original_script": "ماري مابيور دينق",
            "sex": "F",
        },
    )
    register(officer_amina, {"given_name": "Amani", "family_name": "Baraka", "sex": "F"})
    register(officer_amina, {"given_name": "Chantal", "family_name": "Ngoy"})


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("Baraka", {"Baraka Kahindo", "Amani Baraka"}),  # a given name, and a family name
        ("Kahindo", {"Baraka Kahindo"}),
        ("kahin", {"Baraka Kahindo"}),  # the start of a name
        ("Jean Pierre", {"Jean-Pierre Mukendi"}),  # a space for the hyphen
        ("jéan-PIERRE", {"Jean-Pierre Mukendi"}),  # accents and case
        ("Mari Mabior Dheng", {"Mary Mabior Deng"}),  # a letter off, twice
        ("Kahnido", {"Baraka Kahindo"}),  # two letters swapped
        ("ماري مابيور دينق", {"Mary Mabior Deng"}),  # as stored, in the original script
    ],
)
def test_a_name_is_found_however_it_is_typed(client_for, officer_amina, registered, query, found):
    client = client_for(officer_amina)
    assert set(names_on_page(client, query)) == found, query
    assert set(api_names(client, query)) == found, query


def test_a_surname_just_registered_is_found(client_for, officer_amina, registered):
    client = client_for(officer_amina)
    assert names_on_page(client, "Lokonda") == []
    register(officer_amina, {"given_name": "Esther", "family_name": "Lokonda"})
    assert names_on_page(client, "Lokonda") == ["Esther Lokonda"]


def test_results_come_most_alike_first_with_their_likeness(client_for, officer_amina):
    for given, family in [("Mari", "Mabior"), ("Mary", "Mabior Deng"), ("Marie", "Dheng")]:
        register(officer_amina, {"given_name": given, "family_name": family})
    client = client_for(officer_amina)
    html = client.get("/registry/people/", {"name": "Mary Mabior Deng"}).content.decode()
    assert re.findall(ROW_NAME, html)[0] == "Mary Mabior Deng"
    likeness = re.findall(ROW_LIKENESS, html)
    assert likeness[0] == "100%" and len(likeness) == len(re.findall(ROW_NAME, html))
    assert "Likeness" in html
    results = client.get("/api/v1/persons", {"name": "Mary Mabior Deng"}).json()["results"]
    scores = [p["likeness"] for p in results]
    assert results[0]["family_name"] == "Mabior Deng" and scores[0] == 1.0
    assert scores == sorted(scores, reverse=True) and 0 < scores[-1] < 1


def test_a_search_without_a_name_shows_no_likeness(client_for, officer_amina, registered):
    client = client_for(officer_amina)
    html = client.get("/registry/people/", {"crossing_point": "point-a"}).content.decode()
    assert "Baraka Kahindo" in html and "Likeness" not in html
    results = client.get("/api/v1/persons", {"crossing_point": "point-a"}).json()["results"]
    assert {p["likeness"] for p in results} == {None}


def test_only_persons_in_the_area_of_work_are_found(
    client_for, officer_amina, officer_bintu, coordinator_patrick, outsider_chen, registered
):
    register(officer_bintu, {"given_name": "Baraka", "family_name": "Otieno"}, point="point-b")
    assert set(names_on_page(client_for(officer_bintu), "Baraka")) == {"Baraka Otieno"}
    assert set(api_names(client_for(officer_amina), "Baraka")) == {
        "Baraka Kahindo",
        "Amani Baraka",
    }
    national = set(api_names(client_for(coordinator_patrick), "Baraka"))
    assert national == {"Baraka Kahindo", "Amani Baraka", "Baraka Otieno"}
    assert client_for(outsider_chen).get("/api/v1/persons", {"name": "Baraka"}).status_code == 403


def test_the_other_filters_narrow_a_name_search(client_for, coordinator_patrick, registered):
    client = client_for(coordinator_patrick)
    assert names_on_page(client, "Baraka", sex="F") == ["Amani Baraka"]
    assert api_names(client, "Baraka", sex="M", crossing_point="point-a") == ["Baraka Kahindo"]
    assert api_names(client, "Baraka", crossing_point="point-b") == []


@pytest.fixture
def many_barakas(officer_amina):
    family = [f"Baraka{chr(ord('a') + i)}" for i in range(5)]
    register(
        officer_amina,
        *({"given_name": "Baraka", "family_name": name, "sex": "M"} for name in family),
        {"given_name": "Baraka", "family_name": "Mwamba", "sex": "F"},
    )
    return family


def test_the_web_results_are_paged_and_keep_the_filters(
    client_for, officer_amina, many_barakas, monkeypatch
):
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    pages, visited = walk(
        client_for(officer_amina), "/registry/people/?name=baraka&sex=M", ROW_NAME
    )
    assert [len(page) for page in pages] == [2, 2, 1]
    assert sorted(name for page in pages for name in page) == sorted(
        f"Baraka {name}" for name in many_barakas
    )
    assert all("sex=M" in url and "name=baraka" in url for url in visited)


def test_the_api_results_are_paged_by_cursor_and_keep_the_filters(
    client_for, officer_amina, many_barakas
):
    client = client_for(officer_amina)
    url, seen, previous = "/api/v1/persons?name=baraka&sex=M&page_size=2", [], []
    while url:
        page = client.get(url).json()
        seen += [p["family_name"] for p in page["results"]]
        previous.append(page["previous"])
        url = page["next"]
        assert url is None or ("sex=M" in url and "cursor=" in url)
    assert sorted(seen) == sorted(many_barakas) and len(seen) == len(set(seen))
    assert previous[0] is None and all(previous[1:])
    back = client.get(previous[-1]).json()["results"]
    assert [p["family_name"] for p in back] == seen[2:4]


def test_a_bad_cursor_is_a_422(client_for, officer_amina, registered):
    answer = client_for(officer_amina).get("/api/v1/persons", {"name": "x", "cursor": "%%%"})
    assert answer.status_code == 422


def test_a_search_is_audited(client_for, officer_amina, registered):
    response = client_for(officer_amina).get("/registry/people/", {"name": "Baraka"})
    shown = [str(person.public_id) for person in response.context["results"]]
    events = AuditEvent.objects.filter(action="view", object_type="registry.person")
    assert len(shown) == 2 and sorted(e.object_id for e in events) == sorted(shown)
    assert {e.detail for e in events} == {"search by name: 2 shown"}


def test_a_search_finding_no_one_is_audited(client_for, officer_amina, registered):
    client_for(officer_amina).get("/registry/people/", {"name": "Zzyzx"})
    event = AuditEvent.objects.filter(action="view", object_type="registry.person").get()
    assert (event.object_id, event.detail) == ("", "search by name: 0 shown")


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("x" * 10_000, NAME_TOO_LONG.format(NAME_MAX_LENGTH)),
        ("Baraka\x07", "control character"),
        ("Baraka\u202e", "right-to-left"),
        ("?!", "at least one letter"),
    ],
)
def test_a_bad_name_is_refused_with_its_field(client_for, officer_amina, registered, name, message):
    client = client_for(officer_amina)
    answer = client.get("/api/v1/persons", {"name": name})
    assert answer.status_code == 422
    errors = answer.json()["errors"]
    assert [e["field"] for e in errors] == ["query.name"] and message in errors[0]["message"]
    page = client.get("/registry/people/", {"name": name})
    assert page.status_code == 422 and message in page.content.decode()
    assert not AuditEvent.objects.filter(action="view", object_type="registry.person").exists()


def test_an_empty_name_is_no_search(client_for, officer_amina, registered):
    page = client_for(officer_amina).get("/registry/people/", {"name": "   "})
    assert page.status_code == 200 and re.findall(ROW_NAME, page.content.decode()) == []


def test_a_broad_scope_filters_the_ranking_a_chunk_at_a_time(
    client_for, officer_amina, officer_bintu, coordinator_patrick, registered, monkeypatch
):
    register(officer_bintu, {"given_name": "Baraka", "family_name": "Otieno"}, point="point-b")
    narrow = {
        "coordinator": api_names(client_for(coordinator_patrick), "Baraka", sex="M"),
        "amina": api_names(client_for(officer_amina), "Baraka"),
    }
    # Past this many persons in scope, the ranking is filtered instead: same answers.
    monkeypatch.setattr(search, "RANK_AMONG_AT_MOST", 1)
    monkeypatch.setattr(search, "CHUNK", 1)
    assert api_names(client_for(coordinator_patrick), "Baraka", sex="M") == narrow["coordinator"]
    assert api_names(client_for(officer_amina), "Baraka") == narrow["amina"]
    assert set(narrow["coordinator"]) == {"Baraka Kahindo"}
    assert set(narrow["amina"]) == {"Baraka Kahindo", "Amani Baraka"}


SCOPE_SIZES = pytest.mark.parametrize("broad", [True, False], ids=["broad", "bounded"])


@SCOPE_SIZES
def test_a_scope_finds_who_crossed_at_the_point_since_its_last_search(
    client_for, officer_amina, officer_bintu, registered, monkeypatch, broad
):
    """Who crossed at each point is kept in memory (crossed_at), for a broad scope's walk
    and a bounded scope's ranking alike: a crossing added since the last search counts, a
    crossing at another point does not."""
    if broad:
        monkeypatch.setattr(search, "RANK_AMONG_AT_MOST", 1)
    client = client_for(officer_amina)
    assert set(api_names(client, "Baraka")) == {"Baraka Kahindo", "Amani Baraka"}
    register(officer_amina, {"given_name": "Baraka", "family_name": "Lokonda"})
    register(officer_bintu, {"given_name": "Baraka", "family_name": "Otieno"}, point="point-b")
    assert set(api_names(client, "Baraka")) == {
        "Baraka Kahindo",
        "Amani Baraka",
        "Baraka Lokonda",
    }


@SCOPE_SIZES
def test_a_person_marked_in_memory_but_no_longer_in_scope_is_not_listed(
    client_for, officer_amina, registered, point_b, monkeypatch, broad
):
    """A crossing's mark outlives the crossing (a purge) until the marks are read again;
    the database's check drops the person."""
    from hbm.registry.models import Crossing

    if broad:
        monkeypatch.setattr(search, "RANK_AMONG_AT_MOST", 1)
    client = client_for(officer_amina)
    assert "Amani Baraka" in api_names(client, "Baraka")
    Crossing.objects.filter(person__given_name="Amani").update(crossing_point=point_b)
    assert api_names(client, "Baraka") == ["Baraka Kahindo"]


def test_a_search_reaching_the_cap_asks_to_be_narrowed(
    client_for, officer_amina, many_barakas, monkeypatch
):
    monkeypatch.setattr(search, "MAX_RESULTS", 3)
    html = client_for(officer_amina).get("/registry/people/", {"name": "Baraka"}).content.decode()
    assert len(re.findall(ROW_NAME, html)) == 3
    assert "Only the 3 most alike are listed" in html
    html = client_for(officer_amina).get("/registry/people/", {"name": "Mwamba"}).content.decode()
    assert "most alike are listed" not in html


@pytest.mark.parametrize("query", [{"name": "Deng"}, {}])
def test_a_page_of_persons_costs_the_same_queries_however_many_it_holds(
    client_for, officer_amina, query
):
    """Each row names the person's cluster, nationality and first point: read with the page,
    not one query per person."""
    client = client_for(officer_amina)

    def queries_for_a_page() -> tuple[int, int]:
        client.get("/api/v1/persons", query)  # the name index catches up with the registrations
        with CaptureQueriesContext(connection) as queries:
            persons = client.get("/api/v1/persons", query).json()["results"]
        return len(persons), len(queries)

    register(officer_amina, {"given_name": "Ayen", "family_name": "Deng"})
    few, few_queries = queries_for_a_page()
    for given in ("Mary", "Achol", "Nyibol", "Abuk", "Akech"):
        register(officer_amina, {"given_name": given, "family_name": "Deng"})
    many, many_queries = queries_for_a_page()
    assert (few, many) == (1, 6)
    assert many_queries == few_queries
