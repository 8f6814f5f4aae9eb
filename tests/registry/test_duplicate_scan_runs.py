"""The duplicate rescan as a background run: concurrent registrations, a killed worker, a
failure said in words (hbm.lib.runs; docs/decisions/0010-background-runs.md)."""

import threading
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import OperationalError, connections
from django.db.models import F
from django.utils.html import escape

from hbm.lib.runs import BUSY, RETRIES, STOPPED, retry_delay
from hbm.registry.models import DuplicateCandidate, DuplicateScan, Person
from hbm.registry.services import CANDIDATES_PER_PERSON, REVIEW_THRESHOLD, duplicates
from hbm.registry.tasks import rescan_duplicates
from tests.registry.helpers import VARIANT, register
from tests.registry.run_hooks import after_chunk_reads, failing_inserts, in_another_thread
from tests.registry.test_duplicates import HASSAN

# Registered before the rescan, two by chunk: the one pair (Hassan) is in the second chunk.
PEOPLE = [
    {"given_name": "Pierre", "family_name": "Ngoy", "date_of_birth": "1990", "nationality": "COD"},
    {"given_name": "Fatima", "family_name": "Deng", "date_of_birth": "2001", "nationality": "SDN"},
    HASSAN,
    VARIANT,
    {"given_name": "Grace", "family_name": "Achan", "date_of_birth": "1975", "nationality": "UGA"},
    {"given_name": "Samuel", "family_name": "Wani", "date_of_birth": "1968", "nationality": "SSD"},
]
ARRIVING = [
    {"given_name": "Rose", "family_name": "Keji", "date_of_birth": "1993", "nationality": "SSD"},
    {"given_name": "Yusuf", "family_name": "Bakari", "date_of_birth": "1959", "nationality": "CAF"},
    {"given_name": "Esther", "family_name": "Mbala", "date_of_birth": "1987", "nationality": "COD"},
]
WORKER = ("db_worker", "--batch", "--no-startup-delay", "--interval", "0")


@pytest.fixture
def registry(officer_amina, settings):
    settings.RUN_CHUNK_SIZE = 2
    settings.RUN_RETRY_DELAY = 0
    people = [register(officer_amina, member)[0] for member in PEOPLE]
    DuplicateCandidate.objects.all().delete()  # the rescan must find the pair again
    return people


def scan_run(scan: DuplicateScan) -> DuplicateScan:
    return duplicates.duplicate_scan_run(
        scan_id=scan.pk, threshold=REVIEW_THRESHOLD, limit=CANDIDATES_PER_PERSON + 1
    )


def test_a_rescan_goes_through_registrations_committed_between_its_chunks(
    transactional_db, registry, officer_amina, coordinator_patrick
):
    scan = duplicates.duplicate_scan_request(actor=coordinator_patrick)

    def someone_registers(n: int) -> None:
        if n <= len(ARRIVING):
            in_another_thread(lambda: register(officer_amina, ARRIVING[n - 1]))

    with after_chunk_reads("registry_person", someone_registers):
        scan_run(scan)
    scan.refresh_from_db()
    assert Person.objects.count() == len(PEOPLE) + len(ARRIVING), "every registration committed"
    assert (scan.status, scan.error, scan.found) == ("done", "", 1)
    assert scan.done == scan.total == len(PEOPLE), "people registered meanwhile are not counted"
    assert scan.cursor == scan.scope_upto == registry[-1].pk


def test_a_rescan_whose_worker_died_is_resumed_by_the_next_request(
    transactional_db, registry, client_for, coordinator_patrick, settings
):
    client = client_for(coordinator_patrick)
    client.post("/registry/duplicates/")
    scan = DuplicateScan.objects.get()

    def killed(n: int) -> None:
        if n == 2:  # the worker is stopped (sys.exit) after committing its first chunk
            raise SystemExit(1)

    with after_chunk_reads("registry_person", killed):
        call_command(*WORKER)
    scan.refresh_from_db()
    assert (scan.status, scan.done, scan.cursor) == ("running", 2, registry[1].pk)

    scan_run(scan)  # the same scan given to a worker while the first one may still be alive
    assert DuplicateScan.objects.get().done == 2, "a run with a fresh heartbeat is left alone"
    refused = client.post("/registry/duplicates/", follow=True).content.decode()
    assert duplicates.SCAN_RUNNING in refused

    stale = timedelta(seconds=settings.RUN_STALE_AFTER + 1)
    DuplicateScan.objects.update(heartbeat_at=F("heartbeat_at") - stale)
    shown = client.get("/registry/duplicates/").content.decode()
    assert "its worker seems to have stopped" in shown
    page = client.post("/registry/duplicates/", follow=True).content.decode()
    assert "The last rescan had stopped; it goes on from there." in page
    call_command(*WORKER)
    scan = DuplicateScan.objects.get()
    assert (scan.status, scan.error, scan.found, scan.attempt) == ("done", "", 1, 2)
    assert scan.done == scan.total == len(PEOPLE), "resumed from its cursor, none counted twice"


