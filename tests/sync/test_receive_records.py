"""Consents, withdrawals and screenings made on a field station (ADR 0137): logged on the
station in their own transaction, applied nationally through the registry's and screening's
services, once by their global id; other content under a known id waits for review."""

import uuid
from datetime import UTC, datetime, timedelta

from django.db import connection
from django.test import override_settings
from django.utils import timezone

from hbm.registry.inputs import member_consent_id
from hbm.registry.models import Consent
from hbm.registry.services.consents import ConsentInput, consent_record, consent_withdraw
from hbm.screening.models import HealthScreening, ProtectionScreening
from hbm.screening.services import screening_record
from hbm.screening.services.health import health_screening_record
from hbm.sync import selectors
from hbm.sync.models import Change, SyncConflict
from hbm.sync.services.receive import ChangeIn, changes_receive
from hbm.sync.services.receive_records import UNKNOWN_CONSENT
from hbm.sync.services.refusals import NOT_YOUR_PERSON, UNKNOWN_PERSON
from tests.factories import UserFactory
from tests.registry.helpers import register
from tests.sync.conftest import AMINA

SCREENED_AT = datetime(2026, 12, 6, 9, 30, tzinfo=UTC)


def change(kind: str, payload: dict, seq: int = 1, object_id=None) -> ChangeIn:
    return ChangeIn(
        seq=seq, id=uuid.uuid4(), kind=kind, object_id=object_id or uuid.uuid4(), payload=payload
    )


def withdrawal(person, consent_id, reason="she asked us to stop") -> dict:
    return {
        "consent": str(consent_id),
        "person": str(person.public_id),
        "reason": reason,
        "withdrawn_at": SCREENED_AT.isoformat(),
    }


def protection(person, screening_id=None, notes="needs a midwife") -> dict:
    return {
        "screening": str(screening_id or uuid.uuid4()),
        "person": str(person.public_id),
        "taxonomy": "2009",
        "answers": {"pregnant": True},
        "codes": ["SM-DP"],
        "urgency": "normal",
        "notes": notes,
        "screened_at": SCREENED_AT.isoformat(),
    }


def health(person, point="point-a", screening_id=None) -> dict:
    return {
        "screening": str(screening_id or uuid.uuid4()),
        "person": str(person.public_id),
        "crossing_point": point,
        "symptoms": {},
        "temperature_celsius": "37.2",
        "vaccination": "partial",
        "referred_for_care": False,
        "notes": "fit to travel",
        "screened_at": SCREENED_AT.isoformat(),
    }


def test_a_station_logs_consents_withdrawals_and_screenings(
    officer_amina, protection_bruno, point_a
):
    nurse = UserFactory(username="nurse", roles=["health_officer"], crossing_points=[point_a])
    with override_settings(SYNC_URL="http://national.invalid"):
        (person,) = register(officer_amina, AMINA)
        consent = person.consents.get()
        consent_withdraw(actor=officer_amina, consent=consent, reason="asked to stop")
        later = consent_record(
            actor=officer_amina,
            person=person,
            data=ConsentInput(purpose="data_sharing", method="verbal"),
        )
        screening = screening_record(
            actor=protection_bruno, person=person, answers={"pregnant": True}, notes="midwife"
        )
        checked = health_screening_record(
            actor=nurse, person=person, crossing_point=point_a, symptoms={}, temperature_celsius=37
        )
    log = {c.kind: c for c in Change.objects.order_by("seq")}
    assert list(log) == [
        "registration",
        "consent_withdrawal",
        "consent",
        "protection_screening",
        "health_screening",
    ]
    registration_id = uuid.UUID(log["registration"].payload["id"])
    assert consent.public_id == member_consent_id(registration_id, 0)  # same on every server
    assert log["consent_withdrawal"].payload["consent"] == str(consent.public_id)
    assert log["consent"].object_id == later.public_id
    assert log["protection_screening"].payload["codes"] == ["SM-DP"]
    assert log["protection_screening"].object_id == screening.public_id
    assert log["health_screening"].payload["temperature_celsius"] == "37.0"
    assert log["health_screening"].object_id == checked.public_id
    with connection.cursor() as cursor:  # the screening's notes are ciphertext in the log too
        cursor.execute(
            "SELECT payload FROM sync_change WHERE id = %s", [log["protection_screening"].pk]
        )
        (stored,) = cursor.fetchone()
    assert stored.startswith("hbm1:") and "midwife" not in stored


