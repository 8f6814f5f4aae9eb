"""National: the conflicts' page and the resolve endpoint — the station's edit beside the
current record and the base version; applying it or keeping the record, with a note,
audited; who may see and act, as for the API list."""

import uuid

import pytest
from django.core.exceptions import ValidationError

from hbm.audit.models import AuditEvent
from hbm.registry.services.corrections import person_correct, person_version
from hbm.sync import selectors
from hbm.sync.models import SyncConflict
from hbm.sync.services.conflicts import (
    CHANGED_SINCE,
    NO_NOTE,
    NOT_A_WRITER,
    NOTHING_TO_APPLY,
    sync_conflict_resolve,
)
from hbm.sync.services.receive import changes_receive
from tests.registry.helpers import register
from tests.sync.test_receive import AMINA, correction, station  # noqa: F401


@pytest.fixture
def conflict(station, officer_amina):  # noqa: F811
    """Registered as Amina Yusuf; corrected nationally to Aminah Yusuf; the station, still
    on the registered version, changes the given name to Amena and the family name too."""
    (person,) = register(officer_amina, AMINA)
    person_correct(
        actor=officer_amina, person=person, changes={"given_name": "Aminah"}, reason="typo"
    )
    change = correction(person, "Amena")
    change.payload["changes"]["family_name"] = "Youssouf"
    changes_receive(actor=station, device=None, changes=[change])
    return SyncConflict.objects.get()


def test_the_comparison_shows_base_current_and_the_station_edit(conflict):
    rows = {row.field: row for row in selectors.conflict_comparison(conflict)}
    assert set(rows) == {"given_name", "family_name"}
    given = rows["given_name"]
    assert (given.base, given.current, given.station) == ("Amina", "Aminah", "Amena")
    family = rows["family_name"]
    assert (family.base, family.current, family.station) == ("Yusuf", "Yusuf", "Youssouf")


def test_applying_the_station_edit_corrects_the_record_with_its_id(conflict, officer_amina):
    seen = person_version(conflict.person)
    sync_conflict_resolve(
        actor=officer_amina, conflict=conflict, note="passport seen", apply=True, seen_version=seen
    )
    conflict.refresh_from_db()
    person = conflict.person
    person.refresh_from_db()
    assert (person.given_name, person.family_name) == ("Amena", "Youssouf")
    # the station's correction id: its later edits of the person apply over this version
    assert person_version(person) == uuid.UUID(conflict.payload["correction"])
    assert conflict.resolution == SyncConflict.Resolution.APPLIED
    assert conflict.resolution_note == "passport seen"
    event = AuditEvent.objects.get(detail__startswith=f"sync conflict {conflict.pk} resolved")
    assert event.actor == officer_amina and "applied; passport seen" in event.detail


def test_keeping_the_record_changes_nothing_but_the_conflict(conflict, coordinator_patrick):
    sync_conflict_resolve(actor=coordinator_patrick, conflict=conflict, note="Aminah is right")
    conflict.refresh_from_db()
    conflict.person.refresh_from_db()
    assert conflict.person.given_name == "Aminah"
    assert conflict.resolution == SyncConflict.Resolution.KEPT


@pytest.mark.parametrize(
    ("kwargs", "problem"),
    [
        ({"note": "  "}, {"note": [NO_NOTE]}),
        ({"note": "x\u202e"}, None),  # a bidi override: refused with the character named
    ],
)
def test_a_resolution_needs_a_clean_note(conflict, coordinator_patrick, kwargs, problem):
    with pytest.raises(ValidationError) as refused:
        sync_conflict_resolve(actor=coordinator_patrick, conflict=conflict, **kwargs)
    assert list(refused.value.message_dict) == ["note"]
    if problem:
        assert refused.value.message_dict == problem
    conflict.refresh_from_db()
    assert conflict.status == SyncConflict.Status.OPEN


def test_only_a_writer_applies_and_only_over_the_version_seen(
    conflict, coordinator_patrick, officer_amina
):
    with pytest.raises(ValidationError) as refused:
        sync_conflict_resolve(actor=coordinator_patrick, conflict=conflict, note="n", apply=True)
    assert refused.value.message_dict == {"resolution": [NOT_A_WRITER]}
    old = person_version(conflict.person)
    person_correct(
        actor=officer_amina, person=conflict.person, changes={"sex": "M"}, reason="checked"
    )
    with pytest.raises(ValidationError) as refused:
        sync_conflict_resolve(
            actor=officer_amina, conflict=conflict, note="n", apply=True, seen_version=old
        )
    assert refused.value.message_dict == {"resolution": [CHANGED_SINCE]}
    conflict.refresh_from_db()
    conflict.person.refresh_from_db()
    assert conflict.status == SyncConflict.Status.OPEN and conflict.person.given_name == "Aminah"


