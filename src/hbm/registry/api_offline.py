"""What the offline desk reads while it has a network: the recent registrations of a point,
with the minimum data, for its namesake hints (ADR 0127)."""

from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from hbm.accounts.requests import AuthenticatedHttpRequest
from hbm.audit.paging import ShownPagination
from hbm.registry import recent
from hbm.registry.models import Crossing, year_of_birth

router = Router(tags=["registry"])

PAGE_SIZE_MAX = 500


class RecentPersonOut(Schema):
    name: str
    year_of_birth: str = Field(description="YYYY, or ~YYYY from an estimated age")
    sex: str
    registered_on: date = Field(description="The day of the crossing at this point")

    @staticmethod
    def resolve_name(crossing: Crossing) -> str:
        return crossing.person.full_name

    @staticmethod
    def resolve_year_of_birth(crossing: Crossing) -> str:
        person = crossing.person
        registered = timezone.localdate(person.created_at)
        return year_of_birth(person.date_of_birth, person.age_estimate, registered)

    @staticmethod
    def resolve_sex(crossing: Crossing) -> str:
        return crossing.person.sex

    @staticmethod
    def resolve_registered_on(crossing: Crossing) -> date:
        return timezone.localdate(crossing.crossed_at)


class RecentFilterIn(Schema):
    crossing_point: str = Field(description="The point's code; one of the caller's points")
    days: int = Field(recent.RECENT_DAYS, ge=1, le=recent.RECENT_DAYS_MAX)


def _recent_detail(_rows: Any, filters: RecentFilterIn) -> str:
    return f"recent at {filters.crossing_point}, {filters.days} days (offline desk)"


@router.get(
    "/registrations/recent",
    response=list[RecentPersonOut],
    summary="Recent registrations at one of the caller's points, minimum data (audited)",
    description="Name, year of birth, sex and day of each crossing at the point in the last "
    "`days` days, newest first: what the offline desk keeps to hint at namesakes.",
)
@paginate(
    ShownPagination,
    ordering=("-id",),
    page_size=200,
    max_page_size=PAGE_SIZE_MAX,
    shown=lambda crossing: [crossing.person],
    object_type="registry.crossing",
    detail=_recent_detail,
)
def registration_recent(
    request: AuthenticatedHttpRequest, filters: Query[RecentFilterIn]
) -> QuerySet[Crossing]:
    return recent.recent_crossings_at_point(
        user=request.user, code=filters.crossing_point, days=filters.days
    )
