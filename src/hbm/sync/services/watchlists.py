"""Watchlist entries for screening on field stations (ADR 0130). Only the entries of lists
their owner marked "screen at field stations", and only what matching and a station's
security officer use. Up to 10⁵ entries: the national server sends the entries stamped after
the station's cursor, a page at a time; the station upserts them by their global id into a
copy of the list and moves its cursor in the same transaction.

The cursor is (updated_at, id) on the national server, whose own clock stamps every entry.
A change commits within SETTLE of its stamp (the assumption WatchlistIndex makes too), so
the server sends only rows stamped at least that long ago: a row committed late never lands
behind a cursor a station already holds. Long loads and marking a list stamp their entries
again once committed."""

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from hbm.accounts.models import Agency, User
from hbm.accounts.roles import Role
from hbm.audit.models import AuditEvent
from hbm.audit.services import audit_record
from hbm.lib.filters import InvalidFilters
from hbm.lib.permissions import require_role
from hbm.security.models import Watchlist, WatchlistEntry, WatchlistLoad
from hbm.sync.models import SyncState

NOT_A_STATION = "Only a field station's token may pull reference data."
BAD_CURSOR = "Not a cursor this server gave: pull from the start with an empty cursor."
PAGE_SIZE = 5000
# What a station receives of an entry: what entry_records() matches on, and what a hit shows
# its security officer. Nothing else of the list (loads, who loaded, hits) leaves.
ENTRY_FIELDS = (
    "external_id",
    "given_name",
    "family_name",
    "father_name",
    "other_names",
    "date_of_birth",
    "nationality",
    "document_number",
    "reason_category",
    "required_action",
    "active",
)
# Blanked on a station when an entry is removed or its list withdrawn: nothing of the person
# stays on the laptop; the id and the action stay for the hits already raised there.
PERSONAL_FIELDS = (
    "given_name",
    "family_name",
    "father_name",
    "other_names",
    "date_of_birth",
    "nationality",
    "document_number",
    "reason_category",
)
NATIONAL_LOAD = "national server"  # the one load of a station's copy of a list
NATIONAL_USER = "national-server"  # who "loaded" the copies on a station (cannot log in)


def shared_lists() -> Any:
    return Watchlist.objects.filter(field_screening=True).select_related("owner")


def list_row(watchlist: Watchlist) -> dict[str, Any]:
    owner = watchlist.owner
    return {
        "id": str(watchlist.public_id),
        "name": watchlist.name,
        "owner": {"code": owner.code, "name": owner.name, "kind": owner.kind},
        "retention_days": watchlist.retention_days,
        "active": watchlist.active,
    }


def stamp_cursor(text: str) -> tuple[datetime, int] | None:
    if not text:
        return None
    stamp, _, pk = text.rpartition("~")
    try:
        parsed = datetime.fromisoformat(stamp)
        number = int(pk)
    except ValueError:
        raise InvalidFilters({"after": [BAD_CURSOR]}) from None
    if parsed.tzinfo is None or number < 0:
        raise InvalidFilters({"after": [BAD_CURSOR]})
    return parsed, number


def entries_page(*, actor: User, after: str, limit: int = PAGE_SIZE) -> dict[str, Any]:
    """National: the shared entries stamped after the cursor, oldest first, with the lists
    they belong to, the cursor to ask with next, and whether more are waiting."""
    require_role(actor, Role.FIELD_STATION, message=NOT_A_STATION)
    cursor = stamp_cursor(after)
    settled = timezone.now() - timedelta(seconds=settings.SYNC_SETTLE_SECONDS)
    rows = WatchlistEntry.objects.filter(
        watchlist__field_screening=True, updated_at__lte=settled
    ).select_related("watchlist__owner")
    if cursor:
        stamp, pk = cursor
        rows = rows.filter(Q(updated_at__gt=stamp) | Q(updated_at=stamp, pk__gt=pk))
    page = list(rows.order_by("updated_at", "pk")[: limit + 1])
    more, page = len(page) > limit, page[:limit]
    last = page[-1] if page else None
    next_cursor = f"{last.updated_at.isoformat()}~{last.pk}" if last else after
    lists = {e.watchlist_id: e.watchlist for e in page}
    audit_record(
        actor=actor,
        action=AuditEvent.Action.EXPORT,
        object_type="sync.watchlist_entries",
        object_id=next_cursor[:100],
        detail=f"{len(page)} watchlist entries sent to a field station",
    )
    return {
        "watchlists": [list_row(w) for w in lists.values()],
        "entries": [
            {
                "id": str(e.public_id),
                "watchlist": str(e.watchlist.public_id),
                **entry_values(e),
            }
            for e in page
        ],
        "cursor": next_cursor,
        "more": more,
    }


