"""Children flagged at the registration desk as without a related adult wait in the protection
worklist of their crossing point, "to screen", until a protection screening is recorded."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from hbm.audit.models import AuditEvent
from hbm.screening import services, tracing
from hbm.screening.views import PAGE_SIZE
from tests.factories import UserFactory
from tests.paging import walk
from tests.plans import full_scans, web_page
from tests.registry.helpers import register


def _alone(officer, given, point="point-a", **fields):
    (child,) = register(
        officer,
        {"given_name": given, "family_name": "Deng", "age_estimate": 11, **fields},
        kind="individual",
        point=point,
    )
    return child


def _family(officer):
    return register(
        officer,
        {"given_name": "Mary", "family_name": "Deng", "sex": "F", "date_of_birth": "1990"},
        {"given_name": "Peter", "family_name": "Deng", "age_estimate": 8},
    )


def test_a_child_flagged_at_the_desk_waits_to_be_screened(officer_amina, protection_bruno):
    child = _alone(officer_amina, "Ajok")
    _family(officer_amina)  # a child with a parent is not flagged
    listed = list(tracing.to_screen_list(user=protection_bruno))
    assert [c.person for c in listed] == [child]
    services.screening_record(actor=protection_bruno, person=child, answers={})
    assert list(tracing.to_screen_list(user=protection_bruno)) == []


def test_a_screening_before_the_crossing_does_not_count(officer_amina, protection_bruno):
    child = _alone(officer_amina, "Ajok")
    services.screening_record(actor=protection_bruno, person=child, answers={})
    register(
        officer_amina,
        {"existing_person": child.public_id},
        kind="individual",
        crossed_at=timezone.now() + timedelta(minutes=5),
    )
    listed = list(tracing.to_screen_list(user=protection_bruno))
    assert [c.person for c in listed] == [child], "crossing again alone: to screen again"


def test_an_officer_of_another_point_does_not_see_the_child(
    officer_amina, officer_bintu, protection_bruno, point_b
):
    _alone(officer_bintu, "Akol", point="point-b")
    assert list(tracing.to_screen_list(user=protection_bruno)) == []
    other = UserFactory(
        username="beatrice", roles=["protection_officer"], crossing_points=[point_b]
    )
    assert [c.person.given_name for c in tracing.to_screen_list(user=other)] == ["Akol"]


def test_registration_asks_nothing_more_of_the_database(officer_amina):
    """The worklist is read from the crossings; registering writes and reads what it did."""
    _alone(officer_amina, "Warm")  # caches warm
    with CaptureQueriesContext(connection) as queries:
        _alone(officer_amina, "Ajok")
    assert not [q["sql"] for q in queries if "screening_" in q["sql"]]


def test_the_worklist_page_shows_children_to_screen(client_for, officer_amina, protection_bruno):
    child = _alone(officer_amina, "Ajok")
    client = client_for(protection_bruno)
    page = client.get("/screening/children-alone/").content.decode()
    assert 'id="to-screen"' in page and "Ajok Deng" in page and "to screen" in page
    assert AuditEvent.objects.filter(
        actor=protection_bruno, object_id=str(child.public_id), detail="children to screen list"
    ).exists()
    services.screening_record(actor=protection_bruno, person=child, answers={})
    page = client.get("/screening/children-alone/").content.decode()
    assert "No child is waiting to be screened" in page


def test_the_worklist_is_for_protection_officers_only(client_for, officer_amina):
    _alone(officer_amina, "Ajok")
    client = client_for(officer_amina)
    assert client.get("/screening/children-alone/").status_code == 403
    assert client.get("/api/v1/children/to-screen").status_code == 403


def test_the_worklist_pages_through_every_child(client_for, officer_amina, protection_bruno):
    children = [_alone(officer_amina, f"Child{n}") for n in range(PAGE_SIZE + 2)]
    pages, visited = walk(
        client_for(protection_bruno),
        "/screening/children-alone/",
        r'href="/screening/persons/([^/"]+)/screen/"',
        param="to_screen",
    )
    assert visited == [
        "/screening/children-alone/",
        "/screening/children-alone/?to_screen=2#to-screen-h",
    ]
    assert [len(rows) for rows in pages] == [PAGE_SIZE, 2]
    assert sorted(p for rows in pages for p in rows) == sorted(str(c.public_id) for c in children)


def test_the_api_lists_children_to_screen_in_pages(client_for, officer_amina, protection_bruno):
    children = [_alone(officer_amina, f"Child{n}") for n in range(3)]
    api = client_for(protection_bruno)
    first = api.get("/api/v1/children/to-screen?page_size=2").json()
    assert [r["person"] for r in first["results"]] == [str(c.public_id) for c in children[:0:-1]]
    assert first["results"][0]["state"] == "to_screen"
    assert first["results"][0]["crossing_point"] == "point-a"
    rest = api.get(first["next"]).json()
    assert [r["person"] for r in rest["results"]] == [str(children[0].public_id)]
    assert AuditEvent.objects.filter(detail="children to screen list (api)").exists()


def test_the_api_refuses_bad_paging_with_the_field(client_for, protection_bruno):
    api = client_for(protection_bruno)
    bad_cursor = api.get("/api/v1/children/to-screen?cursor=!!!")
    assert bad_cursor.status_code == 422
    assert bad_cursor.json()["errors"][0]["field"] == "query.cursor"
    bad_size = api.get("/api/v1/children/to-screen?page_size=nine")
    assert bad_size.status_code == 422
    assert bad_size.json()["errors"][0]["field"] == "query.page_size"


def test_the_api_scopes_to_the_callers_points(client_for, officer_bintu, protection_bruno):
    _alone(officer_bintu, "Akol", point="point-b")
    assert client_for(protection_bruno).get("/api/v1/children/to-screen").json()["results"] == []


def test_the_to_screen_list_reads_the_flagged_crossings(db, protection_bruno, point_b):
    lead = UserFactory(username="lead", roles=["protection_officer", "coordinator"])
    for user in (protection_bruno, lead):
        children = tracing.to_screen_list(user=user)
        for number in (1, 3):
            scans = full_scans(web_page(children, PAGE_SIZE, number))
            assert [line for line in scans if "crossing_to_screen_idx" not in line] == []
