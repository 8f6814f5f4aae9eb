"""/api/v1/fieldops/movements (issue #24, item 2): a movement, its manifest of registered
families, boarding and arrival check-in, the missing on arrival; bad input is a 422 on its
field and writes nothing; an arrival is never a registry Crossing."""

from datetime import timedelta

from django.urls import reverse

from hbm.audit.models import AuditEvent
from hbm.fieldops.models import ManifestEntry, Movement
from hbm.fieldops.services import movements as services
from hbm.registry.models import Crossing
from tests.fieldops.conftest import iso, movement_body, plan_movement, send

HOUR = timedelta(hours=1)


def _problems(response):
    assert response.status_code == 422, response.content
    return {
        error["field"].removeprefix("body."): error["message"]
        for error in response.json()["errors"]
    }


def _group(person):
    return str(person.memberships.get().group.public_id)


def _ids(persons):
    return [str(p.public_id) for p in persons]


def test_a_convoy_is_built_checked_in_and_its_missing_person_listed(
    client_for, coordinator_patrick, families
):
    dengs, lokos = families
    crossings = Crossing.objects.count()
    client = client_for(coordinator_patrick)
    created = send(client, "POST", "/movements", movement_body(capacity=5))
    assert created.status_code == 201, created.content
    movement = created.json()
    assert movement["status"] == "planned" and movement["on_manifest"] == 0
    path = f"/movements/{movement['id']}"
    added = send(client, "POST", f"{path}/manifest", {"group": _group(dengs[0])})
    assert added.status_code == 201, added.content
    assert [e["name"] for e in added.json()["entries"]] == [p.full_name for p in dengs]
    send(client, "POST", f"{path}/manifest", {"group": _group(lokos[0])})
    for person in [*dengs, lokos[0]]:
        ticked = send(client, "POST", f"{path}/board", {"person": str(person.public_id)})
        assert ticked.status_code == 200, ticked.content
    scanned = send(client, "POST", f"{path}/board", {"code": str(lokos[1].public_id)[:8]})
    assert scanned.status_code == 200, scanned.content
    assert send(client, "POST", f"{path}/depart", {}).json()["status"] == "departed"
    for person in [*dengs[:2], *lokos]:
        send(client, "POST", f"{path}/arrive", {"person": str(person.public_id)})
    closed = send(client, "POST", f"{path}/close", {})
    assert closed.status_code == 200, closed.content
    assert closed.json()["movement"]["status"] == "arrived"
    assert closed.json()["missing"] == [str(dengs[2].public_id)]
    listed = send(client, "GET", "/movements?status=arrived").json()
    assert listed["count"] == 1 and listed["items"][0]["arrived"] == 4
    # The arrival is on the manifest, never a registry crossing (the flow series).
    assert Crossing.objects.count() == crossings
    assert ManifestEntry.objects.filter(arrived_at__isnull=False).count() == 4
    read = AuditEvent.objects.filter(
        action="view", object_type="registry.person", detail__startswith="manifest of"
    )
    assert read.exists()


def test_the_person_page_shows_the_arrival_at_the_transit_centre(
    client_for, coordinator_patrick, families
):
    dengs, _ = families
    movement = plan_movement(coordinator_patrick)
    services.manifest_add(
        actor=coordinator_patrick,
        movement=movement,
        data=services.ManifestInput(group=_group(dengs[0])),
    )
    for person in dengs:
        services.check_in(
            actor=coordinator_patrick,
            movement=movement,
            arriving=False,
            person_id=str(person.public_id),
        )
    services.movement_depart(actor=coordinator_patrick, movement=movement)
    services.check_in(
        actor=coordinator_patrick,
        movement=movement,
        arriving=True,
        code=str(dengs[0].public_id).replace("-", "")[:10],
    )
    services.movement_close(actor=coordinator_patrick, movement=movement)
    client = client_for(coordinator_patrick)
    page = client.get(f"/fieldops/persons/{dengs[0].public_id}/movements/")
    assert "Arrived at Transit centre Bunia" in page.content.decode()
    missing = client.get(f"/fieldops/persons/{dengs[1].public_id}/movements/").content.decode()
    assert "missing on arrival" in missing
    person_page = client.get(
        reverse("registry:person-detail", args=[dengs[0].public_id])
    ).content.decode()
    assert "/fieldops/persons/" in person_page


