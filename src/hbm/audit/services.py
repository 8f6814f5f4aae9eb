from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, TypeAlias

from django.db import models

from hbm.audit.context import current_origin
from hbm.audit.models import AuditEvent
from hbm.lib.inserts import insert

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from hbm.accounts.models import User

#: Who acted: the user, or for an act of no user, what acted (a command, or the username a
#: failed login tried); None for the system.
Actor: TypeAlias = "User | AnonymousUser | str | None"


def _event(
    *,
    actor: Actor,
    action: str,
    object_type: str,
    object_id: str,
    fields: Iterable[str],
    detail: str,
) -> AuditEvent:
    origin = current_origin.get()
    user = None if actor is None or isinstance(actor, str) or not actor.is_authenticated else actor
    return AuditEvent(
        actor=user,
        actor_label=(user.get_username() if user else str(actor or ""))[:150],
        action=action,
        object_type=object_type,
        object_id=object_id,
        fields=sorted(fields),
        detail=detail[:300],
        ip_address=origin.ip_address,
        user_agent=origin.user_agent,
    )


def _identity(target: models.Model) -> tuple[str, str]:
    return target._meta.label_lower, str(getattr(target, "public_id", None) or target.pk)


def audit_record_many(
    *, actor: Actor, action: str, targets: Iterable[models.Model], detail: str = ""
) -> None:
    """One event per target, written in one statement."""
    audit_record_events(actor=actor, events=((action, target, detail) for target in targets))


def audit_record_events(*, actor: Actor, events: Iterable[tuple[str, models.Model, str]]) -> None:
    """Events of one actor, each an (action, target, detail), written in one statement."""
    insert(
        [
            _event(
                actor=actor,
                action=action,
                object_type=kind,
                object_id=ident,
                fields=(),
                detail=detail,
            )
            for action, target, detail in events
            for kind, ident in [_identity(target)]
        ]
    )


def audit_record(
    *,
    actor: Actor,
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
        kind, ident = _identity(target)
        object_type, object_id = object_type or kind, object_id or ident
    event = _event(
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=object_id,
        fields=fields,
        detail=detail,
    )
    event.save()
    return event
