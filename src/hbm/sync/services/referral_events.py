"""National → station: what happened on the national server to the referrals a field station
sent (ADR 0140). A provider accepts, rejects, starts, completes or closes a station's
referral nationally, or the sending side revokes it there; the station's copy follows at its
next pull.

National: the events of the referrals this station's account sent (a station's referral is
sent by its account nationally, ADR 0137), not made by that account (those came from the
station), after a cursor (at, id), stamped at least HBM_SYNC_SETTLE_SECONDS ago (as the
watchlist entries, ADR 0130: the national clock stamps them, a late commit never lands
behind a cursor handed out). Only what the sending side reads nationally: the status moved,
the reason, the outcome of a completed service, when, who and their agency.

Station: each event is applied with its global id through referral_transition_write, as the
national account, not passed on to the change log (no echo); an event already here is
skipped; one that does not fit the station's copy (revoked at the station meanwhile, its
consent withdrawn here) is kept as a conflict for the station's protection officers, never
forced. A page and its cursor are one transaction: a cut link loses nothing."""

from collections import Counter
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from ninja import Field, Schema

from hbm.accounts.models import User
from hbm.accounts.roles import Role
from hbm.audit.models import AuditEvent
from hbm.audit.services import audit_record, audit_record_many
from hbm.lib.permissions import require_role
from hbm.referrals.models import Referral, ReferralEvent
from hbm.referrals.services.referrals import referral_transition_write
from hbm.sync.models import AppliedChange, ChangeKind, SyncConflict, SyncState
from hbm.sync.services.refusals import rule_problems
from hbm.sync.services.watchlists import NOT_A_STATION, national_user, stamp_cursor

PAGE_SIZE = 1000
DOES_NOT_FIT = (
    "The national server moved referral {id} {source} → {target} ({by}); this station's copy "
    "is {status}: not applied here ({problem}). Kept for review."
)


class Outcome:
    APPLIED = "applied"
    REPLAYED = "replayed"  # already on this station (applied, or kept as a conflict)
    CONFLICT = "conflict"
    UNKNOWN = "unknown"  # a referral this station no longer has (reinstalled)


class NationalEventIn(Schema):
    id: UUID
    referral: UUID
    from_status: str = Field(max_length=12)
    to_status: str = Field(max_length=12)
    reason: str = Field("", max_length=500)
    outcome: str = Field("", max_length=5000)
    at: datetime
    by: str = Field("", max_length=150)
    agency: str = Field("", max_length=200)


def _row(event: ReferralEvent) -> dict[str, Any]:
    actor = event.actor
    referral = event.referral
    return {
        "id": str(event.public_id),
        "referral": str(referral.public_id),
        "from_status": event.from_status,
        "to_status": event.to_status,
        "reason": event.reason,
        "outcome": referral.outcome if event.to_status == Referral.Status.COMPLETED else "",
        "at": event.at.isoformat(),
        "by": actor.get_full_name() or actor.get_username(),
        "agency": actor.agency.name if actor.agency else "",
    }


def events_page(*, actor: User, after: str, limit: int = PAGE_SIZE) -> dict[str, Any]:
    """National: the events of this station's referrals made on the national server, stamped
    after the cursor, oldest first; the cursor to ask with next, and whether more wait."""
    require_role(actor, Role.FIELD_STATION, message=NOT_A_STATION)
    cursor = stamp_cursor(after)
    settled = timezone.now() - timedelta(seconds=settings.SYNC_SETTLE_SECONDS)
    rows = (
        ReferralEvent.objects.filter(referral__sent_by=actor, at__lte=settled)
        .exclude(actor=actor)
        .exclude(from_status="")
        .select_related("referral__person", "actor__agency")
    )
    if cursor:
        stamp, pk = cursor
        rows = rows.filter(Q(at__gt=stamp) | Q(at=stamp, pk__gt=pk))
    page = list(rows.order_by("at", "pk")[: limit + 1])
    more, page = len(page) > limit, page[:limit]
    last = page[-1] if page else None
    next_cursor = f"{last.at.isoformat()}~{last.pk}" if last else after
    audit_record(
        actor=actor,
        action=AuditEvent.Action.EXPORT,
        object_type="sync.referral_events",
        object_id=next_cursor[:100],
        detail=f"{len(page)} events of its referrals sent to a field station",
    )
    persons = {event.referral.person_id: event.referral.person for event in page}
    audit_record_many(  # what happened to each person's referral, read by the station
        actor=actor,
        action=AuditEvent.Action.EXPORT,
        targets=persons.values(),
        detail="referral events sent to a field station",
    )
    return {"events": [_row(e) for e in page], "cursor": next_cursor, "more": more}


def events_cursor() -> str:
    state = SyncState.objects.filter(name=SyncState.REFERRAL_EVENTS).first()
    return state.text if state else ""


@transaction.atomic
def events_apply(*, page: dict[str, Any]) -> Counter[str]:
    """Station: apply a page of national events, and keep its cursor, in one transaction (an
    interrupted pull asks for the same page again; events already here are skipped)."""
    outcomes: Counter[str] = Counter()
    server = national_user()
    for row in page["events"]:
        outcomes[_apply(server, NationalEventIn.model_validate(row), row)] += 1
    SyncState.objects.update_or_create(
        name=SyncState.REFERRAL_EVENTS, defaults={"text": page["cursor"]}
    )
    return outcomes


def _apply(server: User, event: NationalEventIn, row: dict[str, Any]) -> str:
    if ReferralEvent.objects.filter(public_id=event.id).exists():
        return Outcome.REPLAYED
    if AppliedChange.objects.filter(public_id=event.id).exists():  # kept as a conflict before
        return Outcome.REPLAYED
    referral = (
        Referral.objects.select_for_update()
        .select_related("person", "crossing_point")
        .filter(public_id=event.referral)
        .first()
    )
    if referral is None:
        return Outcome.UNKNOWN
    problem = ""
    if referral.status != event.from_status:
        problem = f"it was {event.from_status} nationally"
    else:
        try:
            with transaction.atomic():
                referral_transition_write(
                    actor=server,
                    referral=referral,
                    to_status=event.to_status,
                    reason=event.reason,
                    outcome=event.outcome,
                    now=event.at,
                    public_id=event.id,
                    actor_name=event.by,
                    actor_agency=event.agency,
                    replicated=True,
                )
        except ValidationError as exc:
            problem = " ".join(m for messages in rule_problems(exc).values() for m in messages)
        else:
            return Outcome.APPLIED
    by = f"{event.by}, {event.agency}" if event.agency else event.by
    change = AppliedChange.objects.create(
        public_id=event.id,
        station=server,
        seq=0,
        kind=ChangeKind.REFERRAL_TRANSITION,
        object_id=event.id,
        outcome=AppliedChange.Outcome.CONFLICT,
    )
    SyncConflict.objects.create(
        change=change,
        person=referral.person,
        crossing_point=referral.crossing_point,
        payload=row,
        detail=DOES_NOT_FIT.format(
            id=event.referral,
            source=event.from_status,
            target=event.to_status,
            by=by,
            status=referral.status,
            problem=problem,
        )[:300],
    )
    return Outcome.CONFLICT
