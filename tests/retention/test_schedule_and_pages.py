"""The worker's daily run (queued by `hbm retention schedule`, each run queuing the next a day
later), and the administrators' page of runs with its dry-run button."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from hbm.audit.models import AuditEvent
from hbm.registry.models import Person
from hbm.retention import services
from hbm.retention.models import RetentionRun
from hbm.retention.tasks import retention_daily

WORKER = ("db_worker", "--batch", "--no-startup-delay", "--interval", "0")


def queued():
    return DBTaskResult.objects.filter(task_path=retention_daily.module_path, status="READY")


def test_scheduling_queues_one_daily_run(db, capsys):
    call_command("retention", "schedule")
    call_command("retention", "schedule")
    assert queued().count() == 1
    assert "Daily run due" in capsys.readouterr().out


def test_nothing_is_queued_when_the_daily_run_is_off(db, settings, capsys):
    settings.RETENTION_DAILY = "off"
    call_command("retention", "schedule")
    assert not queued().exists() and "off" in capsys.readouterr().out
    assert services.retention_daily_run() is None


def test_the_next_run_is_due_a_day_after_the_last(db):
    run = services.retention_run(actor=None, kind="report", trigger="schedule")
    due = services.retention_schedule(now=run.started_at + timedelta(hours=1))
    assert due == run.started_at + services.DAILY_EVERY


def test_the_worker_runs_the_daily_purge_and_queues_the_next(transactional_db, settings):
    settings.RETENTION_DAILY = "purge"
    services.retention_schedule()
    call_command(*WORKER)
    run = RetentionRun.objects.get()
    assert (run.kind, run.trigger, run.status) == ("purge", "schedule", "done")
    assert AuditEvent.objects.filter(
        object_type="retention.policy", action="delete", actor_label=services.SCHEDULE
    ).count() == len(run.results)
    (following,) = queued()
    assert following.run_after == run.started_at + services.DAILY_EVERY
    # Not due yet: a worker passing by leaves it queued.
    call_command(*WORKER)
    assert RetentionRun.objects.count() == 1


def test_the_daily_run_may_be_a_dry_run_only(db, settings, django_capture_on_commit_callbacks):
    settings.RETENTION_DAILY = "report"
    with django_capture_on_commit_callbacks(execute=True):
        run = services.retention_daily_run()
    assert run is not None and run.kind == "report"
    assert queued().count() == 1


@pytest.mark.parametrize(
    "persona", ["officer_amina", "protection_bruno", "coordinator_patrick", "outsider_chen"]
)
def test_only_administrators_see_the_runs_or_start_a_dry_run(db, client_for, request, persona):
    client = client_for(request.getfixturevalue(persona))
    assert client.get("/retention/").status_code == 403
    assert client.post("/retention/dry-run").status_code == 403
    assert not RetentionRun.objects.exists()


def test_the_page_lists_the_runs_and_the_button_runs_a_dry_run(db, client_for, admin_samuel):
    client = client_for(admin_samuel)
    services.retention_run(actor=None, kind="purge", trigger="schedule")
    page = client.get("/retention/")
    html = page.content.decode()
    assert page.status_code == 200 and "inactive_persons" in html and "Daily schedule" in html
    assert "No daily run is queued" in html
    before = list(Person.objects.values())
    response = client.post("/retention/dry-run", follow=True)
    run = RetentionRun.objects.filter(kind="report").get()
    assert run.started_by == admin_samuel and run.trigger == "web"
    assert f"Dry run {run.pk}: 0 records would be purged" in response.content.decode()
    assert list(Person.objects.values()) == before
    assert client.get("/retention/dry-run").status_code == 405
    services.retention_schedule(now=timezone.now())
    assert "Next daily run (purge)" in client.get("/retention/").content.decode()
