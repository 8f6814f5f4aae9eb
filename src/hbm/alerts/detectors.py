"""Surge detectors on a daily count series: pure functions of plain numbers, no Django.

Every detector takes the counts of consecutive days, oldest first, and answers one
:class:`Signal` per day: the level it reaches (``normal``, ``watch``, ``warning``,
``emergency``), what was expected and the threshold crossed, or no level at all while the
series is too short for the method (``level is None``).

* ``capacity``: shares of the point's daily reception capacity (watch / warning / emergency).
* ``ears_c1``, ``ears_c2``, ``ears_c3``: the CDC Early Aberration Reporting System methods as
  Hutwagner et al. (EID 2005;11(2):314-6) and Fricker, Hegler & Dunfee (Stat Med
  2008;27:3407-29) define them. C1: (x_t - mean) / sd of days t-7..t-1, alarm above 3. C2:
  the same over days t-9..t-3 (two guard days). C3: the sum over days t-2..t of
  max(0, C2 - 1), alarm above 2. A floor on the standard deviation (``min_sigma``, as R
  surveillance's ``earsC``) keeps a flat baseline from alarming at one extra person.
* ``poisson_dow``: a Poisson baseline with a day-of-week effect (the mean of the same weekday
  over the baseline weeks, two guard days before today), over-dispersion estimated from the
  baseline (quasi-Poisson), and Farrington's (1996) 2/3-power upper bound.
* ``cusum``: a one-sided CUSUM of the ``poisson_dow`` model's standardised residuals
  (S_t = max(0, S_{t-1} + z_t - k), alarm above h, reset after an alarm), the method Fricker
  et al. found better than C1-C3.

A statistical alarm is a ``watch``; it is a ``warning`` when the day is also at least
``warning_ratio`` times what was expected. ``emergency`` is left to the capacity rule and to
people: a statistic says "unusual", not "more than the point can receive".
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

__all__ = [
    "CAPACITY",
    "CUSUM",
    "DETECTORS",
    "EARS_C1",
    "EARS_C2",
    "EARS_C3",
    "LEVELS",
    "POISSON_DOW",
    "STATISTICAL",
    "Settings",
    "Signal",
    "capacity",
    "cusum",
    "detect",
    "ears_c1",
    "ears_c2",
    "ears_c3",
    "level_rank",
    "poisson_dow",
]

NORMAL, WATCH, WARNING, EMERGENCY = "normal", "watch", "warning", "emergency"
LEVELS = (NORMAL, WATCH, WARNING, EMERGENCY)
CAPACITY, EARS_C1, EARS_C2, EARS_C3 = "capacity", "ears_c1", "ears_c2", "ears_c3"
POISSON_DOW, CUSUM = "poisson_dow", "cusum"
STATISTICAL = (EARS_C1, EARS_C2, EARS_C3, POISSON_DOW, CUSUM)
DETECTORS = (CAPACITY, *STATISTICAL)

EARS_WINDOW = 7
EARS_GUARD = 2  # C2 and C3 leave two days between the baseline and today
C1_C2_LIMIT = 3.0
C3_LIMIT = 2.0
DOW_WEEKS = 8  # the Poisson baseline: up to eight of the same weekday
DOW_MIN_WEEKS = 2
DOW_GUARD = 2


def level_rank(level: str) -> int:
    return LEVELS.index(level)


@dataclass(frozen=True)
class Settings:
    """A point's detector settings (the defaults are the ones the back-test chose)."""

    watch_share: float = 0.7
    warning_share: float = 0.9
    emergency_share: float = 1.1
    warning_ratio: float = 2.0
    min_sigma: float = 1.0
    poisson_z: float = 3.09  # one-sided 0.1 %
    cusum_k: float = 0.5
    cusum_h: float = 4.0
    min_expected: float = 1.0  # statistical detectors stay quiet on a day expecting less

    def problems(self) -> dict[str, str]:
        """What is wrong with these settings, by field; empty when they can be used."""
        found: dict[str, str] = {}
        shares = (self.watch_share, self.warning_share, self.emergency_share)
        if any(share <= 0 for share in shares):
            found["watch_share"] = "Capacity shares must be above zero."
        elif not shares[0] < shares[1] < shares[2]:
            found["warning_share"] = (
                "Capacity shares must rise: watch below warning below emergency."
            )
        if self.warning_ratio <= 1:
            found["warning_ratio"] = "The warning ratio must be above 1."
        for name in ("min_sigma", "poisson_z", "cusum_h"):
            if getattr(self, name) <= 0:
                found[name] = "Must be above zero."
        if self.cusum_k < 0:
            found["cusum_k"] = "Must be zero or more."
        if self.min_expected < 0:
            found["min_expected"] = "Must be zero or more."
        return found


