"""The demo's mobile teams, made through the real services: a rapid response team sent to
Haut-Uele (Aba) for two weeks from the day before the load, so that its members work at Aba
now besides their own points; a mobile health team on standby, not deployed; a convoy
of two buses to the Bunia transit centre; a rescue on the river near Mahagi-Goli, one of
the people found injured and referred to the hospital; the equipment of two points and both
teams."""

from datetime import timedelta

from django.db.models import Count
from django.utils import timezone

from hbm.accounts.models import User
from hbm.fieldops.models import EquipmentLine, Movement, RescueIncident, Team
from hbm.fieldops.services import DeploymentInput, TeamInput, deployment_create, team_create
from hbm.fieldops.services import movements as movements
from hbm.fieldops.services import rescues as rescues
from hbm.fieldops.services.equipment import CheckInput, equipment_check
from hbm.referrals.models import Provider, ServiceType
from hbm.referrals.services import referral_send
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


def _families(count: int, size: int, point: str = "aba") -> list[Group]:
    """Households of ``size`` registered at ``point``, oldest first."""
    sized = (
        Group.objects.filter(kind=Group.Kind.HOUSEHOLD, registration__crossing_point__code=point)
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


RESCUE = "Demo: a dugout canoe capsized crossing the river at night; three people pulled out."


def demo_load_rescues(users: dict[str, User]) -> int:
    """A rescue on the river near Mahagi-Goli six hours ago by the rapid response team: a
    family of three found, linked to their records; the mother seriously injured and
    referred to the Mahagi hospital by the health officer (0 when it is there already)."""
    if RescueIncident.objects.filter(description=RESCUE).exists():
        return 0
    families = _families(1, 3, point="mahagi-goli")
    if not families:
        return 0
    coordinator = users["coordinator"]
    incident = rescues.rescue_create(
        actor=coordinator,
        data=rescues.RescueInput(
            occurred_at=timezone.now() - timedelta(hours=6),
            latitude="2.30510",
            longitude="30.99780",
            hazard=RescueIncident.Hazard.WATER,
            crossing_point="mahagi-goli",
            team=str(Team.objects.get(name=RAPID).public_id),
            description=RESCUE,
        ),
    )
    members = [m.person for m in families[0].members.order_by("pk")]
    injuries = [
        ("serious", "Near drowning; breathing with difficulty, taken to hospital."),
        ("minor", "Cuts on the feet."),
        ("none", ""),
    ]
    for person, (injury, condition) in zip(members, injuries, strict=True):
        rescues.rescued_add(
            actor=coordinator,
            incident=incident,
            data=rescues.FoundInput(
                person=str(person.public_id), injury=injury, condition=condition
            ),
        )
    assert incident.crossing_point is not None
    referral_send(
        actor=users["health"],
        person=members[0],
        crossing_point=incident.crossing_point,
        service_type=ServiceType.objects.get(code="health"),
        provider=Provider.objects.get(name="Mahagi general hospital (illustrative)"),
        urgency="emergency",
        consent_given=True,
        notes="Found in the river rescue: near drowning.",
    )
    rescues.rescue_set_outcome(
        actor=coordinator, incident=incident, outcome=RescueIncident.Outcome.ALL_FOUND
    )
    return 1


# Each holder's inventory: type code -> (working, broken, missing, required). Aba lacks
# working satellite phones and a generator; the rapid team's tablets are short.
EQUIPMENT: dict[str, dict[str, tuple[int, int, int, int]]] = {
    "aba": {
        "registration-kit": (2, 0, 0, 2),
        "laptop": (3, 1, 0, 3),
        "satellite-phone": (0, 1, 1, 2),
        "generator": (0, 1, 0, 1),
        "thermometer": (4, 0, 0, 4),
        "first-aid-kit": (2, 0, 0, 2),
    },
    "mahagi-goli": {
        "registration-kit": (3, 0, 0, 3),
        "tablet": (4, 0, 0, 4),
        "vhf-radio": (2, 0, 0, 2),
        "generator": (1, 0, 0, 1),
        "tent": (6, 0, 0, 4),
    },
    RAPID: {
        "registration-kit": (2, 0, 0, 2),
        "tablet": (1, 1, 0, 3),
        "satellite-phone": (1, 0, 0, 1),
        "solar-charger": (2, 0, 0, 2),
    },
    HEALTH: {"thermometer": (6, 0, 0, 6), "first-aid-kit": (2, 0, 0, 2)},
}


def demo_load_equipment(users: dict[str, User]) -> int:
    """The inventory lines of two points and both teams, with a few shortfalls (0 when they
    are there already)."""
    if EquipmentLine.objects.exists():
        return 0
    coordinator = users["coordinator"]
    teams = {team.name: str(team.public_id) for team in Team.objects.filter(name__in=EQUIPMENT)}
    count = 0
    for holder, items in EQUIPMENT.items():
        if holder in (RAPID, HEALTH) and holder not in teams:
            continue
        team = teams.get(holder, "")
        for code, (working, broken, missing, required) in items.items():
            equipment_check(
                actor=coordinator,
                data=CheckInput(
                    item_type=code,
                    working=working,
                    broken=broken,
                    missing=missing,
                    required=required,
                    team=team,
                    crossing_point="" if team else holder,
                ),
            )
            count += 1
    return count
