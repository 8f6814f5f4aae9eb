"""The registry's view of the matching engine: one in-memory PersonIndex per process that
follows the database.

Each process catches up before every use by reading the persons changed since its last look
(``updated_at`` is indexed), so several web workers and the background worker agree without
talking to each other. A snapshot saved to ``var/`` spares a restart the full rebuild.
"""

import gc
import json
import threading
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import QuerySet

from hbm.lib.deadline import unbounded
from hbm.lib.stamps import raw_stamp, stamps_since
from hbm.matching import IndexFormatError, Match, NameMatch, PersonIndex, PersonRecord
from hbm.registry.models import Person

# Transactions commit out of order: re-read a little before the last change seen. A writer
# whose rows may commit later than LATE_COMMIT after they were stamped must stamp them again
# once committed (registrations and imports do), or other processes would never see them.
CATCH_UP_OVERLAP = timedelta(seconds=1)
LATE_COMMIT = CATCH_UP_OVERLAP / 2
# A registration may use an index caught up this long ago (seconds): under load each worker
# would otherwise re-read the overlap's rows for every registration. Registrations in flight
# in other processes are as unseen as these (docs/decisions/0005).
REGISTRATION_STALENESS = 0.1
CHUNK = 5_000
#: The prior of a duplicate: the share of registrations expected to be of someone
#: registered before (see PersonIndex.search).
RETURNING_SHARE = 0.2
IDENTITY_FIELDS = (
    "given_name",
    "family_name",
    "father_name",
    "other_names",
    "name_original_script",
    "sex",
    "date_of_birth",
    "age_estimate",
    "nationality_id",
    "document_type",
    "document_number",
    "phone",
    "place_of_origin",
)


def person_record(person: Person) -> PersonRecord:
    """The engine's canonical record of a person (id = the database primary key)."""
    return _record(person.pk, {field: getattr(person, field) for field in IDENTITY_FIELDS})


def _record(pk: int, identity: dict[str, Any]) -> PersonRecord:
    other = "; ".join(n for n in (identity["other_names"], identity["name_original_script"]) if n)
    return PersonRecord(
        id=str(pk),
        given_name=identity["given_name"],
        family_name=identity["family_name"],
        father_name=identity["father_name"],
        other_names=other,
        sex=identity["sex"],
        date_of_birth=identity["date_of_birth"],
        age_estimate=identity["age_estimate"],
        nationality=identity["nationality_id"] or "",
        document_number=identity["document_number"],
        document_type=identity["document_type"],
        phone=identity["phone"],
        place_of_origin=identity["place_of_origin"],
    )


