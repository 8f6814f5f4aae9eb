"""The audited "needed for this case" step: a person registered outside the user's points is
shown at first with the minimum needed to decide whether it is the same person (name, year of
birth, sex, point and date); the whole identity only after the user says why this case needs
it. Each step is a PersonReveal (which the candidate cards read until it expires) and an audit
event that carries the reason."""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from hbm.accounts.models import User
from hbm.audit.models import AuditEvent
from hbm.audit.services import audit_record
from hbm.lib.permissions import require_role
from hbm.lib.text import text_problems
from hbm.registry.models import Person, PersonReveal
from hbm.registry.selectors import NOT_A_READER, PERSON_READERS, persons_openable

REASON_REQUIRED = "Say why this case needs the whole record (at least {} characters)."
REASON_TOO_LONG = "At most {} characters."
REASON_MIN_LENGTH = 10
REASON_MAX_LENGTH = 300


@transaction.atomic
def person_reveal(
    *, actor: User, person: Person, reason: str, now: datetime | None = None
) -> PersonReveal | None:
    """Let ``actor`` see the whole identity of ``person`` for PERSON_REVEAL_MINUTES. A person
    of the actor's own points needs no step: the read is audited and None returned."""
    require_role(actor, *PERSON_READERS, message=NOT_A_READER)
    if persons_openable(user=actor, persons=[person]):
        audit_record(actor=actor, action=AuditEvent.Action.VIEW, target=person, detail="own area")
        return None
    reason = reason.strip()
    problems = text_problems({"reason": reason})
    if len(reason) < REASON_MIN_LENGTH:
        problems.setdefault("reason", []).append(REASON_REQUIRED.format(REASON_MIN_LENGTH))
    if len(reason) > REASON_MAX_LENGTH:
        problems.setdefault("reason", []).append(REASON_TOO_LONG.format(REASON_MAX_LENGTH))
    if problems:
        raise ValidationError(problems)
    now = now or timezone.now()
    reveal = PersonReveal.objects.create(
        user=actor,
        person=person,
        reason=reason,
        expires_at=now + timedelta(minutes=settings.PERSON_REVEAL_MINUTES),
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.VIEW,
        target=person,
        detail=f"whole record, needed for this case: {reason}",
    )
    return reveal
