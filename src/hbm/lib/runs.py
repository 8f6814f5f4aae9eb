"""One base for background runs over a table (the duplicate rescan, the rescreen).

A run fixes its scope when it starts (the rows up to the largest primary key then), reads its
rows in chunks by primary-key range, computes outside any transaction, and commits each chunk's
writes with its progress, cursor and heartbeat in one short transaction: progress is exact and a
run resumes from its cursor. A run whose heartbeat is older than ``RUN_STALE_AFTER`` is dead (its
worker was killed); asking again revives it (docs/decisions/0010-background-runs.md).
"""

import logging
import random
import time
from collections.abc import Callable
from datetime import timedelta
from functools import partial
from typing import Any, ClassVar, Self, TypeVar

from django.conf import settings
from django.db import OperationalError, models, transaction
from django.db.models import F, Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

# A chunk that meets a lock is tried again after RUN_RETRY_DELAY, then twice that and so on,
# each delay jittered (so that two runs that met one lock don't meet it again), while the
# delays add up to at most RUN_RETRY_MAX_DELAY seconds, and at most this many times.
RETRIES = 8
STOPPED = "Stopped after {done} of {total} {unit} (the last one done: #{cursor}): {why}. {advice}"
BUSY = "the database stayed busy with other writes ({tries} tries over {waited:.0f} seconds)"
UNEXPECTED = "an unexpected error ({kind}); the worker's log has the details"

# A chunk: from the rows read, the function that writes their results inside the chunk's
# transaction and returns what to add to the run's counters (e.g. {"found": 3}).
Work = Callable[[list[Any]], Callable[[], dict[str, int]]]


class Run(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    # Each concrete run model has Django's default manager; an abstract one declares it for the
    # type checker, which adds managers to concrete models only.
    objects: ClassVar["models.Manager[Self]"]
    # The scope (rows with a primary key up to this, fixed at start) and the last one done.
    scope_upto = models.BigIntegerField(null=True, blank=True)
    cursor = models.BigIntegerField(default=0)
    # Raised by each worker that takes the run: a chunk commits only under its own attempt.
    attempt = models.PositiveIntegerField(default=0)
    queued_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)

    ACTIVE = (Status.QUEUED, Status.RUNNING)
    ADVICE = "Ask for a new run."
    UNIT = "people"  # what the rows are, in the error

    class Meta:
        abstract = True
        ordering = ["-queued_at"]

    @property
    def percent(self) -> int:
        if not self.total:
            return 100 if self.status == self.Status.DONE else 0
        return int(100 * self.done / self.total)

    @property
    def is_stale(self) -> bool:
        return self.status in self.ACTIVE and self.heartbeat_at < timezone.now() - stale_after()


R = TypeVar("R", bound=Run)


def stale_after() -> timedelta:
    return timedelta(seconds=settings.RUN_STALE_AFTER)


def run_revive(run: Run) -> bool:
    """Queue a dead run again (call inside the caller's transaction, the run locked); it goes
    on from its cursor. The worker that may still hold it loses it at its next chunk."""
    if not run.is_stale:
        return False
    run.status, run.heartbeat_at, run.error = run.Status.QUEUED, timezone.now(), ""
    run.save(update_fields=["status", "heartbeat_at", "error"])
    return True


def run_in_chunks(
    *,
    model: type[R],
    run_id: int,
    rows: QuerySet[Any],
    work: Work,
    finish: Callable[[], None] | None = None,
    chunk_size: int | None = None,
) -> R:
    """Run (or resume) ``run_id`` over ``rows``. Returns the run as it stands; a run that is
    finished, or held by a live worker, is left as it is. ``finish``, if given, is called
    after the last chunk and before the run is marked done (a file put together, say); it
    must be safe to call again, since a worker that dies in it leaves the run to resume.
    ``chunk_size``: rows per chunk when not RUN_CHUNK_SIZE (a row that stands for much work,
    such as a month of the flow series, is a chunk of its own)."""
    attempt = _take(model, run_id, rows)
    if attempt is not None:
        run = model.objects.get(pk=run_id)
        try:
            size = chunk_size or settings.RUN_CHUNK_SIZE
            _chunks(model, run, attempt, rows, work, finish, size)
        except _Superseded:
            pass
        # A worker being stopped (SystemExit, KeyboardInterrupt) leaves the run as it stands:
        # its heartbeat ages, and the next request resumes it.
        except Exception as error:
            logger.exception("%s %s failed", model.__name__, run_id)
            _retrying(partial(_fail, model, run_id, attempt, error))
            raise
    return model.objects.get(pk=run_id)


