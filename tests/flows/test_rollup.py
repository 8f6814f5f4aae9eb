"""The daily series: registrations and tallies roll up into it, without double counting, on
the point's local days, and a rebuild from scratch gives the same figures."""

import uuid
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.db.models import Sum
from django.utils import timezone

from hbm.flows.models import FlowDaily, FlowRollup
from hbm.flows.selectors import FlowFilters, rollup_totals
from hbm.flows.services import flow_count_void, rollup
from hbm.registry.inputs import MemberInput, RegistrationInput
from hbm.registry.services import registration_register
from tests.flows.helpers import LUBUMBASHI, line, tally
from tests.registry.helpers import register

pytestmark = pytest.mark.django_db


def series():
    rows = FlowDaily.objects.exclude(people=0).values_list(
        "crossing_point__code",
        "day",
        "direction",
        "sex",
        "age_band",
        "nationality",
        "source",
        "people",
    )
    return {tuple(row[:-1]): row[-1] for row in rows}


def register_at(actor, moment, **member):
    registration_register(
        actor=actor,
        data=RegistrationInput(
            id=uuid.uuid4(),
            crossing_point="point-a",
            direction="entry",
            crossed_at=moment,
            members=(MemberInput(relationship="head", **member),),
            consent_given=True,
        ),
        now=moment + timedelta(minutes=5),
    )


def total(**where):
    return FlowDaily.objects.filter(**where).aggregate(n=Sum("people"))["n"] or 0


def test_a_registration_rolls_up_by_sex_age_band_and_nationality(officer_amina):
    register(
        officer_amina,
        {"given_name": "Achol", "sex": "F", "age_estimate": 34, "nationality": "SSD"},
        {"given_name": "Deng", "sex": "M", "age_estimate": 3, "nationality": "SSD"},
        {"given_name": "Old", "sex": "M", "age_estimate": 70, "nationality": "COD"},
        {"given_name": "Anon"},
    )
    today = timezone.now().astimezone(ZoneInfo("Africa/Lubumbashi")).date()
    rows = series()
    base = ("point-a", today, "entry")
    assert rows[(*base, "f", "18-59", "SSD", "registration")] == 1
    assert rows[(*base, "m", "0-4", "SSD", "registration")] == 1
    assert rows[(*base, "m", "60+", "COD", "registration")] == 1
    assert rows[(*base, "u", "unknown", "", "registration")] == 1
    assert total() == 4


def test_days_are_the_points_local_days(officer_amina, point_a):
    point_a.time_zone = "Asia/Kabul"  # UTC+4:30: 21:00 UTC is already tomorrow there
    point_a.save()
    late = datetime(2026, 11, 20, 21, 0, tzinfo=ZoneInfo("UTC"))
    register_at(officer_amina, late, given_name="Late", sex="M", age_estimate=30)
    assert list(FlowDaily.objects.values_list("day", flat=True)) == [late.date() + timedelta(1)]


def test_a_tally_replaces_the_registrations_it_covers(officer_amina, enumerator_esther):
    start = datetime(2026, 11, 20, 8, 0, tzinfo=LUBUMBASHI)
    register_at(
        officer_amina, start + timedelta(hours=1), given_name="In", sex="F", age_estimate=30
    )
    register_at(
        officer_amina, start + timedelta(hours=6), given_name="Out", sex="M", age_estimate=30
    )
    assert total(source="registration") == 2

    # the enumerator counted everyone at point A from 08:00 to 12:00: 5 people, the
    # registered woman among them
    count = tally(
        enumerator_esther, line(female_18_59=3, male_18_59=2), point="point-a", start=start
    ).count
    assert total(source="count") == 5
    assert total(source="registration") == 1  # only the man registered at 14:00
    assert total() == 6

    # a registration arriving later inside the tallied window is not added again
    register_at(
        officer_amina, start + timedelta(hours=2), given_name="Late", sex="F", age_estimate=20
    )
    assert total() == 6
    assert total(source="registration") == 1
    rollup.rebuild()  # the rebuild applies the same rule
    assert (total(), total(source="registration")) == (6, 1)

    flow_count_void(actor=enumerator_esther, count=count, reason="wrong point")
    assert total(source="count") == 0
    assert total(source="registration") == 3


def test_the_incremental_series_equals_a_rebuild(officer_amina, enumerator_esther):
    for n in range(5):
        register(
            officer_amina,
            {"given_name": f"P{n}", "sex": "FM"[n % 2], "age_estimate": 10 * n + 2},
            {"given_name": f"C{n}", "sex": "F", "age_estimate": 4, "nationality": "UGA"},
            direction="entry" if n % 3 else "exit",
        )
    tally(enumerator_esther, line(female_60_plus=2, male_5_17=1, nationality="CAF"))
    tally(
        enumerator_esther,
        line(direction="exit", male_18_59=4),
        point="point-a",
        start=timezone.now() - timedelta(hours=3),
        hours=2,
    )
    incremental = series()
    rollup.rebuild()
    assert series() == incremental
    assert total() == 10 + 3 + 4


def rollup_rows():
    return {
        tuple(row[:-1]): row[-1]
        for row in FlowRollup.objects.exclude(people=0).values_list(
            "cut",
            "grain",
            "crossing_point__code",
            "period",
            "direction",
            "source",
            "sex",
            "age_band",
            "nationality",
            "people",
        )
    }


