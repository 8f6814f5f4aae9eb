"""Dates of birth as intervals: exact, month, year, or estimated from an age."""

import calendar
import re
from datetime import date

MAX_AGE = 120
ESTIMATE_MARGIN_YEARS = 2

_PATTERN = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")

BAD_FORMAT = "Write the date as YYYY-MM-DD, YYYY-MM or YYYY."
NOT_A_DATE = "{} is not a date in the calendar."
IN_THE_FUTURE = "A date of birth cannot be in the future."
TOO_OLD = f"An age over {MAX_AGE} years is not plausible; check the date or the age."
AGE_RANGE = f"An estimated age is between 0 and {MAX_AGE}."
NEED_ONE = "Give a date of birth or an estimated age, not both."


class BirthError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def _years_before(day: date, years: int) -> date:
    year = day.year - years
    return day.replace(year=year, day=min(day.day, calendar.monthrange(year, day.month)[1]))


def birth_interval(
    date_of_birth: str, age_estimate: int | None, *, today: date
) -> tuple[date | None, date | None]:
    """Earliest and latest possible birth dates, or BirthError naming the field at fault."""
    date_of_birth = date_of_birth.strip()
    if date_of_birth and age_estimate is not None:
        raise BirthError("age_estimate", NEED_ONE)
    if date_of_birth:
        match = _PATTERN.match(date_of_birth)
        if not match:
            raise BirthError("date_of_birth", BAD_FORMAT)
        year, month, day = (int(g) if g else None for g in match.groups())
        assert year is not None
        try:
            earliest = date(year, month or 1, day or 1)
            last_month = month or 12
            latest = date(year, last_month, day or calendar.monthrange(year, last_month)[1])
        except ValueError:
            raise BirthError("date_of_birth", NOT_A_DATE.format(date_of_birth)) from None
        if earliest > today:
            raise BirthError("date_of_birth", IN_THE_FUTURE)
        if latest < _years_before(today, MAX_AGE + 1):
            raise BirthError("date_of_birth", TOO_OLD)
        return earliest, min(latest, today)
    if age_estimate is not None:
        if not 0 <= age_estimate <= MAX_AGE:
            raise BirthError("age_estimate", AGE_RANGE)
        earliest = _years_before(today, age_estimate + 1 + ESTIMATE_MARGIN_YEARS)
        latest = min(today, _years_before(today, max(age_estimate - ESTIMATE_MARGIN_YEARS, 0)))
        return earliest, latest
    return None, None


def age_on(day: date, earliest: date | None, latest: date | None) -> int | None:
    """Best estimate of the age in whole years on ``day`` (midpoint of the interval)."""
    if earliest is None or latest is None:
        return None
    middle = earliest + (latest - earliest) / 2
    return day.year - middle.year - ((day.month, day.day) < (middle.month, middle.day))
