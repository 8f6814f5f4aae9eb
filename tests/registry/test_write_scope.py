"""A registration names persons and reuses ids: each is checked against the writer's scope.
Linking a person one may not see is refused as if the person did not exist, and replaying
another point's registration shows nothing of it; every replay is audited."""

import json
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hbm.audit.models import AuditEvent
from hbm.registry import services
from hbm.registry.models import Crossing, Person
from hbm.registry.validation import UNKNOWN_PERSON
from tests.factories import UserFactory
from tests.registry.helpers import register

URL = "/api/v1/registrations"
DESK = "/registry/desk/"


def post(client, body):
    return client.post(URL, json.dumps(body), content_type="application/json")


def linking(person_id, point="point-b", **member):
    return {
        "id": str(uuid.uuid4()),
        "crossing_point": point,
        "direction": "exit",
        "consent_given": True,
        "members": [
            {"relationship": "head", "given_name": "Akol", "family_name": "Deng", **member},
            {"relationship": "spouse", "existing_person": str(person_id)},
        ],
    }


@pytest.fixture
def at_a(officer_amina):
    (person,) = register(officer_amina, {"given_name": "Mohammed", "family_name": "Hassan"})
    return person


def test_linking_a_person_of_another_point_is_refused_like_an_unknown_id(
    client_for, officer_bintu, at_a
):
    client = client_for(officer_bintu)
    out_of_scope = post(client, linking(at_a.public_id))
    unknown = post(client, linking(uuid.uuid4()))
    assert out_of_scope.status_code == unknown.status_code == 422
    expected = [{"field": "body.members.1.existing_person", "message": UNKNOWN_PERSON}]
    assert out_of_scope.json()["errors"] == unknown.json()["errors"] == expected
    assert Person.objects.count() == 1
    assert at_a.crossings.count() == 1


def test_the_refusal_comes_with_the_other_problems_of_the_registration(
    client_for, officer_bintu, at_a
):
    response = post(client_for(officer_bintu), linking(at_a.public_id, sex="x"))
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"body.members.0.sex", "body.members.1.existing_person"}


def test_a_person_in_scope_is_linked(client_for, officer_bintu, at_a, point_a):
    colleague = UserFactory(
        username="colleague", roles=["registration_officer"], crossing_points=[point_a]
    )
    response = post(client_for(colleague), linking(at_a.public_id, point="point-a"))
    assert response.status_code == 201
    assert at_a.crossings.count() == 2


def test_an_administrator_links_anyone(client_for, admin_samuel, at_a, point_b):
    response = post(client_for(admin_samuel), linking(at_a.public_id))
    assert response.status_code == 201


def scoped_reads(client, body):
    with CaptureQueriesContext(connection) as queries:
        assert post(client, body).status_code == 201
    # reads of persons' scope (the point's own scope statement has an EXISTS too: ADR 0142)
    return [
        q
        for q in queries.captured_queries
        if "EXISTS" in q["sql"].upper() and "registry_" in q["sql"]
    ]


def test_scope_is_checked_in_one_query_and_only_for_linked_persons(
    client_for, officer_bintu, at_a, point_b
):
    """The registration path is timed (docs/decisions/0006): the linked persons are read once,
    within scope, and a registration with no linked person reads no scope at all."""
    client = client_for(officer_bintu)
    new_only = linking(uuid.uuid4())
    new_only["members"] = new_only["members"][:1]
    assert scoped_reads(client, new_only) == []
    (earlier,) = register(officer_bintu, {"given_name": "Grace"}, point="point-b")
    (read,) = scoped_reads(client, linking(earlier.public_id))
    assert "registry_person" in read["sql"]


def test_the_desk_refuses_a_person_of_another_point(client_for, officer_bintu, at_a):
    data = {
        "id": str(uuid.uuid4()),
        "crossing_point": "point-b",
        "direction": "entry",
        "group_kind": "household",
        "consent_given": "on",
        "members-TOTAL_FORMS": "1",
        "members-INITIAL_FORMS": "0",
        "members-MIN_NUM_FORMS": "1",
        "members-MAX_NUM_FORMS": "1000",
        "members-0-relationship": "head",
        "members-0-existing_person": str(at_a.public_id),
        "members-0-existing_label": "Mohammed Hassan",
    }
    response = client_for(officer_bintu).post(DESK, data)
    assert response.status_code == 422
    assert UNKNOWN_PERSON in response.content.decode()
    assert at_a.crossings.count() == 1


