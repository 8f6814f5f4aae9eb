"""The objects the permission matrix reaches for: one of each kind at point A (the users'
point) and one at point B (nobody's but the national roles'), made through the real services
once for the whole package, and one user per role."""

import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.test import Client
from django.utils import timezone

from hbm.accounts.models import DeviceToken, User
from hbm.accounts.roles import NATIONAL_ROLES, Role
from hbm.accounts.services import device_token_create
from hbm.alerts.models import Alert
from hbm.alerts.services.alerts import ManualAlertInput, alert_raise_manual
from hbm.assessments import selectors as assessment_selectors
from hbm.assessments import services as assessments
from hbm.assessments.models import Assessment, Indicator, Recommendation, Template
from hbm.assessments.services.templates import template_copy
from hbm.fieldops.models import Deployment, EquipmentLine, Movement, RescueIncident, Team
from hbm.fieldops.services import DeploymentInput, TeamInput, deployment_create, team_create
from hbm.fieldops.services import movements as movements
from hbm.fieldops.services import rescues as rescues
from hbm.fieldops.services.equipment import CheckInput, equipment_check
from hbm.flows.models import FlowCount, FlowRebuild
from hbm.places.models import BorderCrossingPoint
from hbm.plans.models import ContingencyPlan, Task
from hbm.plans.services.activation import plan_activate
from hbm.plans.services.plans import PlanInput, TaskInput, plan_create
from hbm.plans.services.templates import sop_template_default
from hbm.referrals import services as referrals
from hbm.referrals.models import Pathway, Provider, Referral, ServiceType
from hbm.registry.identity import registry_index
from hbm.registry.models import DuplicateCandidate, ExportFile, Group, Person
from hbm.registry.services import photos
from hbm.screening import services as screening
from hbm.screening.models import TracingMatch, TracingRequest
from hbm.screening.services import health
from hbm.screening.services import tracing_requests as tracing
from hbm.security import services as security
from hbm.security.models import Hit, Watchlist
from hbm.security.screening import watchlist_index
from hbm.security.services import rescreen
from hbm.sync.models import AppliedChange, ChangeKind, SyncConflict
from tests.factories import AgencyFactory, CrossingPointFactory, UserFactory
from tests.flows.helpers import line, tally
from tests.registry.helpers import register

ANONYMOUS = "anonymous"
OUTSIDER = "outsider"
ROLES = (*Role.values, OUTSIDER, ANONYMOUS)
LOCAL_ROLES = frozenset(Role.values) - NATIONAL_ROLES
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%%EOF\n"

# Each point's people, spelt so that no name matches across the two points.
PEOPLE = {
    "a": (
        {
            "given_name": "Amani",
            "family_name": "Alphonse",
            "sex": "F",
            "date_of_birth": "1990-01-15",
            "nationality": "SSD",
        },
        [
            {
                "given_name": "Mohammed",
                "family_name": "Hassan",
                "father_name": "Ali",
                "sex": "M",
                "date_of_birth": "1984-03-12",
                "nationality": "SSD",
            },
            {
                "given_name": "Muhammad",
                "family_name": "Hasan",
                "father_name": "Ali",
                "sex": "M",
                "date_of_birth": "1984",
                "nationality": "SSD",
            },
        ],
    ),
    "b": (
        {
            "given_name": "Bosco",
            "family_name": "Bwambale",
            "sex": "M",
            "date_of_birth": "1975-07-02",
            "nationality": "UGA",
        },
        [
            {
                "given_name": "Nyandeng",
                "family_name": "Garang",
                "father_name": "Deng",
                "sex": "F",
                "date_of_birth": "1992-09-30",
                "nationality": "SSD",
            },
            {
                "given_name": "Nyandeng",
                "family_name": "Garang",
                "father_name": "Deng",
                "sex": "F",
                "date_of_birth": "1992",
                "nationality": "SSD",
            },
        ],
    ),
}