def entry_values(entry: WatchlistEntry) -> dict[str, Any]:
    """What a station receives of an entry; of a removed one, only that it is removed."""
    values = {f: getattr(entry, f) for f in ENTRY_FIELDS}
    return values if entry.active else values | dict.fromkeys(PERSONAL_FIELDS, "")


def entries_cursor() -> str:
    state = SyncState.objects.filter(name=SyncState.WATCHLIST).first()
    return state.text if state else ""


def national_user() -> User:
    user, _ = User.objects.get_or_create(
        username=NATIONAL_USER, defaults={"is_active": False, "password": make_password(None)}
    )
    return user


def lists_apply(rows: list[dict[str, Any]], *, complete: bool = False) -> dict[str, Watchlist]:
    """Station: upsert the copies of these lists by their global id. ``complete``: these are
    every list shared; a copy not among them is switched off, and its entries stamped so
    that the station's index drops them; nothing of their persons stays on the station."""
    copies = {}
    for row in rows:
        owner = row["owner"]
        agency, _ = Agency.objects.get_or_create(
            code=owner["code"], defaults={"name": owner["name"], "kind": owner["kind"]}
        )
        was_active = list(
            Watchlist.objects.filter(public_id=row["id"]).values_list("active", flat=True)
        )
        watchlist, created = Watchlist.objects.update_or_create(
            public_id=row["id"],
            defaults={
                "name": row["name"],
                "owner": agency,
                "legal_basis": "Shared by the national server for screening at this station.",
                "retention_days": row["retention_days"],
                "active": row["active"],
                "field_screening": True,
            },
        )
        if was_active not in ([], [watchlist.active]):  # switched on or off nationally
            watchlist.entries.update(updated_at=timezone.now())  # the index reads them again
        if created:
            WatchlistLoad.objects.create(
                watchlist=watchlist, filename=NATIONAL_LOAD, loaded_by=national_user()
            )
        copies[row["id"]] = watchlist
    if complete:
        withdrawn = Watchlist.objects.filter(loads__filename=NATIONAL_LOAD, active=True).exclude(
            public_id__in=[row["id"] for row in rows]
        )
        gone = list(withdrawn.values_list("pk", flat=True))
        Watchlist.objects.filter(pk__in=gone).update(active=False, field_screening=False)
        WatchlistEntry.objects.filter(watchlist__in=gone).update(
            active=False, updated_at=timezone.now(), **dict.fromkeys(PERSONAL_FIELDS, "")
        )
    return copies


@transaction.atomic
def entries_apply(*, page: dict[str, Any]) -> int:
    """Station: upsert a page of entries by global id and keep its cursor, in one
    transaction (an interrupted pull asks for the same page again)."""
    copies = {str(w.public_id): w for w in lists_apply(page["watchlists"]).values()}
    rows = page["entries"]
    existing = {
        str(e.public_id): e
        for e in WatchlistEntry.objects.filter(public_id__in=[row["id"] for row in rows])
    }
    loads = {
        str(load.watchlist.public_id): load
        for load in WatchlistLoad.objects.filter(
            watchlist__in=copies.values(), filename=NATIONAL_LOAD
        ).select_related("watchlist")
    }
    now = timezone.now()
    new, changed = [], []
    for row in rows:
        watchlist = copies[row["watchlist"]]
        values = {f: row[f] for f in ENTRY_FIELDS}
        entry = existing.get(row["id"])
        if entry is None:
            load = loads[row["watchlist"]]
            new.append(
                WatchlistEntry(public_id=row["id"], watchlist=watchlist, load=load, **values)
            )
            continue
        for name, value in values.items():
            setattr(entry, name, value)
        entry.updated_at = now
        changed.append(entry)
    WatchlistEntry.objects.bulk_create(new, batch_size=1000)
    WatchlistEntry.objects.bulk_update(changed, [*ENTRY_FIELDS, "updated_at"], batch_size=1000)
    SyncState.objects.update_or_create(name=SyncState.WATCHLIST, defaults={"text": page["cursor"]})
    return len(rows)