# L1: replays


@pytest.fixture
def registered(client_for, officer_amina):
    body = linking(uuid.uuid4(), point="point-a")
    body["members"] = [
        {
            "relationship": "head",
            "given_name": "Mohammed",
            "family_name": "Hassan",
            "age_estimate": 9,
        }
    ]
    first = post(client_for(officer_amina), body)
    assert first.status_code == 201
    return body


def replay_events(action):
    return AuditEvent.objects.filter(object_type="registry.registration", action=action)


@pytest.mark.parametrize("change", [{}, {"destination": "Aru"}])
def test_a_replay_out_of_scope_shows_nothing_and_is_audited(
    client_for, officer_bintu, registered, change
):
    response = post(client_for(officer_bintu), {**registered, **change})
    assert response.status_code == 409
    assert response.json() == {"message": services.REPLAY_REFUSED.format(registered["id"])}
    (event,) = replay_events("denied")
    assert (event.actor, event.object_id) == (officer_bintu, registered["id"])


def test_a_replay_by_its_officer_answers_as_before_and_is_audited(
    client_for, officer_amina, registered
):
    response = post(client_for(officer_amina), registered)
    assert response.status_code == 200 and response.json()["replayed"] is True
    assert response.json()["persons"][0]["child_without_related_adult"] is True
    (event,) = replay_events("view")
    assert event.actor == officer_amina and "replay" in event.detail


def test_a_replay_by_someone_at_the_same_point_answers_as_before(client_for, registered, point_a):
    colleague = UserFactory(
        username="colleague", roles=["registration_officer"], crossing_points=[point_a]
    )
    response = post(client_for(colleague), registered)
    assert response.status_code == 200 and response.json()["persons"]
    assert replay_events("view").get().actor == colleague


def test_a_replay_with_other_content_in_scope_is_audited(client_for, officer_amina, registered):
    response = post(client_for(officer_amina), {**registered, "destination": "Aru"})
    assert response.status_code == 409
    assert "different content" in response.json()["message"]
    assert replay_events("denied").count() == 1
    assert Crossing.objects.count() == 1


# Other writes that name an existing object: each service checks the writer's scope itself,
# whatever entry point handed it the object.

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


def test_a_photo_of_a_person_out_of_scope_is_refused(officer_bintu, at_a):
    from django.http import Http404

    from hbm.registry.services.photos import person_photo_set

    with pytest.raises(Http404):
        person_photo_set(actor=officer_bintu, person=at_a, content=PNG)
    at_a.refresh_from_db()
    assert not at_a.photo


def pair_of(a, b):
    from hbm.registry.models import DuplicateCandidate

    low, high = sorted((a, b), key=lambda p: p.pk)
    pair, _ = DuplicateCandidate.objects.get_or_create(
        person_a=low, person_b=high, defaults={"probability": 0.9, "weight": 5.0}
    )
    return pair


def test_a_pair_the_reviewer_may_not_see_is_not_decided(officer_amina, officer_bintu, at_a):
    from django.http import Http404

    from hbm.registry.services.duplicates import duplicate_decide, duplicate_undo

    (twin,) = register(officer_amina, {"given_name": "Mohamed", "family_name": "Hassan"})
    pair = pair_of(at_a, twin)
    with pytest.raises(Http404):
        duplicate_decide(actor=officer_bintu, candidate=pair, decision="same")
    pair.refresh_from_db()
    assert pair.status == "open" and twin.cluster_id != at_a.cluster_id
    duplicate_decide(actor=officer_amina, candidate=pair, decision="different")
    with pytest.raises(Http404):
        duplicate_undo(actor=officer_bintu, candidate=pair)
    pair.refresh_from_db()
    assert pair.status == "different"


def test_a_pair_across_points_is_decided_from_either_side(officer_bintu, at_a):
    from hbm.registry.services.duplicates import duplicate_decide

    (at_b,) = register(officer_bintu, {"given_name": "Mohamed"}, point="point-b")
    pair = pair_of(at_a, at_b)
    assert duplicate_decide(actor=officer_bintu, candidate=pair, decision="unsure").status == (
        "unsure"
    )