@dataclass
class Side:
    """The objects at one crossing point."""

    point: BorderCrossingPoint
    builder: User
    person: Person
    group: Group
    pair: DuplicateCandidate
    hit: Hit
    referral: Referral
    provider: Provider
    pathway: Pathway
    tally: FlowCount
    draft: Assessment
    submitted: Assessment
    approved: Assessment
    recommendation: Recommendation
    attachment: Any
    token: DeviceToken
    tracing: TracingRequest
    tracing_match: TracingMatch
    alert: Alert
    plan: ContingencyPlan  # active: a task for each role's agency (not the station's)
    plan_ready: ContingencyPlan  # not active
    tasks: dict[str, Task]  # by role
    conflict: SyncConflict | None = None  # a station's correction of the person, not applied
    # A station's screening of the person received again with other content, by the role
    # of its compartment (protection, health): only that role lists it (ADR 0137).
    screening_conflicts: dict[str, SyncConflict] = field(default_factory=dict)
    # A mobile team deployed to the point now, and later again: at A every role's user is in
    # it (their scope unchanged: A is theirs already), at B no one is (ADR 0142).
    team: Team | None = None
    deployment: Deployment | None = None
    later: Deployment | None = None
    # Equipment (ADR 0147): a line short by two at the point, one short by one with its team.
    equipment: EquipmentLine | None = None
    team_equipment: EquipmentLine | None = None


@dataclass
class World:
    a: Side
    b: Side
    users: dict[str, User]
    sessions: dict[str, str]
    watchlist: Watchlist
    template: Template
    draft_template: Template
    indicator: Indicator
    service_type: ServiceType
    tokens: dict[str, DeviceToken] = field(default_factory=dict)
    # A finished background export of each user's ("b": one of point B's officer's).
    exports: dict[str, ExportFile] = field(default_factory=dict)
    spare_team: Team | None = None  # never deployed
    # Movements (ADR 0144): "moving" under way with A's group boarded, "planned" with B's
    # group boarded, "spare" later with B's group not boarded.
    movements: dict[str, Movement] = field(default_factory=dict)
    # A rescue incident near point A, no one found yet (ADR 0146).
    rescue: RescueIncident | None = None

    def side(self, scope: str) -> Side:
        return self.a if scope == "a" else self.b

    def client(self, role: str) -> Client:
        client = Client()
        if role in self.sessions:
            client.cookies[settings.SESSION_COOKIE_NAME] = self.sessions[role]
        return client


def _score_all(actor: User, assessment: Assessment) -> None:
    for indicator in Indicator.objects.filter(dimension__template=assessment.template):
        assessments.score_set(actor=actor, assessment=assessment, indicator=indicator, level=2)


def _assessments(assessor: User, coordinator: User, point: BorderCrossingPoint, template: Template):
    def new(days_ago: int) -> Assessment:
        return assessments.assessment_create(
            actor=assessor,
            crossing_point=point,
            template=template,
            assessed_on=timezone.localdate() - timedelta(days=days_ago),
        )

    draft, submitted, approved = new(1), new(2), new(3)
    for assessment in (draft, submitted, approved):
        _score_all(assessor, assessment)
    indicator = Indicator.objects.filter(dimension__template=template).first()
    attachment = assessments.attachment_add(
        actor=assessor, assessment=approved, indicator=indicator, name="plan.pdf", content=PDF
    )
    recommendation = assessments.recommendation_create(
        actor=assessor,
        assessment=approved,
        text="Train the staff.",
        agency=None,
        due_on=None,
        indicator=None,
    )
    for assessment in (submitted, approved):
        assessments.assessment_submit(actor=assessor, assessment=assessment)
    assessments.assessment_approve(actor=coordinator, assessment=approved)
    return draft, submitted, approved, recommendation, attachment


