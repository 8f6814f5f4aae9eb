"""Referrals made on a field station and their transitions (ADR 0137): logged on the
station in their own transaction, applied nationally through the referral services once by
their global ids, the consent sent inline reused; other content, or a transition the
national copy no longer allows, waits for review in the protection compartment."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from hbm.referrals import presenters, services
from hbm.referrals.models import Referral, ReferralEvent, ServiceType
from hbm.registry.models import Consent
from hbm.sync import selectors
from hbm.sync.models import Change, SyncConflict
from hbm.sync.services.receive import ChangeIn, changes_receive
from hbm.sync.services.receive_records import UNKNOWN_CONSENT
from hbm.sync.services.refusals import NOT_YOUR_PERSON
from tests.factories import UserFactory
from tests.registry.helpers import register
from tests.sync.conftest import AMINA

SENT_AT = datetime(2026, 12, 6, 9, 30, tzinfo=UTC)


def change(kind: str, payload: dict, seq: int = 1) -> ChangeIn:
    return ChangeIn(seq=seq, id=uuid.uuid4(), kind=kind, object_id=uuid.uuid4(), payload=payload)


def consent(person, consent_id) -> dict:
    return {
        "consent": str(consent_id),
        "person": str(person.public_id),
        "purpose": "referral",
        "given": True,
        "scope": "child-protection",
        "given_by": "self",
        "method": "verbal",
        "expires_on": None,
        "recorded_on": (timezone.localdate() - timedelta(days=1)).isoformat(),
    }


def referral(person, provider, consent_id, referral_id=None, notes="needs a safe place") -> dict:
    return {
        "referral": str(referral_id or uuid.uuid4()),
        "event": str(uuid.uuid4()),
        "person": str(person.public_id),
        "crossing_point": "point-a",
        "service_type": "child-protection",
        "provider": str(provider.public_id),
        "urgency": "urgent",
        "need_code": "",
        "taxonomy": "",
        "screening": None,
        "consent": str(consent_id),
        "consent_override_reason": "",
        "notes": notes,
        "sent_at": SENT_AT.isoformat(),
        "sent_by": "bruno",
        "agency": "unhcr",
    }


def transition(referral_id, source, target, reason="", outcome="", event_id=None) -> dict:
    return {
        "event": str(event_id or uuid.uuid4()),
        "referral": str(referral_id),
        "from_status": source,
        "to_status": target,
        "reason": reason,
        "outcome": outcome,
        "at": (SENT_AT + timedelta(hours=2)).isoformat(),
        "by": "ruth",
        "agency": "icpn",
    }


def receive(station, *changes):
    return changes_receive(actor=station, device=None, changes=list(changes))


@pytest.fixture
def sent(station, amina, provider):
    """A consent and the referral sent under it, applied: the referral's id."""
    consent_id, referral_id = uuid.uuid4(), uuid.uuid4()
    result = receive(
        station,
        change("consent", consent(amina, consent_id), seq=1),
        change("referral", referral(amina, provider, consent_id, referral_id), seq=2),
    )
    assert result.outcomes == {"applied": 2}
    return referral_id


def test_a_station_logs_a_referral_its_inline_consent_and_transitions(
    amina, protection_bruno, provider, point_a
):
    ruth = UserFactory(username="ruth", agency=provider.agency, roles=["service_provider"])
    with override_settings(SYNC_URL="http://national.invalid"):
        sent = services.referral_send(
            actor=protection_bruno,
            person=amina,
            crossing_point=point_a,
            service_type=ServiceType.objects.get(code="child-protection"),
            provider=provider,
            urgency="urgent",
            consent_given=True,
            notes="a safe place tonight",
        )
        services.referral_transition(actor=ruth, referral=sent, to_status="accepted")
    log = list(Change.objects.order_by("seq"))
    assert [c.kind for c in log] == ["consent", "referral", "referral_transition"]
    pushed_consent, pushed, moved = (c.payload for c in log)
    assert pushed["consent"] == pushed_consent["consent"] == str(sent.consent.public_id)
    assert log[1].object_id == sent.public_id and pushed["sent_by"] == "bruno"
    accepted = sent.events.get(to_status="accepted")
    assert log[2].object_id == accepted.public_id
    assert moved["referral"] == str(sent.public_id) and moved["from_status"] == "pending"
    with connection.cursor() as cursor:  # the notes are ciphertext in the log too
        cursor.execute("SELECT payload FROM sync_change WHERE id = %s", [log[1].pk])
        (stored,) = cursor.fetchone()
    assert stored.startswith("hbm1:") and "safe place" not in stored


