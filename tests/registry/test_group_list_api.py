"""GET /api/v1/groups: the households and travel groups of the caller's area, paged."""

from hbm.audit.models import AuditEvent
from tests.registry.helpers import register


def walk_api(client, url):
    pages = []
    while url:
        answer = client.get(url)
        assert answer.status_code == 200, answer.content
        pages.append(answer.json()["results"])
        url = answer.json()["next"]
    return pages


def heads(pages):
    return [group["members"][0]["name"] for page in pages for group in page]


def test_groups_are_listed_newest_first_with_their_members(client_for, officer_amina):
    register(officer_amina, {"given_name": "Baraka", "family_name": "Kahindo"})
    register(
        officer_amina,
        {"given_name": "Amani", "family_name": "Ngoy"},
        {"given_name": "Esther", "family_name": "Ngoy", "relationship": "child"},
        kind="travel_group",
    )
    (newest, oldest) = client_for(officer_amina).get("/api/v1/groups").json()["results"]
    assert newest["kind"] == "travel_group"
    assert [(m["name"], m["relationship"]) for m in newest["members"]] == [
        ("Amani Ngoy", "head"),
        ("Esther Ngoy", "child"),
    ]
    assert [m["name"] for m in oldest["members"]] == ["Baraka Kahindo"]
    event = AuditEvent.objects.filter(action="view", object_type="registry.group").get()
    assert event.actor == officer_amina


def test_groups_are_paged_by_cursor_and_filtered_by_kind(client_for, officer_amina):
    for i in range(5):
        register(officer_amina, {"given_name": f"Head{i}", "family_name": "Kahindo"})
    register(officer_amina, {"given_name": "Alone", "family_name": "Kahindo"}, kind="individual")
    client = client_for(officer_amina)
    pages = walk_api(client, "/api/v1/groups?kind=household&page_size=2")
    assert [len(page) for page in pages] == [2, 2, 1]
    assert heads(pages) == [f"Head{i} Kahindo" for i in reversed(range(5))]
    alone = client.get("/api/v1/groups", {"kind": "individual"}).json()["results"]
    assert [g["members"][0]["name"] for g in alone] == ["Alone Kahindo"]


def test_only_groups_of_the_area_of_work_are_listed(
    client_for, officer_amina, officer_bintu, coordinator_patrick, outsider_chen
):
    register(officer_amina, {"given_name": "Baraka", "family_name": "Kahindo"})
    register(officer_bintu, {"given_name": "Chantal", "family_name": "Ngoy"}, point="point-b")
    assert heads(walk_api(client_for(officer_amina), "/api/v1/groups")) == ["Baraka Kahindo"]
    assert heads(walk_api(client_for(officer_bintu), "/api/v1/groups")) == ["Chantal Ngoy"]
    everyone = heads(walk_api(client_for(coordinator_patrick), "/api/v1/groups"))
    assert everyone == ["Chantal Ngoy", "Baraka Kahindo"]
    assert client_for(outsider_chen).get("/api/v1/groups").status_code == 403


def test_a_bad_kind_or_cursor_is_a_422(client_for, officer_amina):
    client = client_for(officer_amina)
    answer = client.get("/api/v1/groups", {"kind": "tribe"})
    assert answer.status_code == 422
    assert [e["field"] for e in answer.json()["errors"]] == ["query.kind"]
    assert client.get("/api/v1/groups", {"cursor": "%%%"}).status_code == 422


def test_a_group_still_opens_with_its_members(client_for, officer_amina):
    register(
        officer_amina,
        {"given_name": "Amani", "family_name": "Ngoy"},
        {"given_name": "Esther", "family_name": "Ngoy", "relationship": "child"},
    )
    client = client_for(officer_amina)
    (group,) = client.get("/api/v1/groups").json()["results"]
    detail = client.get(f"/api/v1/groups/{group['id']}").json()
    assert detail == group