@pytest.mark.parametrize("nationality", ["", "SSD"])
@pytest.mark.parametrize(
    ("start", "end"),
    [
        ("2026-10-30", "2026-11-20"),  # a whole month is not inside: days only
        ("2026-10-01", "2026-11-30"),  # two whole months
        ("2026-09-29", "2026-11-02"),  # days, a whole month, days
        ("2026-11-01", "2026-11-01"),  # one day
    ],
)
def test_rollups_give_the_daily_sums_for_any_period(
    enumerator_esther, coordinator_patrick, start, end, nationality
):
    for when, cells in [
        ("2026-09-30", {"female_18_59": 2}),
        ("2026-10-01", {"male_0_4": 1, "female_60_plus": 1}),
        ("2026-10-17", {"male_18_59": 5}),
        ("2026-10-31", {"female_5_17": 3}),
        ("2026-11-01", {"male_60_plus": 2}),
        ("2026-11-02", {"female_18_59": 4}),
        ("2026-11-23", {"male_5_17": 1}),
    ]:
        moment = datetime.fromisoformat(when).replace(hour=8, tzinfo=LUBUMBASHI)
        tally(enumerator_esther, line(nationality="SSD", **cells), start=moment)
        tally(
            enumerator_esther,
            line(direction="exit", nationality="UGA", **cells),
            start=moment,
            point="point-a",
        )
    filters = FlowFilters(
        start=date.fromisoformat(start), end=date.fromisoformat(end), nationality=nationality
    )
    daily = FlowDaily.objects.filter(day__range=(filters.start, filters.end))
    if nationality:
        daily = daily.filter(nationality=nationality)
    for columns, daily_columns in [
        (("nationality",), ("nationality",)),
        (("sex", "age_band"), ("sex", "age_band")),
        (("crossing_point", "direction"), ("crossing_point", "direction")),
        (("nationality", "sex", "age_band"), ("nationality", "sex", "age_band")),
    ]:
        expected = {
            tuple(row[c] for c in daily_columns): row["n"]
            for row in daily.values(*daily_columns).annotate(n=Sum("people"))
        }
        found = {
            tuple(row[c] for c in columns): row["people"]
            for row in rollup_totals(user=coordinator_patrick, filters=filters, columns=columns)
        }
        assert found == {k: v for k, v in expected.items() if v}


def test_the_rollups_equal_a_rebuild(officer_amina, enumerator_esther):
    register(
        officer_amina, {"given_name": "A", "sex": "F", "age_estimate": 30, "nationality": "SSD"}
    )
    tally(enumerator_esther, line(female_60_plus=2, male_5_17=1, nationality="CAF"))
    incremental = rollup_rows()
    assert incremental
    rollup.rebuild()
    assert rollup_rows() == incremental


def test_families_in_any_order_update_the_series_in_one_order(officer_amina):
    """Two registrations adding the same keys in different orders deadlocked on PostgreSQL:
    every writer must take the rows' locks in the same order."""
    family = (
        {"given_name": "Achol", "sex": "F", "age_estimate": 34, "nationality": "SSD"},
        {"given_name": "Deng", "sex": "M", "age_estimate": 3, "nationality": "SSD"},
        {"given_name": "Old", "sex": "M", "age_estimate": 70, "nationality": "COD"},
        {"given_name": "Anon"},
    )
    upserts = []

    def record(execute, sql, params, many, context):
        if "ON CONFLICT" in sql:
            width = sql.split("VALUES (", 1)[1].split(")", 1)[0].count("%s")
            rows = [params[i : i + width] for i in range(0, len(params), width)]
            upserts.append([row[:-1] for row in rows])  # the keys, without the people
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        register(officer_amina, *family)
        register(officer_amina, *reversed(family))
    daily_first, rollups_first, daily_second, rollups_second = upserts
    assert len(daily_first) == 4 and len(rollups_first) > 4
    assert daily_first == daily_second
    assert rollups_first == rollups_second


def test_a_tally_covers_from_its_start_up_to_its_end(enumerator_esther):
    start = datetime(2026, 11, 20, 8, 0, tzinfo=LUBUMBASHI)
    count = tally(enumerator_esther, line(female_18_59=1), start=start, hours=4).count
    point, end = count.crossing_point_id, start + timedelta(hours=4)
    tick = timedelta(microseconds=1)
    assert [rollup.tally_covers(point, t) for t in (start - tick, start, end - tick, end)] == [
        False,
        True,
        True,
        False,
    ]
    assert not rollup.tally_covers(point + 1000, start)
    flow_count_void(actor=enumerator_esther, count=count, reason="wrong point")
    assert not rollup.tally_covers(point, start)


def _series_updates():
    """(updated, of which HOT) per series table, in this transaction so far."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, n_tup_upd, n_tup_hot_upd FROM pg_stat_xact_user_tables"
            " WHERE relname IN ('flows_flowdaily', 'flows_flowrollup')"
        )
        return {table: (updated, hot) for table, updated, hot in cursor.fetchall()}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's HOT updates")
def test_a_registration_updates_the_series_counts_in_place(officer_amina):
    """Every registration at a point adds to the same few rows all day: their updates must
    leave the indexes alone (HOT), or each adds index entries and dead versions (ADR 0145)."""
    adult = {"given_name": "Achol", "sex": "F", "age_estimate": 34, "nationality": "SSD"}
    register(officer_amina, adult)
    before = _series_updates()
    for _ in range(3):
        register(officer_amina, adult)
    after = _series_updates()
    for table, least in (("flows_flowdaily", 3), ("flows_flowrollup", 3 * 5)):
        updated, hot = (now - then for now, then in zip(after[table], before[table], strict=True))
        assert updated >= least and hot == updated, table
