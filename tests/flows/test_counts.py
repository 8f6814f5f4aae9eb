"""Recording tallies: the validation rules, idempotency, scope, and voiding."""

import uuid
from datetime import datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from hbm.audit.models import AuditEvent
from hbm.flows.models import FlowCount, FlowCountLine, FlowDaily
from hbm.flows.services import CountConflict, flow_count_void
from tests.flows.helpers import LUBUMBASHI, line, tally

pytestmark = pytest.mark.django_db


def problems(excinfo):
    return excinfo.value.message_dict


def test_a_tally_is_recorded_with_its_lines_and_audited(enumerator_esther):
    result = tally(
        enumerator_esther,
        line(female_18_59=3, male_18_59=2, female_0_4=1, children_alone=0),
        line(direction="exit", nationality="COD", male_18_59=4, transport="on_foot"),
    )
    count = result.count
    assert count.total == 10 and count.lines.count() == 2
    assert AuditEvent.objects.filter(object_id=str(count.public_id), action="create").exists()


@pytest.mark.parametrize(
    ("kwargs", "field", "fragment"),
    [
        ({"total": 7}, "total", "add up to 6 people, not 7"),
        ({"hours": 25}, "window_end", "at most 24 hours"),
        ({"hours": -1}, "window_end", "end after it starts"),
    ],
)
def test_bad_windows_and_totals_are_refused(enumerator_esther, kwargs, field, fragment):
    with pytest.raises(ValidationError) as excinfo:
        tally(enumerator_esther, line(female_18_59=6), **kwargs)
    assert any(fragment in message for message in problems(excinfo)[field])
    assert FlowCount.objects.count() == 0 and FlowDaily.objects.count() == 0


def test_a_window_that_has_not_ended_is_refused(enumerator_esther):
    start = timezone.now() - timedelta(hours=1)
    with pytest.raises(ValidationError) as excinfo:
        tally(enumerator_esther, line(male_18_59=1), start=start, hours=2)
    assert "not ended yet" in problems(excinfo)["window_end"][0]


def test_parts_must_sum_to_the_group_and_nothing_is_negative(enumerator_esther):
    with pytest.raises(ValidationError) as excinfo:
        tally(
            enumerator_esther,
            line(people=5, female_18_59=3, male_18_59=1),
            line(male_5_17=-2, people=1, female_5_17=3),
        )
    found = problems(excinfo)
    assert "add up to 4, not 5" in found["lines.0.people"][0]
    assert found["lines.1.male_5_17"] == ["Counts cannot be negative."]
    assert FlowCountLine.objects.count() == 0


def test_vulnerabilities_cannot_exceed_who_could_have_them(enumerator_esther):
    with pytest.raises(ValidationError) as excinfo:
        tally(
            enumerator_esther,
            line(male_18_59=2, female_5_17=1, children_alone=2, pregnant_or_lactating=2),
        )
    found = problems(excinfo)
    assert "cannot exceed 1" in found["lines.0.children_alone"][0]
    assert "cannot exceed 1" in found["lines.0.pregnant_or_lactating"][0]


def test_unknown_codes_are_refused_with_their_field(enumerator_esther):
    with pytest.raises(ValidationError) as excinfo:
        tally(
            enumerator_esther,
            line(nationality="XXX", male_18_59=1, transport="rocket", direction="sideways"),
        )
    found = problems(excinfo)
    assert set(found) >= {
        "lines.0.nationality",
        "lines.0.transport",
        "lines.0.direction",
    }


def test_overlapping_windows_at_one_point_are_refused(enumerator_esther):
    start = datetime(2026, 11, 20, 8, 0, tzinfo=LUBUMBASHI)
    tally(enumerator_esther, line(male_18_59=1), start=start, hours=4)
    with pytest.raises(ValidationError) as excinfo:
        tally(enumerator_esther, line(male_18_59=1), start=start + timedelta(hours=3), hours=4)
    # in the point's own time, as the enumerator's watch showed it
    assert problems(excinfo)["window_start"] == [
        "Another tally at this point already covers"
        " 2026-11-20T08:00+02:00 – 2026-11-20T12:00+02:00."
    ]
    # back to back is fine, and so is the same window at another point
    tally(enumerator_esther, line(male_18_59=1), start=start + timedelta(hours=4))
    tally(enumerator_esther, line(male_18_59=1), start=start, point="point-a")
    assert FlowCount.objects.count() == 3


def test_an_empty_window_is_a_valid_tally(enumerator_esther):
    result = tally(enumerator_esther)
    assert result.count.total == 0 and FlowDaily.objects.count() == 0


def test_replays_are_idempotent_and_changed_replays_conflict(enumerator_esther):
    same_id = uuid.uuid4()
    first = tally(enumerator_esther, line(male_18_59=2), id=same_id)
    again = tally(enumerator_esther, line(male_18_59=2), id=same_id)
    assert again.replayed and again.count.pk == first.count.pk
    with pytest.raises(CountConflict):
        tally(enumerator_esther, line(male_18_59=3), id=same_id)
    assert FlowCount.objects.count() == 1


def test_only_enumerators_at_their_points_count(officer_amina, enumerator_esther, point_b):
    with pytest.raises(PermissionDenied):
        tally(officer_amina, line(male_18_59=1), point="point-a")
    with pytest.raises(PermissionDenied):
        tally(enumerator_esther, line(male_18_59=1), point="point-b")
    with pytest.raises(ValidationError) as excinfo:
        tally(enumerator_esther, line(male_18_59=1), point="nowhere")
    assert "crossing_point" in problems(excinfo)


def test_voiding_needs_a_reason_and_frees_the_window(enumerator_esther):
    count = tally(enumerator_esther, line(male_18_59=5)).count
    with pytest.raises(ValidationError):
        flow_count_void(actor=enumerator_esther, count=count, reason=" ")
    flow_count_void(actor=enumerator_esther, count=count, reason="counted the wrong day")
    count.refresh_from_db()
    assert count.voided_at is not None and count.void_reason == "counted the wrong day"
    assert sum(FlowDaily.objects.values_list("people", flat=True)) == 0
    tally(enumerator_esther, line(male_18_59=4))
    assert sum(FlowDaily.objects.values_list("people", flat=True)) == 4
    with pytest.raises(ValidationError):
        flow_count_void(actor=enumerator_esther, count=count, reason="again")
