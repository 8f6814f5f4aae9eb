"""Keeping the daily series (FlowDaily) up to date as registrations and tallies arrive.

The rule against double counting, where a point has both: an enumerator's tally covers
everyone who crossed that point in its window, registered or not. So a registered crossing
counts in the series only when no tally covers its point and time; entering a tally takes the
registrations of its window out of the series, voiding it puts them back. Days are the
point's local days; a tally falls on the local day its window starts.
"""

from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.db.models import Max, Min

from hbm.flows.models import CELLS, AgeBand, FlowCount, FlowDaily, FlowRollup, FlowSex
from hbm.places.models import BorderCrossingPoint
from hbm.registry.birth import age_on
from hbm.registry.models import Crossing

# crossing point id, local day, direction, sex, age band, nationality, source
Key = tuple[int, date, str, str, str, str, str]
REGISTRATION = FlowDaily.Source.REGISTRATION.value
COUNT = FlowDaily.Source.COUNT.value
SEXES = {"F": FlowSex.FEMALE.value, "M": FlowSex.MALE.value}
PERSON_FIELDS = ("person__sex", "person__birth_earliest", "person__birth_latest")
CROSSING_FIELDS = (
    "crossing_point_id",
    "crossed_at",
    "direction",
    *PERSON_FIELDS,
    "person__nationality_id",
)
CHUNK = 20_000
UPSERT_ROWS = 500


@lru_cache(maxsize=256)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def age_band(age: int | None) -> str:
    if age is None:
        return AgeBand.UNKNOWN.value
    if age < 5:
        return AgeBand.CHILD_0_4.value
    if age < 18:
        return AgeBand.CHILD_5_17.value
    if age < 60:
        return AgeBand.ADULT_18_59.value
    return AgeBand.OLDER_60.value


def _registration_key(row: tuple[Any, ...], zone: ZoneInfo) -> Key:
    point_id, crossed_at, direction, sex, earliest, latest, nationality = row
    day = crossed_at.astimezone(zone).date()
    band = age_band(age_on(day, earliest, latest))
    return (
        point_id,
        day,
        direction,
        SEXES.get(sex, FlowSex.UNKNOWN.value),
        band,
        nationality or "",
        REGISTRATION,
    )


def _count_deltas(count: FlowCount, sign: int) -> Counter[Key]:
    zone = _zone(count.crossing_point.time_zone)
    day = count.window_start.astimezone(zone).date()
    deltas: Counter[Key] = Counter()
    for line in count.lines.all():
        for field, sex, band in CELLS:
            people = getattr(line, field)
            if people:
                key = (
                    count.crossing_point_id,
                    day,
                    line.direction,
                    sex.value,
                    band.value,
                    line.nationality_id or "",
                    COUNT,
                )
                deltas[key] += sign * people
    return deltas


# Columns of the rolled-up table, then what each cut keeps of a FlowDaily key.
ROLLUP_COLUMNS = (
    "cut",
    "grain",
    "crossing_point_id",
    "period",
    "direction",
    "source",
    "sex",
    "age_band",
    "nationality",
)


def rollups(deltas: Counter[Key]) -> Counter[tuple[str, ...]]:
    """The FlowRollup rows that the FlowDaily deltas change (see FlowRollup for the cuts)."""
    out: Counter[tuple[Any, ...]] = Counter()
    for (point, day, direction, sex, band, nationality, source), n in deltas.items():
        month = day.replace(day=1)
        for grain, period in (("day", day), ("month", month)):
            place = (grain, point, period, direction, source)
            out[("total", *place, "", "", "")] += n
            out[("nationality", *place, "", "", nationality)] += n
            out[("sex_age", *place, sex, band, "")] += n
            if nationality:
                out[(f"total@{nationality}", *place, "", "", "")] += n
        if nationality:  # by month only: FlowDaily gives the days
            place = ("month", point, month, direction, source)
            out[(f"sex_age@{nationality}", *place, sex, band, "")] += n
    return out


