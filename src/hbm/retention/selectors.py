from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from hbm.accounts.models import User
from hbm.retention.models import RetentionRun
from hbm.retention.services import NOT_ALLOWED, may_run

RUNS_SHOWN = 20


def retention_run_list(*, user: User) -> QuerySet[RetentionRun]:
    """The latest runs, newest first: for administrators only."""
    if not may_run(user):
        raise PermissionDenied(NOT_ALLOWED)
    return RetentionRun.objects.select_related("started_by").order_by("-started_at", "-pk")[
        :RUNS_SHOWN
    ]


def retention_next_due() -> datetime | None:
    """When the worker's next daily run is due; None when none is queued."""
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from hbm.retention.tasks import retention_daily

    due: datetime | None = (
        DBTaskResult.objects.filter(
            task_path=retention_daily.module_path, status=TaskResultStatus.READY
        )
        .order_by("run_after")
        .values_list("run_after", flat=True)
        .first()
    )
    return due
