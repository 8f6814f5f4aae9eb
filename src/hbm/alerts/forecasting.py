"""A forecast of a point's daily arrivals for the next days, with prediction intervals: a
pure function of plain numbers, no Django (ADR 0132).

The model is exponential smoothing (ETS) with additive errors, a damped additive trend
and, given four weeks of history, an additive weekly season, fitted by statsmodels on
``log(1 + arrivals)``. On that scale a weekday effect is a share (Fridays 25 % busier), the
level follows a surge within days, the trend is a growth rate that a fixed damping keeps
from running away, and the interval bounds, turned back with ``exp(x) - 1``, are never below
zero. The point forecast is the median of the forecast distribution. The model's
predictive spread is floored at the counting noise of a Poisson count of that size, so a
series that was flat in the past does not get an interval of zero width.

The last ``HISTORY_DAYS`` days are used. Days before the first arrival are no data (the
point was not reporting), not days of nobody. With fewer than ``MIN_DAYS`` days of data
there is no forecast (``TOO_SHORT``); with fewer than ``SEASONAL_DAYS``, no weekly season
(``TREND``). A series of zeros is forecast as zeros (``NO_ARRIVALS``).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

__all__ = [
    "HISTORY_DAYS",
    "HORIZON",
    "MAX_HORIZON",
    "METHODS",
    "MIN_DAYS",
    "NO_ARRIVALS",
    "SEASONAL_DAYS",
    "TOO_SHORT",
    "TREND",
    "WEEKLY",
    "Forecast",
    "forecast",
    "load_model",
]

HORIZON = 14
MAX_HORIZON = 28
HISTORY_DAYS = 56  # eight weeks, as the detectors' weekday baseline
MIN_DAYS = 14
SEASONAL_DAYS = 28  # four weeks: enough to estimate seven weekday effects
WEEK = 7
NO_ARRIVALS, TOO_SHORT, TREND, WEEKLY = "no_arrivals", "too_short", "trend", "weekly"
METHODS = (NO_ARRIVALS, TOO_SHORT, TREND, WEEKLY)
Z80, Z95 = 1.2816, 1.9600  # two-sided 80 % and 95 % normal quantiles
# The trend is damped by a fixed 0.9 a day and learns slowly (smoothing at most 0.03): a
# one-day jump moves the level, not the growth rate, and a growth that lasts still shows
# (chosen on the back-test, docs/benchmarks.md; an estimated damping tripled the 14-day
# error in a surge and made the demo's ×3 step a runaway forecast).
DAMPING = 0.9
MAX_TREND_SMOOTHING = 0.03


@dataclass(frozen=True)
class Forecast:
    """Per day ahead (1 … horizon): the point forecast and the 80 % and 95 % prediction
    bounds, in arrivals. Empty tuples when ``method`` is ``TOO_SHORT``."""

    method: str
    history_days: int
    point: tuple[float, ...] = ()
    lower_80: tuple[float, ...] = ()
    upper_80: tuple[float, ...] = ()
    lower_95: tuple[float, ...] = ()
    upper_95: tuple[float, ...] = ()

    @property
    def available(self) -> bool:
        return bool(self.point)


def forecast(values: Sequence[int], horizon: int = HORIZON) -> Forecast:
    """Forecast the ``horizon`` days after ``values`` (daily arrivals, oldest first, ending
    with the last complete day)."""
    if not 1 <= horizon <= MAX_HORIZON:
        raise ValueError(f"horizon must be 1 to {MAX_HORIZON} days")
    counts = np.asarray(values[-HISTORY_DAYS:], dtype=float)
    if counts.size and counts.min() < 0:
        raise ValueError("arrivals cannot be negative")
    started = np.flatnonzero(counts)
    if not started.size:
        zeros = (0.0,) * horizon
        return Forecast(NO_ARRIVALS, int(counts.size), zeros, zeros, zeros, zeros, zeros)
    counts = counts[started[0] :]
    if counts.size < MIN_DAYS:
        return Forecast(TOO_SHORT, int(counts.size))
    method = WEEKLY if counts.size >= SEASONAL_DAYS else TREND
    centre, spread = _log_forecast(np.log1p(counts), horizon, seasonal=method == WEEKLY)
    expected = np.expm1(centre)
    spread = np.maximum(spread, np.sqrt(np.maximum(expected, 0.0)) / (expected + 1.0))

    def bound(z: float) -> tuple[float, ...]:
        return _counts(centre + z * spread)

    return Forecast(
        method,
        int(counts.size),
        _counts(centre),
        bound(-Z80),
        bound(Z80),
        bound(-Z95),
        bound(Z95),
    )


def load_model() -> type:
    """statsmodels' ETS model class; the first call in a process imports statsmodels, scipy
    and pandas, which takes seconds (a fit then takes a tenth of one)."""
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    return ETSModel  # type: ignore[no-any-return]


def _counts(logs: np.ndarray) -> tuple[float, ...]:
    return tuple(round(max(0.0, math.expm1(float(x))), 1) for x in logs)


def _log_forecast(y: np.ndarray, horizon: int, *, seasonal: bool) -> tuple[np.ndarray, np.ndarray]:
    """The forecast's mean and standard deviation on the log scale, per day ahead."""
    if np.ptp(y) == 0:  # a constant series: nothing to fit, the noise floor gives the spread
        return np.full(horizon, y[-1]), np.zeros(horizon)
    import pandas as pd

    model = load_model()(
        pd.Series(y),  # statsmodels' prediction intervals need an index
        error="add",
        trend="add",
        damped_trend=True,
        seasonal="add" if seasonal else None,
        seasonal_periods=WEEK if seasonal else None,
        initialization_method="heuristic",  # initial states from the data: 4× faster a fit
        bounds={"smoothing_trend": (0.0001, MAX_TREND_SMOOTHING)},
    )
    with warnings.catch_warnings():  # convergence notes on short or flat series
        warnings.simplefilter("ignore")
        with model.fix_params({"damping_trend": DAMPING}):
            fitted = model.fit(disp=False)
        frame = fitted.get_prediction(start=y.size, end=y.size + horizon - 1).summary_frame(
            alpha=0.05
        )
    mean = frame["mean"].to_numpy(dtype=float)
    spread = (frame["pi_upper"].to_numpy(dtype=float) - mean) / Z95
    if not (np.all(np.isfinite(mean)) and np.all(np.isfinite(spread))):
        return np.full(horizon, float(np.mean(y[-WEEK:]))), np.full(horizon, float(np.std(y)))
    return mean, spread
