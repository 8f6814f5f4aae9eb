from datetime import datetime, time, timedelta

import pytest

from hbm.alerts.services.detection import local_today
from tests.factories import AgencyFactory, UserFactory
from tests.flows.helpers import LUBUMBASHI, line, tally

WORKER = ("db_worker", "--batch", "--no-startup-delay", "--interval", "0")


@pytest.fixture
def enumerator_esther(db, point_a, point_b):
    agency = AgencyFactory(code="iom", name="IOM", kind="un_io")
    return UserFactory(
        username="esther",
        agency=agency,
        roles=["flow_enumerator"],
        crossing_points=[point_a, point_b],
    )


@pytest.fixture
def coordinator_with_mail(coordinator_patrick):
    coordinator_patrick.email = "patrick@coordination.example"
    coordinator_patrick.save(update_fields=["email"])
    return coordinator_patrick


def arrivals(actor, counts, *, point="point-a", nationality="SSD", end=None):
    """Tallies of ``counts`` arrivals a day at a point, the last on ``end`` (default: the
    day before yesterday in the point's time zone, so that a later day can still be added
    whatever the hour), one tally a day."""
    from hbm.places.models import BorderCrossingPoint

    end = end or local_today(BorderCrossingPoint.objects.get(code=point)) - timedelta(days=2)
    for offset, people in enumerate(counts):
        day = end - timedelta(days=len(counts) - 1 - offset)
        if people:
            start = datetime.combine(day, time(8, 0), tzinfo=LUBUMBASHI)
            tally(
                actor,
                line(nationality=nationality, female_18_59=people),
                point=point,
                start=start,
            )
    return end


def weekly(weeks, pattern=(100, 100, 100, 100, 120, 60, 40)):
    return list(pattern) * weeks
