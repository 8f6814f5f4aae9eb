"""Station: `hbm sync push`. Changes leave in seq order, in batches; the cursor (SyncState
"pushed") moves only to what the national server acknowledged. A push cut anywhere — before
the batch arrived, after it was applied but before the answer came back — leaves the cursor
where it was, and the next push sends the same changes again: the national server knows them
by their ids and applies each once."""

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction

from hbm.sync import client
from hbm.sync.models import Change, SyncState

PROTOCOL = 1


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


def pushed_seq() -> int:
    state = SyncState.objects.filter(name=SyncState.PUSHED).first()
    return state.number if state else 0


@transaction.atomic
def _acknowledge(seq: int) -> None:
    state, _ = SyncState.objects.select_for_update().get_or_create(name=SyncState.PUSHED)
    if seq > state.number:
        state.number = seq
        state.save(update_fields=["number", "updated_at"])


def change_json(change: Change) -> dict[str, Any]:
    return {
        "seq": change.seq,
        "id": str(change.public_id),
        "kind": change.kind,
        "object_id": str(change.object_id),
        "base_version": str(change.base_version) if change.base_version else None,
        "payload": change.payload,
    }


def changes_push(*, batch_size: int | None = None) -> PushResult:
    size = batch_size or settings.SYNC_BATCH
    result = PushResult(acknowledged=pushed_seq())
    while True:
        batch = list(Change.objects.filter(seq__gt=result.acknowledged).order_by("seq")[:size])
        if not batch:
            return result
        body = {"protocol": PROTOCOL, "changes": [change_json(change) for change in batch]}
        status, answer = client.call("POST", "/sync/changes", body=body)
        acknowledged = answer.get("acknowledged")
        if isinstance(acknowledged, int) and acknowledged > result.acknowledged:
            _acknowledge(acknowledged)
            result.acknowledged = acknowledged
        result.batches += 1
        for outcome, count in (answer.get("outcomes") or {}).items():
            result.outcomes[outcome] = result.outcomes.get(outcome, 0) + count
        if status != 200:
            raise PushRefused(_problems(status, answer))


def _problems(status: int, answer: dict[str, Any]) -> list[str]:
    errors = answer.get("errors") or []
    lines = [f"{e.get('field', '')}: {e.get('message', '')}" for e in errors if isinstance(e, dict)]
    return lines or [f"the national server answered {status}: {answer.get('message', '')}"]
