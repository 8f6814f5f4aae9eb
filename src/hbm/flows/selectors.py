"""Reading the flow series: who may, for which points, and the figures of the dashboard,
the API, the exports and the situation report. Counts only: no person is named here."""

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied
from django.db.models import F, Q, QuerySet, Subquery, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hbm.accounts.models import User
from hbm.flows.models import AgeBand, FlowCount, FlowCountLine, FlowDaily, FlowRollup, FlowSex
from hbm.lib.permissions import has_any_role
from hbm.places.models import BorderCrossingPoint
from hbm.places.selectors import crossing_point_list

READERS = (
    "coordinator",
    "administrator",
    "assessor",
    "flow_enumerator",
    "registration_officer",
    "protection_officer",
    "health_officer",
)
NO_ACCESS = _("Flow figures are for coordinators and the staff of crossing points.")
NO_SUCH_COUNT = "No such tally in your area of work."
DEFAULT_DAYS = 30
ONE_DAY = timedelta(days=1)
MAX_DAYS = 3 * 366
TOP_NATIONALITIES = 10
DIMENSIONS = ("point", "country", "direction", "sex", "age_band", "nationality", "source")
DIMENSION_COLUMNS = {
    "point": "crossing_point__code",
    "country": "crossing_point__country_id",
    "direction": "direction",
    "sex": "sex",
    "age_band": "age_band",
    "nationality": "nationality",
    "source": "source",
}


@dataclass(frozen=True)
class FlowFilters:
    """Which part of the series: a period of local days (inclusive) and where, who, which way."""

    start: date
    end: date
    country: str = ""
    area: str = ""
    point: str = ""
    nationality: str = ""
    direction: str = ""

    @classmethod
    def recent(cls, days: int = DEFAULT_DAYS, **where: str) -> "FlowFilters":
        today = latest_local_day()
        return cls(start=today - timedelta(days=days - 1), end=today, **where)

    @property
    def days(self) -> list[date]:
        return [self.start + timedelta(days=n) for n in range((self.end - self.start).days + 1)]


def latest_local_day() -> date:
    """Today where it is latest among the crossing points: a period ending "today" must hold
    the registrations of a point whose local day has already turned."""
    now = timezone.now()
    zones = BorderCrossingPoint.objects.order_by().values_list("time_zone", flat=True).distinct()
    days = [timezone.localtime(now, ZoneInfo(name)).date() for name in zones]
    return max(days, default=timezone.localdate())


def require_reader(user: User) -> None:
    if not has_any_role(user, *READERS):
        raise PermissionDenied(str(NO_ACCESS))


def points_in_view(*, user: User, filters: FlowFilters) -> QuerySet[BorderCrossingPoint]:
    points = crossing_point_list(user=user)
    if filters.country:
        points = points.filter(country_id=filters.country.upper())
    if filters.area:
        points = points.filter(
            Q(admin_area__pcode=filters.area) | Q(admin_area__parent__pcode=filters.area)
        )
    if filters.point:
        points = points.filter(code=filters.point)
    return points


def daily_rows(*, user: User, filters: FlowFilters) -> QuerySet[FlowDaily]:
    """The rows of the daily series inside the user's scope and the filters."""
    require_reader(user)
    point_ids = list(points_in_view(user=user, filters=filters).values_list("pk", flat=True))
    rows = FlowDaily.objects.filter(
        crossing_point_id__in=point_ids, day__gte=filters.start, day__lte=filters.end
    ).exclude(people=0)
    if filters.nationality:
        rows = rows.filter(nationality=filters.nationality.upper())
    if filters.direction:
        rows = rows.filter(direction=filters.direction)
    return rows


def _totals(rows: QuerySet[Any], *columns: str) -> list[dict[str, Any]]:
    return list(rows.order_by().values(*columns).annotate(people=Sum("people")))


def _whole_months(start: date, end: date) -> tuple[date, date] | None:
    """The first and last month (as first days) lying wholly inside [start, end], if any."""
    first = start if start.day == 1 else _next_month(start)
    after = end + timedelta(days=1)
    last = end.replace(day=1) if after.day == 1 else _previous_month(end.replace(day=1))
    return (first, last) if first <= last else None


def _next_month(day: date) -> date:
    return (day.replace(day=1) + timedelta(days=32)).replace(day=1)


def _previous_month(first: date) -> date:
    return (first - timedelta(days=1)).replace(day=1)


def _cuts(columns: tuple[str, ...], nationality: str) -> tuple[str | None, str | None]:
    """The FlowRollup cuts (by month, by day) that hold these columns for this nationality
    filter; None where only FlowDaily has them."""
    if {"sex", "age_band"} & set(columns):
        if "nationality" in columns:
            return None, None
        if nationality:
            return f"sex_age@{nationality}", None
        return "sex_age", "sex_age"
    if "nationality" in columns:
        return "nationality", "nationality"
    cut = f"total@{nationality}" if nationality else "total"
    return cut, cut


