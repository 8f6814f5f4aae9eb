"""Figures for coordinators and protection officers: needs found, the referral funnel, and
how long referrals take. Counts only — no person is named here."""

from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Avg, Count, F, Q
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hbm.accounts.models import User
from hbm.lib.permissions import has_any_role
from hbm.places.selectors import crossing_point_list
from hbm.referrals.models import Referral
from hbm.screening.models import ProtectionScreening
from hbm.screening.selectors import need_labels

READERS = ("protection_officer", "coordinator", "administrator")
NO_ACCESS = _("The protection dashboard is for protection officers and coordinators.")
FUNNEL = ["pending", "accepted", "in_service", "completed", "rejected", "closed", "revoked"]


def _hours(value: timedelta | None) -> float | None:
    return round(value.total_seconds() / 3600, 1) if value is not None else None


def protection_dashboard(*, user: User, days: int = 30) -> dict[str, Any]:
    if not has_any_role(user, *READERS):
        raise PermissionDenied(NO_ACCESS)
    points = crossing_point_list(user=user)
    since = timezone.now() - timedelta(days=days)
    screenings = ProtectionScreening.objects.filter(
        person__first_crossing_point__in=points, screened_at__gte=since
    )
    needs: list[dict[str, Any]] = [
        dict(row)
        for row in screenings.values(
            code=F("codes__code"), point=F("person__first_crossing_point__code")
        )
        # django-stubs knows no names given by values(**expressions)
        .exclude(code=None)  # type: ignore[misc]
        .annotate(n=Count("id"))
        .order_by("-n", "code")
    ]
    labels = need_labels({row["code"] for row in needs})
    for row in needs:
        row["label"] = labels.get(row["code"], "")
    per_day = list(
        screenings.annotate(day=TruncDate("screened_at"))
        .values("day")
        .annotate(n=Count("id"))
        .order_by("day")
    )
    referrals = Referral.objects.filter(crossing_point__in=points, sent_at__gte=since)
    counts = dict(referrals.values_list("status").annotate(n=Count("id")))
    timing = referrals.aggregate(
        to_accept=Avg(F("accepted_at") - F("sent_at"), filter=Q(accepted_at__isnull=False)),
        to_complete=Avg(F("completed_at") - F("sent_at"), filter=Q(completed_at__isnull=False)),
    )
    overdue = Referral.objects.filter(
        crossing_point__in=points,
        status__in=["pending", "accepted", "in_service"],
        due_at__lt=timezone.now(),
    ).count()
    return {
        "days": days,
        "screenings": screenings.count(),
        "needs": needs,
        "screenings_per_day": per_day,
        "funnel": [{"status": s, "n": counts.get(s, 0)} for s in FUNNEL],
        "hours_to_accept": _hours(timing["to_accept"]),
        "hours_to_complete": _hours(timing["to_complete"]),
        "overdue": overdue,
    }
