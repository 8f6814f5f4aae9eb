"""Dates of birth as intervals, and their comparison levels.

A date of birth is an interval of days: exact (one day), a month, a year, or an estimate
from an age relative to a reference year (± ``AGE_TOLERANCE`` years). ``YYYY-01-01`` is
also treated as a possible "year only" default when compared.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import IntEnum

AGE_TOLERANCE = 3


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

    @property
    def jan_first(self) -> bool:
        """True for an exact ``YYYY-01-01``, the usual default for "year only"."""
        return self.precision == Precision.DAY and self.month == 1 and self.day == 1


def parse_date(value: str) -> DateInterval | None:
    """Parse ``YYYY-MM-DD`` / ``YYYY-MM`` / ``YYYY``; None for empty or unparseable input."""
    parts = value.strip().split("-")
    try:
        if len(parts) == 1 and len(parts[0]) == 4:
            y = int(parts[0])
            return DateInterval(
                date(y, 1, 1).toordinal(), date(y, 12, 31).toordinal(), Precision.YEAR, y
            )
        if len(parts) == 2 and len(parts[0]) == 4:
            y, m = int(parts[0]), int(parts[1])
            first = date(y, m, 1)
            last = date(y + (m == 12), m % 12 + 1, 1).toordinal() - 1
            return DateInterval(first.toordinal(), last, Precision.MONTH, y, m)
        if len(parts) == 3 and len(parts[0]) == 4:
            y, m, d = int(parts[0]), int(parts[1]), int(parts[2])
            o = date(y, m, d).toordinal()
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


def birth_interval(dob: str, age: int | None, reference_year: int) -> DateInterval | None:
    """Interval from a date of birth, falling back to an age estimate."""
    parsed = parse_date(dob) if dob else None
    if parsed is not None:
        return parsed
    if age is not None:
        return from_age(age, reference_year)
    return None


class DateLevel(IntEnum):
    """Agreement level between two birth intervals, best (0) to worst."""

    EXACT = 0
    DAY_MONTH_SWAP = 1
    SAME_MONTH = 2
    SAME_YEAR = 3
    OVERLAP = 4
    WITHIN_1Y = 5
    WITHIN_5Y = 6
    DISJOINT = 7


# Plain ints: the engine compares dates hundreds of times per search, and looking an enum
# member up on its class, or converting one, costs more than the comparison itself.
_DAY, _MONTH, _YEAR = int(Precision.DAY), int(Precision.MONTH), int(Precision.YEAR)


def compare_dates(a: DateInterval, b: DateInterval) -> DateLevel:
    """Compare two intervals (symmetric)."""
    return DateLevel(date_level(a, b))


def date_level(a: DateInterval, b: DateInterval) -> int:
    """:func:`compare_dates` as a plain int (the level's value), for the engine's hot loop."""
    pa, pb = a.precision, b.precision
    if pa == _DAY and pb == _DAY:
        if a.start == b.start:
            return 0  # EXACT
        if a.year == b.year:
            if a.month == b.day and a.day == b.month:
                return 1  # DAY_MONTH_SWAP
            if (a.month == 1 and a.day == 1) or (b.month == 1 and b.day == 1):  # jan_first
                return 3  # SAME_YEAR
    if pa <= _MONTH and pb <= _MONTH and a.year == b.year and a.month == b.month:
        return 2  # SAME_MONTH
    if pa <= _YEAR and pb <= _YEAR and a.year == b.year:
        return 3  # SAME_YEAR
    gap = (a.start if a.start > b.start else b.start) - (a.end if a.end < b.end else b.end)
    if gap <= 0:
        return 4  # OVERLAP
    if gap <= 366:
        return 5  # WITHIN_1Y
    if gap <= 5 * 366:
        return 6  # WITHIN_5Y
    return 7  # DISJOINT


def default_reference_year() -> int:
    """The current (UTC) year, used when a model has no explicit reference year."""
    return datetime.now(UTC).year
