import re
from datetime import timedelta

import pytest
from django.utils import timezone, translation

from hbm.audit.models import AuditEvent
from hbm.registry.models import Crossing, DuplicateCandidate, Group
from hbm.registry.services.duplicates import duplicate_decide
from tests.paging import walk
from tests.registry.helpers import register

HASSAN = {
    "given_name": "Mohammed",
    "family_name": "Hassan",
    "sex": "M",
    "date_of_birth": "1984-03-12",
    "nationality": "SSD",
    "document_number": "P123",
}


def test_the_person_page_shows_identity_crossings_and_group_and_is_audited(
    client_for, officer_amina
):
    head, _child = register(
        officer_amina, HASSAN, {"given_name": "Yusuf", "family_name": "Hassan", "age_estimate": 7}
    )
    html = client_for(officer_amina).get(f"/registry/people/{head.public_id}/").content.decode()
    assert "Mohammed Hassan" in html and "P123" in html and "Point A" in html
    assert "Yusuf Hassan" in html
    assert "1 crossing" in html and 'rel="next"' not in html, "one page: counted, no pager"
    event = AuditEvent.objects.filter(action="view", object_id=str(head.public_id)).get()
    assert event.actor == officer_amina and event.detail == "person page"


def test_people_outside_ones_points_are_not_found(
    client_for, officer_amina, officer_bintu, coordinator_patrick, outsider_chen
):
    (head,) = register(officer_amina, HASSAN)
    url = f"/registry/people/{head.public_id}/"
    assert client_for(officer_bintu).get(url).status_code == 404
    assert client_for(coordinator_patrick).get(url).status_code == 200
    assert client_for(outsider_chen).get(url).status_code == 403
    assert client_for(outsider_chen).get(f"/api/v1/persons/{head.public_id}").status_code == 403
    assert client_for(officer_bintu).get(f"/api/v1/persons/{head.public_id}").status_code == 404


def test_search_finds_a_misspelled_and_an_arabic_script_name(client_for, officer_amina):
    register(officer_amina, HASSAN)
    register(officer_amina, {"given_name": "Nkurunziza", "family_name": "Jean", "sex": "M"})
    client = client_for(officer_amina)
    for query in ("Muhamad Hasan", "محمد حسن", "hassan mohammed"):
        html = client.get("/registry/people/", {"name": query}).content.decode()
        assert "Mohammed Hassan" in html, query
        assert "Nkurunziza" not in html, query
    html = client.get("/registry/people/", {"document_number": "p 123"}).content.decode()
    assert "Mohammed Hassan" in html
    api = client.get("/api/v1/persons", {"name": "Muhammad Hassan"}).json()
    assert [p["given_name"] for p in api["results"]] == ["Mohammed"]
    assert AuditEvent.objects.filter(action="view", detail__startswith="search").exists()


def test_search_is_limited_to_the_officers_points(client_for, officer_amina, officer_bintu):
    register(officer_amina, HASSAN)
    response = client_for(officer_bintu).get(
        "/registry/people/", {"name": "Mohammed Hassan"}, HTTP_HX_REQUEST="true"
    )
    assert "Nobody in your area of work matches." in response.content.decode()
    api = client_for(officer_bintu).get("/api/v1/persons", {"document_number": "P123"}).json()
    assert api["results"] == []


def test_crossings_list_filters_and_pages(client_for, officer_amina, coordinator_patrick):
    for n in range(3):
        register(officer_amina, {"given_name": f"Person{n}", "family_name": "Test"})
    register(officer_amina, {"given_name": "Leaving", "family_name": "Test"}, direction="exit")
    client = client_for(coordinator_patrick)
    page = client.get("/api/v1/crossings", {"page_size": 2, "direction": "entry"}).json()
    assert len(page["results"]) == 2 and page["next"]
    rest = client.get(page["next"]).json()
    assert len(rest["results"]) == 1
    exits = client.get("/api/v1/crossings", {"direction": "exit"}).json()["results"]
    assert len(exits) == 1


