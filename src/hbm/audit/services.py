from collections.abc import Iterable
from typing import Any

from django.db import models

from hbm.audit.context import current_origin
from hbm.audit.models import AuditEvent


def audit_record(
    *,
    actor: Any,
    action: str,
    target: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    fields: Iterable[str] = (),
    detail: str = "",
) -> AuditEvent:
    """Append one audit event. Callers run inside their own transaction, so the event and
    the change it describes are written together or not at all."""
    if target is not None:
        object_type = object_type or target._meta.label_lower
        object_id = object_id or str(getattr(target, "public_id", None) or target.pk)
    origin = current_origin.get()
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEvent.objects.create(
        actor=actor if authenticated else None,
        actor_label=(actor.get_username() if authenticated else str(actor or ""))[:150],
        action=action,
        object_type=object_type,
        object_id=object_id,
        fields=sorted(fields),
        detail=detail[:300],
        ip_address=origin.ip_address,
        user_agent=origin.user_agent,
    )
