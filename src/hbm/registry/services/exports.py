"""Exports of registrations too large to send at once, as background runs (hbm.lib.runs).

The worker reads the crossings in chunks, in the scope of the one who asked, and writes each
chunk's rows to a part file named by the chunk's first key (rewritten whole if a chunk is done
again after a crash). When the last chunk is done, the parts are put together into one CSV or
XLSX file under EXPORT_DIR, which only the one who asked may download, until it expires
(EXPORT_RETENTION_HOURS; ``hbm export_files purge`` deletes it). See docs/background.md.
"""

import json
import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from hbm.accounts.models import User
from hbm.audit.models import AuditEvent
from hbm.audit.services import audit_record
from hbm.lib import streams
from hbm.lib.permissions import require_role
from hbm.lib.runs import run_in_chunks
from hbm.registry import export
from hbm.registry.models import Crossing, ExportFile
from hbm.registry.selectors import crossing_list

NOT_READY = "This export is not ready yet."
EXPIRED = "This export has expired and its file was deleted; ask for the export again."
NO_LONGER = "Your account may no longer export registrations."

EXPORTERS = ("registration_officer", "coordinator", "administrator")


def crossings_export(*, actor: User, filters: dict[str, Any], file_format: str) -> Any:
    """The crossings an export may contain, after checking the role and auditing the export
    (who, which filters, which format) before the first byte leaves."""
    require_role(actor, *EXPORTERS)
    crossings = crossing_list(user=actor, **filters)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.EXPORT,
        object_type="registry.crossing",
        detail=f"{file_format} export: {_used(filters)}",
    )
    return crossings


@dataclass(frozen=True)
class ExportAnswer:
    """Either the crossings to send at once, or the background run that writes them."""

    crossings: QuerySet[Crossing] | None = None
    run: ExportFile | None = None


def _used(filters: dict[str, Any]) -> str:
    return ", ".join(f"{k}={v}" for k, v in sorted(filters.items()) if v) or "all"


@transaction.atomic
def crossings_export_request(
    *, actor: User, filters: dict[str, Any], file_format: str
) -> ExportAnswer:
    """A small export is sent at once (audited as ever); a larger one (more rows than
    EXPORT_IMMEDIATE_MAX_ROWS) is queued for the worker, audited as it is asked for."""
    require_role(actor, *EXPORTERS)
    limit = settings.EXPORT_IMMEDIATE_MAX_ROWS
    if crossing_list(user=actor, **filters).order_by()[: limit + 1].count() <= limit:
        return ExportAnswer(
            crossings=crossings_export(actor=actor, filters=filters, file_format=file_format)
        )
    stored = {k: v.isoformat() if isinstance(v, date) else v for k, v in filters.items() if v}
    run = ExportFile.objects.create(requested_by=actor, file_format=file_format, filters=stored)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.EXPORT,
        target=run,
        detail=f"{file_format} export (in the background): {_used(filters)}",
    )
    transaction.on_commit(lambda: _enqueue(run.pk))
    return ExportAnswer(run=run)


def _enqueue(export_id: int) -> None:
    from hbm.registry.tasks import export_crossings

    export_crossings.enqueue(export_id=export_id)


def export_path(run: ExportFile) -> Path:
    return Path(settings.EXPORT_DIR) / run.file_name


def export_expires_at(run: ExportFile) -> Any:
    if run.finished_at is None:
        return None
    return run.finished_at + timedelta(hours=settings.EXPORT_RETENTION_HOURS)


def _parts_dir(export_id: int) -> Path:
    return Path(settings.EXPORT_DIR) / f"parts-{export_id}"