def test_a_referral_applies_once_reusing_its_consent(station, amina, provider, sent):
    copy = Referral.objects.get(public_id=sent)
    assert copy.status == "pending" and copy.sent_by == station and copy.sent_at == SENT_AT
    assert copy.notes == "needs a safe place" and copy.shared  # the service's fields only
    assert Consent.objects.filter(person=amina, purpose="referral").count() == 1
    assert copy.consent == Consent.objects.get(person=amina, purpose="referral")
    (first,) = copy.events.all()
    assert first.to_status == "pending" and first.at == SENT_AT
    assert presenters.actor_shown(first) == "bruno (unhcr), at station-a"  # who, at the station
    with connection.cursor() as cursor:
        cursor.execute("SELECT notes FROM referrals_referral WHERE id = %s", [copy.pk])
        (stored,) = cursor.fetchone()
    assert "safe place" not in stored


def test_a_replayed_referral_is_replayed_and_other_content_waits(
    station, amina, provider, sent, protection_bruno, officer_amina
):
    copy = Referral.objects.get(public_id=sent)
    again = referral(amina, provider, copy.consent.public_id, sent)
    assert receive(station, change("referral", again, seq=3)).outcomes == {"replayed": 1}
    other = {**again, "notes": "another story"}
    assert receive(station, change("referral", other, seq=4)).outcomes == {"conflict": 1}
    copy.refresh_from_db()
    assert copy.notes == "needs a safe place" and Referral.objects.count() == 1
    conflict = SyncConflict.objects.get()
    assert conflict.payload["notes"] == "another story"
    assert list(selectors.conflict_list(user=protection_bruno)) == [conflict]
    assert list(selectors.conflict_list(user=officer_amina)) == []


def test_transitions_apply_in_order_once(station, sent):
    accepted_id = uuid.uuid4()
    accepted = change(
        "referral_transition", transition(sent, "pending", "accepted", event_id=accepted_id), seq=3
    )
    in_service = change("referral_transition", transition(sent, "accepted", "in_service"), seq=4)
    assert receive(station, in_service, accepted).outcomes == {"applied": 2}  # by seq
    assert receive(station, accepted).outcomes == {"replayed": 1}
    copy = Referral.objects.get(public_id=sent)
    assert copy.status == "in_service" and copy.accepted_at == SENT_AT + timedelta(hours=2)
    event = ReferralEvent.objects.get(public_id=accepted_id)
    assert event.actor == station and event.from_status == "pending"
    assert (event.actor_name, event.actor_agency) == ("ruth", "Ituri Child Protection Network")
    same_id = change(
        "referral_transition",
        transition(sent, "pending", "rejected", reason="full", event_id=accepted_id),
        seq=5,
    )
    assert receive(station, same_id).outcomes == {"conflict": 1}


def test_a_transition_the_national_copy_no_longer_allows_waits(
    station, sent, protection_bruno, coordinator_patrick
):
    receive(
        station,
        change(
            "referral_transition", transition(sent, "pending", "revoked", "no longer needed"), seq=3
        ),
    )
    late = change("referral_transition", transition(sent, "pending", "accepted"), seq=4)
    assert receive(station, late).outcomes == {"conflict": 1}
    copy = Referral.objects.get(public_id=sent)
    assert copy.status == "revoked" and copy.events.count() == 2  # never forced
    conflict = SyncConflict.objects.get()
    assert "revoked" in conflict.detail and conflict.payload["to_status"] == "accepted"
    assert list(selectors.conflict_list(user=protection_bruno)) == [conflict]
    assert list(selectors.conflict_list(user=coordinator_patrick)) == []


def test_bad_referrals_and_transitions_are_refused_with_their_paths(station, amina, provider, sent):
    bad = {**referral(amina, provider, uuid.uuid4()), "urgency": "x" * 11}
    result = receive(station, change("referral", bad, seq=7))
    assert result.refused_seq == 7 and not result.refused.forbidden
    assert list(result.refused.problems) == ["changes.0.payload.urgency"]
    unknown = referral(amina, provider, uuid.uuid4())
    result = receive(station, change("referral", unknown, seq=8))
    assert result.refused.problems == {"changes.0.payload.consent": [UNKNOWN_CONSENT]}
    no_reason = transition(sent, "pending", "rejected")
    result = receive(station, change("referral_transition", no_reason, seq=9))
    assert list(result.refused.problems) == ["changes.0.payload.reason"]
    assert Referral.objects.count() == 1 and not SyncConflict.objects.exists()


def test_a_referral_of_a_person_of_another_point_is_forbidden(station, officer_bintu, provider):
    (elsewhere,) = register(officer_bintu, AMINA, point="point-b")
    result = receive(station, change("referral", referral(elsewhere, provider, uuid.uuid4())))
    assert result.refused.forbidden
    assert result.refused.problems == {"changes.0.payload.person": [NOT_YOUR_PERSON]}
    assert not Referral.objects.exists()
