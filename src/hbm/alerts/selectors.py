"""Reading alerts: the same readers and point scope as the flow figures they come from.
Alerts hold counts, never a person, so reading one is not audited."""

from typing import Any
from uuid import UUID

from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.http import Http404

from hbm.accounts.models import User
from hbm.alerts.models import Alert, DetectorConfig, Level
from hbm.flows.selectors import require_reader
from hbm.lib.permissions import has_any_role
from hbm.places.models import BorderCrossingPoint
from hbm.places.selectors import crossing_point_list

MANAGERS = ("coordinator", "administrator")
NO_SUCH_ALERT = "No such alert at your crossing points."
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


def detector_config_for(*, point: BorderCrossingPoint) -> DetectorConfig:
    """The point's settings, or the defaults (unsaved) when nobody changed them."""
    found = DetectorConfig.objects.filter(crossing_point=point).first()
    if found is None:
        from hbm.alerts.models import DEFAULT_DETECTORS

        found = DetectorConfig(crossing_point=point, detectors=list(DEFAULT_DETECTORS))
    return found
