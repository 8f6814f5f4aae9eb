"""Reading alerts: the same readers and point scope as the flow figures they come from.
Alerts hold counts, never a person, so reading one is not audited."""

from datetime import timedelta
from typing import Any
from uuid import UUID

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone

from hbm.accounts.models import User
from hbm.alerts.models import Alert, Detector, DetectorConfig, Level
from hbm.flows.selectors import require_reader
from hbm.lib.permissions import has_any_role
from hbm.places.models import BorderCrossingPoint
from hbm.places.selectors import crossing_point_list

MANAGERS = ("coordinator", "administrator")
NO_SUCH_ALERT = "No such alert at your crossing points."
CANCELS_KEPT = timedelta(days=7)
OPEN = (Alert.Status.OPEN, Alert.Status.ACKNOWLEDGED, Alert.Status.ESCALATED)


def may_manage(user: User) -> bool:
    """Acknowledge, escalate, close, raise by hand, change a point's detectors."""
    return has_any_role(user, *MANAGERS)


def _rank() -> Case:
    return Case(
        *(When(level=level, then=Value(rank)) for rank, level in enumerate(Level.values)),
        output_field=IntegerField(),
    )


def alert_list(
    *, user: User, level: str = "", status: str = "", point: str = ""
) -> QuerySet[Alert]:
    """Alerts at the user's points, newest signal first; ``status`` "active" means any not
    closed."""
    require_reader(user)
    alerts = Alert.objects.select_related("crossing_point")
    if not user.has_national_scope:
        alerts = alerts.filter(crossing_point__in=crossing_point_list(user=user))
    if level:
        alerts = alerts.filter(level=level)
    if status == "active":
        alerts = alerts.filter(status__in=OPEN)
    elif status:
        alerts = alerts.filter(status=status)
    if point:
        alerts = alerts.filter(crossing_point__code=point)
    return alerts.order_by("-last_day", "-pk")


def alert_get_for_user(*, user: User, public_id: UUID | str) -> Alert:
    alert = (
        alert_list(user=user)
        .select_related("raised_by", "acknowledged_by", "escalated_by", "closed_by")
        .filter(public_id=public_id)
        .first()
    )
    if alert is None:
        raise Http404(NO_SUCH_ALERT)
    return alert


def alerts_for_sitrep(*, user: User, points: Any) -> list[Alert]:
    """Alerts not closed at the report's points, highest level first."""
    return list(
        alert_list(user=user, status="active")
        .filter(crossing_point__in=points)
        .annotate(rank=_rank())
        .order_by("-rank", "-last_day", "-pk")
    )


def alerts_for_cap_feed(*, user: User, limit: int) -> list[Alert]:
    """The feed's alerts at the user's points, newest change first: those not closed, and
    those closed in the last week (their Cancel). Alerts imported from a partner's CAP feed
    are not sent back out (no echo between two systems)."""
    since = timezone.now() - CANCELS_KEPT
    return list(
        alert_list(user=user)
        .exclude(detector=Detector.CAP)
        .filter(Q(status__in=OPEN) | Q(closed_at__gte=since))
        .order_by("-updated_at", "-pk")[:limit]
    )


def detector_config_for(*, point: BorderCrossingPoint) -> DetectorConfig:
    """The point's settings, or the defaults (unsaved) when nobody changed them."""
    found = DetectorConfig.objects.filter(crossing_point=point).first()
    if found is None:
        from hbm.alerts.models import DEFAULT_DETECTORS

        found = DetectorConfig(crossing_point=point, detectors=list(DEFAULT_DETECTORS))
    return found
