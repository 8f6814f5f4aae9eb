from dataclasses import dataclass

from hbm.accounts.models import User
from hbm.accounts.selectors import agency_list, user_count
from hbm.places.selectors import crossing_point_status_counts


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
