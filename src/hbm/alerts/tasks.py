from django_tasks import task

from hbm.alerts.services import detection


@task()
def detect_point(point_id: int) -> int:
    """Run a point's detectors over its recent days; answers the alerts raised or updated."""
    return len(detection.detect_point_by_id(point_id=point_id))


@task()
def notify_alert(alert_id: int, level: str) -> int:
    """Send the notices of an alert raised, raised to a higher level, or escalated."""
    from hbm.alerts.services import notify

    return len(notify.alert_notify(alert_id=alert_id, level=level))