def _upsert(table: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    """Insert rows or add their people to the existing ones: one statement per UPSERT_ROWS
    rows (the keys of one call are distinct, as one statement may change a row once)."""
    names = ", ".join(columns)
    row_marks = "(" + ", ".join(["%s"] * (len(columns) + 1)) + ")"
    # Every writer takes the rows' locks in the same order (a statement takes them in the
    # order of its VALUES): two registrations adding the same keys in different orders
    # deadlocked on PostgreSQL.
    ordered = sorted(rows, key=_lock_order)
    with connection.cursor() as cursor:
        for start in range(0, len(ordered), UPSERT_ROWS):
            chunk = ordered[start : start + UPSERT_ROWS]
            values = ", ".join([row_marks] * len(chunk))
            cursor.execute(
                f"INSERT INTO {table} ({names}, people) VALUES {values}"
                f" ON CONFLICT ({names}) DO UPDATE SET people = {table}.people + excluded.people",
                [value for row in chunk for value in row],
            )


def _lock_order(row: tuple[Any, ...]) -> tuple[tuple[bool, str], ...]:
    return tuple((value is None, str(value)) for value in row[:-1])  # the key, not the people


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _apply(deltas: Counter[Key]) -> None:
    """Add the deltas to the daily series and to its roll-ups."""
    daily = [(*map(_iso, key), n) for key, n in deltas.items() if n]
    _upsert(
        FlowDaily._meta.db_table,
        (
            "crossing_point_id",
            "day",
            "direction",
            "sex",
            "age_band",
            "nationality",
            "source",
        ),
        daily,
    )
    rolled = [(*map(_iso, key), n) for key, n in rollups(deltas).items() if n]
    _upsert(FlowRollup._meta.db_table, ROLLUP_COLUMNS, rolled)


def tally_covers(point_id: int, moment: datetime) -> bool:
    """Whether a tally (not voided) at this point counts the people crossing at ``moment``.
    Asked inside every registration's transaction (on SQLite, holding the write lock), so
    the statement is written out instead of built by the ORM each time (ADR 0006)."""
    at = connection.ops.adapt_datetimefield_value(moment)
    with connection.cursor() as cursor:
        cursor.execute(_TALLY_COVERS, [point_id, at, at])
        return cursor.fetchone() is not None


_TALLY_COVERS = (
    f"SELECT 1 FROM {FlowCount._meta.db_table} WHERE crossing_point_id = %s"
    " AND voided_at IS NULL AND window_start <= %s AND window_end > %s LIMIT 1"
)


def add_registered_crossings(crossings: list[Crossing]) -> None:
    """Registration hook: the new crossings join the series unless a tally already covers
    them. Runs inside the registration's transaction."""
    deltas: Counter[Key] = Counter()
    covered: dict[tuple[int, datetime], bool] = {}
    for crossing in crossings:
        place = (crossing.crossing_point_id, crossing.crossed_at)
        if place not in covered:
            covered[place] = tally_covers(*place)
        if covered[place]:
            continue
        person = crossing.person
        row = (
            crossing.crossing_point_id,
            crossing.crossed_at,
            crossing.direction,
            person.sex,
            person.birth_earliest,
            person.birth_latest,
            person.nationality_id,
        )
        deltas[_registration_key(row, _zone(crossing.crossing_point.time_zone))] += 1
    _apply(deltas)


def _registrations_in_window(count: FlowCount, sign: int) -> Counter[Key]:
    zone = _zone(count.crossing_point.time_zone)
    rows = Crossing.objects.filter(
        crossing_point_id=count.crossing_point_id,
        crossed_at__gte=count.window_start,
        crossed_at__lt=count.window_end,
    ).values_list(*CROSSING_FIELDS)
    deltas: Counter[Key] = Counter()
    for row in rows.iterator(chunk_size=CHUNK):
        deltas[_registration_key(row, zone)] += sign
    return deltas


def count_recorded(count: FlowCount) -> None:
    """A new tally: its people join the series, the registrations it covers leave it."""
    deltas = _count_deltas(count, +1)
    deltas.update(_registrations_in_window(count, -1))
    _apply(deltas)


def count_voided(count: FlowCount) -> None:
    deltas = _count_deltas(count, -1)
    deltas.update(_registrations_in_window(count, +1))
    _apply(deltas)


class _Windows:
    """Every live tally window per point that meets [lo, hi), sorted, for the rebuild's
    coverage test. Windows of one point never overlap, so the last one starting at or before
    a moment decides."""

    def __init__(self, lo: datetime, hi: datetime) -> None:
        self.starts: dict[int, list[datetime]] = {}
        self.ends: dict[int, list[datetime]] = {}
        live = FlowCount.objects.filter(voided_at=None, window_end__gt=lo, window_start__lt=hi)
        for point_id, start, end in live.order_by("window_start").values_list(
            "crossing_point_id", "window_start", "window_end"
        ):
            self.starts.setdefault(point_id, []).append(start)
            self.ends.setdefault(point_id, []).append(end)

    def cover(self, point_id: int, moment: datetime) -> bool:
        index = bisect_right(self.starts.get(point_id, ()), moment) - 1
        return index >= 0 and moment < self.ends[point_id][index]


# A local day lies within a day of its UTC day whatever the point's time zone (UTC-12 to +14).
ZONE_MARGIN = timedelta(days=1)


def _next_month(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1)


def _utc(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def rebuild_months() -> list[date]:
    """Every month (its first day) that may hold a day of the series: from the earliest
    crossing, tally or row of the series to the latest, with a day's margin for time zones."""
    moments = Crossing.objects.aggregate(first=Min("crossed_at"), last=Max("crossed_at"))
    windows = FlowCount.objects.aggregate(first=Min("window_start"), last=Max("window_start"))
    firsts = [(m - ZONE_MARGIN).date() for m in (moments["first"], windows["first"]) if m]
    lasts = [(m + ZONE_MARGIN).date() for m in (moments["last"], windows["last"]) if m]
    for model, column in ((FlowDaily, "day"), (FlowRollup, "period")):
        days = model.objects.aggregate(first=Min(column), last=Max(column))
        firsts += [days["first"]] if days["first"] else []
        lasts += [days["last"]] if days["last"] else []
    if not firsts:
        return []
    month, last, months = min(firsts).replace(day=1), max(lasts), []
    while month <= last:
        months.append(month)
        month = _next_month(month)
    return months


def _month_totals(first: date, after: date) -> Counter[Key]:
    """The series' cells of the local days from ``first`` to before ``after``, from the
    crossings and live tallies (the rule against double counting applied)."""
    lo, hi = _utc(first) - ZONE_MARGIN, _utc(after) + ZONE_MARGIN
    windows = _Windows(lo, hi)
    zones = dict(BorderCrossingPoint.objects.values_list("pk", "time_zone"))
    totals: Counter[Key] = Counter()
    rows: Iterable[tuple[Any, ...]] = (
        Crossing.objects.filter(crossed_at__gte=lo, crossed_at__lt=hi)
        .order_by()
        .values_list(*CROSSING_FIELDS)
        .iterator(chunk_size=CHUNK)
    )
    for row in rows:
        if not windows.cover(row[0], row[1]):
            key = _registration_key(row, _zone(zones[row[0]]))
            if first <= key[1] < after:
                totals[key] += 1
    live = FlowCount.objects.filter(voided_at=None, window_start__gte=lo, window_start__lt=hi)
    for count in live.select_related("crossing_point").prefetch_related("lines"):
        totals.update(
            {key: n for key, n in _count_deltas(count, +1).items() if first <= key[1] < after}
        )
    return totals


def rebuild_month(month: date) -> int:
    """Recompute one month of the series (the points' local days) and its roll-ups; returns
    the daily rows written. Runs inside the caller's transaction: the month's rows are
    removed first, so a registration of that month waits for the transaction (SQLite: for
    its write lock) and then adds itself to the rebuilt rows."""
    first, after = month.replace(day=1), _next_month(month)
    FlowDaily.objects.filter(day__gte=first, day__lt=after).delete()
    FlowRollup.objects.filter(period__gte=first, period__lt=after).delete()
    totals = _month_totals(first, after)
    FlowDaily.objects.bulk_create(
        (
            FlowDaily(
                crossing_point_id=key[0],
                day=key[1],
                direction=key[2],
                sex=key[3],
                age_band=key[4],
                nationality=key[5],
                source=key[6],
                people=n,
            )
            for key, n in totals.items()
            if n
        ),
        batch_size=5_000,
    )
    FlowRollup.objects.bulk_create(
        (
            FlowRollup(**dict(zip(ROLLUP_COLUMNS, key, strict=True)), people=n)
            for key, n in rollups(totals).items()
            if n
        ),
        batch_size=5_000,
    )
    return sum(1 for n in totals.values() if n)


@transaction.atomic
def rebuild(progress: Callable[[int], None] | None = None) -> int:
    """Recompute the whole series from crossings and tallies in one transaction, month by
    month; returns the rows written. ``progress`` is told each month done (how many so far).
    The background rebuild (services/rebuilds.py) commits each month on its own instead."""
    written = 0
    for done, month in enumerate(rebuild_months(), start=1):
        written += rebuild_month(month)
        if progress:
            progress(done)
    return written
