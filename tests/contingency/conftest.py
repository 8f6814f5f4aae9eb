from datetime import date

import pytest

from hbm.alerts.models import Alert
from hbm.plans.services.plans import PlanInput, TaskInput, plan_create
from tests.factories import AgencyFactory, UserFactory


@pytest.fixture
def health(db):
    return AgencyFactory(code="pnhf", name="Port health", kind="health")


@pytest.fixture
def health_grace(health, point_a):
    return UserFactory(
        username="grace", agency=health, roles=["health_officer"], crossing_points=[point_a]
    )


def plan_input(**changes):
    data = {
        "name": "Mass arrival at Point A",
        "scenario": "More arrivals than the point receives.",
        "crossing_points": ["point-a"],
        "standby_level": "watch",
        "activation_level": "warning",
        "tasks": [
            TaskInput(title="Open the second lane", agency="immigration", due_hours=4),
            TaskInput(title="Cholera screening", agency="pnhf", due_hours=6, details="Triage"),
        ],
    }
    data.update(changes)
    return PlanInput(**data)


@pytest.fixture
def plan(coordinator_patrick, immigration, health):
    return plan_create(actor=coordinator_patrick, data=plan_input())


def raise_alert(point, level="warning", status="open", day=date(2026, 11, 20)):
    return Alert.objects.create(
        crossing_point=point,
        level=level,
        status=status,
        detector="manual",
        first_day=day,
        last_day=day,
        observed=480,
        threshold=450.0,
    )
