"""Equipment readiness (ADR 0147): checks through the API and the services, bad input, the
readiness list's filters and scope, and shortfalls fed to an assessment and to a plan."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from hbm.assessments.models import Recommendation
from hbm.fieldops.models import EquipmentLine
from hbm.fieldops.services import UNKNOWN_POINT
from hbm.fieldops.services import equipment as services
from tests.fieldops.conftest import send
from tests.fieldops.test_api import _problems as problems

pytestmark = pytest.mark.django_db


def check(actor, **changes):
    data = {
        "crossing_point": "point-a",
        "item_type": "satellite-phone",
        "working": 1,
        "broken": 1,
        "missing": 1,
        "required": 3,
        **changes,
    }
    return services.equipment_check(actor=actor, data=services.CheckInput(**data))


def test_a_check_makes_the_line_then_replaces_it(coordinator_patrick):
    line = check(coordinator_patrick)
    assert (line.quantity, line.shortfall, line.last_checked_by) == (3, 2, coordinator_patrick)
    again = check(coordinator_patrick, working=3, broken=0, missing=0)
    assert again.pk == line.pk and again.shortfall == 0
    assert EquipmentLine.objects.count() == 1


def test_a_team_holds_equipment_too(coordinator_patrick, team_bintu):
    line = check(coordinator_patrick, crossing_point="", team=str(team_bintu.public_id))
    assert line.team == team_bintu and line.crossing_point is None


def test_only_managers_record_checks(officer_amina):
    with pytest.raises(PermissionDenied):
        check(officer_amina)
    assert not EquipmentLine.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"working": -1}, "working", services.NEGATIVE),
        ({"quantity": 4}, "quantity", services.DOES_NOT_ADD_UP.format(total=3, quantity=4)),
        ({"team": "x"}, "crossing_point", services.POINT_OR_TEAM),
        ({"crossing_point": ""}, "crossing_point", services.HOLDER_NEEDED),
        ({"item_type": "hovercraft"}, "item_type", services.UNKNOWN_TYPE.format("hovercraft")),
        ({"crossing_point": "nowhere"}, "crossing_point", UNKNOWN_POINT.format("nowhere")),
        (
            {"checked_at": timezone.now() + timedelta(hours=1)},
            "checked_at",
            services.CHECKED_IN_FUTURE,
        ),
    ],
)
def test_bad_checks_write_nothing(coordinator_patrick, changes, field, message):
    with pytest.raises(ValidationError) as error:
        check(coordinator_patrick, **changes)
    assert error.value.message_dict[field] == [message]
    assert not EquipmentLine.objects.exists()


def test_api_records_a_check_and_refuses_bad_input(client_for, coordinator_patrick):
    client = client_for(coordinator_patrick)
    body = {
        "crossing_point": "point-a",
        "item_type": "generator",
        "working": 0,
        "broken": 1,
        "missing": 0,
        "quantity": 1,
        "required": 1,
    }
    response = send(client, "POST", "/equipment/checks", body)
    assert response.status_code == 200, response.content
    assert response.json()["shortfall"] == 1
    bad = send(client, "POST", "/equipment/checks", {**body, "broken": -2, "quantity": 3})
    assert problems(bad) == {"broken": services.NEGATIVE}
    off = send(client, "POST", "/equipment/checks", {**body, "quantity": 3})
    assert problems(off) == {"quantity": services.DOES_NOT_ADD_UP.format(total=1, quantity=3)}
    both = send(client, "POST", "/equipment/checks", {**body, "team": "x"})
    assert problems(both) == {"crossing_point": services.POINT_OR_TEAM}
    future = (timezone.now() + timedelta(days=1)).isoformat()
    late = send(client, "POST", "/equipment/checks", {**body, "checked_at": future})
    assert problems(late) == {"checked_at": services.CHECKED_IN_FUTURE}
    unknown = send(client, "POST", "/equipment/checks", {**body, "item_type": "yacht"})
    assert problems(unknown) == {"item_type": services.UNKNOWN_TYPE.format("yacht")}
    assert EquipmentLine.objects.get().broken == 1


def test_readiness_list_filters_and_scope(
    client_for, coordinator_patrick, officer_amina, officer_bintu, point_b
):
    check(coordinator_patrick)  # short by 2 at A
    check(
        coordinator_patrick,
        crossing_point="point-b",
        item_type="tent",
        working=2,
        broken=0,
        missing=0,
        required=2,
    )
    old = timezone.now() - timedelta(days=40)
    check(
        coordinator_patrick,
        item_type="laptop",
        working=1,
        broken=0,
        missing=0,
        required=1,
        checked_at=old,
    )
    every = send(client_for(coordinator_patrick), "GET", "/equipment").json()
    assert every["count"] == 3
    short = send(client_for(coordinator_patrick), "GET", "/equipment?short=true").json()
    assert [r["item_type"] for r in short["items"]] == ["satellite-phone"]
    stale = send(client_for(coordinator_patrick), "GET", "/equipment?stale=true").json()
    assert [r["item_type"] for r in stale["items"]] == ["laptop"]
    tents = send(client_for(coordinator_patrick), "GET", "/equipment?item_type=tent").json()
    assert tents["count"] == 1
    amina = send(client_for(officer_amina), "GET", "/equipment").json()
    assert {r["crossing_point"] for r in amina["items"]} == {"point-a"}
    assert send(client_for(officer_amina), "GET", "/equipment/points/point-b").status_code == 404
    inventory = send(client_for(officer_bintu), "GET", "/equipment/points/point-b").json()
    assert [r["item_type"] for r in inventory["lines"]] == ["tent"]


def test_team_inventory_is_read_by_its_members(
    client_for, coordinator_patrick, team_bintu, officer_amina, officer_bintu
):
    check(coordinator_patrick, crossing_point="", team=str(team_bintu.public_id))
    path = f"/equipment/teams/{team_bintu.public_id}"
    assert send(client_for(officer_bintu), "GET", path).json()["shortfall"] == 2
    assert send(client_for(officer_amina), "GET", path).status_code == 404


@pytest.fixture
def assessment_a(coordinator_patrick, point_a):
    from hbm.assessments import selectors as assessment_selectors
    from hbm.assessments import services as assessments

    template = assessment_selectors.default_template()
    return assessments.assessment_create(
        actor=coordinator_patrick,
        crossing_point=point_a,
        template=template,
        assessed_on=timezone.localdate(),
    )


def test_shortfalls_become_recommendations_once(coordinator_patrick, point_a, assessment_a):
    check(coordinator_patrick)
    check(coordinator_patrick, item_type="tent", working=5, broken=0, missing=0, required=5)
    first = services.equipment_gaps_to_assessment(actor=coordinator_patrick, crossing_point=point_a)
    assert len(first.created) == 1 and first.already == 0
    recommendation = first.created[0]
    assert recommendation.text.startswith("Equipment shortfall: Satellite phone —")
    assert recommendation.indicator is not None and recommendation.indicator.code == "INF-1"
    second = services.equipment_gaps_to_assessment(
        actor=coordinator_patrick, crossing_point=point_a
    )
    assert (len(second.created), second.already) == (0, 1)
    assert Recommendation.objects.count() == 1


def test_gaps_need_an_assessment(coordinator_patrick, point_a):
    check(coordinator_patrick)
    with pytest.raises(ValidationError) as error:
        services.equipment_gaps_to_assessment(actor=coordinator_patrick, crossing_point=point_a)
    assert error.value.message_dict["crossing_point"] == [services.NO_ASSESSMENT]


def test_gaps_through_the_api(client_for, coordinator_patrick, assessment_a):
    check(coordinator_patrick)
    client = client_for(coordinator_patrick)
    response = send(client, "POST", "/equipment/points/point-a/gaps")
    assert response.status_code == 200 and len(response.json()["created"]) == 1
    assert send(client, "POST", "/equipment/points/point-a/gaps").json()["already"] == 1


def test_a_team_named_on_records_is_kept_with_a_reason(client_for, coordinator_patrick, team_bintu):
    from hbm.fieldops.services import TEAM_HOLDS_EQUIPMENT, TEAM_IN_RESCUES
    from tests.fieldops.conftest import rescue_body

    client = client_for(coordinator_patrick)
    team = str(team_bintu.public_id)
    check(coordinator_patrick, crossing_point="", team=team)
    assert problems(send(client, "DELETE", f"/teams/{team}")) == {"team": TEAM_HOLDS_EQUIPMENT}
    EquipmentLine.objects.filter(team=team_bintu).delete()
    assert send(client, "POST", "/rescues", rescue_body(team=team)).status_code == 201
    assert problems(send(client, "DELETE", f"/teams/{team}")) == {"team": TEAM_IN_RESCUES}
