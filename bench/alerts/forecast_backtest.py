"""Back-test of the arrivals forecast (hbm.alerts.forecasting) against two numpy-only
baselines, on synthetic daily series and on the demo's series. For each method: the mean
absolute error 1, 7 and 14 days ahead (as a share of the mean arrivals on those days), and
how often the truth falls inside the 80 % and 95 % intervals (coverage).

Synthetic series: a weekly pattern (busy Fridays, quiet weekends) at 5, 30 and 200 a day,
Poisson or over-dispersed (gamma-Poisson, variance twice the mean), in four situations at
the forecast's origin: steady; growing 2 % a day; a surge under way (a ramp to ×3 that
began a week before the origin and is reached three days after it); and a surge that ended
(×3 for the 12 days up to three days before the origin). 56 days of history, 14 ahead.

The demo: the registrations' daily arrivals of ``hbm demo`` (200 to 260 a day, ×3 on days
38 to 48), forecast from every origin from day 21 to day 45.

    python bench/alerts/forecast_backtest.py [--replicates 10] [--no-write]
"""

import argparse
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))
from matching._report import machine, write_section  # noqa: E402

from hbm.alerts import forecasting as f  # noqa: E402
from hbm.demo.people import _daily_arrivals  # noqa: E402

WEEK = np.array([1.0, 1.0, 1.0, 1.0, 1.25, 0.6, 0.45])
HISTORY, AHEAD = 56, 14
LEVELS = (5, 30, 200)
DISPERSIONS = {"Poisson": 1.0, "over-dispersed": 2.0}
STEPS = (1, 7, 14)
Z80, Z95 = 1.2816, 1.96

# (point, lower 80, upper 80, lower 95, upper 95), each per day ahead
Bounds = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]


def factors(situation: str) -> np.ndarray:
    days = np.arange(HISTORY + AHEAD)
    if situation == "growing":
        return 1.02 ** (days - HISTORY)
    out = np.ones(HISTORY + AHEAD)
    if situation == "surge under way":
        start = HISTORY - 7
        out[start : start + 10] = 1 + 2 * np.arange(1, 11) / 10
        out[start + 10 :] = 3.0
    elif situation == "surge ended":
        out[HISTORY - 15 : HISTORY - 3] = 3.0
    return out


SITUATIONS = ("steady", "growing", "surge under way", "surge ended")


def draw(rng: np.random.Generator, level: float, dispersion: float, situation: str) -> list[int]:
    means = level * np.resize(WEEK, HISTORY + AHEAD) * factors(situation)
    if dispersion > 1:
        means = rng.gamma(means / (dispersion - 1), dispersion - 1)
    return rng.poisson(means).astype(int).tolist()


def ets(history: list[int]) -> Bounds:
    found = f.forecast(history, horizon=AHEAD)
    return tuple(
        np.array(x)
        for x in (found.point, found.lower_80, found.upper_80, found.lower_95, found.upper_95)
    )  # type: ignore[return-value]


def _poisson_bounds(mean: np.ndarray, dispersion: float) -> Bounds:
    sd = np.sqrt(dispersion * np.maximum(mean, 0.0))
    return (
        mean,
        np.maximum(mean - Z80 * sd, 0),
        mean + Z80 * sd,
        np.maximum(mean - Z95 * sd, 0),
        mean + Z95 * sd,
    )


def seasonal_naive(history: list[int]) -> Bounds:
    """Each day as the same weekday last week; spread from last weeks' week-on-week changes."""
    values = np.array(history, dtype=float)
    mean = np.resize(values[-7:], AHEAD)
    changes = values[7:] - values[:-7]
    sd = float(np.std(changes[-28:])) if changes.size else 0.0
    return (
        mean,
        np.maximum(mean - Z80 * sd, 0),
        mean + Z80 * sd,
        np.maximum(mean - Z95 * sd, 0),
        mean + Z95 * sd,
    )


def weekday_mean(history: list[int]) -> Bounds:
    """The detectors' baseline (poisson_dow): each weekday's mean over up to 8 weeks, with a
    quasi-Poisson spread (dispersion from the baseline, at least 1)."""
    values = np.array(history[-56:], dtype=float)
    offset = len(values) % 7  # day 0 of the forecast is weekday len(values) of the history
    means = np.array([values[(offset + k) % 7 :: 7].mean() for k in range(7)])
    fitted = np.array([means[(n - offset) % 7] for n in range(len(values))])
    pearson = ((values - fitted) ** 2 / np.maximum(fitted, 1)).sum() / max(len(values) - 7, 1)
    return _poisson_bounds(np.resize(means, AHEAD), max(pearson, 1.0))