@dataclass(frozen=True)
class Signal:
    """One day's verdict: ``level`` None while the method cannot judge the day yet."""

    level: str | None
    observed: int
    expected: float | None = None
    threshold: float | None = None
    statistic: float | None = None

    @property
    def alarm(self) -> bool:
        return self.level is not None and self.level != NORMAL


def _statistical(
    observed: int,
    expected: float,
    threshold: float,
    statistic: float,
    alarm: bool,
    settings: Settings,
) -> Signal:
    if expected < settings.min_expected and observed < settings.min_expected:
        alarm = False
    level = NORMAL
    if alarm:
        level = WARNING if observed >= settings.warning_ratio * max(expected, 1.0) else WATCH
    return Signal(level, observed, round(expected, 2), round(threshold, 2), round(statistic, 3))


def capacity(
    values: Sequence[int], daily_capacity: int | None, settings: Settings = Settings()
) -> list[Signal]:
    """Each day against shares of the reception capacity; no level without a capacity."""
    if not daily_capacity:
        return [Signal(None, int(v)) for v in values]
    bounds = (
        (EMERGENCY, settings.emergency_share),
        (WARNING, settings.warning_share),
        (WATCH, settings.watch_share),
    )
    signals = []
    for value in values:
        level, threshold = NORMAL, settings.watch_share * daily_capacity
        for name, share in bounds:
            if value >= share * daily_capacity - 1e-9:  # 110 people is 110 %, not below
                level, threshold = name, share * daily_capacity
                break
        signals.append(
            Signal(
                level,
                int(value),
                float(daily_capacity),
                round(threshold, 2),
                value / daily_capacity,
            )
        )
    return signals


def _ears_scores(
    values: np.ndarray, guard: int, settings: Settings
) -> list[tuple[float, float, float] | None]:
    """Per day: (mean, sd, standardised score) over the 7 days ending ``guard`` days before."""
    scores: list[tuple[float, float, float] | None] = []
    for t in range(len(values)):
        first = t - guard - EARS_WINDOW
        if first < 0:
            scores.append(None)
            continue
        base = values[first : t - guard]
        mean = float(base.mean())
        sd = max(float(base.std(ddof=1)), settings.min_sigma)
        scores.append((mean, sd, (float(values[t]) - mean) / sd))
    return scores


def _ears(values: Sequence[int], guard: int, settings: Settings) -> list[Signal]:
    series = np.asarray(values, dtype=float)
    signals = []
    for value, score in zip(values, _ears_scores(series, guard, settings), strict=True):
        if score is None:
            signals.append(Signal(None, int(value)))
            continue
        mean, sd, z = score
        threshold = mean + C1_C2_LIMIT * sd
        signals.append(_statistical(int(value), mean, threshold, z, z > C1_C2_LIMIT, settings))
    return signals


def ears_c1(values: Sequence[int], settings: Settings = Settings()) -> list[Signal]:
    return _ears(values, 0, settings)


def ears_c2(values: Sequence[int], settings: Settings = Settings()) -> list[Signal]:
    return _ears(values, EARS_GUARD, settings)


def ears_c3(values: Sequence[int], settings: Settings = Settings()) -> list[Signal]:
    series = np.asarray(values, dtype=float)
    scores = _ears_scores(series, EARS_GUARD, settings)
    signals = []
    for t, value in enumerate(values):
        window = scores[max(t - 2, 0) : t + 1]
        if t < 2 or any(score is None for score in window):
            signals.append(Signal(None, int(value)))
            continue
        c3 = sum(max(0.0, score[2] - 1) for score in window if score is not None)
        mean, sd, _z = scores[t]  # type: ignore[misc]
        # the count today that would bring C3 to its limit, given the two days before
        before = c3 - max(0.0, scores[t][2] - 1)  # type: ignore[index]
        threshold = mean + sd * (1 + max(C3_LIMIT - before, 0.0))
        signals.append(_statistical(int(value), mean, threshold, c3, c3 > C3_LIMIT, settings))
    return signals


