"""National: resolving a replication conflict once someone has compared the station's edit
with the current record — by applying the station's edit over the current version, or by
keeping the record as it is. Either way the conflict keeps the station's change whole."""

from typing import Any
from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from hbm.accounts.models import User
from hbm.audit.models import AuditEvent
from hbm.audit.services import audit_record
from hbm.lib.permissions import require_role
from hbm.lib.text import text_problem
from hbm.registry.services.corrections import person_correct, person_version
from hbm.sync.models import SyncConflict
from hbm.sync.selectors import COMPARTMENTS, CONFLICT_READERS, conflict_list

ALREADY_RESOLVED = "This conflict was resolved already."
NO_NOTE = "Say why you resolve the conflict this way."
NOTE_TOO_LONG = "A note is at most 300 characters."
NOTHING_TO_APPLY = (
    "Only a correction can be applied; a registration, consent or screening received with "
    "other content can only be kept as it is."
)
NOT_A_WRITER = "Your role does not correct records: ask a registration or protection officer."
CHANGED_SINCE = (
    "The record was corrected again since you opened this conflict; open it again to compare."
)
STATION_EDIT_REFUSED = "The station's edit cannot be applied now: {}"


@transaction.atomic
def sync_conflict_resolve(
    *,
    actor: User,
    conflict: SyncConflict,
    note: str,
    apply: bool = False,
    seen_version: Any = None,
) -> SyncConflict:
    """Close a conflict with a note. ``apply``: the station's correction is applied over the
    current record (with the station's correction id and reason, so the station's later
    edits of the person apply over it); ``seen_version``: the person's version the reviewer
    compared against, if given — a newer one refuses, so no one applies an edit over a
    record they have not seen."""
    require_role(actor, *CONFLICT_READERS, *COMPARTMENTS)
    conflict = conflict_list(user=actor).select_for_update(of=("self",)).get(pk=conflict.pk)
    note = note.strip()
    _check(conflict, note)
    if apply:
        _apply(actor, conflict, seen_version)
    conflict.status = SyncConflict.Status.RESOLVED
    conflict.resolution = SyncConflict.Resolution.APPLIED if apply else SyncConflict.Resolution.KEPT
    conflict.resolved_by, conflict.resolved_at = actor, timezone.now()
    conflict.resolution_note = note
    conflict.save(
        update_fields=["status", "resolution", "resolved_by", "resolved_at", "resolution_note"]
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        target=conflict.person,
        object_type="" if conflict.person else "sync.conflict",
        object_id="" if conflict.person else str(conflict.pk),
        detail=f"sync conflict {conflict.pk} resolved: {conflict.resolution}; {note}"[:300],
    )
    return conflict


def _check(conflict: SyncConflict, note: str) -> None:
    if conflict.status == SyncConflict.Status.RESOLVED:
        raise ValidationError({"status": ALREADY_RESOLVED})
    if not note:
        raise ValidationError({"note": NO_NOTE})
    if problem := text_problem(note):
        raise ValidationError({"note": problem})
    if len(note) > 300:
        raise ValidationError({"note": NOTE_TOO_LONG})


def _apply(actor: User, conflict: SyncConflict, seen_version: Any) -> None:
    person, payload = conflict.person, conflict.payload or {}
    if person is None or "changes" not in payload:
        raise ValidationError({"resolution": NOTHING_TO_APPLY})
    if seen_version is not None and str(seen_version) != str(person_version(person) or ""):
        raise ValidationError({"resolution": CHANGED_SINCE})
    try:
        person_correct(
            actor=actor,
            person=person,
            changes=payload["changes"],
            reason=str(payload.get("reason") or conflict.detail)[:300],
            public_id=UUID(str(payload["correction"])) if payload.get("correction") else None,
        )
    except (PermissionDenied, Http404) as exc:
        raise ValidationError({"resolution": NOT_A_WRITER}) from exc
    except ValidationError as exc:
        problem = STATION_EDIT_REFUSED.format(" ".join(exc.messages))
        raise ValidationError({"resolution": problem}) from exc