def test_match_api_returns_candidates_with_explanations(client_for, officer_amina):
    register(officer_amina, HASSAN)
    response = client_for(officer_amina).post(
        "/api/v1/persons/match",
        {
            "given_name": "Muhammad",
            "family_name": "Hasan",
            "date_of_birth": "1984",
            "nationality": "ssd",
        },
        content_type="application/json",
    )
    assert response.status_code == 200
    (candidate,) = response.json()
    assert candidate["name"] == "Mohammed Hassan"
    assert candidate["explanation"]["fields"]
    bad = client_for(officer_amina).post(
        "/api/v1/persons/match", {"limit": 500}, content_type="application/json"
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "body.payload.limit"


def test_the_index_snapshot_saves_and_reloads(tmp_path, officer_amina):
    from django.core.management import call_command

    from hbm.registry.identity import RegistryIndex, registry_index

    register(officer_amina, HASSAN)
    registry_index.snapshot = tmp_path / "index.bin"
    call_command("person_index", "save")
    restarted = RegistryIndex(snapshot=tmp_path / "index.bin")
    register(officer_amina, {"given_name": "Later", "family_name": "Arrival"})
    index = restarted.current()
    assert len(index) == 2, "loaded from the snapshot, then caught up with the newcomer"


# The person page pages each of its lists on its own query parameter.
CROSSING_ROW = r"<li><strong>(\d{4}-\d\d-\d\d \d\d:\d\d)</strong>"
GROUP_ROW = r'id="group-([0-9a-f-]+)"'
REGISTRATION_ROW = r'<li><a href="/registry/people/([0-9a-f-]+)/">'
DUPLICATE_ROW = r'href="/registry/duplicates/(\d+)/"'


@pytest.fixture
def trader(officer_amina):
    """A cross-border trader: registered once, then back 30 times (entered out of order, as
    paper records are), each crossing with a group of its own: 31 crossings, 31 groups."""
    (person,) = register(officer_amina, HASSAN)
    now = timezone.now()
    for k in range(30):
        register(
            officer_amina,
            {"existing_person": person.public_id},
            kind="individual",
            crossed_at=now - timedelta(days=(7 * k) % 30 + 1, hours=k % 5),
        )
    return person


def _newest_first(person):
    crossings = sorted(Crossing.objects.filter(person=person), key=lambda c: c.crossed_at)
    return [timezone.localtime(c.crossed_at).strftime("%Y-%m-%d %H:%M") for c in crossings][::-1]


def _get(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_timeline_pages_through_every_crossing_once_newest_first(
    client_for, officer_amina, trader
):
    client = client_for(officer_amina)
    url = f"/registry/people/{trader.public_id}/?groups=2"
    pages, visited = walk(client, url, CROSSING_ROW, param="crossings")
    assert [len(page) for page in pages] == [25, 6]
    assert [row for rows in pages for row in rows] == _newest_first(trader)
    assert all("groups=2" in page_url for page_url in visited), "the groups keep their page"
    assert "1–25 of 31 crossings" in _get(client, visited[0])
    assert "26–31 of 31 crossings" in _get(client, visited[-1])


def test_the_groups_page_on_their_own(client_for, officer_amina, trader):
    client = client_for(officer_amina)
    url = f"/registry/people/{trader.public_id}/?crossings=2"
    pages, visited = walk(client, url, GROUP_ROW, param="groups")
    registered = Group.objects.filter(members__person=trader).order_by("pk")
    assert [len(page) for page in pages] == [10, 10, 10, 1]
    assert [row for rows in pages for row in rows] == [
        str(g.public_id) for g in reversed(registered)
    ], "newest first"
    last = _get(client, visited[-1])
    assert "31–31 of 31 groups" in last
    assert re.findall(CROSSING_ROW, last) == _newest_first(trader)[25:], "crossings: page 2"


def test_a_page_number_that_is_not_one_shows_the_first_or_the_last_page(
    client_for, officer_amina, trader
):
    client = client_for(officer_amina)
    url = f"/registry/people/{trader.public_id}/"
    crossings = _newest_first(trader)
    for wrong in ("abc", "", "2.5", "1e3"):
        assert re.findall(CROSSING_ROW, _get(client, f"{url}?crossings={wrong}")) == crossings[:25]
    for beyond in ("3", "999999999999", "0", "-1"):
        assert re.findall(CROSSING_ROW, _get(client, f"{url}?crossings={beyond}")) == crossings[25:]
    assert len(re.findall(GROUP_ROW, _get(client, f"{url}?groups=x&duplicates=7"))) == 10
    event = AuditEvent.objects.filter(action="view", object_id=str(trader.public_id)).latest("pk")
    assert event.detail == "person page", "page numbers shown, not page numbers asked for"


def test_each_view_of_the_person_page_is_one_audit_event_naming_the_pages_shown(
    client_for, officer_amina, trader
):
    client = client_for(officer_amina)
    url = f"/registry/people/{trader.public_id}/"
    for query, detail in (
        ("", "person page"),
        ("?crossings=1&groups=1", "person page"),
        ("?crossings=2&groups=3", "person page, crossings p. 2, groups p. 3"),
        ("?groups=99", "person page, groups p. 4"),
    ):
        last = AuditEvent.objects.latest("pk").pk
        _get(client, url + query)
        (event,) = AuditEvent.objects.filter(pk__gt=last)
        assert (event.action, event.object_id, event.detail) == (
            "view",
            str(trader.public_id),
            detail,
        )
        assert event.actor == officer_amina


def test_outsiders_are_not_shown_a_later_page_either(
    client_for, officer_bintu, outsider_chen, trader
):
    url = f"/registry/people/{trader.public_id}/?crossings=2&groups=3"
    before = AuditEvent.objects.count()
    assert client_for(officer_bintu).get(url).status_code == 404
    assert client_for(outsider_chen).get(url).status_code == 403
    # nothing is shown, so nothing is read: only the out-of-scope attempt is audited
    (denied,) = AuditEvent.objects.all()[: AuditEvent.objects.count() - before]
    assert (denied.action, denied.actor, denied.object_id) == (
        "denied",
        officer_bintu,
        str(trader.public_id),
    )


def test_other_registrations_and_possible_duplicates_page_on_their_own(client_for, officer_amina):
    """23 look-alikes registered together: each is a possible duplicate of Hassan; 11 are
    decided the same person (they join his identity), 12 still wait for review."""
    (hassan,) = register(officer_amina, HASSAN)
    register(
        officer_amina,
        HASSAN,
        *(dict(HASSAN, relationship="sibling") for _ in range(22)),
        kind="travel_group",
    )
    pairs = list(DuplicateCandidate.objects.filter(person_a=hassan).order_by("pk"))
    assert len(pairs) == 23
    for pair in pairs[:11]:
        duplicate_decide(actor=officer_amina, candidate=pair, decision="same")
    client = client_for(officer_amina)
    url = f"/registry/people/{hassan.public_id}/"

    pages, _ = walk(client, url, REGISTRATION_ROW, param="registrations")
    same = sorted((pair.person_b for pair in pairs[:11]), key=lambda p: p.pk, reverse=True)
    assert [len(page) for page in pages] == [10, 1]
    assert [row for rows in pages for row in rows] == [str(p.public_id) for p in same], (
        "newest first"
    )

    pages, visited = walk(client, url + "?registrations=2", DUPLICATE_ROW, param="duplicates")
    waiting = sorted(pairs[11:], key=lambda pair: (-pair.probability, pair.pk))
    assert [len(page) for page in pages] == [10, 2]
    assert [row for rows in pages for row in rows] == [str(pair.pk) for pair in waiting], (
        "most likely first"
    )
    last = _get(client, visited[-1])
    assert "11–12 of 12 possible duplicates" in last
    assert "11–11 of 11 registrations" in last, "the registrations stayed on their page 2"


@pytest.fixture
def back_to_english():
    """A request in French or Arabic activates it for the thread; the next test starts in
    English."""
    yield
    translation.deactivate()


def test_the_counts_are_translated(client_for, officer_amina, trader, back_to_english):
    client = client_for(officer_amina)
    url = f"/registry/people/{trader.public_id}/"
    french = client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "1–25 sur 31 passages" in french and "1–10 sur 31 groupes" in french
    arabic = client.get(url, HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert "1–25 من أصل 31 مرة عبور" in arabic and "1–10 من أصل 31 مجموعةً" in arabic


def test_other_registrations_outside_ones_points_are_named_but_not_linked(
    client_for, officer_amina, officer_bintu, coordinator_patrick
):
    """The officer learns that the person was registered at another point too, but gets no
    link to a page that would answer 404."""
    (hassan,) = register(officer_amina, HASSAN)
    (at_b,) = register(officer_bintu, HASSAN, point="point-b")
    pair = DuplicateCandidate.objects.get(person_a=hassan, person_b=at_b)
    duplicate_decide(actor=coordinator_patrick, candidate=pair, decision="same")
    url = f"/registry/people/{hassan.public_id}/"

    html = _get(client_for(officer_amina), url)
    section = html[html.index('id="registrations"') :]
    assert "Mohammed Hassan" in section and "Point B" in section
    assert f"/registry/people/{at_b.public_id}/" not in html
    assert client_for(officer_amina).get(f"/registry/people/{at_b.public_id}/").status_code == 404

    national = _get(client_for(coordinator_patrick), url)
    assert re.findall(REGISTRATION_ROW, national) == [str(at_b.public_id)]