def test_bad_movements_get_field_errors_and_nothing_is_saved(client_for, coordinator_patrick):
    client = client_for(coordinator_patrick)
    bad = movement_body(
        from_place=" ",
        vehicle="x" * 151,
        capacity=0,
        planned_arrival=iso(-HOUR),
    )
    assert _problems(send(client, "POST", "/movements", bad)) == {
        "from_place": services.TEXT_NEEDED,
        "vehicle": services.TOO_LONG.format(150),
        "capacity": services.CAPACITY_RANGE.format(services.MAX_CAPACITY),
        "planned_arrival": services.ARRIVAL_BEFORE_DEPARTURE,
    }
    assert not Movement.objects.exists()


def test_a_manifest_over_capacity_is_refused_whole(client_for, coordinator_patrick, families):
    dengs, _ = families
    client = client_for(coordinator_patrick)
    movement = send(client, "POST", "/movements", movement_body(capacity=2)).json()
    response = send(
        client, "POST", f"/movements/{movement['id']}/manifest", {"group": _group(dengs[0])}
    )
    assert _problems(response) == {"persons": services.OVER_CAPACITY.format(capacity=2, count=3)}
    assert not ManifestEntry.objects.exists()


def test_a_person_cannot_be_on_two_moving_vehicles(client_for, coordinator_patrick, families):
    _, lokos = families
    client = client_for(coordinator_patrick)
    first = send(client, "POST", "/movements", movement_body()).json()
    second = send(client, "POST", "/movements", movement_body(vehicle="Bus UN-13")).json()
    send(client, "POST", f"/movements/{first['id']}/manifest", {"group": _group(lokos[0])})
    response = send(
        client, "POST", f"/movements/{second['id']}/manifest", {"group": _group(lokos[0])}
    )
    assert response.status_code == 422
    messages = [e["message"] for e in response.json()["errors"]]
    assert messages == [
        services.ON_ANOTHER_VEHICLE.format(
            name=name, movement="Bus UN-12: Aba → Transit centre Bunia"
        )
        for name in ("Peter Loko", "Rose Loko")
    ]
    # a later movement, once the first has arrived, may take them
    later = movement_body(planned_departure=iso(10 * HOUR), planned_arrival=iso(12 * HOUR))
    third = send(client, "POST", "/movements", later).json()
    ok = send(client, "POST", f"/movements/{third['id']}/manifest", {"group": _group(lokos[0])})
    assert ok.status_code == 201
    assert ManifestEntry.objects.filter(movement__public_id=second["id"]).count() == 0


def test_a_family_is_split_only_with_a_reason(client_for, coordinator_patrick, families):
    dengs, _ = families
    client = client_for(coordinator_patrick)
    movement = send(client, "POST", "/movements", movement_body()).json()
    path = f"/movements/{movement['id']}/manifest"
    problems = _problems(send(client, "POST", path, {"persons": _ids(dengs[:1])}))
    assert problems == {
        "split_reason": services.FAMILY_SPLIT.format(names="Garang Deng, Ayen Deng")
    }
    assert not ManifestEntry.objects.exists()
    body = {"persons": _ids(dengs[:1]), "split_reason": "Medical evacuation of the mother"}
    added = send(client, "POST", path, body)
    assert added.status_code == 201, added.content
    assert added.json()["entries"][0]["split_reason"] == "Medical evacuation of the mother"