def test_a_withdrawal_applies_once_through_the_registry(station, amina):
    consent = amina.consents.get()
    push = change("consent_withdrawal", withdrawal(amina, consent.public_id))
    for outcome in ("applied", "replayed"):
        result = changes_receive(actor=station, device=None, changes=[push])
        assert result.outcomes == {outcome: 1}
    consent.refresh_from_db()
    assert consent.withdrawn_at == SCREENED_AT and consent.withdrawn_by == station
    assert consent.withdrawal_reason == "she asked us to stop"
    assert not consent.is_valid_on(timezone.localdate())
    again = change("consent_withdrawal", withdrawal(amina, consent.public_id, "other"), seq=2)
    assert changes_receive(actor=station, device=None, changes=[again]).outcomes == {
        "replayed": 1  # withdrawn already: it stays as first withdrawn
    }


def test_a_consent_recorded_on_a_station_applies_once_else_waits(station, amina):
    consent_id = uuid.uuid4()
    payload = {
        "consent": str(consent_id),
        "person": str(amina.public_id),
        "purpose": "data_sharing",
        "given": True,
        "given_by": "self",
        "method": "signed",
        "expires_on": None,
        "recorded_on": (timezone.localdate() - timedelta(days=3)).isoformat(),
    }
    first = change("consent", payload)
    assert changes_receive(actor=station, device=None, changes=[first]).outcomes == {"applied": 1}
    assert changes_receive(actor=station, device=None, changes=[first]).outcomes == {"replayed": 1}
    same_id = change("consent", {**payload, "given": False}, seq=2)
    assert changes_receive(actor=station, device=None, changes=[same_id]).outcomes == {
        "conflict": 1
    }
    stored = Consent.objects.get(public_id=consent_id)
    assert stored.given and stored.method == "signed" and stored.recorded_by == station
    conflict = SyncConflict.objects.get()
    assert conflict.person == amina and conflict.payload["given"] is False


def test_a_withdrawal_of_an_unknown_consent_is_refused_with_its_path(station, amina):
    result = changes_receive(
        actor=station,
        device=None,
        changes=[change("consent_withdrawal", withdrawal(amina, uuid.uuid4()), seq=7)],
    )
    assert result.refused_seq == 7 and not result.refused.forbidden
    assert result.refused.problems == {"changes.0.payload.consent": [UNKNOWN_CONSENT]}


def test_a_person_of_another_point_is_forbidden_an_unknown_one_refused(station, officer_bintu):
    (elsewhere,) = register(officer_bintu, AMINA, point="point-b")
    result = changes_receive(
        actor=station, device=None, changes=[change("protection_screening", protection(elsewhere))]
    )
    assert result.refused.forbidden
    assert result.refused.problems == {"changes.0.payload.person": [NOT_YOUR_PERSON]}
    elsewhere.public_id = uuid.uuid4()  # never registered anywhere
    result = changes_receive(
        actor=station, device=None, changes=[change("protection_screening", protection(elsewhere))]
    )
    assert not result.refused.forbidden
    assert result.refused.problems == {"changes.0.payload.person": [UNKNOWN_PERSON]}


def test_a_malformed_screening_is_refused_by_field(station, amina):
    payload = {**protection(amina), "answers": {"pregnant": "perhaps"}, "urgency": "soon"}
    result = changes_receive(
        actor=station, device=None, changes=[change("protection_screening", payload)]
    )
    assert list(result.refused.problems) == ["changes.0.payload.answers.pregnant"]
    result = changes_receive(
        actor=station,
        device=None,
        changes=[change("protection_screening", {**protection(amina), "urgency": "soon"})],
    )
    assert list(result.refused.problems) == ["changes.0.payload.urgency"]
    assert not ProtectionScreening.objects.exists()


