"""The detectors on hand-made series whose answers can be worked out on paper."""

import pytest

from hbm.alerts import detectors as d

# Alternating 10, 12: mean 10.857 (7 days starting with 10), sample sd 1.069
BASE = [10, 12, 10, 12, 10, 12, 10]


def test_c1_alarms_above_mean_plus_three_sd_of_the_last_seven_days():
    mean, sd = 76 / 7, 1.0690449676
    quiet, loud = d.ears_c1([*BASE, 14])[-1], d.ears_c1([*BASE, 15])[-1]
    assert quiet.expected == pytest.approx(mean, abs=0.01)
    assert quiet.threshold == pytest.approx(mean + 3 * sd, abs=0.01)  # 14.07
    assert quiet.level == "normal" and quiet.statistic == pytest.approx((14 - mean) / sd, abs=1e-3)
    assert loud.level == "watch"  # above 14.07 but under twice the 10.86 expected


def test_c1_is_silent_until_it_has_seven_days_and_a_surge_of_double_is_a_warning():
    signals = d.ears_c1([*BASE, 22])
    assert [s.level for s in signals[:7]] == [None] * 7
    assert signals[7].level == "warning"


def test_c1_floors_the_standard_deviation_so_a_flat_baseline_does_not_alarm_at_one_more():
    flat = [5] * 7
    assert d.ears_c1([*flat, 6])[-1].level == "normal"  # sd 0 floored at 1: (6 - 5) / 1 < 3
    assert d.ears_c1([*flat, 9])[-1].level == "watch"  # 4 > 3
    assert d.ears_c1([*flat, 9], d.Settings(min_sigma=2))[-1].level == "normal"


def test_c2_leaves_two_guard_days_between_its_baseline_and_today():
    # the two days just before today are high: C1 takes them into its baseline, C2 does not
    series = [*BASE, 30, 30, 30]
    assert d.ears_c2(series)[-1].expected == pytest.approx(76 / 7, abs=0.01)
    assert d.ears_c1(series)[-1].expected > 15
    assert [s.level for s in d.ears_c2(series)[:9]] == [None] * 9


def test_c3_adds_up_three_days_of_exceedance_over_one_sd():
    # a baseline of 10 (sd floored at 1): C2 scores of 2.5 on three days give
    # 1.5 + 1.5 + 1.5 = 4.5 > 2, whereas each day alone (2.5) stays under C2's 3
    series = [10] * 9 + [12.5, 12.5, 12.5]
    series = [int(v * 2) for v in series]  # 20 a day, sd floored at 1; days of 25 score 5
    steady = [20] * 9 + [22, 22, 22]  # scores of 2: C3 = 1 + 1 + 1 = 3 > 2
    assert [s.level for s in d.ears_c2(steady)[-3:]] == ["normal"] * 3
    assert d.ears_c3(steady)[-1].statistic == pytest.approx(3.0)
    assert d.ears_c3(steady)[-1].level == "watch"
    assert d.ears_c3([20] * 12)[-1].level == "normal"
    assert d.ears_c3(series)[-1].level == "watch"


def test_capacity_levels_are_shares_of_the_daily_capacity():
    levels = [s.level for s in d.capacity([69, 70, 89, 90, 109, 110], 100)]
    assert levels == ["normal", "watch", "watch", "warning", "warning", "emergency"]
    assert [s.level for s in d.capacity([500], None)] == [None]


def _weekly(weeks, pattern=(100, 100, 100, 100, 120, 50, 30)):
    return list(pattern) * weeks


def test_the_poisson_baseline_expects_each_weekday_its_own_level():
    series = _weekly(4)
    monday = d.poisson_dow([*series, 50], first_weekday=0)[-1]  # day 28 is a Monday again
    assert monday.expected == pytest.approx(100)
    sunday_series = [*series, *series[:7]]  # ends on a Sunday (30 expected)
    sunday = d.poisson_dow(sunday_series, first_weekday=0)[-1]
    assert sunday.expected == pytest.approx(30)
    # a Sunday with 100 is far beyond 30, though it is an ordinary Monday
    assert d.poisson_dow([*series, *series[:6], 100], first_weekday=0)[-1].level == "warning"


def test_the_poisson_bound_follows_farrington():
    # no over-dispersion on an exact pattern: tau = 100 * (1 + 1/4); bound from the 2/3 power
    signal = d.poisson_dow([*_weekly(4), 100], first_weekday=0)[-1]
    tau = 100 * (1 + 1 / 4)
    assert signal.threshold == pytest.approx(100 * (1 + 2 / 3 * 3.09 * tau**0.5 / 100) ** 1.5, 0.01)
    assert signal.level == "normal"


def test_cusum_accumulates_small_excesses_that_no_single_day_shows():
    # +1.5 sigma a day: above k = 0.5, so the sum grows by 1 a day and passes h = 4 on day 5
    series = _weekly(4)
    rise = [round(v + 1.5 * v**0.5) for v in series[:7]]
    signals = d.cusum([*series, *rise], first_weekday=0)
    levels = [s.level for s in signals[-7:]]
    assert levels[:4] == ["normal"] * 4 and levels[4] == "watch"
    assert d.poisson_dow([*series, *rise], first_weekday=0)[-3].level == "normal"


def test_statistical_detectors_stay_quiet_where_almost_nobody_is_expected():
    assert d.ears_c1([0] * 7 + [0])[-1].level == "normal"


def test_detect_runs_a_detector_by_name_and_refuses_an_unknown_one():
    assert d.detect("capacity", [95], first_weekday=0, daily_capacity=100)[0].level == "warning"
    with pytest.raises(ValueError, match="unknown detector"):
        d.detect("tea-leaves", [1], first_weekday=0)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"watch_share": 0.95}, "warning_share"),
        ({"emergency_share": 0.8}, "warning_share"),
        ({"watch_share": 0}, "watch_share"),
        ({"warning_ratio": 1.0}, "warning_ratio"),
        ({"cusum_h": -1}, "cusum_h"),
    ],
)
def test_settings_out_of_order_are_named_by_field(changes, field):
    assert field in d.Settings(**changes).problems()
    assert d.Settings().problems() == {}
