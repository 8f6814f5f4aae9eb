"""The national side in process: corrections over an old version become conflicts, who sees
them, closing one; and the station's log, written only on a station."""

import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings

from hbm.audit.models import AuditEvent
from hbm.registry.inputs import member_person_id
from hbm.registry.services.corrections import person_correct
from hbm.sync import selectors
from hbm.sync.models import Change, SyncConflict
from hbm.sync.services.conflicts import ALREADY_RESOLVED, sync_conflict_resolve
from hbm.sync.services.receive import ChangeIn, changes_receive
from tests.factories import UserFactory
from tests.registry.helpers import register

AMINA = {"given_name": "Amina", "family_name": "Yusuf", "sex": "F", "date_of_birth": "1990"}


@pytest.fixture
def station(immigration, point_a):
    return UserFactory(
        username="station-a",
        agency=immigration,
        roles=["field_station", "registration_officer"],
        crossing_points=[point_a],
    )


def correction(person, given_name: str, base_version=None, seq: int = 1) -> ChangeIn:
    return ChangeIn(
        seq=seq,
        id=uuid.uuid4(),
        kind="person_correction",
        object_id=person.public_id,
        base_version=base_version,
        payload={
            "person": str(person.public_id),
            "correction": str(uuid.uuid4()),
            "changes": {"given_name": given_name},
            "reason": "checked with the passport",
        },
    )


@pytest.fixture
def conflict(station, officer_amina):
    (person,) = register(officer_amina, AMINA)
    person_correct(
        actor=officer_amina, person=person, changes={"given_name": "Aminah"}, reason="typo"
    )
    result = changes_receive(actor=station, device=None, changes=[correction(person, "Amena")])
    assert result.acknowledged == 1 and result.outcomes == {"conflict": 1}
    person.refresh_from_db()
    assert person.given_name == "Aminah"  # the national correction stays
    return SyncConflict.objects.get()


def test_a_correction_over_an_old_version_waits_for_review(conflict, officer_amina):
    assert conflict.status == SyncConflict.Status.OPEN
    assert conflict.base_version is None
    assert conflict.national_version == conflict.person.corrections.get().public_id
    assert conflict.payload["changes"] == {"given_name": "Amena"}


def test_conflicts_are_shown_at_their_point_only(
    conflict, coordinator_patrick, officer_amina, officer_bintu, outsider_chen
):
    assert list(selectors.conflict_list(user=coordinator_patrick)) == [conflict]
    assert list(selectors.conflict_list(user=officer_amina)) == [conflict]
    assert list(selectors.conflict_list(user=officer_bintu)) == []
    with pytest.raises(PermissionDenied):
        selectors.conflict_list(user=outsider_chen)


def test_conflicts_api_lists_and_audits(conflict, client_for, coordinator_patrick, outsider_chen):
    answer = client_for(coordinator_patrick).get("/api/v1/sync/conflicts?status=open")
    assert answer.status_code == 200
    assert [c["person"] for c in answer.json()["results"]] == [str(conflict.person.public_id)]
    assert AuditEvent.objects.filter(actor=coordinator_patrick, detail="sync conflicts").exists()
    assert client_for(outsider_chen).get("/api/v1/sync/conflicts").status_code == 403


def test_a_conflict_is_resolved_once(conflict, coordinator_patrick, officer_bintu):
    with pytest.raises(SyncConflict.DoesNotExist):  # not at this officer's point
        sync_conflict_resolve(actor=officer_bintu, conflict=conflict, note="mine")
    sync_conflict_resolve(actor=coordinator_patrick, conflict=conflict, note="kept Aminah")
    conflict.refresh_from_db()
    assert conflict.status == SyncConflict.Status.RESOLVED
    assert conflict.resolved_by == coordinator_patrick
    with pytest.raises(ValidationError) as refused:
        sync_conflict_resolve(actor=coordinator_patrick, conflict=conflict, note="again")
    assert refused.value.message_dict == {"status": [ALREADY_RESOLVED]}


def test_a_correction_over_the_current_version_applies_once(station, officer_amina):
    (person,) = register(officer_amina, AMINA)
    change = correction(person, "Aminah")
    for _ in range(2):  # the second time: a replay
        changes_receive(actor=station, device=None, changes=[change])
    person.refresh_from_db()
    assert person.given_name == "Aminah"
    assert person.corrections.get().public_id == uuid.UUID(change.payload["correction"])


def test_only_a_station_account_pushes(officer_amina):
    (person,) = register(officer_amina, AMINA)
    with pytest.raises(PermissionDenied):
        changes_receive(actor=officer_amina, device=None, changes=[correction(person, "X")])


def test_a_station_logs_its_writes_with_base_versions(officer_amina):
    with override_settings(SYNC_URL="http://national.invalid"):
        (person,) = register(officer_amina, AMINA)
        first = person_correct(
            actor=officer_amina, person=person, changes={"given_name": "Aminah"}, reason="a"
        )
        person_correct(
            actor=officer_amina, person=person, changes={"family_name": "Yousouf"}, reason="b"
        )
    log = list(Change.objects.order_by("seq"))
    assert [(c.seq, c.kind) for c in log] == [
        (1, "registration"),
        (2, "person_correction"),
        (3, "person_correction"),
    ]
    registration_id = uuid.UUID(log[0].payload["id"])
    assert person.public_id == member_person_id(registration_id, 0)  # same id on any server
    assert log[0].payload["crossed_at"]  # the time the station gave it
    assert log[1].base_version is None
    assert log[2].base_version == first.correction.public_id


def test_a_national_server_logs_nothing(officer_amina):
    register(officer_amina, AMINA)
    assert not Change.objects.exists()


@override_settings(SYNC_URL="", SYNC_TOKEN="")
def test_push_without_a_national_server_says_what_is_missing(db):
    with pytest.raises(CommandError) as refused:
        call_command("sync", "push")
    lines = str(refused.value).splitlines()
    assert [line.split(":")[0] for line in lines] == ["HBM_SYNC_URL", "HBM_SYNC_TOKEN"]


@override_settings(SYNC_URL="http://127.0.0.1:9", SYNC_TOKEN="x")
def test_a_batch_out_of_range_is_refused(db):
    with pytest.raises(CommandError, match="--batch: give a number of changes from 1 to 1000"):
        call_command("sync", "push", "--batch", "0")


def test_the_log_keeps_its_payloads_as_ciphertext(officer_amina):
    with override_settings(SYNC_URL="http://national.invalid"):
        register(officer_amina, AMINA)
    change = Change.objects.get()
    with connection.cursor() as cursor:
        cursor.execute("SELECT payload FROM sync_change WHERE id = %s", [change.pk])
        (stored,) = cursor.fetchone()
    assert stored.startswith("hbm1:") and "Amina" not in stored
    assert change.payload["members"][0]["given_name"] == "Amina"
