"""National: closing a replication conflict once someone has looked at it."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from hbm.accounts.models import User
from hbm.audit.models import AuditEvent
from hbm.audit.services import audit_record
from hbm.lib.permissions import require_role
from hbm.sync.models import SyncConflict
from hbm.sync.selectors import CONFLICT_READERS, conflict_list

ALREADY_RESOLVED = "This conflict was resolved already."


@transaction.atomic
def sync_conflict_resolve(*, actor: User, conflict: SyncConflict, note: str = "") -> SyncConflict:
    """Mark a conflict resolved (the person's record was looked at and, if need be, corrected
    by hand); the station's proposed change stays with it."""
    require_role(actor, *CONFLICT_READERS)
    conflict = conflict_list(user=actor).select_for_update(of=("self",)).get(pk=conflict.pk)
    if conflict.status == SyncConflict.Status.RESOLVED:
        raise ValidationError({"status": ALREADY_RESOLVED})
    conflict.status = SyncConflict.Status.RESOLVED
    conflict.resolved_by, conflict.resolved_at = actor, timezone.now()
    conflict.resolution_note = note.strip()[:300]
    conflict.save(update_fields=["status", "resolved_by", "resolved_at", "resolution_note"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        target=conflict.person,
        object_type="" if conflict.person else "sync.conflict",
        object_id="" if conflict.person else str(conflict.pk),
        detail=f"sync conflict {conflict.pk} resolved",
    )
    return conflict