def test_a_registration_conflict_can_only_be_kept(station, officer_amina):  # noqa: F811
    from tests.sync.test_receive import ChangeIn

    data = {
        "id": str(uuid.uuid4()),
        "crossing_point": "point-a",
        "direction": "entry",
        "consent_given": True,
        "members": [{"relationship": "head", **AMINA}],
    }

    def change(given: str) -> ChangeIn:
        payload = {**data, "members": [{"relationship": "head", **AMINA, "given_name": given}]}
        return ChangeIn(
            seq=1, id=uuid.uuid4(), kind="registration", object_id=data["id"], payload=payload
        )

    changes_receive(actor=station, device=None, changes=[change("Amina")])
    changes_receive(actor=station, device=None, changes=[change("Other")])
    conflict = SyncConflict.objects.get()
    with pytest.raises(ValidationError) as refused:
        sync_conflict_resolve(actor=officer_amina, conflict=conflict, note="n", apply=True)
    assert refused.value.message_dict == {"resolution": [NOTHING_TO_APPLY]}
    assert selectors.conflict_versions(conflict)["registration"] is not None


def test_the_pages_list_compare_and_resolve(conflict, client_for, officer_amina):
    browser = client_for(officer_amina)
    listed = browser.get("/sync/conflicts/")
    assert listed.status_code == 200 and f'data-conflict="{conflict.pk}"' in listed.text
    assert browser.get("/sync/conflicts/?status=resolved").text.count("data-conflict=") == 0
    page = browser.get(f"/sync/conflicts/{conflict.pk}/")
    assert page.status_code == 200
    for value in ("Amina", "Aminah", "Amena", "Youssouf"):
        assert value in page.text
    assert 'value="apply"' in page.text
    assert AuditEvent.objects.filter(
        actor=officer_amina, detail=f"sync conflict {conflict.pk}"
    ).exists()
    empty = browser.post(f"/sync/conflicts/{conflict.pk}/", {"resolution": "keep", "note": ""})
    assert empty.status_code == 422 and NO_NOTE in empty.text
    version = person_version(conflict.person)
    done = browser.post(
        f"/sync/conflicts/{conflict.pk}/",
        {"resolution": "apply", "note": "passport", "version": str(version)},
    )
    assert done.status_code == 302
    conflict.refresh_from_db()
    assert conflict.resolution == SyncConflict.Resolution.APPLIED
    assert browser.get("/sync/conflicts/?status=resolved").text.count("data-conflict=") == 1


def test_the_pages_are_scoped_like_the_list(conflict, client_for, officer_bintu, outsider_chen):
    assert client_for(officer_bintu).get(f"/sync/conflicts/{conflict.pk}/").status_code == 404
    assert "data-conflict=" not in client_for(officer_bintu).get("/sync/conflicts/").text
    assert client_for(outsider_chen).get("/sync/conflicts/").status_code == 403


def test_the_api_resolves_with_field_paths(conflict, client_for, coordinator_patrick):
    api = client_for(coordinator_patrick)
    url = f"/api/v1/sync/conflicts/{conflict.pk}/resolve"
    bad = api.post(url, {"resolution": "maybe", "note": "n"}, content_type="application/json")
    assert bad.status_code == 422
    assert [e["field"] for e in bad.json()["errors"]] == ["body.payload.resolution"]
    apply = api.post(url, {"resolution": "apply", "note": "n"}, content_type="application/json")
    assert apply.status_code == 422
    assert apply.json()["errors"] == [{"field": "body.resolution", "message": NOT_A_WRITER}]
    kept = api.post(url, {"resolution": "keep", "note": "fine"}, content_type="application/json")
    assert kept.status_code == 200 and kept.json()["resolution"] == "kept"
    assert (
        api.post(
            "/api/v1/sync/conflicts/999999/resolve",
            {"resolution": "keep", "note": "n"},
            content_type="application/json",
        ).status_code
        == 404
    )