def test_a_protection_screening_applies_once_and_other_content_waits(
    station, amina, protection_bruno, officer_amina, coordinator_patrick
):
    screening_id = uuid.uuid4()
    first = change("protection_screening", protection(amina, screening_id))
    for outcome in ("applied", "replayed"):
        assert changes_receive(actor=station, device=None, changes=[first]).outcomes == {outcome: 1}
    screening = ProtectionScreening.objects.get(public_id=screening_id)
    assert [c.code for c in screening.codes.all()] == ["SM-DP"]
    assert screening.screened_at == SCREENED_AT and screening.notes == "needs a midwife"
    with connection.cursor() as cursor:  # encrypted at rest as on the station
        cursor.execute(
            "SELECT notes FROM screening_protectionscreening WHERE id = %s", [screening.pk]
        )
        (stored,) = cursor.fetchone()
    assert "midwife" not in stored

    other = change("protection_screening", protection(amina, screening_id, notes="other"), seq=2)
    assert changes_receive(actor=station, device=None, changes=[other]).outcomes == {"conflict": 1}
    screening.refresh_from_db()
    assert screening.notes == "needs a midwife"  # never written over
    conflict = SyncConflict.objects.get()
    assert conflict.payload["notes"] == "other" and conflict.status == SyncConflict.Status.OPEN
    # The screening's compartment: protection officers review it, not registration officers.
    assert list(selectors.conflict_list(user=protection_bruno)) == [conflict]
    assert list(selectors.conflict_list(user=officer_amina)) == []
    assert list(selectors.conflict_list(user=coordinator_patrick)) == []
    assert selectors.conflict_comparison(conflict) == []


def test_a_health_screening_applies_once_at_the_stations_point_only(
    station, amina, officer_bintu, point_b
):
    screening_id = uuid.uuid4()
    first = change("health_screening", health(amina, screening_id=screening_id))
    for outcome in ("applied", "replayed"):
        assert changes_receive(actor=station, device=None, changes=[first]).outcomes == {outcome: 1}
    screening = HealthScreening.objects.get(public_id=screening_id)
    assert str(screening.temperature_celsius) == "37.2" and screening.vaccination == "partial"
    assert screening.screened_at == SCREENED_AT and screening.screened_by == station
    changed = {**health(amina, screening_id=screening_id), "vaccination": "none"}
    outcome = changes_receive(
        actor=station, device=None, changes=[change("health_screening", changed)]
    )
    assert outcome.outcomes == {"conflict": 1}
    elsewhere = change("health_screening", health(amina, point="point-b"))
    result = changes_receive(actor=station, device=None, changes=[elsewhere])
    assert result.refused.forbidden and list(result.refused.problems) == [
        "changes.0.payload.crossing_point"
    ]
    assert HealthScreening.objects.count() == 1


def test_a_screening_conflict_page_shows_what_came_again_to_its_compartment(
    station, amina, protection_bruno, client_for
):
    screening_id = uuid.uuid4()
    for seq, notes in ((1, "needs a midwife"), (2, "sent again otherwise")):
        push = change("protection_screening", protection(amina, screening_id, notes), seq=seq)
        changes_receive(actor=station, device=None, changes=[push])
    conflict = SyncConflict.objects.get()
    page = client_for(protection_bruno).get(f"/sync/conflicts/{conflict.pk}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "sent again otherwise" in body and 'value="apply"' not in body
    answer = client_for(protection_bruno).post(
        f"/sync/conflicts/{conflict.pk}/", {"resolution": "keep", "note": "first one stands"}
    )
    assert answer.status_code == 302
    conflict.refresh_from_db()
    assert conflict.resolution == SyncConflict.Resolution.KEPT