def test_a_rescan_that_fails_says_what_happened_where_and_what_to_do(
    db, registry, client_for, coordinator_patrick
):
    scan = duplicates.duplicate_scan_request(actor=coordinator_patrick)
    locked = OperationalError("database is locked")
    failing = failing_inserts("registry_duplicatecandidate", locked)
    with failing as tries, pytest.raises(OperationalError):
        scan_run(scan)
    assert len(tries) == RETRIES + 1, "a lock is tried again before the run gives up"
    scan.refresh_from_db()
    assert scan.status == "failed" and scan.done == 2
    assert scan.error == STOPPED.format(
        unit="people",
        done=2,
        total=len(PEOPLE),
        cursor=registry[1].pk,
        why=BUSY.format(tries=RETRIES + 1, waited=0),
        advice=DuplicateScan.ADVICE,
    )
    page = client_for(coordinator_patrick).get("/registry/duplicates/").content.decode()
    assert escape(scan.error) in page
    assert "OperationalError" not in page and "database is locked" not in page
    scan = duplicates.duplicate_scan_request(actor=coordinator_patrick)
    assert scan_run(scan).found == 1, "a new rescan after a failure"


def test_a_lock_met_by_one_chunk_is_tried_again(db, registry, coordinator_patrick):
    scan = duplicates.duplicate_scan_request(actor=coordinator_patrick)
    locked = OperationalError("database is locked")
    with failing_inserts("registry_duplicatecandidate", locked, times=RETRIES) as tries:
        scan = scan_run(scan)
    assert len(tries) == RETRIES
    assert (scan.status, scan.done, scan.found) == ("done", len(PEOPLE), 1)
    assert DuplicateCandidate.objects.count() == 1


def test_a_chunk_gives_up_when_its_waits_would_pass_the_limit(
    db, registry, coordinator_patrick, settings
):
    settings.RUN_RETRY_DELAY, settings.RUN_RETRY_MAX_DELAY = 5, 0  # no wait fits in the limit
    scan = duplicates.duplicate_scan_request(actor=coordinator_patrick)
    locked = OperationalError("database is locked")
    failing = failing_inserts("registry_duplicatecandidate", locked)
    with failing as tries, pytest.raises(OperationalError):
        scan_run(scan)
    assert len(tries) == 1, "no try waits past RUN_RETRY_MAX_DELAY"
    scan.refresh_from_db()
    assert "the database stayed busy with other writes (1 tries over 0 seconds)" in scan.error


def test_backoff_doubles_with_jitter(settings):
    settings.RUN_RETRY_DELAY = 1
    for retry in range(5):
        assert 2**retry / 2 <= retry_delay(retry) <= 2**retry


def test_a_rescan_in_the_worker_coexists_with_officers_registering_and_reading(
    transactional_db, registry, officer_amina, coordinator_patrick, client_for, settings
):
    """The worker's task rescans (chunks of 2) while an officer, in another thread on its own
    connection, registers groups through the service and reads pages: both get through."""
    settings.RUN_RETRY_DELAY = 0.05
    for n in range(10):  # more chunks, so that the two overlap
        register(officer_amina, {"given_name": f"Amani{n}", "family_name": "Otieno"})
    scan = duplicates.duplicate_scan_request(actor=coordinator_patrick)
    browser = client_for(officer_amina)
    started, finished = threading.Event(), threading.Event()
    registered: list[Person] = []
    errors: list[BaseException] = []

    def officer() -> None:
        try:
            for n in range(40):
                registered.extend(
                    register(officer_amina, {**ARRIVING[n % 3], "given_name": f"Ana{n}"})
                )
                for url in ("/registry/people/?name=Ana", "/registry/duplicates/", "/"):
                    assert browser.get(url).status_code == 200, url
                started.set()
                if finished.is_set() and n >= 3:
                    break
        except BaseException as error:  # re-raised in the test's thread
            errors.append(error)
        finally:
            started.set()
            connections.close_all()

    thread = threading.Thread(target=officer)
    thread.start()
    started.wait(timeout=60)
    try:
        rescan_duplicates.call(scan_id=scan.pk)
    finally:
        finished.set()
        thread.join(timeout=120)
    assert not errors, errors
    scan.refresh_from_db()
    assert (scan.status, scan.error) == ("done", "")
    assert scan.done == scan.total >= len(PEOPLE) + 10
    ids = {person.pk for person in registered}
    assert len(ids) >= 4 and Person.objects.filter(pk__in=ids).count() == len(ids)
