"""Detection as data arrives: a registration only asks, once it has committed, for its
points to be looked at again by the worker a little later; a point that already has a
detection queued gets no second one, however many people register meanwhile."""

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

DEBOUNCE = timedelta(seconds=60)


def detection_queue(point_ids: Iterable[int]) -> list[int]:
    """Queue a detection for each point that has none waiting; answers the points queued."""
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from hbm.alerts.tasks import detect_point

    wanted = sorted(set(point_ids))
    if not wanted:
        return []
    waiting = {
        args[0]
        for value in DBTaskResult.objects.filter(
            task_path=detect_point.module_path, status=TaskResultStatus.READY
        ).values_list("args_kwargs", flat=True)
        if (args := value.get("args"))
    }
    queued = [pk for pk in wanted if pk not in waiting]
    for pk in queued:
        detect_point.using(run_after=timezone.now() + DEBOUNCE).enqueue(pk)
    return queued


def detection_queue_on_commit(point_ids: set[int]) -> None:
    """The flows app's hook for tallies, inside the tally's transaction: defer to its commit."""
    transaction.on_commit(lambda: detection_queue(point_ids))


def detection_queue_for_crossings(crossings: list[Any]) -> None:
    """The registry's hook, inside the registration's transaction: defer to its commit."""
    detection_queue_on_commit({crossing.crossing_point_id for crossing in crossings})
