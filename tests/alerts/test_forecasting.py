"""The forecast on known series: a weekly pattern is reproduced, a rise is followed, the
intervals hold the truth about as often as they say on simulated series (fixed seed), and
short, zero and negative cases are handled."""

import numpy as np
import pytest

from hbm.alerts import forecasting as f

PATTERN = [100, 100, 100, 100, 125, 60, 45]  # busy Fridays, quiet weekends


def test_a_flat_weekly_pattern_is_reproduced_on_the_right_weekdays():
    found = f.forecast(PATTERN * 8)
    assert found.method == f.WEEKLY and found.history_days == 56
    assert len(found.point) == f.HORIZON
    assert found.point == pytest.approx(PATTERN * 2, abs=3)
    for low, point, high in zip(found.lower_95, found.point, found.upper_95, strict=True):
        assert low <= point <= high


def test_a_noisy_weekly_pattern_keeps_its_shape_inside_the_intervals():
    rng = np.random.default_rng(7)
    found = f.forecast(rng.poisson(PATTERN * 8).tolist())
    assert found.point[4] > found.point[0] > found.point[6]  # Friday > Monday > Sunday
    assert all(
        low <= mean <= high
        for low, mean, high in zip(found.lower_80, PATTERN * 2, found.upper_80, strict=True)
    )


def test_a_rising_series_is_forecast_to_rise():
    rng = np.random.default_rng(11)
    rising = rng.poisson([50 * 1.04**day for day in range(42)]).tolist()
    found = f.forecast(rising)
    assert found.point[0] > np.mean(rising[-7:]) * 0.95
    assert found.point[-1] > found.point[0] > np.mean(rising[:7])


def _inside(lower, truth, upper):
    return sum(lo <= t <= hi for lo, t, hi in zip(lower, truth, upper, strict=True))


def test_the_intervals_hold_the_truth_at_about_their_rate():
    rng = np.random.default_rng(20261207)
    week = np.resize(np.array(PATTERN) / 100, 70)
    inside_80 = inside_95 = total = 0
    for _replicate in range(40):
        level = rng.choice([5, 40, 300])
        values = rng.poisson(level * week).tolist()
        found = f.forecast(values[:56])
        truth = values[56:70]
        inside_80 += _inside(found.lower_80, truth, found.upper_80)
        inside_95 += _inside(found.lower_95, truth, found.upper_95)
        total += len(truth)
    assert 0.72 <= inside_80 / total <= 0.95
    assert 0.88 <= inside_95 / total <= 1.0


def test_under_two_weeks_of_data_there_is_no_forecast():
    found = f.forecast([0] * 30 + [12] * (f.MIN_DAYS - 1))  # days before the first are no data
    assert found.method == f.TOO_SHORT and not found.available
    assert found.history_days == f.MIN_DAYS - 1 and found.point == ()


def test_two_to_four_weeks_get_a_trend_without_a_weekly_pattern():
    found = f.forecast([20, 22, 19, 21, 23, 20, 18] * 3)
    assert found.method == f.TREND and found.available
    assert found.point == pytest.approx([20.5] * f.HORIZON, abs=3)


def test_a_series_of_zeros_is_forecast_as_zeros():
    found = f.forecast([0] * 40, horizon=7)
    assert found.method == f.NO_ARRIVALS
    assert found.point == found.upper_95 == (0.0,) * 7


def test_a_constant_series_gets_the_counting_noise_as_its_interval():
    found = f.forecast([30] * 35)
    assert found.point == (30.0,) * f.HORIZON
    assert found.lower_95[0] < 30 < found.upper_95[0]


def test_a_series_that_stopped_is_never_forecast_below_zero():
    found = f.forecast([80] * 40 + [3, 1, 0, 0, 0, 0, 0, 0, 0, 0])
    assert min(found.lower_95) >= 0 and min(found.point) >= 0
    assert max(found.point) < 5


@pytest.mark.parametrize("horizon", [0, f.MAX_HORIZON + 1])
def test_a_horizon_out_of_range_is_refused(horizon):
    with pytest.raises(ValueError, match="horizon"):
        f.forecast(PATTERN * 4, horizon=horizon)


def test_negative_arrivals_are_refused():
    with pytest.raises(ValueError, match="negative"):
        f.forecast([3, -1] * 10)