def _side(
    scope: str,
    *,
    users: dict[str, User],
    watchlist: Watchlist,
    template: Template,
    service_type: ServiceType,
) -> Side:
    point = CrossingPointFactory(code=f"point-{scope}", name=f"Point {scope.upper()}")
    builder = UserFactory(
        username=f"builder-{scope}",
        roles=sorted(LOCAL_ROLES - {Role.SERVICE_PROVIDER}),
        crossing_points=[point],
        agency=AgencyFactory(code=f"police-{scope}", kind="police"),
    )
    listed, pair = PEOPLE[scope]
    security.watchlist_load(
        actor=builder,
        watchlist=watchlist,
        content=(
            "external_id,given_name,family_name,date_of_birth,nationality,reason_category\n"
            f"W-{scope},{listed['given_name']},{listed['family_name']},"
            f"{listed['date_of_birth']},{listed['nationality']},terrorism\n"
        ).encode(),
        filename="list.csv",
        replace=False,
    )
    (person,) = register(builder, dict(listed), point=point.code, kind="individual")
    first, second = (register(builder, dict(member), point=point.code)[0] for member in pair)
    photos.person_photo_set(actor=builder, person=person, content=PNG)
    screening.screening_record(actor=builder, person=person, answers={})
    health.health_screening_record(actor=builder, person=person, crossing_point=point, symptoms={})

    agency = AgencyFactory(code=f"provider-{scope}", name=f"Provider {scope.upper()}", kind="ngo")
    provider = Provider.objects.create(name=f"Provider {scope.upper()}", agency=agency)
    provider.service_types.add(service_type)
    pathway = Pathway.objects.create(
        crossing_point=point, service_type=service_type, provider=provider
    )
    referral = referrals.referral_send(
        actor=builder,
        person=person,
        crossing_point=point,
        service_type=service_type,
        provider=provider,
        urgency="urgent",
        consent_given=True,
    )
    count = tally(
        builder,
        line(male_18_59=3),
        point=point.code,
        hours=2,
        start=timezone.now() - timedelta(hours=6),
    ).count
    draft, submitted, approved, recommendation, attachment = _assessments(
        users[Role.ASSESSOR], users[Role.COORDINATOR], point, template
    )
    token, _key = device_token_create(actor=builder, name=f"tablet {scope}")
    request = tracing.tracing_request_open(
        actor=builder,
        crossing_point=point,
        enquirer=person,
        relationship="sibling",
        sought=tracing.Sought(given_name=first.given_name, family_name=first.family_name),
    )
    TracingMatch.objects.create(request=request, person=first, score=0.5)
    return Side(
        point=point,
        builder=builder,
        person=person,
        group=person.memberships.get().group,
        pair=DuplicateCandidate.objects.get(person_a__in=[first, second]),
        hit=Hit.objects.get(person=person),
        referral=referral,
        provider=provider,
        pathway=pathway,
        tally=count,
        draft=draft,
        submitted=submitted,
        approved=approved,
        recommendation=recommendation,
        attachment=attachment,
        token=token,
        tracing=request,
        tracing_match=request.matches.get(),
        alert=alert_raise_manual(
            actor=users[Role.COORDINATOR],
            data=ManualAlertInput(crossing_point=point.code, level="watch", reason="A report"),
        ),
        **_plans(scope, point, users),
    )


def _plans(scope: str, point: BorderCrossingPoint, users: dict[str, User]) -> dict[str, Any]:
    def _agency_of(role: str) -> str:
        # the service provider works for point A's provider (see build())
        return "provider-a" if role == Role.SERVICE_PROVIDER else users[role].agency.code

    """An active plan at the point with a task for each role's agency, and one not active."""
    coordinator = users[Role.COORDINATOR]
    working = [role for role in Role.values if role != Role.FIELD_STATION]

    def plan(name: str, roles: list[str]) -> ContingencyPlan:
        tasks = [
            TaskInput(title=f"Task of {role} at {scope}", agency=_agency_of(role), due_hours=4)
            for role in roles
        ]
        data = PlanInput(
            name=name,
            scenario="Mass arrival",
            crossing_points=[point.code],
            activation_level="warning",
            standby_level="watch",
            tasks=tasks,
        )
        return plan_create(actor=coordinator, data=data)

    active = plan(f"Plan at {scope}", working)
    activation = plan_activate(actor=coordinator, plan=active, reason="matrix")
    tasks = {task.title.split()[2]: task for task in activation.tasks.all()}
    return {
        "plan": active,
        "plan_ready": plan(f"Ready plan at {scope}", [Role.COORDINATOR]),
        "tasks": tasks,
    }