class _Superseded(Exception):
    """Another worker took the run over (this one was taken for dead)."""


def _take(model: type[Run], run_id: int, rows: QuerySet[Any]) -> int | None:
    with transaction.atomic():
        run = model.objects.select_for_update().get(pk=run_id)
        if run.status not in run.ACTIVE:
            return None
        if run.status == run.Status.RUNNING and not run.is_stale:
            return None  # a live worker has it
        now = timezone.now()
        if run.scope_upto is None:
            # Rows added from now on are not counted: each was handled when it was written.
            run.scope_upto = rows.aggregate(last=Max("pk"))["last"] or 0
            run.total = rows.filter(pk__lte=run.scope_upto).count()
            run.done, run.cursor, run.started_at = 0, 0, now
        run.status, run.heartbeat_at, run.error = run.Status.RUNNING, now, ""
        run.attempt += 1
        run.save()
        return run.attempt


def _chunks(
    model: type[Run],
    run: Run,
    attempt: int,
    rows: QuerySet[Any],
    work: Work,
    finish: Callable[[], None] | None,
    size: int,
) -> None:
    cursor, upto = run.cursor, run.scope_upto
    while True:
        step = partial(_chunk, model, run.pk, attempt, rows, work, cursor, upto, size)
        after = _retrying(step)
        if after is None:
            break
        cursor = after
    if finish is not None:
        finish()
    with transaction.atomic():
        now = timezone.now()
        finished = model.objects.filter(pk=run.pk, attempt=attempt).update(
            status=run.Status.DONE, finished_at=now, heartbeat_at=now
        )
        if not finished:
            raise _Superseded


def _chunk(
    model: type[Run],
    run_id: int,
    attempt: int,
    rows: QuerySet[Any],
    work: Work,
    after: int,
    upto: Any,
    size: int,
) -> int | None:
    """One chunk: read (no transaction left open), compute, then write with the progress."""
    chunk = list(rows.filter(pk__gt=after, pk__lte=upto).order_by("pk")[:size])
    if not chunk:
        return None
    write = work(chunk)
    last = chunk[-1].pk
    with transaction.atomic():
        counters = write()
        moved = model.objects.filter(pk=run_id, attempt=attempt).update(
            done=F("done") + len(chunk),
            cursor=last,
            heartbeat_at=timezone.now(),
            **{name: F(name) + n for name, n in counters.items()},
        )
        if not moved:
            raise _Superseded  # rolls back this chunk's writes too
    return int(last)


T = TypeVar("T")


def _retrying(step: Callable[[], T]) -> T:
    """A lock met by one chunk (SQLite's busy snapshot, a PostgreSQL deadlock or timeout) is
    usually gone a moment later: try again, waiting longer each time (exponential backoff
    with jitter), until the waits would pass RUN_RETRY_MAX_DELAY in all."""
    waited = 0.0
    for retry in range(RETRIES + 1):
        try:
            return step()
        except OperationalError as error:
            delay = retry_delay(retry)
            if retry == RETRIES or waited + delay > settings.RUN_RETRY_MAX_DELAY:
                raise Busy(tries=retry + 1, waited=waited) from error
            logger.warning("background run: database busy, trying again", exc_info=True)
            time.sleep(delay)
            waited += delay
    raise AssertionError("unreachable")


def retry_delay(retry: int) -> float:
    """Seconds before try ``retry + 2``: between half and all of RUN_RETRY_DELAY * 2**retry."""
    ceiling: float = settings.RUN_RETRY_DELAY * 2**retry
    return ceiling * random.uniform(0.5, 1.0)  # jitter, not a secret


class Busy(OperationalError):
    """The database stayed locked through every try of a chunk."""

    def __init__(self, *, tries: int, waited: float) -> None:
        super().__init__(f"database busy after {tries} tries over {waited:.1f} s")
        self.tries, self.waited = tries, waited


def _fail(model: type[Run], run_id: int, attempt: int, error: Exception) -> None:
    run = model.objects.get(pk=run_id)
    if isinstance(error, Busy):
        why = BUSY.format(tries=error.tries, waited=error.waited)
    elif isinstance(error, OperationalError):
        why = BUSY.format(tries=1, waited=0)
    else:
        why = UNEXPECTED.format(kind=type(error).__name__)
    message = STOPPED.format(
        done=f"{run.done:,}",
        total=f"{run.total:,}",
        unit=run.UNIT,
        cursor=run.cursor,
        why=why,
        advice=run.ADVICE,
    )
    model.objects.filter(pk=run_id, attempt=attempt).update(
        status=run.Status.FAILED, error=message[:300], finished_at=timezone.now()
    )