def rollup_totals(
    *, user: User, filters: FlowFilters, columns: tuple[str, ...], by_day: bool = False
) -> list[dict[str, Any]]:
    """People grouped by ``columns`` from the smallest roll-up that holds them: whole months
    from the monthly rows, the days around them from the daily ones (all days with
    ``by_day``). Columns: period, crossing_point, direction, source, sex, age_band,
    nationality (and their related lookups, e.g. crossing_point__code)."""
    require_reader(user)
    nationality = filters.nationality.upper()
    monthly, daily = _cuts(columns, nationality)
    point_ids = list(points_in_view(user=user, filters=filters).values_list("pk", flat=True))

    def rows(grain: str, first: date, last: date) -> QuerySet[Any]:
        cut = monthly if grain == "month" else daily
        if cut is None:  # every dimension: the daily series itself
            found: QuerySet[Any] = FlowDaily.objects.filter(day__range=(first, last)).annotate(
                period=F("day")
            )
        else:
            found = FlowRollup.objects.filter(cut=cut, grain=grain, period__range=(first, last))
        if nationality and cut in (None, "nationality"):
            found = found.filter(nationality=nationality)
        if filters.direction:
            found = found.filter(direction=filters.direction)
        return found.filter(crossing_point_id__in=point_ids).exclude(people=0)

    months = None if by_day or monthly is None else _whole_months(filters.start, filters.end)
    if months is None:
        parts = [rows("day", filters.start, filters.end)]
    else:
        first, last = months
        last_day = _next_month(last) - ONE_DAY
        parts = [rows("month", first, last)]
        if filters.start < first:
            parts.append(rows("day", filters.start, first - ONE_DAY))
        if filters.end > last_day:
            parts.append(rows("day", last_day + ONE_DAY, filters.end))
    merged: dict[tuple[Any, ...], int] = defaultdict(int)
    for part in parts:
        for row in _totals(part, *columns):
            merged[tuple(row[c] for c in columns)] += row["people"]
    return [{**dict(zip(columns, key, strict=True)), "people": n} for key, n in merged.items()]


def trailing_average(values: list[int], window: int = 7) -> list[float | None]:
    """The mean of each day and the days before it; None until a full window exists."""
    averages: list[float | None] = []
    running = 0
    for index, value in enumerate(values):
        running += value
        if index >= window:
            running -= values[index - window]
        averages.append(round(running / window, 1) if index >= window - 1 else None)
    return averages


@dataclass
class Dashboard:
    filters: FlowFilters
    days: list[date]
    entries: list[int]
    exits: list[int]
    entries_average: list[float | None]
    pyramid: dict[tuple[str, str], int]
    nationalities: list[tuple[str, int]]
    by_point: list[dict[str, Any]]
    by_source: dict[str, int]
    weeks: list[dict[str, Any]] = field(default_factory=list)

    @property
    def total_entries(self) -> int:
        return sum(self.entries)

    @property
    def total_exits(self) -> int:
        return sum(self.exits)

    @property
    def peak(self) -> tuple[date | None, int]:
        if not self.entries or max(self.entries) == 0:
            return None, 0
        best = max(range(len(self.entries)), key=self.entries.__getitem__)
        return self.days[best], self.entries[best]

    @property
    def share_children(self) -> float | None:
        people = sum(self.pyramid.values())
        children = sum(
            n
            for (_sex, band), n in self.pyramid.items()
            if band in (AgeBand.CHILD_0_4, AgeBand.CHILD_5_17)
        )
        return round(100 * children / people, 1) if people else None

    @property
    def share_women(self) -> float | None:
        people = sum(self.pyramid.values())
        women = sum(n for (sex, _band), n in self.pyramid.items() if sex == FlowSex.FEMALE)
        return round(100 * women / people, 1) if people else None


def weekly(days: list[date], entries: list[int], exits: list[int]) -> list[dict[str, Any]]:
    """Weeks start on Monday; a week cut by the period counts only its days inside it."""
    weeks: dict[date, dict[str, Any]] = {}
    for day, came, left in zip(days, entries, exits, strict=True):
        monday = day - timedelta(days=day.weekday())
        week = weeks.setdefault(monday, {"week": monday, "entries": 0, "exits": 0, "days": 0})
        week["entries"] += came
        week["exits"] += left
        week["days"] += 1
    return list(weeks.values())


