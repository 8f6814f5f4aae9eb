"""Which plans an alert proposes: a plan covering the alert's point whose activation level
the alert's level reaches, while it is not active and was not activated since the alert was
raised. A lower standby level only asks the agencies to stand by. Nothing is activated here:
a coordinator decides (ADR 0133)."""

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from hbm.accounts.models import User
from hbm.alerts.hooks import Proposal
from hbm.alerts.models import Alert
from hbm.lib.permissions import has_any_role
from hbm.plans.access import READERS, may_manage
from hbm.plans.models import Activation, ContingencyPlan
from hbm.plans.rules import level_rank


def proposed_plans(alert: Alert) -> list[tuple[ContingencyPlan, bool]]:
    """(plan, proposes activation) for each plan the alert concerns; False: stand by."""
    if alert.status == Alert.Status.CLOSED:
        return []
    # not active, and not activated since the alert was raised
    busy = Activation.objects.filter(
        Q(closed_at__isnull=True) | Q(activated_at__gte=alert.raised_at), plan=OuterRef("pk")
    )
    plans = ContingencyPlan.objects.filter(crossing_points=alert.crossing_point_id)
    found = []
    for plan in plans.filter(~Exists(busy)).order_by("name", "pk"):
        if level_rank(alert.level) >= level_rank(plan.activation_level):
            found.append((plan, True))
        elif plan.standby_level and level_rank(alert.level) >= level_rank(plan.standby_level):
            found.append((plan, False))
    return found


def proposals_for_alerts(*, user: User, alerts: list[Alert]) -> dict[int, list[Proposal]]:
    if not has_any_role(user, *READERS):
        return {}
    manager = may_manage(user)
    found: dict[int, list[Proposal]] = {}
    for alert in alerts:
        for plan, activate in proposed_plans(alert):
            url = reverse("plans:detail", args=[plan.public_id])
            if activate:
                found.setdefault(alert.pk, []).append(
                    Proposal(
                        text=_("Plan %(plan)s proposed") % {"plan": plan.name},
                        url=url,
                        action_url=reverse("plans:activate", args=[plan.public_id])
                        if manager
                        else "",
                        action_label=_("Activate") if manager else "",
                    )
                )
            else:
                found.setdefault(alert.pk, []).append(
                    Proposal(text=_("Plan %(plan)s: stand by") % {"plan": plan.name}, url=url)
                )
    return found
