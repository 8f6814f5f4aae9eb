"""Rebuilding the flow series as a background run, a month a chunk (hbm.lib.runs): progress in
months, a worker killed midway resumed to the same series as a clean rebuild, a failure said in
words, one rebuild at a time, for coordinators and administrators only."""

from contextlib import ExitStack
from datetime import datetime, timedelta

import pytest
from django.core.management import call_command
from django.db import OperationalError, connection
from django.db.models import F
from django.utils.html import escape

from hbm.audit.models import AuditEvent
from hbm.flows.models import FlowDaily, FlowRebuild, FlowRebuildMonth
from hbm.flows.services import rebuilds, rollup
from hbm.lib.runs import BUSY, RETRIES, STOPPED
from tests.flows.helpers import LUBUMBASHI, line, tally
from tests.flows.test_rollup import register_at, rollup_rows, series
from tests.registry.run_hooks import after_chunk_reads, failing_inserts, in_another_thread

WORKER = ("db_worker", "--batch", "--no-startup-delay", "--interval", "0")
# Crossings and tallies over four months; the first and last months also hold the margin.
MOMENTS = [datetime(2026, month, 10, 9, tzinfo=LUBUMBASHI) for month in (8, 9, 10, 11)]


@pytest.fixture
def history(officer_amina, enumerator_esther, settings):
    """Four months of arrivals at point A and tallies at the footpath, and a series that has
    gone wrong (a restore, say): the rebuild has to put it right."""
    settings.RUN_RETRY_DELAY = 0
    for n, moment in enumerate(MOMENTS):
        register_at(officer_amina, moment, given_name=f"P{n}", sex="FM"[n % 2], age_estimate=30)
        tally(enumerator_esther, line(female_18_59=n + 1), start=moment)
    FlowDaily.objects.filter(day__month=9).delete()
    FlowDaily.objects.update(people=F("people") + 7)
    return MOMENTS


def clean_rebuild():
    rollup.rebuild()
    return series(), rollup_rows()


def test_a_rebuild_records_its_progress_month_by_month(db, history, coordinator_patrick):
    run = rebuilds.flow_rebuild_request(actor=coordinator_patrick)
    months = list(run.months.values_list("month", flat=True))
    assert months == [moment.date().replace(day=1) for moment in history]
    run = rebuilds.flow_rebuild_run(run_id=run.pk)
    assert (run.status, run.error, run.done, run.total) == ("done", "", len(months), len(months))
    assert run.percent == 100 and run.finished_at and run.requested_by == coordinator_patrick
    done = FlowRebuildMonth.objects.filter(rebuild=run)
    assert all(month.done_at for month in done)
    assert sum(month.rows for month in done) == run.rows_written == FlowDaily.objects.count()
    rebuilt = series(), rollup_rows()
    assert rebuilt == clean_rebuild()
    assert AuditEvent.objects.filter(
        actor=coordinator_patrick, object_type="flows.flowrebuild", action="create"
    ).exists()


def test_a_rebuild_whose_worker_died_resumes_to_a_clean_rebuilds_series(
    transactional_db, history, client_for, coordinator_patrick, officer_amina, settings
):
    client = client_for(coordinator_patrick)
    assert client.post("/api/v1/flows/rebuild").status_code == 202

    def killed(n: int) -> None:
        if n == 3:  # the worker is stopped after committing two months
            raise SystemExit(1)

    with after_chunk_reads("flows_flowrebuildmonth", killed):
        call_command(*WORKER)
    connection.close()  # a stopped worker's connection goes with it (its read left open)
    run = FlowRebuild.objects.get()
    assert (run.status, run.done) == ("running", 2)
    # Officers go on registering meanwhile, in a month done and one still to do.
    for moment in (history[0], history[3]):
        in_another_thread(
            lambda moment=moment: register_at(
                officer_amina, moment + timedelta(hours=1), given_name="Late", sex="F"
            )
        )
    busy = client.post("/api/v1/flows/rebuild")
    assert busy.status_code == 409 and "already running (2 of" in busy.json()["message"]

    stale = timedelta(seconds=settings.RUN_STALE_AFTER + 1)
    FlowRebuild.objects.update(heartbeat_at=F("heartbeat_at") - stale)
    resumed = client.post("/api/v1/flows/rebuild")
    assert resumed.status_code == 202 and resumed.json()["id"] == run.pk
    call_command(*WORKER)
    run.refresh_from_db()
    assert (run.status, run.error, run.attempt) == ("done", "", 2)
    assert run.done == run.total == run.months.count(), "resumed from its cursor"
    latest = client.get("/api/v1/flows/rebuild/latest").json()
    assert (latest["status"], latest["percent"]) == ("done", 100)
    rebuilt = series(), rollup_rows()
    assert rebuilt == clean_rebuild()
    assert sum(n for key, n in rebuilt[0].items() if key[6] == "registration") == 6


