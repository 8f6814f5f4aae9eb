"""Reads of replication: a station's outbox, the national server's conflicts."""

from typing import Any

from django.db.models import QuerySet

from hbm.accounts.models import User
from hbm.accounts.roles import Role
from hbm.lib.permissions import require_role
from hbm.places.selectors import crossing_point_list
from hbm.sync.models import Change, SyncConflict, SyncState
from hbm.sync.services.push import pushed_seq
from hbm.sync.services.reference import reference_version

CONFLICT_READERS = (Role.COORDINATOR, Role.REGISTRATION_OFFICER, Role.ADMINISTRATOR)


def outbox_status() -> dict[str, Any]:
    """Station: how far the log goes, how far the national server acknowledged it."""
    written = SyncState.objects.filter(name=SyncState.OUTBOX).first()
    acknowledged = pushed_seq()
    pending = Change.objects.filter(seq__gt=acknowledged)
    oldest = pending.order_by("seq").first()
    return {
        "written": written.number if written else 0,
        "acknowledged": acknowledged,
        "pending": pending.count(),
        "oldest_pending": oldest,
        "reference_version": reference_version(),
    }


def conflict_list(*, user: User, status: str = "") -> QuerySet[SyncConflict]:
    """Conflicts at the viewer's crossing points (every point for national roles)."""
    require_role(user, *CONFLICT_READERS)
    conflicts = SyncConflict.objects.select_related(
        "change", "change__station", "person", "crossing_point"
    ).filter(crossing_point__in=crossing_point_list(user=user))
    return conflicts.filter(status=status) if status else conflicts
