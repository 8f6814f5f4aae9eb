import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from hbm.flows.inputs import CountLineInput, FlowCountInput
from hbm.flows.services import flow_count_record

LUBUMBASHI = ZoneInfo("Africa/Lubumbashi")


def line(direction="entry", nationality="SSD", **cells):
    """A tally line; ``people`` defaults to the sum of the sex × age cells given."""
    people = cells.pop("people", None)
    numbers = {k: v for k, v in cells.items() if k.startswith(("female_", "male_"))}
    if people is None:
        people = sum(numbers.values())
    return CountLineInput(direction=direction, nationality=nationality, people=people, **cells)


def tally(actor, *lines, point="footpath", start=None, hours=4, total=None, **extra):
    start = start or datetime(2026, 11, 20, 8, 0, tzinfo=LUBUMBASHI)
    data = FlowCountInput(
        id=extra.pop("id", uuid.uuid4()),
        crossing_point=point,
        window_start=start,
        window_end=start + timedelta(hours=hours),
        total=sum(item.people for item in lines) if total is None else total,
        lines=tuple(lines),
        **extra,
    )
    return flow_count_record(actor=actor, data=data)