def test_a_rebuild_that_fails_says_what_happened_and_goes_on_when_asked_again(
    db, history, client_for, coordinator_patrick
):
    run = rebuilds.flow_rebuild_request(actor=coordinator_patrick)
    locked = OperationalError("database is locked")
    tries = []

    def lock_from_the_second_month(n: int) -> None:
        if n == 2:  # the database stays busy once the first month is committed
            tries.append(stack.enter_context(failing_inserts("flows_flowdaily", locked)))

    with ExitStack() as stack, pytest.raises(OperationalError):
        stack.enter_context(after_chunk_reads("flows_flowrebuildmonth", lock_from_the_second_month))
        rebuilds.flow_rebuild_run(run_id=run.pk)
    assert len(tries[0]) == RETRIES + 1
    run.refresh_from_db()
    client = client_for(coordinator_patrick)
    progress = client.get("/api/v1/flows/rebuild/latest").json()
    assert progress["status"] == "failed" and 0 < progress["done"] < progress["total"]
    assert progress["error"] == STOPPED.format(
        unit="months",
        done=run.done,
        total=run.total,
        cursor=run.cursor,
        why=BUSY.format(tries=RETRIES + 1, waited=0),
        advice=FlowRebuild.ADVICE,
    )
    part = client.get("/flows/rebuild/", headers={"HX-Request": "true"}).content.decode()
    assert '<section id="rebuild"' in part and escape(run.error) in part
    assert f"{run.done} of {run.total} months rebuilt" in part
    assert "every 2s" not in part and "OperationalError" not in part
    assert escape(run.error) in client.get("/flows/").content.decode()

    again = client.post("/flows/rebuild/")
    assert again.status_code == 302 and again["Location"] == "/flows/#rebuild"
    run.refresh_from_db()
    assert (run.status, run.error) == ("queued", "")
    assert 'hx-trigger="every 2s"' in client.get("/flows/rebuild/").content.decode()
    run = rebuilds.flow_rebuild_run(run_id=run.pk)
    assert (run.status, run.done) == ("done", run.total)
    assert FlowRebuild.objects.count() == 1
    assert (series(), rollup_rows()) == clean_rebuild()


def test_only_coordinators_and_administrators_rebuild(
    db, client_for, officer_amina, enumerator_esther, admin_samuel, coordinator_patrick, client
):
    assert client.post("/api/v1/flows/rebuild").status_code == 401
    for user in (officer_amina, enumerator_esther):
        other = client_for(user)
        assert other.post("/api/v1/flows/rebuild").status_code == 403
        assert other.get("/api/v1/flows/rebuild/latest").status_code == 403
        assert other.post("/flows/rebuild/").status_code == 403
        assert "Rebuild the flow series" not in other.get("/flows/").content.decode()
    assert not FlowRebuild.objects.exists()
    admin = client_for(admin_samuel)
    assert admin.get("/api/v1/flows/rebuild/latest").status_code == 404
    assert "Rebuild the flow series" in admin.get("/flows/").content.decode()
    started = admin.post("/api/v1/flows/rebuild")
    assert started.status_code == 202 and started.json()["status"] == "queued"
    second = client_for(coordinator_patrick).post("/flows/rebuild/", follow=True)
    assert "already running" in second.content.decode()
    assert FlowRebuild.objects.count() == 1


def test_the_command_line_rebuilds_and_shows_the_last_rebuild(
    transactional_db, history, capsys, settings
):
    call_command("flows", "rebuild")
    run = FlowRebuild.objects.get()
    assert (run.status, run.requested_by) == ("done", None)
    assert "Daily series rebuilt" in capsys.readouterr().out
    assert AuditEvent.objects.get(object_type="flows.flowrebuild").actor_label == "command line"
    assert (series(), rollup_rows()) == clean_rebuild()

    call_command("flows", "status")
    assert f"Rebuild {run.pk}: done, {run.total} of {run.total} months (100%)" in (
        capsys.readouterr().out
    )
