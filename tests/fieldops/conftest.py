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
