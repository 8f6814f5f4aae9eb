"""Dates of birth as intervals, and their comparison levels.

A date of birth is an interval of days: exact (one day), a month, a year, or an estimate
from an age relative to a reference year (± ``AGE_TOLERANCE`` years).

Placeholders are not days: ``YYYY-01-01`` and ``YYYY-07-01`` (what registries write when
only the year is known) and a full date given together with an age estimate (derived from
it) are read as the year only; the 15th of a month, where a registry uses it for "day
unknown", can be read as the month only (``mid_month``). Two *full* dates (day and month
known, neither a placeholder) that differ are evidence against a match
(``DIFFERENT_FULL``), unless they are a day–month swap, one digit apart (a typo), or in
the same month with one of them on the 15th (``SAME_MONTH``: some registries write the 15th
for "day unknown"; ``mid_month`` makes every 15th a month interval).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import IntEnum

AGE_TOLERANCE = 3
#: (month, day) pairs read as "year only".
PLACEHOLDER_DAYS: frozenset[tuple[int, int]] = frozenset({(1, 1), (7, 1)})
MID_MONTH = 15


class Precision(IntEnum):
    """How precise a birth date is."""

    DAY = 0
    MONTH = 1
    YEAR = 2
    AGE = 3


@dataclass(frozen=True, slots=True)
class DateInterval:
    """Closed interval of possible birth days (proleptic ordinals) with its precision."""

    start: int
    end: int
    precision: Precision
    year: int
    month: int = 0
    day: int = 0


def _year(y: int) -> DateInterval:
    return DateInterval(date(y, 1, 1).toordinal(), date(y, 12, 31).toordinal(), Precision.YEAR, y)


def _month(y: int, m: int) -> DateInterval:
    first = date(y, m, 1)
    last = date(y + (m == 12), m % 12 + 1, 1).toordinal() - 1
    return DateInterval(first.toordinal(), last, Precision.MONTH, y, m)


def parse_date(
    value: str,
    *,
    placeholders: frozenset[tuple[int, int]] = PLACEHOLDER_DAYS,
    mid_month: bool = False,
) -> DateInterval | None:
    """Parse ``YYYY-MM-DD`` / ``YYYY-MM`` / ``YYYY``; None for empty or unparseable input.

    A day in ``placeholders`` (``(month, day)``; default 01-01 and 07-01) gives the year
    interval; with ``mid_month`` the 15th gives the month interval."""
    parts = value.strip().split("-")
    try:
        if len(parts) == 1 and len(parts[0]) == 4:
            return _year(int(parts[0]))
        if len(parts) == 2 and len(parts[0]) == 4:
            return _month(int(parts[0]), int(parts[1]))
        if len(parts) == 3 and len(parts[0]) == 4:
            y, m, d = int(parts[0]), int(parts[1]), int(parts[2])
            o = date(y, m, d).toordinal()
            if (m, d) in placeholders:
                return _year(y)
            if mid_month and d == MID_MONTH:
                return _month(y, m)
            return DateInterval(o, o, Precision.DAY, y, m, d)
    except (ValueError, OverflowError):
        return None
    return None


def from_age(age: int, reference_year: int) -> DateInterval | None:
    """Birth interval implied by an estimated age in ``reference_year``."""
    y = reference_year - age
    lo, hi = y - 1 - AGE_TOLERANCE, y + AGE_TOLERANCE
    if lo < 1 or hi > 9998:
        return None
    return DateInterval(date(lo, 1, 1).toordinal(), date(hi, 12, 31).toordinal(), Precision.AGE, y)


def birth_interval(
    dob: str, age: int | None, reference_year: int, *, mid_month: bool = False
) -> DateInterval | None:
    """Interval from a date of birth, falling back to an age estimate. A full date given
    with an age estimate was derived from it: only its year is kept."""
    parsed = parse_date(dob, mid_month=mid_month) if dob else None
    if parsed is not None:
        if age is not None and parsed.precision == Precision.DAY:
            return _year(parsed.year)
        return parsed
    if age is not None:
        return from_age(age, reference_year)
    return None


class DateLevel(IntEnum):
    """Agreement level between two birth intervals, best (0) to worst."""

    EXACT = 0
    DAY_MONTH_SWAP = 1
    ONE_DIGIT = 2
    SAME_MONTH = 3
    SAME_YEAR = 4
    OVERLAP = 5
    WITHIN_1Y = 6
    WITHIN_5Y = 7
    DIFFERENT_FULL = 8
    DISJOINT = 9


# Plain ints: the engine compares dates hundreds of times per search, and looking an enum
# member up on its class, or converting one, costs more than the comparison itself.
_DAY, _MONTH, _YEAR = int(Precision.DAY), int(Precision.MONTH), int(Precision.YEAR)


def compare_dates(a: DateInterval, b: DateInterval) -> DateLevel:
    """Compare two intervals (symmetric)."""
    return DateLevel(date_level(a, b))


def _one_digit(a: DateInterval, b: DateInterval) -> bool:
    """The two full dates differ in one digit, or by two adjacent digits swapped."""
    x, y = f"{a.year:04d}{a.month:02d}{a.day:02d}", f"{b.year:04d}{b.month:02d}{b.day:02d}"
    diff = [i for i in range(8) if x[i] != y[i]]
    if len(diff) == 1:
        return True
    i = diff[0]
    return len(diff) == 2 and diff[1] == i + 1 and x[i] == y[i + 1] and x[i + 1] == y[i]


def date_level(a: DateInterval, b: DateInterval) -> int:
    """:func:`compare_dates` as a plain int (the level's value), for the engine's hot loop."""
    pa, pb = a.precision, b.precision
    gap = (a.start if a.start > b.start else b.start) - (a.end if a.end < b.end else b.end)
    if pa == _DAY and pb == _DAY:
        if a.start == b.start:
            return 0  # EXACT
        if a.year == b.year and a.month == b.day and a.day == b.month:
            return 1  # DAY_MONTH_SWAP
        if _one_digit(a, b):
            return 2  # ONE_DIGIT
        if a.year == b.year and a.month == b.month and MID_MONTH in (a.day, b.day):
            return 3  # SAME_MONTH: the 15th may stand for "day unknown"
        return 8 if gap <= 5 * 366 else 9  # DIFFERENT_FULL, DISJOINT
    if pa <= _MONTH and pb <= _MONTH and a.year == b.year and a.month == b.month:
        return 3  # SAME_MONTH
    if pa <= _YEAR and pb <= _YEAR and a.year == b.year:
        return 4  # SAME_YEAR
    if gap <= 0:
        return 5  # OVERLAP
    if gap <= 366:
        return 6  # WITHIN_1Y
    if gap <= 5 * 366:
        return 7  # WITHIN_5Y
    return 9  # DISJOINT


def default_reference_year() -> int:
    """The current (UTC) year, used when a model has no explicit reference year."""
    return datetime.now(UTC).year
