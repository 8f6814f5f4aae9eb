"""An in-memory ``PersonIndex`` that follows a table, one per process (docs/decisions/0005).

Before each use the follower reads (id, stamp) of the rows stamped since a little before the
newest change it has indexed (the overlap: transactions commit out of order), and loads only
the rows it has not indexed at that stamp. Each row becomes the engine's records (none for a
row that must not match), which replace the row's earlier ones. A subclass says which table,
how its rows are read and how a row becomes records; this class owns the rest, so that every
table followed into the engine is followed the same way.
"""

import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any, ClassVar, Generic, TypeVar

from django.db.models import Model, QuerySet
from django.utils import timezone

from hbm.lib.deadline import unbounded
from hbm.lib.stamps import raw_stamp, stamps_since
from hbm.matching import PersonIndex, PersonRecord

CHUNK = 5_000

Row = TypeVar("Row")


class IndexFollower(ABC, Generic[Row]):
    #: The table followed; its rows carry an indexed ``updated_at`` stamp.
    model: ClassVar[type[Model]]
    #: A change commits within this long of its stamp: each look reads again the rows stamped
    #: this long before the newest change indexed.
    overlap: ClassVar[timedelta]
    #: Count the overlap back from the last look too, when that is later than the newest
    #: change: after a large load, the looks of the next moments then read the stamps of the
    #: last ``overlap`` only, not those of the whole load every time.
    overlap_from_last_look: ClassVar[bool] = False

    def __init__(self) -> None:
        self._index: PersonIndex | None = None
        self._seen_until: datetime | None = None  # the newest stamp indexed
        self._looked_at: datetime | None = None  # when the last look began
        self._versions: dict[int, datetime] = {}  # raw stamps of the rows near the horizon
        self._caught_up_at = 0.0  # time.monotonic() of the last look
        self._lock = threading.Lock()

    @abstractmethod
    def rows(self, objects: QuerySet[Any]) -> QuerySet[Any, Row]:
        """``objects`` (rows of ``model``) as the rows that :meth:`records` reads."""

    @abstractmethod
    def stamp(self, row: Row) -> tuple[int, datetime]:
        """The row's primary key and ``updated_at``."""

    @abstractmethod
    def records(self, row: Row) -> list[PersonRecord]:
        """The engine's records of a row: none for a row that must not match."""

    @abstractmethod
    def record_ids(self, pk: int) -> Iterable[str]:
        """Every id that records of the row ``pk`` may have in the index."""

    def first_index(self) -> tuple[PersonIndex, datetime | None]:
        """The index to catch up from when first used, and the newest stamp it holds."""
        return PersonIndex(), None

    def first_caught_up(self) -> None:
        """Called once the first index has caught up."""

    def reset(self) -> None:
        with self._lock:
            self._index, self._seen_until, self._looked_at = None, None, None
            self._versions, self._caught_up_at = {}, 0.0

    def current(self, *, catch_up: bool = True, staleness: float = 0.0) -> PersonIndex:
        """The index, caught up with every change committed before this call, or before the
        last catch-up if that was at most ``staleness`` seconds ago. Inside a transaction that
        writes the table, pass ``catch_up=False``: uncommitted rows must not enter the index.
        Loading is work for every later request, so the request's deadline does not cut it."""
        with self._lock, unbounded():
            if self._index is None:
                self._index, self._seen_until = self.first_index()
                self._catch_up()
                self.first_caught_up()
            elif catch_up and time.monotonic() - self._caught_up_at > staleness:
                self._catch_up()
            return self._index

    def _catch_up(self) -> None:
        """Index the rows changed since the last look. Rows inside the overlap are read as
        (id, stamp) first, and only those not indexed at that stamp are loaded."""
        started, looked_at = time.monotonic(), timezone.now()
        since = self._since()
        if since is None:
            self._load(None)
        else:
            stamps = stamps_since(self.model, since)
            new = [pk for pk, stamp in stamps.items() if self._versions.get(pk) != stamp]
            for start in range(0, len(new), CHUNK):
                self._load(new[start : start + CHUNK])
            self._versions = stamps
        self._looked_at, self._caught_up_at = looked_at, started
        floor = self._since()
        if floor is not None:  # the next look will not read the rows stamped before
            horizon = raw_stamp(floor)
            self._versions = {pk: at for pk, at in self._versions.items() if at > horizon}

    def _since(self) -> datetime | None:
        if self._seen_until is None:
            return None
        latest = self._seen_until
        if self.overlap_from_last_look and self._looked_at is not None:
            latest = max(latest, self._looked_at)
        return latest - self.overlap

    def _load(self, pks: list[int] | None) -> None:
        """Index the rows with these primary keys, or every row (a few at a time)."""
        objects = self.model._default_manager.order_by()
        if pks is None:
            rows: Iterable[Row] = self.rows(objects).iterator(chunk_size=CHUNK)
        else:
            rows = self.rows(objects.filter(pk__in=pks))
        self._put((*self.stamp(row), self.records(row)) for row in rows)

    def _put(self, changes: Iterable[tuple[int, datetime, list[PersonRecord]]]) -> None:
        """Replace the records of these (primary key, stamp, records) rows in the index."""
        index = self._index
        assert index is not None
        for pk, updated_at, records in changes:
            kept = {record.id for record in records}  # replaced in place by add_many
            for rid in self.record_ids(pk):
                if rid not in kept and rid in index:
                    index.remove(rid)
            index.add_many(records)
            self._versions[pk] = raw_stamp(updated_at)
            if self._seen_until is None or updated_at > self._seen_until:
                self._seen_until = updated_at
