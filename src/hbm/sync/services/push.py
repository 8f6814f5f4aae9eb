"""Station: `hbm sync push`. Changes leave in seq order, in batches; the cursor (SyncState
"pushed") moves only to what the national server acknowledged. A push cut anywhere — before
the batch arrived, after it was applied but before the answer came back — leaves the cursor
where it was, and the next push sends the same changes again: the national server knows them
by their ids and applies each once.

A change the national server refuses for what it is — its data (422) or its crossing point
(403), named by the answer's ``refused`` seq — is set aside with the reason and the cursor
moves past it, so it no longer holds up the changes behind it (ADR 0134); `hbm sync retry`
sends it again once the cause is fixed. Anything else (the link, the token, the protocol)
stops the push, and the next one resumes."""

import re
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from hbm.sync import client
from hbm.sync.models import Change, ChangeKind, SyncState

PROTOCOL = 1
NOT_REFUSED = "change {}: not a refused change (`hbm sync status` lists them)."
# "body.changes.3.payload.members.0.sex": the batch's index means nothing once set aside.
_IN_BATCH = re.compile(r"^body\.changes\.\d+\.")


class PushRefused(Exception):
    """The national server refused a change: one line per problem."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines


@dataclass
class PushResult:
    acknowledged: int = 0
    batches: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)
    refused: list[Change] = field(default_factory=list)  # set aside by this push


def pushed_seq() -> int:
    state = SyncState.objects.filter(name=SyncState.PUSHED).first()
    return state.number if state else 0


@transaction.atomic
def _acknowledge(
    seq: int, *, refused: Change | None = None, lines: list[str] | None = None
) -> None:
    """Move the cursor to ``seq``; with ``refused``, set that change aside in the same
    transaction, so a refused change is never both behind the cursor and not set aside."""
    state, _ = SyncState.objects.select_for_update().get_or_create(name=SyncState.PUSHED)
    if refused is not None:
        _set_aside(refused, lines or [])
    if seq > state.number:
        Change.objects.filter(seq__gt=state.number, seq__lte=seq, refused_at__isnull=True).update(
            acknowledged_at=timezone.now()
        )
        state.number = seq
        state.save(update_fields=["number", "updated_at"])


def _set_aside(change: Change, lines: list[str]) -> None:
    change.refused_at = timezone.now()
    change.refusal = "\n".join(lines)
    change.save(update_fields=["refused_at", "refusal"])


def change_json(change: Change) -> dict[str, Any]:
    return {
        "seq": change.seq,
        "id": str(change.public_id),
        "kind": change.kind,
        "object_id": str(change.object_id),
        "base_version": str(change.base_version) if change.base_version else None,
        "payload": change.payload,
    }


def next_batch(after: int, size: int) -> list[Change]:
    """The changes after seq ``after``, at most ``size``; a photo (up to 2 MB) travels alone,
    so a request carries at most one (ADR 0139). The kinds are read first and the payloads
    only of the changes sent, so a log of photos is never decrypted whole."""
    heads = list(
        Change.objects.filter(seq__gt=after).order_by("seq").values_list("seq", "kind")[:size]
    )
    if not heads:
        return []
    last = heads[0][0]
    if heads[0][1] != ChangeKind.PERSON_PHOTO:
        for seq, kind in heads[1:]:
            if kind == ChangeKind.PERSON_PHOTO:
                break
            last = seq
    return list(Change.objects.filter(seq__gt=after, seq__lte=last).order_by("seq"))


def changes_push(*, batch_size: int | None = None) -> PushResult:
    size = batch_size or settings.SYNC_BATCH
    result = PushResult(acknowledged=pushed_seq())
    while True:
        batch = next_batch(result.acknowledged, size)
        if not batch:
            return result
        status, answer = _send(batch)
        acknowledged = answer.get("acknowledged")
        if isinstance(acknowledged, int) and acknowledged > result.acknowledged:
            _acknowledge(acknowledged)
            result.acknowledged = acknowledged
        result.batches += 1
        for outcome, count in (answer.get("outcomes") or {}).items():
            result.outcomes[outcome] = result.outcomes.get(outcome, 0) + count
        if status == 200:
            continue
        refused = _refused_in(batch, status, answer)
        if refused is None:
            raise PushRefused(_problems(status, answer))
        _acknowledge(refused.seq, refused=refused, lines=_problems(status, answer))
        result.acknowledged = max(result.acknowledged, refused.seq)
        result.refused.append(refused)


@dataclass
class RetryResult:
    accepted: list[Change] = field(default_factory=list)
    refused: list[Change] = field(default_factory=list)  # refused again, with the new reason


def refused_changes_retry(*, seqs: list[int] | None = None) -> RetryResult:
    """Send refused changes again, oldest first, one a request (``seqs``: these; None: every
    refused change). Accepted: no longer set aside. Refused again: the reason is renewed.
    A link or credentials failure stops (PushRefused, LinkDown) with nothing changed for the
    change in hand."""
    refused = Change.objects.filter(refused_at__isnull=False).order_by("seq")
    if seqs is not None:
        found = set(refused.filter(seq__in=seqs).values_list("seq", flat=True))
        if missing := [seq for seq in seqs if seq not in found]:
            raise PushRefused([NOT_REFUSED.format(seq) for seq in missing])
        refused = refused.filter(seq__in=seqs)
    result = RetryResult()
    for change in refused:
        status, answer = _send([change])
        if status == 200:
            _accepted(change)
            result.accepted.append(change)
        elif _refused_in([change], status, answer) is not None:
            _set_aside(change, _problems(status, answer))
            result.refused.append(change)
        else:
            raise PushRefused(_problems(status, answer))
    return result


def _accepted(change: Change) -> None:
    change.refused_at, change.refusal, change.acknowledged_at = None, "", timezone.now()
    change.save(update_fields=["refused_at", "refusal", "acknowledged_at"])


def _send(batch: list[Change]) -> tuple[int, dict[str, Any]]:
    body = {"protocol": PROTOCOL, "changes": [change_json(change) for change in batch]}
    status, answer = client.call("POST", "/sync/changes", body=body)
    return status, answer


def _refused_in(batch: list[Change], status: int, answer: dict[str, Any]) -> Change | None:
    """The change of the batch the national server refused for what it is, if it says so."""
    seq = answer.get("refused")
    if status not in (403, 422) or not isinstance(seq, int):
        return None
    return next((change for change in batch if change.seq == seq), None)


def _problems(status: int, answer: dict[str, Any]) -> list[str]:
    errors = answer.get("errors") or []
    lines = [
        f"{_IN_BATCH.sub('', str(e.get('field', '')))}: {e.get('message', '')}"
        for e in errors
        if isinstance(e, dict)
    ]
    return lines or [f"the national server answered {status}: {answer.get('message', '')}"]
