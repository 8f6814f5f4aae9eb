"""National → station, in process (ADR 0140). The national server sends a field station the
events of the referrals that station sent, made nationally (a provider accepting, the
sending side revoking), after a cursor, and nothing else; the station applies them to its
copy once by their ids, keeps one that does not fit its copy as a conflict, and does not
log them to push back."""

import uuid
from datetime import timedelta

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from hbm.audit.models import AuditEvent
from hbm.referrals import presenters, services
from hbm.referrals.models import Referral, ReferralEvent, ServiceType
from hbm.sync import selectors
from hbm.sync.models import Change, SyncConflict
from hbm.sync.services.referral_events import events_apply, events_cursor
from hbm.sync.services.watchlists import BAD_CURSOR, NOT_A_STATION
from tests.factories import UserFactory
from tests.sync.test_receive_referrals import change, consent, receive, referral

EVENTS = "/api/v1/sync/referral-events"


@pytest.fixture
def ruth(provider):
    return UserFactory(
        username="ruth",
        first_name="Ruth",
        last_name="Kim",
        agency=provider.agency,
        roles=["service_provider"],
    )


def pushed(station, person, provider) -> Referral:
    """A consent and a referral, pushed by ``station``: the national copy."""
    consent_id, referral_id = uuid.uuid4(), uuid.uuid4()
    result = receive(
        station,
        change("consent", consent(person, consent_id), seq=1),
        change("referral", referral(person, provider, consent_id, referral_id), seq=2),
    )
    assert result.outcomes == {"applied": 2}
    return Referral.objects.get(public_id=referral_id)


def walk(client, limit: int, after: str = "") -> tuple[list[dict], list[dict]]:
    events, answers, more = [], [], True
    while more:
        answer = client.get(EVENTS, {"after": after, "limit": limit}).json()
        answers.append(answer)
        events += answer["events"]
        after, more = answer["cursor"], answer["more"]
    return events, answers


@override_settings(SYNC_SETTLE_SECONDS=0)
def test_a_station_gets_what_happened_nationally_to_its_referrals_only(
    client_for, station, amina, provider, ruth, protection_bruno, point_a, immigration
):
    ours = pushed(station, amina, provider)
    station_b = UserFactory(
        username="station-b",
        agency=immigration,
        roles=["field_station", "registration_officer"],
        crossing_points=[point_a],
    )
    theirs = pushed(station_b, amina, provider)
    national = services.referral_send(
        actor=protection_bruno,
        person=amina,
        crossing_point=point_a,
        service_type=ServiceType.objects.get(code="child-protection"),
        provider=provider,
        urgency="urgent",
        consent_given=True,
    )
    for each in (ours, theirs, national):
        services.referral_transition(actor=ruth, referral=each, to_status="accepted")
    services.referral_transition(actor=ruth, referral=ours, to_status="in_service")

    events, answers = walk(client_for(station), limit=1)
    assert [len(a["events"]) for a in answers] == [1, 1]  # resumable, page by page
    accepted, in_service = events
    assert accepted == {
        "id": str(ours.events.get(to_status="accepted").public_id),
        "referral": str(ours.public_id),
        "from_status": "pending",
        "to_status": "accepted",
        "reason": "",
        "outcome": "",
        "at": accepted["at"],
        "by": "Ruth Kim",
        "agency": "Ituri Child Protection Network",
    }
    assert in_service["from_status"] == "accepted"  # neither station B's nor a national one
    assert AuditEvent.objects.filter(object_type="sync.referral_events").count() == 2
    exports = AuditEvent.objects.filter(detail="referral events sent to a field station")
    assert exports.count() == 2 and {e.object_id for e in exports} == {str(amina.public_id)}

    cursor = answers[-1]["cursor"]
    assert client_for(station).get(EVENTS, {"after": cursor}).json() == {
        "events": [],
        "cursor": cursor,
        "more": False,
    }
    services.referral_transition(
        actor=ruth, referral=ours, to_status="completed", outcome="placed with family"
    )
    (completed,) = client_for(station).get(EVENTS, {"after": cursor}).json()["events"]
    assert completed["outcome"] == "placed with family"  # what the sending side reads
    (theirs_accepted,) = walk(client_for(station_b), limit=10)[0]
    assert theirs_accepted["referral"] == str(theirs.public_id)