def test_arrival_before_departure_and_out_of_order_check_ins(
    client_for, coordinator_patrick, families
):
    _, lokos = families
    client = client_for(coordinator_patrick)
    movement = send(client, "POST", "/movements", movement_body()).json()
    path = f"/movements/{movement['id']}"
    send(client, "POST", f"{path}/manifest", {"group": _group(lokos[0])})
    peter = str(lokos[0].public_id)
    assert _problems(send(client, "POST", f"{path}/arrive", {"person": peter})) == {
        "person": services.NOT_UNDER_WAY
    }
    assert _problems(send(client, "POST", f"{path}/depart", {})) == {
        "departed_at": services.NO_ONE_BOARDED
    }
    assert _problems(send(client, "POST", f"{path}/board", {"code": "1234"})) == {
        "code": services.CODE_TOO_SHORT.format(services.CODE_MIN)
    }
    assert _problems(send(client, "POST", f"{path}/board", {"code": "ffffffff"})) == {
        "code": services.NO_SUCH_CODE.format("ffffffff")
    }
    send(client, "POST", f"{path}/board", {"person": peter})
    assert _problems(send(client, "POST", f"{path}/board", {"person": peter})) == {
        "person": services.ALREADY_BOARDED.format("Peter Loko")
    }
    departed = send(client, "POST", f"{path}/depart", {"departed_at": iso(-HOUR)})
    assert departed.status_code == 200, departed.content
    rose = str(lokos[1].public_id)
    assert _problems(send(client, "POST", f"{path}/arrive", {"person": rose})) == {
        "person": services.NOT_BOARDED.format("Rose Loko")
    }
    early = send(client, "POST", f"{path}/close", {"arrived_at": iso(-2 * HOUR)})
    assert _problems(early) == {"arrived_at": services.ARRIVAL_BEFORE_DEPARTURE}
    future = send(client, "POST", f"{path}/close", {"arrived_at": iso(HOUR)})
    assert _problems(future) == {"arrived_at": services.ARRIVED_IN_FUTURE}
    row = Movement.objects.get()
    assert row.status == "departed" and row.arrived_at is None
    removed = send(client, "DELETE", f"{path}/manifest/{rose}")
    assert _problems(removed) == {"person": services.NOT_PLANNED}


def test_manifest_remove_and_cancel(client_for, coordinator_patrick, families):
    _, lokos = families
    client = client_for(coordinator_patrick)
    movement = send(client, "POST", "/movements", movement_body()).json()
    path = f"/movements/{movement['id']}"
    send(client, "POST", f"{path}/manifest", {"group": _group(lokos[0])})
    send(client, "POST", f"{path}/board", {"person": str(lokos[0].public_id)})
    boarded = send(client, "DELETE", f"{path}/manifest/{lokos[0].public_id}")
    assert _problems(boarded) == {"person": services.BOARDED_REMOVE.format("Peter Loko")}
    removed = send(client, "DELETE", f"{path}/manifest/{lokos[1].public_id}")
    assert [e["name"] for e in removed.json()["entries"]] == ["Peter Loko"]
    assert send(client, "POST", f"{path}/cancel").json()["status"] == "cancelled"
    assert _problems(send(client, "POST", f"{path}/cancel")) == {"status": services.CANNOT_CANCEL}


def test_unknown_persons_and_groups_are_refused(client_for, coordinator_patrick, families):
    client = client_for(coordinator_patrick)
    movement = send(client, "POST", "/movements", movement_body()).json()
    path = f"/movements/{movement['id']}/manifest"
    body = {"persons": ["nobody", "00000000-0000-0000-0000-000000000000"], "group": "x"}
    assert _problems(send(client, "POST", path, body)) == {
        "group": services.UNKNOWN_GROUP,
        "persons.0": services.UNKNOWN_PERSON,
        "persons.1": services.UNKNOWN_PERSON,
    }
    assert _problems(send(client, "POST", path, {})) == {"persons": services.PERSONS_NEEDED}
    assert send(client, "GET", "/movements?offset=99999999999").status_code == 422


def test_only_coordinators_reach_movements(client_for, officer_amina, coordinator_patrick):
    movement = plan_movement(coordinator_patrick)
    client = client_for(officer_amina)
    assert send(client, "GET", "/movements").status_code == 403
    assert send(client, "GET", f"/movements/{movement.public_id}").status_code == 403
    assert send(client, "POST", "/movements", movement_body()).status_code == 403
    assert client.get("/fieldops/movements/").status_code == 403
    assert Movement.objects.count() == 1