METHODS: dict[str, Callable[[list[int]], Bounds]] = {
    "ets (ours)": ets,
    "weekday mean": weekday_mean,
    "seasonal naive": seasonal_naive,
}


class Score:
    def __init__(self) -> None:
        self.errors: dict[int, list[float]] = {h: [] for h in STEPS}
        self.truths: dict[int, list[float]] = {h: [] for h in STEPS}
        self.in80: dict[int, list[bool]] = {h: [] for h in STEPS}
        self.in95: dict[int, list[bool]] = {h: [] for h in STEPS}

    def add(self, bounds: Bounds, truth: list[int]) -> None:
        point, lo80, hi80, lo95, hi95 = bounds
        for h in STEPS:
            if h > len(truth):
                continue
            t, i = truth[h - 1], h - 1
            self.errors[h].append(abs(point[i] - t))
            self.truths[h].append(t)
            self.in80[h].append(bool(lo80[i] <= t <= hi80[i]))
            self.in95[h].append(bool(lo95[i] <= t <= hi95[i]))

    def cells(self) -> list[str]:
        mae = [
            f"{100 * statistics.mean(self.errors[h]) / max(statistics.mean(self.truths[h]), 1):.0f}"
            for h in STEPS
        ]
        cover = [
            f"{100 * statistics.mean(self.in80[h]):.0f} / {100 * statistics.mean(self.in95[h]):.0f}"
            for h in STEPS
        ]
        return [*mae, *cover]


def synthetic(replicates: int) -> tuple[dict[tuple[str, str], Score], list[float]]:
    rng = np.random.default_rng(20261207)
    scores = {(s, m): Score() for s in SITUATIONS for m in METHODS}
    seconds: list[float] = []
    for situation in SITUATIONS:
        for level in LEVELS:
            for dispersion in DISPERSIONS.values():
                for _ in range(replicates):
                    values = draw(rng, level, dispersion, situation)
                    history, truth = values[:HISTORY], values[HISTORY:]
                    for name, method in METHODS.items():
                        started = time.perf_counter()
                        bounds = method(history)
                        if name == "ets (ours)":
                            seconds.append(time.perf_counter() - started)
                        scores[(situation, name)].add(bounds, truth)
    return scores, seconds


def demo() -> dict[str, Score]:
    series = [_daily_arrivals(day) for day in range(60)]
    scores = {name: Score() for name in METHODS}
    for origin in range(21, 46):
        for name, method in METHODS.items():
            scores[name].add(method(series[:origin]), series[origin : origin + AHEAD])
    return scores


def table(scores: dict[tuple[str, str], Score], demo_scores: dict[str, Score]) -> list[str]:
    lines = [
        "| series | method | MAE % 1 day | 7 days | 14 days | in 80 / 95 % 1 day | 7 days "
        "| 14 days |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for (situation, name), score in scores.items():
        lines.append(f"| {situation} | {name} | " + " | ".join(score.cells()) + " |")
    for name, score in demo_scores.items():
        lines.append(f"| demo registrations | {name} | " + " | ".join(score.cells()) + " |")
    return lines


def base_commit() -> str:
    """The commit of main this branch grew from (the commit itself when on main)."""
    for command in (["git", "merge-base", "HEAD", "main"], ["git", "rev-parse", "HEAD"]):
        found = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
        if found.returncode == 0:
            return found.stdout.strip()[:7]
    return "unknown"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--replicates", type=int, default=10)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    started = time.perf_counter()
    scores, seconds = synthetic(args.replicates)
    demo_scores = demo()
    per_fit = sorted(seconds)
    body = "\n".join(
        [
            "## Arrivals forecast: back-test",
            "",
            f"Machine: {machine()}; base commit {base_commit()}. {args.replicates} replicates "
            f"per cell: levels {LEVELS} a day × {len(DISPERSIONS)} dispersions per situation; "
            f"{time.perf_counter() - started:.0f} s in all. One forecast (ets, 56 days, 14 "
            f"ahead): median {1000 * statistics.median(per_fit):.0f} ms, "
            f"95th percentile {1000 * per_fit[int(0.95 * (len(per_fit) - 1))]:.0f} ms. "
            "MAE as a share of the mean arrivals on that day ahead; coverage: the share of "
            "days whose arrivals fell inside the 80 % and the 95 % interval.",
            "",
            *table(scores, demo_scores),
            "",
            "What it means for a coordinator: docs/forecast.md; why the trend's damping is "
            "fixed rather than estimated: ADR 0132.",
        ]
    )
    print(body)
    if not args.no_write:
        write_section("forecast-backtest", body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