@override_settings(SYNC_SETTLE_SECONDS=0)
def test_the_stations_own_transitions_do_not_come_back(client_for, station, amina, provider):
    ours = pushed(station, amina, provider)
    moved = {
        "event": str(uuid.uuid4()),
        "referral": str(ours.public_id),
        "from_status": "pending",
        "to_status": "revoked",
        "reason": "seen at home",
        "outcome": "",
        "at": (timezone.now() - timedelta(minutes=1)).isoformat(),
        "by": "bruno",
        "agency": "unhcr",
    }
    assert receive(station, change("referral_transition", moved, seq=3)).outcomes == {"applied": 1}
    assert client_for(station).get(EVENTS).json()["events"] == []


def test_events_stamped_moments_ago_wait_and_only_a_station_pulls(
    client_for, station, amina, provider, ruth, officer_amina
):
    ours = pushed(station, amina, provider)
    services.referral_transition(actor=ruth, referral=ours, to_status="accepted")
    with override_settings(SYNC_SETTLE_SECONDS=3600):
        assert client_for(station).get(EVENTS).json()["events"] == []
    for user in (officer_amina, ruth):
        answer = client_for(user).get(EVENTS)
        assert answer.status_code == 403 and answer.json()["message"] == NOT_A_STATION


@pytest.mark.parametrize(
    "query, field",
    [
        ({"after": "yesterday~3"}, "query.after"),
        ({"after": "2026-12-07T01:00:00~3"}, "query.after"),
        ({"limit": 0}, "query.limit"),
        ({"limit": 1001}, "query.limit"),
    ],
)
def test_a_bad_cursor_is_422_with_its_field(client_for, station, query, field):
    answer = client_for(station).get(EVENTS, query)
    assert answer.status_code == 422
    assert [e["field"] for e in answer.json()["errors"]] == [field]
    if field == "query.after":
        assert answer.json()["errors"][0]["message"] == BAD_CURSOR


# The station's side: its own referral, and pages as the national server answers them.


@pytest.fixture
def sent(protection_bruno, amina, provider, point_a):
    """A referral sent at the station (logged: HBM_SYNC_URL is set there)."""
    with override_settings(SYNC_URL="http://national.invalid"):
        return services.referral_send(
            actor=protection_bruno,
            person=amina,
            crossing_point=point_a,
            service_type=ServiceType.objects.get(code="child-protection"),
            provider=provider,
            urgency="urgent",
            consent_given=True,
        )


def national_event(referral, source, target, *, reason="", outcome="", minutes=60) -> dict:
    return {
        "id": str(uuid.uuid4()),
        "referral": str(referral.public_id),
        "from_status": source,
        "to_status": target,
        "reason": reason,
        "outcome": outcome,
        "at": (referral.sent_at + timedelta(minutes=minutes)).isoformat(),
        "by": "Ruth Kim",
        "agency": "Ituri Child Protection Network",
    }


def page(*events, cursor="c") -> dict:
    return {"events": list(events), "cursor": cursor, "more": False}


@override_settings(SYNC_URL="http://national.invalid")
def test_the_station_follows_the_national_status_once_and_logs_nothing(sent):
    logged = list(Change.objects.values_list("kind", flat=True))
    assert logged == ["consent", "referral"]
    accepted = national_event(sent, "pending", "accepted")
    assert events_apply(page=page(accepted, cursor="c1")) == {"applied": 1}
    assert events_apply(page=page(accepted, cursor="c1")) == {"replayed": 1}  # replayed pull
    sent.refresh_from_db()
    assert sent.status == "accepted" and events_cursor() == "c1"
    assert sent.accepted_at.isoformat() == accepted["at"]
    event = ReferralEvent.objects.get(public_id=accepted["id"])
    assert event.actor.username == "national-server" and not event.actor.is_active
    sent.personal_data = True  # the sending side's view
    history = presenters.history(sent)
    assert history[-1]["actor"] == "Ruth Kim (Ituri Child Protection Network), at national-server"
    assert list(Change.objects.values_list("kind", flat=True)) == logged  # nothing to push back

    done = national_event(sent, "in_service", "completed", outcome="placed", minutes=90)
    started = national_event(sent, "accepted", "in_service", minutes=80)
    assert events_apply(page=page(started, done, cursor="c2")) == {"applied": 2}
    sent.refresh_from_db()
    assert sent.status == "completed" and sent.outcome == "placed"
    assert list(Change.objects.values_list("kind", flat=True)) == logged


