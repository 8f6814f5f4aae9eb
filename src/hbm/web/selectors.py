from dataclasses import dataclass

from hbm.accounts.models import User
from hbm.accounts.selectors import agency_list, user_count
from hbm.lib.permissions import has_any_role
from hbm.places.selectors import crossing_point_status_counts
from hbm.plans.access import READERS as PLAN_READERS
from hbm.plans.models import Task
from hbm.plans.selectors import task_list

HOME_TASKS = 5


@dataclass(frozen=True)
class HomeFigures:
    crossing_points_open: int
    crossing_points_restricted: int
    crossing_points_closed: int
    agencies: int
    colleagues: int


def home_figures(*, user: User) -> HomeFigures:
    """Counts from the database, scoped to what the user may see."""
    statuses = crossing_point_status_counts(user=user)
    return HomeFigures(
        crossing_points_open=statuses["open"],
        crossing_points_restricted=statuses["restricted"],
        crossing_points_closed=statuses["closed"],
        agencies=agency_list(user=user).count(),
        colleagues=user_count(user=user),
    )


def home_tasks(*, user: User) -> list[Task]:
    """The first of the user's agency's tasks still to do, soonest due first."""
    if not has_any_role(user, *PLAN_READERS):
        return []
    return list(task_list(user=user)[:HOME_TASKS])
