import pytest

from tests.factories import AgencyFactory, CrossingPointFactory, UserFactory


@pytest.fixture
def informal_point(db):
    return CrossingPointFactory(
        code="footpath",
        name="Footpath",
        kind="flow_monitoring_point",
        time_zone="Africa/Lubumbashi",
    )


@pytest.fixture
def enumerator_esther(db, point_a, informal_point):
    agency = AgencyFactory(code="iom", name="IOM", kind="un_io")
    return UserFactory(
        username="esther",
        agency=agency,
        roles=["flow_enumerator"],
        crossing_points=[point_a, informal_point],
    )
