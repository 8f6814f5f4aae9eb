"""The rescreen as a background run: a fixed scope, a killed worker, a failure said in words
(hbm.lib.runs; docs/decisions/0010-background-runs.md)."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import OperationalError
from django.db.models import F
from django.utils.html import escape

from hbm.lib.runs import BUSY, RETRIES, STOPPED
from hbm.security import services
from hbm.security.models import Hit, ScreeningRun
from hbm.security.services import rescreen
from tests.registry.helpers import register
from tests.registry.run_hooks import after_chunk_reads, failing_inserts, in_another_thread
from tests.security.test_security_screening import CSV, KONY

PEOPLE = [
    {"given_name": "Pierre", "family_name": "Ngoy", "date_of_birth": "1990", "nationality": "COD"},
    {"given_name": "Fatima", "family_name": "Deng", "date_of_birth": "2001", "nationality": "SDN"},
    {**KONY, "sex": "M"},  # on the list loaded below: the only hit, in the second chunk
    {"given_name": "Grace", "family_name": "Achan", "date_of_birth": "1975", "nationality": "UGA"},
]
WORKER = ("db_worker", "--batch", "--no-startup-delay", "--interval", "0")


@pytest.fixture
def registered(officer_amina, settings):
    settings.RUN_CHUNK_SIZE = 2
    settings.RUN_RETRY_DELAY = 0
    return [register(officer_amina, member)[0] for member in PEOPLE]


@pytest.fixture
def run(registered, security_joseph):
    """A list is loaded after everyone registered: its rescreen is queued."""
    watchlist = services.watchlist_create(
        actor=security_joseph, owner=security_joseph.agency, name="National", legal_basis="Law"
    )
    services.watchlist_load(
        actor=security_joseph, watchlist=watchlist, content=CSV.encode(), filename="n.csv"
    )
    return ScreeningRun.objects.get()


def test_progress_never_passes_the_total_when_people_register_during_the_run(
    transactional_db, run, officer_amina
):
    def someone_registers(n: int) -> None:
        if n <= 3:
            in_another_thread(lambda: register(officer_amina, {"given_name": f"Arrival{n}"}))

    with after_chunk_reads("registry_person", someone_registers):
        run = rescreen.rescreen_run(run_id=run.pk)
    assert (run.status, run.error, run.hits_found) == ("done", "", 1)
    assert run.done == run.total == len(PEOPLE), "registered meanwhile: screened on arrival"


def test_a_rescreen_whose_worker_died_is_resumed_when_one_is_asked_for(
    transactional_db, run, client_for, security_joseph, settings
):
    def killed(n: int) -> None:
        if n == 2:  # the worker is stopped (sys.exit) after committing its first chunk
            raise SystemExit(1)

    with after_chunk_reads("registry_person", killed):
        call_command(*WORKER)
    run.refresh_from_db()
    assert (run.status, run.done) == ("running", 2)

    stale = timedelta(seconds=settings.RUN_STALE_AFTER + 1)
    ScreeningRun.objects.update(heartbeat_at=F("heartbeat_at") - stale)
    client = client_for(security_joseph)
    assert client.post("/api/v1/security/rescreen").status_code == 202
    call_command(*WORKER)
    run.refresh_from_db()
    assert (run.status, run.error, run.attempt) == ("done", "", 2)
    assert run.done == run.total == len(PEOPLE), "resumed from its cursor"
    asked = ScreeningRun.objects.exclude(pk=run.pk).get()
    assert (asked.status, asked.done, asked.hits_found) == ("done", len(PEOPLE), 0)
    assert Hit.objects.count() == run.hits_found == 1


def test_a_rescreen_that_fails_says_what_happened_where_and_what_to_do(
    db, run, registered, client_for, security_joseph
):
    locked = OperationalError("database is locked")
    with failing_inserts("security_hit", locked) as tries, pytest.raises(OperationalError):
        rescreen.rescreen_run(run_id=run.pk)
    assert len(tries) == RETRIES + 1
    progress = client_for(security_joseph).get("/api/v1/security/rescreen/latest").json()
    assert (progress["status"], progress["done"], progress["total"]) == ("failed", 2, 4)
    assert progress["error"] == STOPPED.format(
        unit="people",
        done=2,
        total=4,
        cursor=registered[1].pk,
        why=BUSY.format(tries=RETRIES + 1, waited=0),
        advice=ScreeningRun.ADVICE,
    )


def test_the_watchlists_page_shows_the_rescreen_progress_and_its_error_in_words(
    db, run, client_for, security_joseph
):
    client = client_for(security_joseph)
    page = client.get("/security/watchlists/").content.decode()
    assert 'id="rescreen"' in page and "every 2s" in page, "polled while queued"
    locked = OperationalError("database is locked")
    with failing_inserts("security_hit", locked), pytest.raises(OperationalError):
        rescreen.rescreen_run(run_id=run.pk)
    run.refresh_from_db()
    polled = client.get("/security/watchlists/", headers={"HX-Request": "true"})
    part = polled.content.decode()
    assert '<section id="rescreen"' in part
    assert "2 of 4 people checked" in part and '<progress max="100" value="50">' in part
    assert escape(run.error) in part and "every 2s" not in part, "a failed run is not polled"
    assert "OperationalError" not in part and "<table" not in part
