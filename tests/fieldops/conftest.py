import json
from datetime import timedelta

import pytest
from django.utils import timezone

from hbm.fieldops.services import DeploymentInput, TeamInput, deployment_create, team_create

API = "/api/v1/fieldops"


def iso(delta: timedelta) -> str:
    return (timezone.now() + delta).isoformat()


def send(client, method, path, body=None):
    data = json.dumps(body) if body is not None else ""
    return client.generic(method, f"{API}{path}", data, content_type="application/json")


@pytest.fixture
def team_bintu(coordinator_patrick, officer_bintu):
    """A team whose one member, Bintu, works at point B: point A is not hers."""
    return team_create(
        actor=coordinator_patrick,
        data=TeamInput(
            name="Rapid team 1",
            agencies=["immigration"],
            members=["bintu"],
            skills=["registration"],
            languages=["French", "Swahili"],
            equipment="One registration kit",
        ),
    )


def deploy(actor, team, *, start, end, point="point-a", area=""):
    now = timezone.now()
    return deployment_create(
        actor=actor,
        data=DeploymentInput(
            team=str(team.public_id),
            crossing_point="" if area else point,
            area=area,
            starts_at=now + start,
            ends_at=now + end,
        ),
    )


HOUR = timedelta(hours=1)
LOCAL = "%Y-%m-%dT%H:%M"


def movement_body(**changes):
    """A movement's API body: a bus from Aba to a transit centre, leaving in an hour."""
    return {
        "from_place": "Aba",
        "to_place": "Transit centre Bunia",
        "vehicle": "Bus UN-12",
        "capacity": 4,
        "planned_departure": iso(HOUR),
        "planned_arrival": iso(5 * HOUR),
        "convoy": "Convoy 7",
        **changes,
    }


def movement_form(**changes):
    """The same bus as the movement form's fields (local times, as the browser sends them)."""
    now = timezone.localtime()
    return {
        **movement_body(capacity="5", convoy=""),
        "planned_departure": (now + HOUR).strftime(LOCAL),
        "planned_arrival": (now + 3 * HOUR).strftime(LOCAL),
        **changes,
    }


def plan_movement(actor, *, capacity=3, **changes):
    from hbm.fieldops.services import movements as services

    now = timezone.now()
    data = {
        "from_place": "Aba",
        "to_place": "Transit centre Bunia",
        "vehicle": "Truck 3",
        "capacity": capacity,
        "planned_departure": now + HOUR,
        "planned_arrival": now + 2 * HOUR,
        **changes,
    }
    return services.movement_create(actor=actor, data=services.MovementInput(**data))


@pytest.fixture
def families(officer_amina):
    """Two registered families at point A: the Dengs (three) and the Lokos (two)."""
    from tests.registry.helpers import register

    dengs = register(
        officer_amina,
        {"given_name": "Achol", "family_name": "Deng", "sex": "F", "date_of_birth": "1985"},
        {"given_name": "Garang", "family_name": "Deng", "sex": "M", "date_of_birth": "2012"},
        {"given_name": "Ayen", "family_name": "Deng", "sex": "F", "date_of_birth": "2015"},
    )
    lokos = register(
        officer_amina,
        {"given_name": "Peter", "family_name": "Loko", "sex": "M", "date_of_birth": "1979"},
        {"given_name": "Rose", "family_name": "Loko", "sex": "F", "date_of_birth": "1981"},
    )
    return dengs, lokos


def rescue_body(**changes):
    """A rescue incident's API body: people found in the river near point A an hour ago."""
    return {
        "occurred_at": iso(-HOUR),
        "latitude": "2.12345",
        "longitude": "30.98765",
        "hazard": "water",
        "crossing_point": "point-a",
        "description": "A canoe capsized crossing the river at night.",
        **changes,
    }


def rescue_form(**changes):
    """The same incident as the rescue form's fields (local time, as the browser sends it)."""
    return {
        **rescue_body(team=""),
        "occurred_at": (timezone.localtime() - HOUR).strftime(LOCAL),
        **changes,
    }


def record_rescue(actor, **changes):
    from hbm.fieldops.services import rescues

    data = {**rescue_body(), "occurred_at": timezone.now() - HOUR, **changes}
    return rescues.rescue_create(actor=actor, data=rescues.RescueInput(**data))
