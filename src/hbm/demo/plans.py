"""The demo's contingency plans, made through the real services: the shipped mass-arrival
SOP for Ituri's crossings, activated on the proposal of the surge's warning, with a few
tasks reported on by the agencies; and a plan for Aba, ready but not active."""

from hbm.accounts.models import User
from hbm.alerts.models import Alert, Level
from hbm.plans.models import ContingencyPlan, Task
from hbm.plans.proposals import proposed_plans
from hbm.plans.services.activation import plan_activate
from hbm.plans.services.plans import plan_create_from_template
from hbm.plans.services.tasks import task_update
from hbm.plans.services.templates import sop_template_default

ITURI = "Ituri: mass arrival from Uganda and South Sudan"
ITURI_POINTS = ["mahagi-goli", "aru-vurra", "kasenyi-landing", "ariwara-path"]
ABA = "Aba: arrivals from South Sudan"
# (username, position in the checklist, status, note)
REPORTS = [
    ("registration", 0, Task.Status.DONE, "Second lane open at Mahagi since 07:00."),
    ("registration", 1, Task.Status.DONE, "All shifts briefed."),
    ("health", 2, Task.Status.IN_PROGRESS, "Triage tent up; isolation area tomorrow."),
    ("provider", 4, Task.Status.BLOCKED, "Waiting for the desk's tent from the district."),
]


def _proposer(plan: ContingencyPlan) -> Alert | None:
    warnings = Alert.objects.filter(
        crossing_point__code__in=ITURI_POINTS, level__in=[Level.WARNING, Level.EMERGENCY]
    ).exclude(status=Alert.Status.CLOSED)
    for alert in warnings.order_by("-last_day", "pk"):
        if any(found == plan and activate for found, activate in proposed_plans(alert)):
            return alert
    return None


def demo_load_plans(users: dict[str, User]) -> int:
    """The plans made (0 when they are there already)."""
    if ContingencyPlan.objects.filter(name=ITURI).exists():
        return 0
    coordinator = users["coordinator"]
    template = sop_template_default(actor=coordinator)
    plan = plan_create_from_template(
        actor=coordinator,
        template=template.code,
        name=ITURI,
        crossing_points=ITURI_POINTS,
        area="CD54",
    )
    alert = _proposer(plan)
    reason = "" if alert else "UNHCR Uganda reports thousands gathering near the border."
    activation = plan_activate(
        actor=coordinator, plan=plan, alert=alert.public_id if alert else None, reason=reason
    )
    for username, position, status, note in REPORTS:
        task = activation.tasks.get(position=position)
        task_update(actor=users[username], task=task, status=status, note=note)
    plan_create_from_template(
        actor=coordinator, template=template.code, name=ABA, crossing_points=["aba"], area="CD53"
    )
    return 2
