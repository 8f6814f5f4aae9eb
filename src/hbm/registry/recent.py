"""Recent registrations at one crossing point, with the minimum data of ADR 0122 (name, year
of birth, sex, date): what the offline desk keeps on the device to hint at namesakes while it
has no network (ADR 0127)."""

from datetime import timedelta

from django.db.models import QuerySet
from django.utils import timezone

from hbm.accounts.models import User
from hbm.lib.permissions import require_role
from hbm.places.selectors import crossing_point_get_for_user
from hbm.registry.models import Crossing
from hbm.registry.services import REGISTERING_ROLES

#: The longest window a device may ask for, in days, and the one it asks for by default.
RECENT_DAYS_MAX = 31
RECENT_DAYS = 14


def recent_crossings_at_point(
    *, user: User, code: str, days: int = RECENT_DAYS
) -> QuerySet[Crossing]:
    """The crossings registered at this point in the last ``days`` days, newest first, each
    with its person's identity columns only. Registering roles only (403), at a point of
    their own (404 outside it, as for any point read by code)."""
    require_role(user, *REGISTERING_ROLES)
    point = crossing_point_get_for_user(user=user, code=code)
    since = timezone.now() - timedelta(days=min(days, RECENT_DAYS_MAX))
    return (
        Crossing.objects.filter(crossing_point=point, crossed_at__gte=since)
        .select_related("person")
        .only(
            "crossed_at",
            "person__public_id",
            "person__given_name",
            "person__father_name",
            "person__family_name",
            "person__sex",
            "person__date_of_birth",
            "person__age_estimate",
            "person__created_at",
        )
    )
