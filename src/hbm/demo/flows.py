"""Sixty days of enumerators' tallies at two informal crossing points (invented figures),
entered through the real service so that they pass the same checks as a field tally. The
surge of days 38 to 48 matches the registrations'."""

import random
import uuid
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from hbm.accounts.models import User
from hbm.flows.inputs import CountLineInput, FlowCountInput
from hbm.flows.models import CELLS, FlowCount
from hbm.flows.services import flow_count_record, rollup
from hbm.places.models import BorderCrossingPoint

NAMESPACE = uuid.UUID("0c6f3a52-8e1b-4f8e-a5a8-3e8f5d2c7b10")
DAYS = 60
WINDOW = (time(6, 0), time(18, 0))  # observed in daylight, as at DTM's border points
# point code: (people a day before the surge, share leaving, nationality weights, transport)
PROFILES = {
    "kasenyi-landing": (70, 0.35, {"UGA": 5, "COD": 4, "SSD": 1}, ["boat"]),
    "ariwara-path": (
        110,
        0.45,
        {"COD": 5, "SSD": 4, "UGA": 2},
        ["on_foot", "bicycle", "motorbike"],
    ),
}
REASONS = {"entry": ["conflict", "trade", "family"], "exit": ["trade", "return", "family"]}


def _split(rng: random.Random, people: int) -> dict[str, int]:
    """Share a group out over sex and age bands: about 40 % children, a few older people."""
    cells = dict.fromkeys([name for name, _sex, _band in CELLS], 0)
    weights = [6, 11, 24, 2, 6, 11, 21, 2]  # in the order of CELLS: women's bands, then men's
    for name in rng.choices(list(cells), weights=weights, k=people):
        cells[name] += 1
    return cells


def _lines(
    rng: random.Random,
    people: int,
    leaving: float,
    nationalities: dict[str, int],
    transport: list[str],
) -> tuple[CountLineInput, ...]:
    lines = []
    while people > 0:
        size = min(people, rng.choice([1, 2, 3, 4, 5, 6, 8, 12]))
        people -= size
        cells: dict[str, Any] = _split(rng, size)  # as keyword arguments, beside the others
        children = sum(cells[k] for k in cells if k.endswith(("0_4", "5_17")))
        direction = "exit" if rng.random() < leaving else "entry"
        lines.append(
            CountLineInput(
                direction=direction,
                people=size,
                nationality=rng.choices(list(nationalities), weights=list(nationalities.values()))[
                    0
                ],
                transport=rng.choice(transport),
                reason=rng.choice(REASONS[direction]),
                children_alone=1 if children and rng.random() < 0.03 else 0,
                **cells,
            )
        )
    return tuple(lines)


def demo_load_flow_counts(points: dict[str, BorderCrossingPoint], enumerator: User) -> int:
    """Tallies entered; 0 when the demo tallies are already there."""
    if FlowCount.objects.filter(crossing_point__code__in=PROFILES).exists():
        return 0
    now = timezone.now()
    today = timezone.localdate()
    entered = 0
    for code, (daily, leaving, nationalities, transport) in PROFILES.items():
        point = points[code]
        zone = ZoneInfo(point.time_zone)
        rng = random.Random(f"demo-flows:{code}")
        for offset in range(DAYS):
            day = today - timedelta(days=DAYS - 1 - offset)
            start = datetime.combine(day, WINDOW[0], tzinfo=zone)
            end = datetime.combine(day, WINDOW[1], tzinfo=zone)
            if end > now:
                continue  # today's window is not over yet
            people = round(daily * (2.5 if 38 <= offset <= 48 else 1) * rng.uniform(0.7, 1.3))
            lines = _lines(rng, people, leaving, nationalities, transport)
            flow_count_record(
                actor=enumerator,
                data=FlowCountInput(
                    id=uuid.uuid5(NAMESPACE, f"{code}:{day.isoformat()}"),
                    crossing_point=code,
                    window_start=start,
                    window_end=end,
                    total=sum(line.people for line in lines),
                    lines=lines,
                ),
                now=now,
            )
            entered += 1
    rollup.rebuild()  # the demo's registrations were written in bulk, not through the hook
    return entered