def _write_atomically(path: Path, write: Callable[[IO[Any]], object], mode: str = "w") -> int:
    """Write to a temporary name, then rename: a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    with open(temporary, mode, encoding=None if "b" in mode else "utf-8") as out:
        write(out)
    os.replace(temporary, path)
    return path.stat().st_size


def export_file_run(*, export_id: int) -> ExportFile:
    """Write (or go on writing) the export's file; the worker's task."""
    run = ExportFile.objects.select_related("requested_by").get(pk=export_id)
    user = run.requested_by
    try:
        require_role(user, *EXPORTERS)
    except PermissionDenied:
        _refuse(run)
        return run
    filters: dict[str, Any] = {
        k: date.fromisoformat(v) if k in ("since", "until") else v for k, v in run.filters.items()
    }
    rows = export.export_queryset(crossing_list(user=user, **filters))
    parts = _parts_dir(export_id)

    def work(chunk: list[Crossing]) -> Callable[[], dict[str, int]]:
        lines = [json.dumps([c.pk, export.export_row(c)], cls=DjangoJSONEncoder) for c in chunk]
        part = parts / f"{chunk[0].pk:020d}.jsonl"
        _write_atomically(part, lambda out: out.write("\n".join(lines) + "\n"))
        return dict  # nothing to count but the rows

    return run_in_chunks(
        model=ExportFile,
        run_id=export_id,
        rows=rows,
        work=work,
        finish=lambda: _assemble(run, parts),
    )


def _refuse(run: ExportFile) -> None:
    ExportFile.objects.filter(pk=run.pk, status__in=ExportFile.ACTIVE).update(
        status=ExportFile.Status.FAILED, error=NO_LONGER, finished_at=timezone.now()
    )


def _part_rows(parts: Path) -> Iterator[list[Any]]:
    """The rows of every part in key order, each once (a part rewritten after a crash with
    another chunk size may overlap the next)."""
    yield from export.HEADER_ROWS
    last = 0
    for part in sorted(parts.glob("*.jsonl")):
        with open(part, encoding="utf-8") as lines:
            for line in lines:
                pk, row = json.loads(line)
                if pk > last:
                    last = pk
                    yield row


def _assemble(run: ExportFile, parts: Path) -> None:
    name = f"{run.pk}-{run.queued_at:%Y%m%d-%H%M%S}.{run.file_format}"
    target = Path(settings.EXPORT_DIR) / name
    if run.file_format == ExportFile.Format.XLSX:
        spool = streams.xlsx_file(_part_rows(parts), sheet=export.SHEET)
        size = _write_atomically(target, lambda out: shutil.copyfileobj(spool, out), "wb")
        spool.close()
    else:
        text = streams.csv_stream(_part_rows(parts))
        size = _write_atomically(target, lambda out: out.writelines(text))
    ExportFile.objects.filter(pk=run.pk).update(file_name=name, size=size)
    shutil.rmtree(parts, ignore_errors=True)


def export_file_get_for_user(*, user: User, pk: int) -> ExportFile:
    """An export run by id: only the one who asked for it may see it (403 for anyone else)."""
    run = ExportFile.objects.filter(pk=pk).first()
    if run is None:
        raise Http404("No such export.")
    if run.requested_by_id != user.pk:
        raise PermissionDenied("Only the person who asked for an export may see it.")
    return run


@transaction.atomic
def export_file_open(*, actor: User, run: ExportFile) -> IO[bytes]:
    """The finished file, opened for sending, with the download audited."""
    if run.purged_at is not None:
        raise ValidationError({"export": EXPIRED})
    if run.status != ExportFile.Status.DONE or not run.file_name:
        raise ValidationError({"export": NOT_READY})
    try:
        opened = open(export_path(run), "rb")  # noqa: SIM115 - the response closes it
    except FileNotFoundError:
        raise ValidationError({"export": EXPIRED}) from None
    audit_record(
        actor=actor,
        action=AuditEvent.Action.EXPORT,
        target=run,
        detail=f"{run.file_format} export downloaded: {_used(run.filters)}",
    )
    return opened


def export_files_expired(*, now: datetime) -> QuerySet[ExportFile]:
    """The exports whose files are past EXPORT_RETENTION_HOURS and not yet purged."""
    cutoff = now - timedelta(hours=settings.EXPORT_RETENTION_HOURS)
    return ExportFile.objects.filter(purged_at__isnull=True).filter(
        Q(finished_at__lt=cutoff) | Q(finished_at__isnull=True, heartbeat_at__lt=cutoff)
    )


def export_files_purge() -> int:
    """Delete the files (and parts) of exports older than EXPORT_RETENTION_HOURS; the rows
    stay, marked purged, for the record. Returns how many were purged."""
    now = timezone.now()
    old = export_files_expired(now=now)
    purged = 0
    for run in old:
        if run.file_name:
            export_path(run).unlink(missing_ok=True)
        shutil.rmtree(_parts_dir(run.pk), ignore_errors=True)
        with transaction.atomic():
            ExportFile.objects.filter(pk=run.pk).update(purged_at=now, file_name="")
            ExportFile.objects.filter(pk=run.pk, status__in=ExportFile.ACTIVE).update(
                status=ExportFile.Status.FAILED, error=EXPIRED, finished_at=now
            )
        purged += 1
    return purged
