"""Large exports as background runs: sent at once when small, else written by the worker to
a file only the one who asked may download, until it expires (docs/background.md)."""

import csv
import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import OperationalError
from django.db.models import F
from django.test import Client
from django.utils.html import escape
from openpyxl import load_workbook

from hbm.audit.models import AuditEvent
from hbm.registry.models import ExportFile
from hbm.registry.services.exports import EXPIRED, NO_LONGER
from hbm.registry.tasks import export_crossings
from tests.registry.helpers import register
from tests.registry.run_hooks import after_chunk_reads

API = "/api/v1/crossings/export"
WEB = "/registry/export/"


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def body(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def rows_of(content: bytes, file_format: str) -> list[list]:
    if file_format == "csv":
        return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    sheet = load_workbook(io.BytesIO(content), read_only=True).active
    return [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]


@pytest.fixture
def crossings(officer_amina, officer_bintu, settings, tmp_path):
    """Seven crossings at point A (a formula-like name among them), one at point B."""
    settings.EXPORT_DIR = tmp_path / "exports"
    settings.RUN_CHUNK_SIZE = 2
    settings.RUN_RETRY_DELAY = 0
    for n in range(3):
        register(
            officer_amina,
            {"given_name": f"Amina{n}", "family_name": "Deng", "date_of_birth": "1990"},
            {"given_name": "=SUM(A1)", "family_name": "Deng", "age_estimate": 4},
        )
    register(officer_amina, {"given_name": "Lone", "family_name": "Walker"})
    register(officer_bintu, {"given_name": "Other", "family_name": "Place"}, point="point-b")


def immediate_rows(client, file_format: str, settings) -> list[list]:
    settings.EXPORT_IMMEDIATE_MAX_ROWS = 10_000
    response = client.get(API, {"format": file_format})
    assert response.status_code == 200
    return rows_of(body(response), file_format)


def test_a_small_export_is_sent_at_once(db, crossings, officer_amina, settings):
    response = logged_in(officer_amina).post(WEB, {"format": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = rows_of(body(response), "csv")
    assert len(rows) == 2 + 7, "headers, HXL row, point A's crossings only"
    assert not ExportFile.objects.exists()
    assert AuditEvent.objects.get(action="export").detail == "csv export: all"


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_a_large_export_is_prepared_by_the_worker_and_equals_the_immediate_one(
    db, crossings, officer_amina, settings, file_format
):
    settings.EXPORT_IMMEDIATE_MAX_ROWS = 3
    client = logged_in(officer_amina)
    response = client.post(WEB, {"format": file_format})
    run = ExportFile.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/registry/exports/{run.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "Preparing your export" in page and "every 2s" in page and "<progress" in page
    created = AuditEvent.objects.get(action="export")
    assert created.object_id == str(run.pk) and "in the background" in created.detail

    assert export_crossings.call(export_id=run.pk) > 0
    run.refresh_from_db()
    assert (run.status, run.error, run.done, run.total) == ("done", "", 7, 7)
    polled = client.get(f"/registry/exports/{run.pk}/", headers={"HX-Request": "true"})
    part = polled.content.decode()
    assert "every 2s" not in part and f"/registry/exports/{run.pk}/file/" in part
    download = client.get(f"/registry/exports/{run.pk}/file/")
    assert download.status_code == 200
    assert rows_of(body(download), file_format) == immediate_rows(client, file_format, settings)
    assert AuditEvent.objects.filter(action="export", object_id=str(run.pk)).count() == 2
    assert not (settings.EXPORT_DIR / f"parts-{run.pk}").exists(), "the parts are removed"


def test_the_api_answers_202_then_the_progress_then_the_file(
    db, crossings, coordinator_patrick, settings
):
    settings.EXPORT_IMMEDIATE_MAX_ROWS = 3
    client = logged_in(coordinator_patrick)
    answer = client.get(API, {"format": "csv", "crossing_point": "point-a"})
    assert answer.status_code == 202
    progress = answer.json()
    assert (progress["status"], progress["format"], progress["download"]) == ("queued", "csv", None)
    export_crossings.call(export_id=progress["id"])
    progress = client.get(f"/api/v1/exports/{progress['id']}").json()
    assert (progress["status"], progress["done"], progress["total"]) == ("done", 7, 7)
    assert progress["percent"] == 100 and progress["expires_at"]
    rows = rows_of(body(client.get(progress["download"])), "csv")
    assert len(rows) == 2 + 7 and {r[2] for r in rows[2:]} == {"point-a"}
    assert any(r[8] == "'=SUM(A1)" for r in rows), "formulas neutralised as ever"


def test_only_the_one_who_asked_may_see_or_download_an_export(
    db, crossings, officer_amina, coordinator_patrick, admin_samuel, settings
):
    settings.EXPORT_IMMEDIATE_MAX_ROWS = 3
    logged_in(officer_amina).post(WEB, {"format": "csv"})
    run = ExportFile.objects.get()
    export_crossings.call(export_id=run.pk)
    for user in (coordinator_patrick, admin_samuel):
        other = logged_in(user)
        for url in (
            f"/registry/exports/{run.pk}/",
            f"/registry/exports/{run.pk}/file/",
            f"/api/v1/exports/{run.pk}",
            f"/api/v1/exports/{run.pk}/file",
        ):
            assert other.get(url).status_code == 403, (user, url)
    assert logged_in(officer_amina).get(f"/registry/exports/{run.pk + 1}/").status_code == 404
    downloads = AuditEvent.objects.filter(action="export", detail__contains="downloaded")
    assert not downloads.exists()


def test_a_file_is_not_served_before_it_is_ready(db, crossings, officer_amina, settings):
    settings.EXPORT_IMMEDIATE_MAX_ROWS = 3
    client = logged_in(officer_amina)
    client.post(WEB, {"format": "xlsx"})
    run = ExportFile.objects.get()
    response = client.get(f"/registry/exports/{run.pk}/file/")
    assert response.status_code == 409 and "not ready yet" in response.content.decode()
    api = client.get(f"/api/v1/exports/{run.pk}/file")
    assert api.status_code == 422 and "not ready yet" in api.content.decode()


def test_purge_deletes_expired_files_and_keeps_the_record(db, crossings, officer_amina, settings):
    settings.EXPORT_IMMEDIATE_MAX_ROWS = 3
    client = logged_in(officer_amina)
    client.post(WEB, {"format": "csv"})
    client.post(WEB, {"format": "xlsx"})
    old, fresh = ExportFile.objects.order_by("pk")
    for run in (old, fresh):
        export_crossings.call(export_id=run.pk)
        run.refresh_from_db()
    paths = {run.pk: settings.EXPORT_DIR / run.file_name for run in (old, fresh)}
    assert all(path.exists() for path in paths.values())
    past = timedelta(hours=settings.EXPORT_RETENTION_HOURS, minutes=1)
    ExportFile.objects.filter(pk=old.pk).update(finished_at=F("finished_at") - past)

    out = io.StringIO()
    call_command("export_files", "purge", stdout=out)
    assert "Purged 1 export files" in out.getvalue()
    old.refresh_from_db()
    assert old.purged_at and not old.file_name and not paths[old.pk].exists()
    assert paths[fresh.pk].exists(), "a file within its retention stays"
    response = client.get(f"/registry/exports/{old.pk}/file/")
    assert response.status_code == 409 and EXPIRED in response.content.decode()
    assert EXPIRED in client.get(f"/registry/exports/{old.pk}/").content.decode()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"format": "pdf"}, "format", "Select a valid choice"),
        ({"format": "csv", "since": "yesterday"}, "since", "Enter a valid date"),
        ({"format": "csv", "since": "2026-12-05", "until": "2026-12-01"}, "until", "before"),
        ({"format": "csv", "direction": "sideways"}, "direction", "Select a valid choice"),
    ],
)
def test_bad_parameters_are_said_not_a_500(db, officer_amina, data, field, message):
    response = logged_in(officer_amina).post(WEB, data)
    assert response.status_code == 422
    assert message in response.content.decode() and not ExportFile.objects.exists()