def _dow_baseline(
    series: np.ndarray, t: int, first_weekday: int
) -> tuple[float, float, int] | None:
    """(expected today, dispersion, weeks used) from the same weekday in the weeks before
    today's guard days; dispersion from all baseline days against their weekday means."""
    end = t - DOW_GUARD  # exclusive
    start = max(0, end - 7 * DOW_WEEKS)
    if end - start < 7 * DOW_MIN_WEEKS:
        return None
    base = series[start:end]
    weekdays = (np.arange(start, end) + first_weekday) % 7
    means = np.array([base[weekdays == d].mean() for d in range(7)])
    today = (t + first_weekday) % 7
    fitted = means[weekdays]
    df = len(base) - 7
    positive = fitted > 0
    pearson = float((((base - fitted) ** 2)[positive] / fitted[positive]).sum())
    dispersion = max(1.0, pearson / df) if df > 0 else 1.0
    return float(means[today]), dispersion, int((weekdays == today).sum())


def _farrington_bound(expected: float, dispersion: float, weeks: int, z: float) -> float:
    """Farrington et al. (1996): the upper bound of the 2/3-power transformed prediction."""
    if expected <= 0:
        return 0.0
    tau = dispersion * expected * (1 + 1 / max(weeks, 1))
    return float(expected * (1 + (2 / 3) * z * math.sqrt(tau) / expected) ** 1.5)


def poisson_dow(
    values: Sequence[int], first_weekday: int, settings: Settings = Settings()
) -> list[Signal]:
    """``first_weekday``: the weekday of the first day (Monday 0, as date.weekday())."""
    series = np.asarray(values, dtype=float)
    signals = []
    for t, value in enumerate(values):
        base = _dow_baseline(series, t, first_weekday)
        if base is None:
            signals.append(Signal(None, int(value)))
            continue
        expected, dispersion, weeks = base
        bound = _farrington_bound(expected, dispersion, weeks, settings.poisson_z)
        score = (value - expected) / math.sqrt(max(dispersion * expected, settings.min_sigma**2))
        signals.append(_statistical(int(value), expected, bound, score, value > bound, settings))
    return signals


def cusum(
    values: Sequence[int], first_weekday: int, settings: Settings = Settings()
) -> list[Signal]:
    series = np.asarray(values, dtype=float)
    signals = []
    total = 0.0
    for t, value in enumerate(values):
        base = _dow_baseline(series, t, first_weekday)
        if base is None:
            signals.append(Signal(None, int(value)))
            continue
        expected, dispersion, _weeks = base
        sigma = math.sqrt(max(dispersion * expected, settings.min_sigma**2))
        # the count today that would bring the sum to h
        threshold = expected + sigma * (settings.cusum_h + settings.cusum_k - total)
        total = max(0.0, total + (value - expected) / sigma - settings.cusum_k)
        alarm = total > settings.cusum_h
        signals.append(
            _statistical(int(value), expected, max(threshold, expected), total, alarm, settings)
        )
        if alarm:
            total = 0.0
    return signals


def detect(
    name: str,
    values: Sequence[int],
    *,
    first_weekday: int,
    daily_capacity: int | None = None,
    settings: Settings = Settings(),
) -> list[Signal]:
    """Run one detector by name (one of DETECTORS)."""
    if name == CAPACITY:
        return capacity(values, daily_capacity, settings)
    if name == EARS_C1:
        return ears_c1(values, settings)
    if name == EARS_C2:
        return ears_c2(values, settings)
    if name == EARS_C3:
        return ears_c3(values, settings)
    if name == POISSON_DOW:
        return poisson_dow(values, first_weekday, settings)
    if name == CUSUM:
        return cusum(values, first_weekday, settings)
    raise ValueError(f"unknown detector {name!r}")
