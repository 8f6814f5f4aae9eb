"""Decisions on duplicate candidates: same person (a reversible merge of identity clusters),
different people (remembered, never proposed again), not sure; and the registry rescan."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from hbm.audit.models import AuditEvent
from hbm.audit.services import audit_record
from hbm.lib.permissions import require_role
from hbm.registry.identity import person_record, registry_index
from hbm.registry.models import DuplicateCandidate, DuplicateScan, Person
from hbm.registry.selectors import duplicate_check_scope
from hbm.registry.services import explanation_json

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


def _lock(candidate: DuplicateCandidate) -> DuplicateCandidate:
    return DuplicateCandidate.objects.select_for_update().get(pk=candidate.pk)


@transaction.atomic
def duplicate_decide(
    *, actor: Any, candidate: DuplicateCandidate, decision: str, reason: str = ""
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
def duplicate_undo(*, actor: Any, candidate: DuplicateCandidate) -> DuplicateCandidate:
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
def duplicate_scan_request(*, actor: Any) -> DuplicateScan:
    require_role(actor, "coordinator", "administrator")
    if (
        DuplicateScan.objects.select_for_update()
        .filter(status__in=[DuplicateScan.Status.QUEUED, DuplicateScan.Status.RUNNING])
        .exists()
    ):
        raise ValidationError({"scan": SCAN_RUNNING})
    scan = DuplicateScan.objects.create(started_by=actor, total=Person.objects.count())
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, target=scan, detail="rescan")

    def enqueue() -> None:
        from hbm.registry.tasks import rescan_duplicates

        rescan_duplicates.enqueue(scan_id=scan.pk)

    transaction.on_commit(enqueue)
    return scan


PROGRESS_EVERY = 500


def duplicate_scan_run(*, scan_id: int, threshold: float, limit: int) -> DuplicateScan:
    """Search every person against the index; new pairs above ``threshold`` become candidates.
    Pairs already decided are left as they are, and pairs within one cluster are skipped."""
    DuplicateScan.objects.filter(pk=scan_id).update(
        status=DuplicateScan.Status.RUNNING,
        started_at=timezone.now(),
        total=Person.objects.count(),
    )
    index = registry_index.current()
    done = found = 0
    clusters = dict(Person.objects.values_list("pk", "cluster_id"))
    for person in Person.objects.order_by("pk").iterator(chunk_size=2000):
        for match in index.search(person_record(person), limit=limit, threshold=threshold):
            other = int(match.id)
            if other == person.pk or clusters.get(other) == clusters.get(person.pk):
                continue
            low, high = sorted((other, person.pk))
            _, created = DuplicateCandidate.objects.get_or_create(
                person_a_id=low,
                person_b_id=high,
                defaults={
                    "probability": match.probability,
                    "weight": match.weight,
                    "explanation": explanation_json(match),
                },
            )
            found += created
        done += 1
        if done % PROGRESS_EVERY == 0:
            DuplicateScan.objects.filter(pk=scan_id).update(done=done, found=found)
    DuplicateScan.objects.filter(pk=scan_id).update(
        status=DuplicateScan.Status.DONE, done=done, found=found, finished_at=timezone.now()
    )
    return DuplicateScan.objects.get(pk=scan_id)


def duplicate_scan_failed(*, scan_id: int, error: str) -> None:
    DuplicateScan.objects.filter(pk=scan_id).update(
        status=DuplicateScan.Status.FAILED, error=error[:300], finished_at=timezone.now()
    )