def test_bad_api_parameters_are_a_422_with_the_field(db, officer_amina):
    response = logged_in(officer_amina).get(API, {"since": "yesterday"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "query.since"


def test_roles_without_export_rights_cannot_start_one(db, protection_bruno, outsider_chen):
    for user in (protection_bruno, outsider_chen):
        assert logged_in(user).post(WEB, {"format": "csv"}).status_code == 403
    assert not ExportFile.objects.exists()


def test_an_export_that_fails_says_so_in_words_on_its_page(db, crossings, officer_amina, settings):
    settings.EXPORT_IMMEDIATE_MAX_ROWS = 3
    client = logged_in(officer_amina)
    client.post(WEB, {"format": "csv"})
    run = ExportFile.objects.get()

    def locked(n: int) -> None:
        raise OperationalError("database is locked")

    with after_chunk_reads("registry_crossing", locked), pytest.raises(OperationalError):
        export_crossings.call(export_id=run.pk)
    run.refresh_from_db()
    assert run.status == "failed" and run.error.startswith("Stopped after 0 of 7 rows")
    assert "the database stayed busy with other writes" in run.error
    assert run.error.endswith(ExportFile.ADVICE)
    page = client.get(f"/registry/exports/{run.pk}/").content.decode()
    assert escape(run.error) in page and "every 2s" not in page
    assert "OperationalError" not in page


def test_an_asker_who_may_no_longer_export_gets_no_file(db, crossings, officer_amina, settings):
    settings.EXPORT_IMMEDIATE_MAX_ROWS = 3
    logged_in(officer_amina).post(WEB, {"format": "csv"})
    run = ExportFile.objects.get()
    officer_amina.roles = []
    officer_amina.save()
    export_crossings.call(export_id=run.pk)
    run.refresh_from_db()
    assert (run.status, run.error, run.file_name) == ("failed", NO_LONGER, "")
