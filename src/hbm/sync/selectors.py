"""Reads of replication: a station's outbox, the national server's conflicts."""

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from hbm.accounts.models import User
from hbm.accounts.roles import Role
from hbm.audit.models import AuditEvent
from hbm.audit.services import audit_record
from hbm.lib.permissions import has_any_role, require_role
from hbm.places.selectors import crossing_point_list
from hbm.registry.models import PersonCorrection, Registration
from hbm.registry.services.corrections import FIELDS, person_version, stored
from hbm.sync.models import Change, ChangeKind, SyncConflict, SyncState
from hbm.sync.services.push import pushed_seq
from hbm.sync.services.reference import reference_version

CONFLICT_READERS = (Role.COORDINATOR, Role.REGISTRATION_OFFICER, Role.ADMINISTRATOR)
# The conflicts of a screening, by the one role that reads that compartment (ADR 0137).
# A referral's and its transitions' are the protection compartment's.
COMPARTMENTS = {
    Role.PROTECTION_OFFICER: (
        ChangeKind.PROTECTION_SCREENING,
        ChangeKind.REFERRAL,
        ChangeKind.REFERRAL_TRANSITION,
    ),
    Role.HEALTH_OFFICER: (ChangeKind.HEALTH_SCREENING,),
}
REFUSED_SHOWN = 50  # refused changes `hbm sync status` lists one by one
NO_SUCH_CONFLICT = "No conflict with this number at your crossing points."


def outbox_status() -> dict[str, Any]:
    """Station: how far the log goes, how far the national server acknowledged it, and the
    changes it refused (set aside, oldest first; the first REFUSED_SHOWN of them)."""
    written = SyncState.objects.filter(name=SyncState.OUTBOX).first()
    acknowledged = pushed_seq()
    pending = Change.objects.filter(seq__gt=acknowledged)
    oldest = pending.order_by("seq").first()
    refused = refused_changes()
    return {
        "written": written.number if written else 0,
        "acknowledged": acknowledged,
        "pending": pending.count(),
        "oldest_pending": oldest,
        "refused": refused.count(),
        "refused_first": list(refused[:REFUSED_SHOWN]),
        "reference_version": reference_version(),
    }


def refused_changes() -> QuerySet[Change]:
    """Station: the changes the national server refused, set aside, oldest first."""
    return Change.objects.filter(refused_at__isnull=False).order_by("seq")


def conflict_list(*, user: User, status: str = "") -> QuerySet[SyncConflict]:
    """Conflicts at the viewer's crossing points (every point for national roles). A
    screening's conflict holds the screening whole: only its compartment's role sees it."""
    require_role(user, *CONFLICT_READERS, *COMPARTMENTS)
    compartmented = {kind for kinds in COMPARTMENTS.values() for kind in kinds}
    kinds = [kind for kind in ChangeKind.values if kind not in compartmented]
    if not has_any_role(user, *CONFLICT_READERS):
        kinds = []
    for role, own in COMPARTMENTS.items():
        if has_any_role(user, role):
            kinds += own
    conflicts = SyncConflict.objects.select_related(
        "change", "change__station", "person", "crossing_point", "resolved_by"
    ).filter(crossing_point__in=crossing_point_list(user=user), change__kind__in=kinds)
    return conflicts.filter(status=status) if status else conflicts


def conflict_get_for_user(*, user: User, pk: int) -> SyncConflict:
    """The conflict, or 404 — unknown and out of scope alike, the attempt audited."""
    conflict = conflict_list(user=user).filter(pk=pk).first()
    if conflict is None:
        audit_record(
            actor=user,
            action=AuditEvent.Action.DENIED,
            object_type="sync.conflict",
            object_id=str(pk),
            detail="sync conflict not found or out of scope",
        )
        raise Http404(NO_SUCH_CONFLICT)
    return conflict


@dataclass(frozen=True)
class ComparedField:
    """One field of a conflict, three ways: as the station saw it (the base version), as
    the national record has it now, and as the station would have it."""

    field: str
    base: Any
    current: Any
    station: Any
    proposed: bool  # the station's edit changes this field

    @property
    def station_differs(self) -> bool:
        return self.proposed and self.station != self.current


def conflict_comparison(conflict: SyncConflict) -> list[ComparedField]:
    """A correction's conflict: every field the station edited or someone corrected since
    the station's base version. The base value is the current one with the corrections made
    since then undone, newest first. A registration's conflict compares nothing field by
    field (its two versions are shown whole)."""
    person = conflict.person
    if person is None or conflict.change.kind != ChangeKind.PERSON_CORRECTION:
        return []
    proposed: dict[str, Any] = dict((conflict.payload or {}).get("changes") or {})
    current = {field: _shown(stored(person, field)) for field in FIELDS}
    base = dict(current)
    for correction in _corrections_since(person, conflict.base_version):
        for change in correction.changes:
            if change.get("field") in base:
                base[change["field"]] = _shown(change.get("before"))
    fields = [f for f in FIELDS if f in proposed or base[f] != current[f]]
    return [
        ComparedField(
            field=field,
            base=base[field],
            current=current[field],
            station=_shown(proposed[field]) if field in proposed else current[field],
            proposed=field in proposed,
        )
        for field in fields
    ]


def conflict_versions(conflict: SyncConflict) -> dict[str, Any]:
    """What the detail shows besides the fields: the person's version now, and for a
    registration that arrived with other content, the registration as first received."""
    person = conflict.person
    registration = None
    if person is None and (conflict.payload or {}).get("id"):
        registration = (
            Registration.objects.filter(public_id=conflict.change.object_id)
            .select_related("crossing_point")
            .first()
        )
    return {
        "current_version": person_version(person) if person else None,
        "registration": registration,
    }


def conflict_record_sent(conflict: SyncConflict) -> list[tuple[str, Any]]:
    """A consent's, screening's or photo's conflict: the record as the station sent it,
    field by field (the record as first received is on the person's page, in its
    compartment)."""
    if conflict.change.kind in (ChangeKind.REGISTRATION, ChangeKind.PERSON_CORRECTION):
        return []
    return [(name, _shown(value)) for name, value in sorted(conflict_payload(conflict).items())]


def conflict_payload(conflict: SyncConflict) -> dict[str, Any]:
    """The change as the station sent it, to show: a photo's bytes (up to 2.7 MB of base64)
    stay in the conflict, not in pages and lists; its SHA-256 and type name it."""
    payload = dict(conflict.payload or {})
    if conflict.change.kind == ChangeKind.PERSON_PHOTO:
        payload.pop("photo", None)
    return payload


def _corrections_since(person: Any, base_version: Any) -> list[PersonCorrection]:
    """The person's corrections after ``base_version`` (None: all of them), newest first."""
    corrections = list(
        PersonCorrection.objects.filter(person=person).order_by("-corrected_at", "-id")
    )
    since = []
    for correction in corrections:
        if base_version is not None and correction.public_id == base_version:
            break
        since.append(correction)
    return since


def _shown(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return "" if value is None else value
