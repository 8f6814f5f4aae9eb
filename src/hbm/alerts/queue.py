"""Detection as data arrives: a registration only asks, once it has committed, for its
points to be looked at again by the worker a little later; a point that already has a
detection queued gets no second one, however many people register meanwhile."""

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

DEBOUNCE = timedelta(seconds=60)
# A detection this process knows is waiting, by point: until it starts, it will see what
# commits now, so registrations ask the database nothing (one statement less on each).
_waiting_until: dict[int, datetime] = {}
MARGIN = timedelta(seconds=1)


def detection_queue(point_ids: Iterable[int]) -> list[int]:
    """Queue a detection for each point that has none waiting; answers the points queued."""
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from hbm.alerts.tasks import detect_point

    now = timezone.now()
    wanted = sorted(pk for pk in set(point_ids) if _waiting_until.get(pk, now) <= now + MARGIN)
    if not wanted:
        return []
    for value, run_after in DBTaskResult.objects.filter(
        task_path=detect_point.module_path, status=TaskResultStatus.READY
    ).values_list("args_kwargs", "run_after"):
        if args := value.get("args"):  # a task to run at once has the latest date: capped
            starts = min(run_after, now + DEBOUNCE)
            _waiting_until[args[0]] = max(starts, _waiting_until.get(args[0], starts))
    queued = [pk for pk in wanted if _waiting_until.get(pk, now) <= now + MARGIN]
    for pk in queued:
        _waiting_until[pk] = now + DEBOUNCE
        detect_point.using(run_after=_waiting_until[pk]).enqueue(pk)
    return queued


def detection_queue_forget() -> None:
    """Forget the detections known to wait (a test's database rolled back)."""
    _waiting_until.clear()


def detection_queue_on_commit(point_ids: set[int]) -> None:
    """The flows app's hook for tallies, inside the tally's transaction: defer to its commit."""
    transaction.on_commit(lambda: detection_queue(point_ids))


def detection_queue_for_crossings(crossings: list[Any]) -> None:
    """The registry's hook, inside the registration's transaction: defer to its commit."""
    detection_queue_on_commit({crossing.crossing_point_id for crossing in crossings})
