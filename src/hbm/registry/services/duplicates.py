"""Decisions on duplicate candidates: same person (a reversible merge of identity clusters),
different people (remembered, never proposed again), not sure; and the registry rescan."""

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from hbm.accounts.models import User
from hbm.audit.models import AuditEvent
from hbm.audit.services import audit_record
from hbm.lib.permissions import has_any_role, require_role
from hbm.lib.runs import run_in_chunks, run_revive
from hbm.matching import Match
from hbm.registry.identity import RETURNING_SHARE, person_record, registry_index
from hbm.registry.models import DuplicateCandidate, DuplicateScan, Person
from hbm.registry.selectors import duplicate_check_scope
from hbm.registry.services.registration import explanation_json

REVIEWERS = ("registration_officer", "protection_officer", "coordinator", "administrator")
DECISIONS = (
    DuplicateCandidate.Status.SAME,
    DuplicateCandidate.Status.DIFFERENT,
    DuplicateCandidate.Status.UNSURE,
)
ALREADY_DECIDED = "This pair was already decided; undo that decision first."
NOT_A_DECISION = "Choose same person, different people or not sure."
NOTHING_TO_UNDO = "Only a decision can be undone."
SCAN_RUNNING = "A rescan is already queued or running."


def may_review(user: User) -> bool:
    """Whether the user's role decides pairs (which pairs: duplicate_check_scope)."""
    return has_any_role(user, *REVIEWERS)


def _lock(candidate: DuplicateCandidate) -> DuplicateCandidate:
    return DuplicateCandidate.objects.select_for_update().get(pk=candidate.pk)


@transaction.atomic
def duplicate_decide(
    *, actor: User, candidate: DuplicateCandidate, decision: str, reason: str = ""
) -> DuplicateCandidate:
    require_role(actor, *REVIEWERS)
    duplicate_check_scope(user=actor, candidate=candidate)
    candidate = _lock(candidate)
    if decision not in DECISIONS:
        raise ValidationError({"decision": NOT_A_DECISION})
    if candidate.status not in (DuplicateCandidate.Status.OPEN, DuplicateCandidate.Status.UNSURE):
        raise ValidationError({"decision": ALREADY_DECIDED})
    if decision == DuplicateCandidate.Status.SAME:
        _merge(candidate)
    candidate.status = decision
    candidate.decision_reason = reason.strip()[:300]
    candidate.decided_by = actor
    candidate.decided_at = timezone.now()
    candidate.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        target=candidate,
        fields=["status"],
        detail=f"decided {decision}",
    )
    return candidate


def _merge(candidate: DuplicateCandidate) -> None:
    """Move every person of B's cluster into A's. Nothing is deleted; undo moves them back."""
    keep = candidate.person_a.cluster
    leave = Person.objects.get(pk=candidate.person_b_id).cluster
    if keep.pk == leave.pk:
        candidate.moved_person_ids = []
        return
    moved = list(Person.objects.filter(cluster=leave).values_list("pk", flat=True))
    Person.objects.filter(pk__in=moved).update(cluster=keep)
    candidate.merged_from_cluster = leave
    candidate.merged_into_cluster = keep
    candidate.moved_person_ids = moved


@transaction.atomic
def duplicate_undo(*, actor: User, candidate: DuplicateCandidate) -> DuplicateCandidate:
    require_role(actor, *REVIEWERS)
    duplicate_check_scope(user=actor, candidate=candidate)
    candidate = _lock(candidate)
    if candidate.status == DuplicateCandidate.Status.OPEN:
        raise ValidationError({"decision": NOTHING_TO_UNDO})
    if candidate.status == DuplicateCandidate.Status.SAME and candidate.moved_person_ids:
        Person.objects.filter(
            pk__in=candidate.moved_person_ids, cluster=candidate.merged_into_cluster
        ).update(cluster=candidate.merged_from_cluster)
    previous = candidate.status
    candidate.status = DuplicateCandidate.Status.OPEN
    candidate.decided_by, candidate.decided_at = None, None
    candidate.merged_from_cluster, candidate.merged_into_cluster = None, None
    candidate.moved_person_ids = []
    candidate.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        target=candidate,
        fields=["status"],
        detail=f"undid {previous}",
    )
    return candidate


@transaction.atomic
def duplicate_scan_request(*, actor: User) -> DuplicateScan:
    """Queue a rescan; if the last one is queued or running but its worker is gone (no
    heartbeat for RUN_STALE_AFTER), it is resumed from where it stopped instead."""
    require_role(actor, "coordinator", "administrator")
    active = (
        DuplicateScan.objects.select_for_update()
        .filter(status__in=DuplicateScan.ACTIVE)
        .order_by("-queued_at")
        .first()
    )
    if active is not None and not run_revive(active):
        raise ValidationError({"scan": SCAN_RUNNING})
    scan = active or DuplicateScan.objects.create(started_by=actor)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE if active else AuditEvent.Action.CREATE,
        target=scan,
        detail="rescan resumed" if active else "rescan",
    )
    transaction.on_commit(lambda: _enqueue(scan.pk))
    return scan


def _enqueue(scan_id: int) -> None:
    from hbm.registry.tasks import rescan_duplicates

    rescan_duplicates.enqueue(scan_id=scan_id)


def duplicate_scan_run(*, scan_id: int, threshold: float, limit: int) -> DuplicateScan:
    """Search every person against the index; new pairs above ``threshold`` become candidates.
    Pairs already decided are left as they are, and pairs within one cluster are skipped.
    Persons registered during the scan are not in its scope: they were searched when
    registered."""

    def work(persons: list[Person]) -> Callable[[], dict[str, int]]:
        pairs = duplicate_pairs_found(persons, threshold=threshold, limit=limit)
        return lambda: {"found": duplicate_pairs_record(pairs)}

    return run_in_chunks(model=DuplicateScan, run_id=scan_id, rows=Person.objects.all(), work=work)


def duplicate_pairs_found(
    persons: list[Person], *, threshold: float, limit: int
) -> dict[tuple[int, int], Match]:
    """The pairs (lower primary key first) that each of ``persons``, as given, makes with
    the persons of the index, skipping pairs within one cluster. Reads only."""
    index = registry_index.current()
    found = {
        person.pk: index.search(
            person_record(person), limit=limit, threshold=threshold, match_share=RETURNING_SHARE
        )
        for person in persons
    }
    ids = set(found) | {int(match.id) for matches in found.values() for match in matches}
    clusters = dict(Person.objects.filter(pk__in=ids).values_list("pk", "cluster_id"))
    pairs: dict[tuple[int, int], Match] = {}
    for pk, matches in found.items():
        mine = clusters.get(pk)
        for match in matches:
            other = int(match.id)
            if other == pk or clusters.get(other, mine) == mine:
                continue  # the same person, one cluster, or a person no longer there
            pairs.setdefault((min(pk, other), max(pk, other)), match)
    return pairs


def duplicate_pairs_record(pairs: dict[tuple[int, int], Match]) -> int:
    """Write the pairs not yet known; returns how many."""
    if not pairs:
        return 0
    known = set(
        DuplicateCandidate.objects.filter(
            person_a_id__in={a for a, _ in pairs}, person_b_id__in={b for _, b in pairs}
        ).values_list("person_a_id", "person_b_id")
    )
    new = [
        DuplicateCandidate(
            person_a_id=a,
            person_b_id=b,
            probability=match.probability,
            weight=match.weight,
            explanation=explanation_json(match),
        )
        for (a, b), match in pairs.items()
        if (a, b) not in known
    ]
    DuplicateCandidate.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)
