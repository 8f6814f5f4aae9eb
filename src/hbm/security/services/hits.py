"""Hits: recorded when screening finds a person like a watchlist entry, and decided by a
security officer."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hbm.accounts.models import User
from hbm.audit.models import AuditEvent
from hbm.audit.services import audit_record, audit_record_many
from hbm.lib.permissions import require_role
from hbm.lib.text import text_refuse
from hbm.matching import Match
from hbm.registry.models import Person
from hbm.registry.selectors import person_check_scope
from hbm.registry.services import explanation_json
from hbm.security.models import Hit

SECURITY_ROLES = ("security_officer",)
REASON_REQUIRED = _("Give the reason for the decision.")
DECISIONS = (Hit.Status.FALSE_POSITIVE, Hit.Status.CONFIRMED, Hit.Status.ESCALATED)
NOT_A_DECISION = _("'{}' is not one of: false_positive, confirmed, escalated.")

Found = list[tuple[Person, int, Match]]  # (person, watchlist entry id, best match)


def record_hits(persons: list[Person], found: Found) -> list[Hit]:
    if not found:
        return []
    hits = [
        Hit(
            person=person,
            entry_id=entry_id,
            probability=match.probability,
            explanation=explanation_json(match),
        )
        for person, entry_id, match in found
    ]
    with transaction.atomic():
        Hit.objects.bulk_create(hits, ignore_conflicts=True)
        audit_record_many(
            actor="hbm screening",
            action=AuditEvent.Action.CREATE,
            targets=persons,
            detail="watchlist screening",
        )
    return hits


@transaction.atomic
def hit_decide(*, actor: User, hit: Hit, decision: str, reason: str) -> Hit:
    require_role(actor, *SECURITY_ROLES)
    if decision not in DECISIONS:
        raise ValidationError({"decision": NOT_A_DECISION.format(decision)})
    text_refuse({"reason": reason}, multiline={"reason"})
    if not reason.strip():
        raise ValidationError({"reason": REASON_REQUIRED})
    person_check_scope(user=actor, person=hit.person)
    hit = Hit.objects.select_for_update().get(pk=hit.pk)
    hit.status, hit.reason = decision, reason.strip()
    hit.decided_by, hit.decided_at = actor, timezone.now()
    hit.save()
    audit_record(
        actor=actor, action=AuditEvent.Action.UPDATE, target=hit, fields=["status"], detail=decision
    )
    return hit