class RegistryIndex:
    # Tests run each case inside one transaction that is rolled back at the end: there, the
    # rows of that transaction are what committed rows are in production, and the index may
    # read them before a registration. Nowhere else.
    catch_up_inside_transactions = False

    def __init__(self, snapshot: Path | None = None) -> None:
        self.snapshot = snapshot
        self._index: PersonIndex | None = None
        self._seen_until: datetime | None = None
        self._versions: dict[int, datetime] = {}  # stamps of the rows near ``_seen_until``
        self._caught_up_at = 0.0  # time.monotonic() of the last catch-up
        self._lock = threading.Lock()

    def reset(self) -> None:
        with self._lock:
            self._index, self._seen_until, self._versions = None, None, {}
            self._caught_up_at = 0.0

    def current(self, *, catch_up: bool = True, staleness: float = 0.0) -> PersonIndex:
        """The index, caught up with every change committed before this call, or before the
        last catch-up if that was at most ``staleness`` seconds ago. Inside a transaction that
        writes persons, pass ``catch_up=False``: uncommitted rows must not enter the index.
        Loading is work for every later request, so the request's deadline does not cut it."""
        with self._lock, unbounded():
            if self._index is None:
                self._index, self._seen_until = self._load_snapshot() or (PersonIndex(), None)
                self._catch_up(self._index)
                # The index lives as long as the process: millions of objects that the cyclic
                # garbage collector would otherwise walk for seconds on a full collection.
                gc.freeze()
            elif catch_up and time.monotonic() - self._caught_up_at > staleness:
                self._catch_up(self._index)
            return self._index

    def search(
        self,
        record: PersonRecord,
        *,
        limit: int,
        threshold: float,
        catch_up: bool = True,
        max_candidates: int | None = None,
        match_share: float | None = RETURNING_SHARE,
    ) -> list[Match]:
        """The engine's search; ``match_share=None`` ranks by the model's prior (where no
        share of returning people applies)."""
        index = self.current(catch_up=catch_up)
        return index.search(
            record,
            limit=limit,
            threshold=threshold,
            max_candidates=max_candidates,
            match_share=match_share,
        )

    def name_search(
        self, name: str, *, limit: int, among: set[str] | None = None
    ) -> list[NameMatch]:
        """The engine's search by name alone, most alike first (see PersonIndex)."""
        return self.current().name_search(name, limit=limit, among=among)

    def name_ranking(self, name: str, *, chunk: int) -> Iterator[list[tuple[str, float]]]:
        """The engine's whole ranking by name, a chunk at a time (see PersonIndex)."""
        return self.current().name_ranking(name, chunk=chunk)

    def _catch_up(self, index: PersonIndex) -> None:
        """Add the persons changed since the last look. Rows inside the overlap window are
        read as (id, stamp) first, and only those not indexed at that stamp are loaded."""
        started = time.monotonic()
        if self._seen_until is None:
            self._load(index, Person.objects.all())
            if self._seen_until is not None:
                horizon = raw_stamp(self._seen_until - CATCH_UP_OVERLAP)
                self._versions = {pk: at for pk, at in self._versions.items() if at > horizon}
        else:
            stamps = stamps_since(Person, self._seen_until - CATCH_UP_OVERLAP)
            new = [pk for pk, stamp in stamps.items() if self._versions.get(pk) != stamp]
            for start in range(0, len(new), CHUNK):
                self._load(index, Person.objects.filter(pk__in=new[start : start + CHUNK]))
            self._versions = stamps
        self._caught_up_at = started

    def add_committed(self, persons: list[Person]) -> None:
        """Index persons this process has just committed, sparing it the read of its own
        writes at the next catch-up (other processes read them from the database)."""
        with self._lock:
            if self._index is None or self._seen_until is None:
                self._caught_up_at = 0.0  # the next use loads everything, however soon
                return
            self._replace(self._index, [person_record(person) for person in persons])
            for person in persons:
                self._versions[person.pk] = raw_stamp(person.updated_at)
                self._seen_until = max(self._seen_until, person.updated_at)

    def _load(self, index: PersonIndex, persons: QuerySet[Person]) -> None:
        batch: list[PersonRecord] = []
        # Rows as dicts, not model instances: a million of them at start-up, and every
        # other process's registrations at each catch-up.
        rows = persons.order_by().values("pk", "updated_at", *IDENTITY_FIELDS)
        for row in rows.iterator(chunk_size=CHUNK):
            pk, updated_at = row["pk"], row["updated_at"]
            batch.append(_record(pk, row))
            self._versions[pk] = raw_stamp(updated_at)
            if self._seen_until is None or updated_at > self._seen_until:
                self._seen_until = updated_at
            if len(batch) >= CHUNK:
                self._replace(index, batch)
                batch = []
        self._replace(index, batch)

    @staticmethod
    def _replace(index: PersonIndex, records: list[PersonRecord]) -> None:
        for record in records:
            if record.id in index:
                index.remove(record.id)
        index.add_many(records)

    def save_snapshot(self) -> Path:
        assert self.snapshot is not None
        index = self.current()
        self.snapshot.parent.mkdir(parents=True, exist_ok=True)
        index.save(self.snapshot)
        seen = self._seen_until.isoformat() if self._seen_until else None
        meta = {"seen_until": seen, "database": _database_identity()}
        self.snapshot.with_suffix(".json").write_text(json.dumps(meta))
        return self.snapshot

    def _load_snapshot(self) -> tuple[PersonIndex, datetime | None] | None:
        if self.snapshot is None or not self.snapshot.exists():
            return None
        meta_file = self.snapshot.with_suffix(".json")
        if not meta_file.exists():
            return None
        meta = json.loads(meta_file.read_text())
        if meta.get("database") != _database_identity():
            return None
        seen = meta.get("seen_until")
        try:
            index = PersonIndex.load(self.snapshot)
        except IndexFormatError:  # written by an older engine: rebuilt from the database
            return None
        return index, (datetime.fromisoformat(seen) if seen else None)


def _database_identity() -> str:
    return f"{connection.vendor}:{connection.settings_dict['NAME']}"


registry_index = RegistryIndex(snapshot=Path(settings.VAR_DIR) / "person-index.bin")