def build() -> World:
    registry_index.snapshot = None
    registry_index.catch_up_inside_transactions = True
    registry_index.reset()
    watchlist_index.reset()
    point_a = CrossingPointFactory(code="point-a", name="Point A")
    users: dict[str, User] = {}
    for role in Role.values:
        national = role in NATIONAL_ROLES
        users[role] = UserFactory(
            username=f"as-{role}",
            roles=[role],
            crossing_points=[] if national else [point_a],
            agency=AgencyFactory(code=f"agency-{role}", kind="un_io"),
            is_staff=role == Role.ADMINISTRATOR,
        )
    users[OUTSIDER] = UserFactory(username="outsider", roles=[])
    template = assessment_selectors.default_template()
    # an agency of every kind, for plans made from the SOP template (un_io and ngo are here)
    for kind in ("immigration", "police", "customs", "health", "civil_protection", "ngo"):
        AgencyFactory(code=f"kind-{kind}", kind=kind)
    sop_template_default(actor="matrix")
    service_type = ServiceType.objects.get(code="child-protection")
    security_officer = users[Role.SECURITY_OFFICER]
    watchlist = security.watchlist_create(
        actor=security_officer, owner=security_officer.agency, name="National", legal_basis="Law 1"
    )
    sides = {
        scope: _side(
            scope, users=users, watchlist=watchlist, template=template, service_type=service_type
        )
        for scope in ("a", "b")
    }
    for seq, side in enumerate(sides.values(), start=1):
        side.conflict = _conflict(users[Role.FIELD_STATION], side, seq)
        side.screening_conflicts = {
            Role.PROTECTION_OFFICER.value: _screening_conflict(
                users[Role.FIELD_STATION], side, 10 + seq, ChangeKind.PROTECTION_SCREENING
            ),
            Role.HEALTH_OFFICER.value: _screening_conflict(
                users[Role.FIELD_STATION], side, 20 + seq, ChangeKind.HEALTH_SCREENING
            ),
        }
    # The service provider works for point A's provider: point A's referral is theirs.
    users[Role.SERVICE_PROVIDER].agency = sides["a"].provider.agency
    users[Role.SERVICE_PROVIDER].save(update_fields=["agency"])
    rescreen.rescreen_request(actor=security_officer, reason="matrix")
    # A finished rebuild of the flow series, as the worker leaves it.
    FlowRebuild.objects.create(requested_by=users[Role.COORDINATOR], status="done")
    draft_template = template_copy(actor=users[Role.ADMINISTRATOR], template=template)
    sessions = {}
    for role, user in users.items():
        client = Client()
        client.force_login(user)
        sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
    world = World(
        a=sides["a"],
        b=sides["b"],
        users=users,
        sessions=sessions,
        watchlist=watchlist,
        template=template,
        draft_template=draft_template,
        indicator=Indicator.objects.filter(dimension__template=template).first(),
        service_type=service_type,
    )
    for role, user in users.items():
        world.tokens[role] = device_token_create(actor=user, name="own tablet")[0]
        world.exports[role] = _export_file(user)
    world.exports["b"] = _export_file(world.b.builder)
    _teams(world)
    _movements(world)
    world.rescue = rescues.rescue_create(
        actor=world.users[Role.COORDINATOR],
        data=rescues.RescueInput(
            occurred_at=timezone.now() - timedelta(hours=3),
            latitude="2.5",
            longitude="30.5",
            hazard="water",
            crossing_point=world.a.point.code,
        ),
    )
    _equipment(world)
    return world


def _equipment(world: World) -> None:
    coordinator = world.users[Role.COORDINATOR]
    for side in (world.a, world.b):
        side.equipment = equipment_check(
            actor=coordinator,
            data=CheckInput(
                crossing_point=side.point.code, item_type="satellite-phone", working=1, required=3
            ),
        )
        assert side.team is not None
        side.team_equipment = equipment_check(
            actor=coordinator,
            data=CheckInput(
                team=str(side.team.public_id), item_type="generator", working=0, required=1
            ),
        )


