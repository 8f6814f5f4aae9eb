"""Station: deleting acknowledged changes from the log once the retention has passed
(ADR 0134). The log's payloads are copies of personal data (encrypted at rest); once the
national server has a change, the station needs it only to answer questions for a while.
Never deleted: a change not yet acknowledged, and a refused change (set aside until a
retry is accepted). The seq counter is a separate row: pruning never reuses a number."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from hbm.audit.models import AuditEvent
from hbm.audit.services import audit_record
from hbm.sync.models import Change
from hbm.sync.services.push import pushed_seq

CHUNK = 5_000  # rows deleted a transaction: a station's SQLite stays writable meanwhile


def changes_prune(*, older_than_days: int | None = None) -> int:
    """Delete the changes acknowledged more than ``older_than_days`` ago (default
    SYNC_RETENTION_DAYS); answers how many."""
    days = settings.SYNC_RETENTION_DAYS if older_than_days is None else older_than_days
    if days < 0:
        raise ValueError("older_than_days cannot be negative")
    cutoff = timezone.now() - timedelta(days=days)
    prunable = Change.objects.filter(
        seq__lte=pushed_seq(), refused_at__isnull=True, acknowledged_at__lt=cutoff
    )
    deleted = 0
    while chunk := list(prunable.order_by("seq").values_list("pk", flat=True)[:CHUNK]):
        deleted += _delete(chunk, days)
    return deleted


@transaction.atomic
def _delete(pks: list[int], days: int) -> int:
    count, _ = Change.objects.filter(pk__in=pks).delete()
    audit_record(
        actor=None,
        action=AuditEvent.Action.DELETE,
        object_type="sync.change",
        detail=f"sync log pruned: {count} acknowledged changes older than {days} days",
    )
    return count