@override_settings(SYNC_URL="http://national.invalid")
def test_an_event_that_does_not_fit_the_station_is_a_conflict_never_forced(
    sent, protection_bruno, coordinator_patrick
):
    services.referral_transition(
        actor=protection_bruno, referral=sent, to_status="revoked", reason="seen at home"
    )  # not pushed yet
    accepted = national_event(sent, "pending", "accepted")
    assert events_apply(page=page(accepted)) == {"conflict": 1}
    assert events_apply(page=page(accepted)) == {"replayed": 1}  # one conflict, not two
    sent.refresh_from_db()
    assert sent.status == "revoked" and sent.events.count() == 2
    conflict = SyncConflict.objects.get()
    assert conflict.payload == accepted and "revoked" in conflict.detail
    assert conflict.change.station.username == "national-server"
    assert list(selectors.conflict_list(user=protection_bruno)) == [conflict]
    assert list(selectors.conflict_list(user=coordinator_patrick)) == []  # its compartment
    kinds = list(Change.objects.values_list("kind", flat=True))
    assert kinds == ["consent", "referral", "referral_transition"]  # only the station's revoke


@override_settings(SYNC_URL="http://national.invalid")
def test_the_stations_protection_officers_review_it_on_the_conflicts_page(
    client_for, sent, protection_bruno, officer_amina
):
    services.referral_transition(
        actor=protection_bruno, referral=sent, to_status="revoked", reason="seen at home"
    )
    events_apply(page=page(national_event(sent, "pending", "accepted")))
    conflict = SyncConflict.objects.get()
    listed = client_for(protection_bruno).get(reverse("sync:conflict-list"))
    assert listed.status_code == 200
    assert reverse("sync:conflict-list") in listed.content.decode()  # in the menu there
    assert reverse("sync:conflict-detail", args=[conflict.pk]) in listed.content.decode()
    shown = client_for(protection_bruno).get(reverse("sync:conflict-detail", args=[conflict.pk]))
    assert shown.status_code == 200 and "national-server" in shown.content.decode()
    home = client_for(officer_amina).get(reverse("web:home"))
    assert reverse("sync:conflict-list") not in home.content.decode()  # not her compartment


@override_settings(SYNC_URL="http://national.invalid")
def test_a_page_and_its_cursor_are_one_transaction(sent):
    accepted = national_event(sent, "pending", "accepted")
    assert events_apply(page=page(accepted, cursor="c1")) == {"applied": 1}
    started = national_event(sent, "accepted", "in_service", minutes=80)
    cut = {**national_event(sent, "in_service", "completed", minutes=90), "at": "cut"}
    with pytest.raises(ValueError):
        events_apply(page=page(started, cut, cursor="c2"))  # the answer arrived broken
    sent.refresh_from_db()
    assert sent.status == "accepted" and events_cursor() == "c1"  # nothing of that page
    done = national_event(sent, "in_service", "completed", outcome="placed", minutes=90)
    assert events_apply(page=page(started, done, cursor="c2")) == {"applied": 2}
    assert events_cursor() == "c2"


def test_an_event_of_a_referral_the_station_does_not_have_is_skipped(sent):
    other = Referral(public_id=uuid.uuid4(), sent_at=sent.sent_at)
    assert events_apply(page=page(national_event(other, "pending", "accepted"))) == {"unknown": 1}
    assert events_cursor() == "c"
