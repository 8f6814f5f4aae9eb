"""Notices of an alert: an email to the coordinators who cover its point and a JSON POST to
each configured webhook (settings.ALERT_WEBHOOKS), each with a time limit. A notice that
fails is recorded with the reason; it never stops the others or the alert."""

import json
import urllib.error
import urllib.request
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.utils.translation import gettext as _

from hbm.accounts.models import User
from hbm.alerts.models import Alert, AlertDelivery

USER_AGENT = "HBM early warning"


def alert_payload(alert: Alert) -> dict[str, Any]:
    """What a webhook receives: the alert's figures, never a person."""
    return {
        "id": str(alert.public_id),
        "crossing_point": alert.crossing_point.code,
        "crossing_point_name": alert.crossing_point.name,
        "nationality": alert.nationality,
        "detector": alert.detector,
        "level": alert.level,
        "status": alert.status,
        "first_day": alert.first_day.isoformat(),
        "last_day": alert.last_day.isoformat(),
        "observed": alert.observed,
        "expected": alert.expected,
        "threshold": alert.threshold,
        "reason": alert.reason,
    }


def recipients(alert: Alert) -> list[str]:
    """Coordinators with an email address whose scope covers the alert's point."""
    users = (
        User.objects.filter(is_active=True).exclude(email="").prefetch_related("crossing_points")
    )
    return sorted(
        user.email
        for user in users
        if user.has_role("coordinator")
        and (
            user.has_national_scope
            or any(p.pk == alert.crossing_point_id for p in user.crossing_points.all())
        )
    )


def _email(alert: Alert) -> list[AlertDelivery]:
    to = recipients(alert)
    if not to:
        return []
    subject = _("[%(level)s] Arrivals alert at %(point)s") % {
        "level": alert.get_level_display(),
        "point": alert.crossing_point.name,
    }
    body = _(
        "%(detector)s: %(observed)s arrivals on %(day)s (expected %(expected)s, "
        "threshold %(threshold)s). Status: %(status)s."
    ) % {
        "detector": alert.get_detector_display(),
        "observed": alert.observed if alert.observed is not None else "—",
        "day": alert.last_day.isoformat(),
        "expected": alert.expected if alert.expected is not None else "—",
        "threshold": alert.threshold if alert.threshold is not None else "—",
        "status": alert.get_status_display(),
    }
    if alert.reason:
        body += "\n\n" + alert.reason
    try:
        send_mail(subject, body, None, to)
    except Exception as error:  # any failure of the mail server is recorded, not raised
        return [_delivery(alert, AlertDelivery.Channel.EMAIL, ", ".join(to), str(error))]
    return [_delivery(alert, AlertDelivery.Channel.EMAIL, ", ".join(to), "")]


def _post(url: str, payload: dict[str, Any]) -> str:
    """POST the payload; answers what went wrong, or "" when the receiver took it (2xx)."""
    request = urllib.request.Request(
        url,
        data=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json", "User-Agent": USER_AGENT},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.ALERT_WEBHOOK_TIMEOUT) as answer:
            answer.read(1024)
    except urllib.error.HTTPError as error:
        return f"HTTP {error.code}"
    except (urllib.error.URLError, OSError, ValueError) as error:
        return str(getattr(error, "reason", error))
    return ""


def _delivery(alert: Alert, channel: str, target: str, error: str) -> AlertDelivery:
    return AlertDelivery.objects.create(
        alert=alert,
        channel=channel,
        target=target[:500],
        level=alert.level,
        ok=not error,
        error=error[:300],
    )


def alert_notify(*, alert_id: int, level: str) -> list[AlertDelivery]:
    """Send the notices for an alert at ``level`` (skipped if the alert has since closed)."""
    alert = Alert.objects.select_related("crossing_point").filter(pk=alert_id).first()
    if alert is None or alert.status == Alert.Status.CLOSED:
        return []
    sent = _email(alert)
    payload = {**alert_payload(alert), "notified_level": level}
    for url in settings.ALERT_WEBHOOKS:
        sent.append(_delivery(alert, AlertDelivery.Channel.WEBHOOK, url, _post(url, payload)))
    return sent
