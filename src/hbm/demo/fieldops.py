"""The demo's mobile teams, made through the real services: a rapid response team sent to
Haut-Uele (Aba) for two weeks from the day before the load, so that its members work at Aba
now besides their own points; a mobile health team on standby, not deployed; and a convoy
of two buses to the Bunia transit centre."""

from datetime import timedelta

from django.db.models import Count
from django.utils import timezone

from hbm.accounts.models import User
from hbm.fieldops.models import Movement, Team
from hbm.fieldops.services import DeploymentInput, TeamInput, deployment_create, team_create
from hbm.fieldops.services import movements as movements
from hbm.registry.models import Group

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


CONVOY = "Convoy Aba–Bunia 1"


def _families(count: int, size: int) -> list[Group]:
    """Households of ``size`` registered at Aba, oldest first."""
    sized = (
        Group.objects.filter(kind=Group.Kind.HOUSEHOLD, registration__crossing_point__code="aba")
        .annotate(size=Count("members"))
        .filter(size=size)
        .order_by("pk")
    )
    return list(sized[:count])


def _movement(coordinator: User, vehicle: str, hours: int, families: list[Group]) -> Movement:
    now = timezone.now()
    movement = movements.movement_create(
        actor=coordinator,
        data=movements.MovementInput(
            convoy=CONVOY,
            from_place="Aba",
            to_place="Bunia transit centre",
            vehicle=vehicle,
            capacity=12,
            planned_departure=now + timedelta(hours=hours),
            planned_arrival=now + timedelta(hours=hours + 6),
        ),
    )
    for family in families:
        movements.manifest_add(
            actor=coordinator,
            movement=movement,
            data=movements.ManifestInput(group=str(family.public_id)),
        )
    return movement


def demo_load_movements(users: dict[str, User]) -> int:
    """A convoy of two buses from Aba to the Bunia transit centre: the first has arrived with
    one person missing, the second leaves tomorrow (0 when it is there already)."""
    if Movement.objects.filter(convoy=CONVOY).exists():
        return 0
    families = _families(4, 3)
    if len(families) < 4:
        return 0
    coordinator = users["coordinator"]
    first = _movement(coordinator, "Bus UNHCR-07", -4, families[:3])
    entries = list(first.entries.select_related("person"))
    for entry in entries:
        movements.check_in(
            actor=coordinator, movement=first, arriving=False, person_id=str(entry.person.public_id)
        )
    movements.movement_depart(
        actor=coordinator, movement=first, departed_at=timezone.now() - timedelta(hours=4)
    )
    for entry in entries[:-1]:
        movements.check_in(
            actor=coordinator, movement=first, arriving=True, person_id=str(entry.person.public_id)
        )
    movements.movement_close(actor=coordinator, movement=first)
    _movement(coordinator, "Bus UNHCR-09", 20, families[3:])
    return 2