def _movements(world: World) -> None:
    coordinator = world.users[Role.COORDINATOR]
    now = timezone.now()
    plans = {"moving": (world.a, 1), "planned": (world.b, 10), "spare": (world.b, 20)}
    for name, (side, hours) in plans.items():
        movement = movements.movement_create(
            actor=coordinator,
            data=movements.MovementInput(
                from_place="Matrix camp",
                to_place="Matrix transit centre",
                vehicle=f"Bus {name}",
                capacity=10,
                planned_departure=now + timedelta(hours=hours),
                planned_arrival=now + timedelta(hours=hours + 2),
            ),
        )
        movements.manifest_add(
            actor=coordinator,
            movement=movement,
            data=movements.ManifestInput(group=str(side.group.public_id)),
        )
        if name != "spare":
            for member in side.group.members.all():
                movements.check_in(
                    actor=coordinator,
                    movement=movement,
                    arriving=False,
                    person_id=str(member.person.public_id),
                )
        world.movements[name] = movement
    movements.movement_depart(actor=coordinator, movement=world.movements["moving"])


def _teams(world: World) -> None:
    coordinator = world.users[Role.COORDINATOR]
    now = timezone.now()
    for scope in ("a", "b"):
        side = world.side(scope)
        members = [u.username for r, u in world.users.items() if r != OUTSIDER and scope == "a"]
        side.team = team_create(
            actor=coordinator, data=TeamInput(name=f"Team at {scope}", members=members)
        )
        side.deployment, side.later = (
            deployment_create(
                actor=coordinator,
                data=DeploymentInput(
                    team=str(side.team.public_id),
                    crossing_point=side.point.code,
                    starts_at=now + timedelta(days=start),
                    ends_at=now + timedelta(days=start + 2),
                ),
            )
            for start in (-1, 2)
        )
    world.spare_team = team_create(actor=coordinator, data=TeamInput(name="Spare team"))


def _conflict(station: User, side: Side, seq: int) -> SyncConflict:
    """A correction a field station made of the side's person over a version the national
    server no longer has, as the push leaves it: received, kept for review."""
    change = AppliedChange.objects.create(
        public_id=uuid.uuid4(),
        station=station,
        seq=seq,
        kind=ChangeKind.PERSON_CORRECTION,
        object_id=side.person.public_id,
        outcome=AppliedChange.Outcome.CONFLICT,
    )
    return SyncConflict.objects.create(
        change=change,
        person=side.person,
        crossing_point=side.point,
        base_version=uuid.uuid4(),
        payload={
            "person": str(side.person.public_id),
            "correction": str(uuid.uuid4()),
            "changes": {"given_name": "Matrixa"},
            "reason": "passport",
        },
        detail="kept for review",
    )


def _export_file(user: User) -> ExportFile:
    """A background export as the worker leaves it: done, its file written."""
    now = timezone.now()
    run = ExportFile.objects.create(
        requested_by=user, file_format="csv", status="done", finished_at=now, total=1, done=1
    )
    run.file_name = f"matrix-{run.pk}.csv"
    run.save(update_fields=["file_name"])
    Path(settings.EXPORT_DIR).mkdir(parents=True, exist_ok=True)
    (Path(settings.EXPORT_DIR) / run.file_name).write_text("crossing_id\n")
    return run


def new_id() -> str:
    return str(uuid.uuid4())


def _screening_conflict(station: User, side: Side, seq: int, kind: str) -> SyncConflict:
    screening_id = uuid.uuid4()
    change = AppliedChange.objects.create(
        public_id=uuid.uuid4(),
        station=station,
        seq=seq,
        kind=kind,
        object_id=screening_id,
        outcome=AppliedChange.Outcome.CONFLICT,
    )
    return SyncConflict.objects.create(
        change=change,
        person=side.person,
        crossing_point=side.point,
        payload={"screening": str(screening_id), "notes": "matrix"},
        detail="received before with other content",
    )
