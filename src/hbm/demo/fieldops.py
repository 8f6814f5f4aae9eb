"""The demo's mobile teams, made through the real services: a rapid response team sent to
Haut-Uele (Aba) for two weeks from the day before the load, so that its members work at Aba
now besides their own points; and a mobile health team on standby, not deployed."""

from datetime import timedelta

from django.utils import timezone

from hbm.accounts.models import User
from hbm.fieldops.models import Team
from hbm.fieldops.services import DeploymentInput, TeamInput, deployment_create, team_create

RAPID = "Rapid response team Ituri"
HEALTH = "Mobile health team"
TEAMS = [
    TeamInput(
        name=RAPID,
        agencies=["dgm", "unhcr"],
        members=["registration", "protection"],
        skills=["registration", "protection screening", "family tracing"],
        languages=["French", "Swahili", "Lingala", "Bari"],
        equipment="2 registration kits (laptop, fingerprint-free), 1 satellite phone, 1 generator",
    ),
    TeamInput(
        name=HEALTH,
        agencies=["pnhf"],
        members=["health"],
        skills=["health screening", "first aid", "measles vaccination"],
        languages=["French", "Swahili", "Alur"],
        equipment="Thermometers, first-aid kit, cold box",
    ),
]


def demo_load_teams(users: dict[str, User]) -> int:
    """The teams made (0 when they are there already)."""
    if Team.objects.filter(name=RAPID).exists():
        return 0
    coordinator = users["coordinator"]
    teams = [team_create(actor=coordinator, data=data) for data in TEAMS]
    now = timezone.now()
    deployment_create(
        actor=coordinator,
        data=DeploymentInput(
            team=str(teams[0].public_id),
            area="CD53",
            starts_at=now - timedelta(days=1),
            ends_at=now + timedelta(days=13),
            purpose="Arrivals from South Sudan at Aba: a second registration desk.",
        ),
    )
    return len(teams)
