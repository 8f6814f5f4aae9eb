"""Watchlist entries past their list's retention: blanked and dropped from every process's
index at once, deleted a day later when no hit refers to them; a hit waiting for review keeps
its entry; a decided hit keeps its decision and loses its match details."""

from datetime import timedelta

import pytest
from django.utils import timezone

from hbm.retention import services
from hbm.security import services as security
from hbm.security.models import Hit, WatchlistEntry
from hbm.security.screening import watchlist_index
from tests.registry.helpers import list_joseph_kony, register

OLD_LIST = (
    b"external_id,given_name,family_name,date_of_birth,nationality,reason_category,"
    b"required_action\nW-10,Okello,Opiyo,1970,UGA,wanted,refer\n"
)
KONY = {"given_name": "Joseph", "family_name": "Kony", "sex": "M", "date_of_birth": "1961"}


def purge(days):
    return services.retention_run(
        actor=None, kind="purge", trigger="command", now=timezone.now() + timedelta(days=days)
    )


@pytest.fixture
def lists(security_joseph, officer_amina):
    list_joseph_kony(security_joseph)  # kept 365 days
    short = security.watchlist_create(
        actor=security_joseph,
        owner=security_joseph.agency,
        name="Short",
        legal_basis="Order 7",
        retention_days=30,
    )
    security.watchlist_load(
        actor=security_joseph, watchlist=short, content=OLD_LIST, filename="short.csv"
    )
    (kony,) = register(officer_amina, {**KONY, "nationality": "UGA"}, kind="individual")
    return {
        "okello": WatchlistEntry.objects.get(external_id="W-10"),
        "kony": WatchlistEntry.objects.get(external_id="W-2"),
        "hit": Hit.objects.get(person=kony),
    }


def test_an_entry_past_retention_is_blanked_then_deleted(lists):
    okello = lists["okello"]
    assert f"{okello.pk}:0" in watchlist_index.current()
    run = purge(days=31)
    assert run.results["watchlist_entries"]["done"] == 1
    okello.refresh_from_db()
    assert not okello.active
    assert (okello.given_name, okello.family_name, okello.date_of_birth) == ("", "", "")
    assert okello.external_id == "W-10"
    assert f"{okello.pk}:0" not in watchlist_index.current()
    # The next day's run deletes the blanked row: no hit refers to it.
    purge(days=31 + 2)
    assert not WatchlistEntry.objects.filter(pk=okello.pk).exists()


def test_an_entry_within_retention_is_kept(lists):
    purge(days=29)
    lists["okello"].refresh_from_db()
    assert lists["okello"].active and lists["okello"].given_name == "Okello"


def test_an_open_hit_keeps_its_entry_and_a_decided_one_keeps_its_decision(lists, security_joseph):
    kony, hit = lists["kony"], lists["hit"]
    purge(days=366)
    kony.refresh_from_db()
    assert kony.active and kony.family_name == "Kony"
    security.hit_decide(actor=security_joseph, hit=hit, decision="confirmed", reason="him")
    purge(days=366)
    kony.refresh_from_db()
    hit.refresh_from_db()
    assert not kony.active and kony.family_name == ""
    assert (hit.status, hit.reason, hit.explanation) == ("confirmed", "him", {})
    purge(days=366 + 2)
    assert WatchlistEntry.objects.filter(pk=kony.pk).exists()  # the hit refers to it