def flow_dashboard(*, user: User, filters: FlowFilters) -> Dashboard:
    both_ways = replace(filters, direction="")
    per_day: dict[str, dict[date, int]] = defaultdict(dict)
    for row in rollup_totals(
        user=user, filters=both_ways, columns=("period", "direction"), by_day=True
    ):
        per_day[row["direction"]][row["period"]] = row["people"]
    days = filters.days
    entries = [per_day["entry"].get(day, 0) for day in days]
    exits = [per_day["exit"].get(day, 0) for day in days]
    one_way = replace(filters, direction=filters.direction or "entry")
    cells = rollup_totals(user=user, filters=one_way, columns=("sex", "age_band"))
    pyramid = {(r["sex"], r["age_band"]): r["people"] for r in cells}
    nationalities = sorted(
        (
            (r["nationality"], r["people"])
            for r in rollup_totals(user=user, filters=one_way, columns=("nationality",))
        ),
        key=lambda item: (-item[1], item[0]),
    )
    if len(nationalities) > TOP_NATIONALITIES:
        rest = sum(n for _, n in nationalities[TOP_NATIONALITIES - 1 :])
        nationalities = [*nationalities[: TOP_NATIONALITIES - 1], ("*", rest)]
    by_point = _by_point(user=user, filters=one_way)
    by_source = {
        r["source"]: r["people"]
        for r in rollup_totals(user=user, filters=one_way, columns=("source",))
    }
    return Dashboard(
        filters=filters,
        days=days,
        entries=entries,
        exits=exits,
        entries_average=trailing_average(entries),
        pyramid=pyramid,
        nationalities=nationalities,
        by_point=by_point,
        by_source=by_source,
        weeks=weekly(days, entries, exits),
    )


def _by_point(*, user: User, filters: FlowFilters) -> list[dict[str, Any]]:
    people = {
        r["crossing_point"]: r["people"]
        for r in rollup_totals(user=user, filters=filters, columns=("crossing_point",))
    }
    span = len(filters.days)
    return [
        {
            "point": point,
            "people": people.get(point.pk, 0),
            "daily_average": round(people.get(point.pk, 0) / span, 1),
        }
        for point in points_in_view(user=user, filters=filters)
    ]


def series(
    *, user: User, filters: FlowFilters, interval: str = "day", by: tuple[str, ...] = ()
) -> list[dict[str, Any]]:
    """The series as rows: one per day (or Monday-week) and combination of the ``by``
    dimensions, with the number of people."""
    columns = [DIMENSION_COLUMNS[name] for name in by]
    rows = rollup_totals(user=user, filters=filters, columns=("period", *columns), by_day=True)
    merged: dict[tuple[Any, ...], int] = defaultdict(int)
    for row in rows:
        day = row["period"]
        period = day - timedelta(days=day.weekday()) if interval == "week" else day
        merged[(period, *(row[c] for c in columns))] += row["people"]
    return [
        {"period": key[0], **dict(zip(by, key[1:], strict=True)), "people": people}
        for key, people in sorted(merged.items(), key=lambda item: tuple(map(str, item[0])))
    ]


def flow_count_list(*, user: User, point: str = "") -> QuerySet[FlowCount]:
    """Tallies at the user's points, newest window first. The point is looked up first (a
    join on its code would hide from the planner that one point's tallies come in window
    order); national scope reads every tally, newest first, through the window_start index."""
    require_reader(user)
    counts = FlowCount.objects.all()
    if not user.has_national_scope:
        counts = counts.filter(crossing_point__in=crossing_point_list(user=user))
    if point:
        one = BorderCrossingPoint.objects.order_by().filter(code=point).values("pk")[:1]
        counts = counts.filter(crossing_point_id=Subquery(one))
    return counts.select_related("crossing_point", "recorded_by", "voided_by").order_by(
        "-window_start", "-pk"
    )


def flow_count_get_for_user(*, user: User, public_id: UUID | str) -> FlowCount:
    """One tally at the user's points (as flow_count_list), or 404."""
    count = flow_count_list(user=user).filter(public_id=public_id).first()
    if count is None:
        raise Http404(NO_SUCH_COUNT)
    return count


def flow_count_lines(*, count: FlowCount) -> QuerySet[FlowCountLine]:
    """The lines of a tally the caller reached through flow_count_get_for_user."""
    return count.lines.select_related("nationality")


def arrivals_by_day(
    *, point: BorderCrossingPoint, start: date, end: date, by_nationality: bool = False
) -> dict[str, list[int]]:
    """Arrivals at one point on each local day from ``start`` to ``end``, every source
    together: under "" for everyone, and with ``by_nationality`` under each nationality's
    code as well. For background work (early-warning detectors), which reads for no user:
    the caller scopes what it shows."""
    days = (end - start).days + 1
    cuts = ["total", "nationality"] if by_nationality else ["total"]
    rows = (
        FlowRollup.objects.filter(
            cut__in=cuts,
            grain=FlowRollup.Grain.DAY,
            crossing_point=point,
            direction="entry",
            period__range=(start, end),
        )
        .order_by()
        .values("cut", "period", "nationality")
        .annotate(people=Sum("people"))
    )
    found: dict[str, list[int]] = {"": [0] * days}
    for row in rows:
        key = "" if row["cut"] == "total" else row["nationality"]
        if row["cut"] == "nationality" and not key:
            continue  # nationality not known: counted in the total only
        found.setdefault(key, [0] * days)[(row["period"] - start).days] += row["people"]
    return found
