"""The rules a tally sheet must satisfy before anything is written."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils.translation import gettext_lazy as _

from hbm.flows.inputs import CountLineInput, FlowCountInput
from hbm.flows.models import CELLS, FlowCount
from hbm.lib.text import text_problem
from hbm.places.models import BorderCrossingPoint
from hbm.places.selectors import known_country_codes
from hbm.registry.models import Crossing
from hbm.registry.validation import Problems

MAX_WINDOW = timedelta(hours=24)


def _at_point(moment: datetime, point: BorderCrossingPoint) -> str:
    """A moment as the enumerator's watch at the point shows it, with its UTC offset."""
    return moment.astimezone(ZoneInfo(point.time_zone)).isoformat(timespec="minutes")


NEGATIVE = _("Counts cannot be negative.")
WINDOW_ORDER = _("The window must end after it starts.")
WINDOW_TOO_LONG = _("A window covers at most 24 hours; enter one tally per day or shift.")
FUTURE_WINDOW = _("The window has not ended yet; enter the tally once it is over.")
EARLIEST_WINDOW = date(2000, 1, 1)
TOO_EARLY = _("A tally before {} is not plausible; check the year.")
OVERLAP = _("Another tally at this point already covers {start} – {end}.")
CELLS_SUM = _("Girls, women, boys and men add up to {cells}, not {people}.")
LINES_SUM = _("The groups add up to {lines} people, not {total}.")
EMPTY_LINE = _("A group has at least one person.")
NOT_A_CHOICE = _("'{value}' is not one of: {choices}.")
UNKNOWN_COUNTRY = _("'{}' is not an ISO 3166 alpha-3 country code.")
MORE_THAN_PEOPLE = _("{field} cannot exceed {limit}, the {who} in this group.")
EVERYONE = _("people")
CHILDREN = _("children")
WOMEN_AND_GIRLS = _("women and girls over 4")
OLDER_PEOPLE = _("people aged 60 and over")


def _count_fields(problems: Problems, path: str, line: CountLineInput) -> None:
    numbers = [field for field, _, _ in CELLS] + [
        "people",
        "children_alone",
        "disability",
        "pregnant_or_lactating",
        "serious_medical",
        "older_at_risk",
    ]
    for field in numbers:
        if getattr(line, field) < 0:
            problems.add(f"{path}.{field}", str(NEGATIVE))


def _vulnerability_limits(problems: Problems, path: str, line: CountLineInput) -> None:
    children = line.female_0_4 + line.female_5_17 + line.male_0_4 + line.male_5_17
    limits = {
        "children_alone": (children, CHILDREN),
        "disability": (line.people, EVERYONE),
        "serious_medical": (line.people, EVERYONE),
        "pregnant_or_lactating": (line.female_5_17 + line.female_18_59, WOMEN_AND_GIRLS),
        "older_at_risk": (line.female_60_plus + line.male_60_plus, OLDER_PEOPLE),
    }
    for field, (limit, who) in limits.items():
        if getattr(line, field) > limit:
            problems.add(
                f"{path}.{field}",
                str(MORE_THAN_PEOPLE).format(field=field.replace("_", " "), limit=limit, who=who),
            )


def _line_problems(
    problems: Problems, path: str, line: CountLineInput, countries: set[str]
) -> None:
    if line.direction not in Crossing.Direction.values:
        problems.add(
            f"{path}.direction",
            str(NOT_A_CHOICE).format(value=line.direction, choices=", ".join(Crossing.Direction)),
        )
    for field, choices in (("transport", Crossing.Transport), ("reason", Crossing.Reason)):
        value = getattr(line, field)
        if value and value not in choices.values:
            problems.add(
                f"{path}.{field}",
                str(NOT_A_CHOICE).format(value=value, choices=", ".join(choices.values)),
            )
    for field in ("nationality", "origin_country", "destination_country"):
        code = getattr(line, field).upper()
        if code and code not in countries:
            problems.add(f"{path}.{field}", str(UNKNOWN_COUNTRY).format(getattr(line, field)))
    for field in ("origin_place", "destination_place"):
        problem = text_problem(getattr(line, field))
        if problem:
            problems.add(f"{path}.{field}", problem)
    _count_fields(problems, path, line)
    if line.people < 1:
        problems.add(f"{path}.people", str(EMPTY_LINE))
        return
    cells = sum(getattr(line, field) for field, _, _ in CELLS)
    if cells != line.people:
        problems.add(f"{path}.people", str(CELLS_SUM).format(cells=cells, people=line.people))
    _vulnerability_limits(problems, path, line)


def _window_problems(
    problems: Problems, data: FlowCountInput, point: BorderCrossingPoint, now: datetime
) -> None:
    start, end = data.window_start, data.window_end
    if end <= start:
        problems.add("window_end", str(WINDOW_ORDER))
        return
    if end - start > MAX_WINDOW:
        problems.add("window_end", str(WINDOW_TOO_LONG))
    if end > now:
        problems.add("window_end", str(FUTURE_WINDOW))
    if start.date() < EARLIEST_WINDOW:
        problems.add("window_start", str(TOO_EARLY).format(EARLIEST_WINDOW.isoformat()))
    clash = (
        FlowCount.objects.filter(
            crossing_point=point, voided_at=None, window_start__lt=end, window_end__gt=start
        )
        .order_by("window_start")
        .first()
    )
    if clash is not None:
        problems.add(
            "window_start",
            str(OVERLAP).format(
                start=_at_point(clash.window_start, point),
                end=_at_point(clash.window_end, point),
            ),
        )


def count_problems(data: FlowCountInput, *, point: BorderCrossingPoint, now: datetime) -> Problems:
    problems = Problems()
    _window_problems(problems, data, point, now)
    if data.total < 0:
        problems.add("total", str(NEGATIVE))
    notes_problem = text_problem(data.notes, multiline=True)
    if notes_problem:
        problems.add("notes", notes_problem)
    mentioned = {
        getattr(line, field).upper()
        for line in data.lines
        for field in ("nationality", "origin_country", "destination_country")
    } - {""}
    countries = known_country_codes(mentioned)
    for index, line in enumerate(data.lines):
        _line_problems(problems, f"lines.{index}", line, countries)
    in_lines = sum(max(line.people, 0) for line in data.lines)
    if data.total >= 0 and in_lines != data.total:
        problems.add("total", str(LINES_SUM).format(lines=in_lines, total=data.total))
    return problems
