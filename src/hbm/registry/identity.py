"""The registry's view of the matching engine: one in-memory PersonIndex per process that
follows the database.

Each process catches up before every use by reading the persons changed since its last look
(``updated_at`` is indexed), so several web workers and the background worker agree without
talking to each other. A snapshot saved to ``var/`` spares a restart the full rebuild.
"""

import gc
import json
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import QuerySet

from hbm.lib.index_follower import IndexFollower
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


class RegistryIndex(IndexFollower[dict[str, Any]]):
    model = Person
    overlap = CATCH_UP_OVERLAP
    # Tests run each case inside one transaction that is rolled back at the end: there, the
    # rows of that transaction are what committed rows are in production, and the index may
    # read them before a registration. Nowhere else.
    catch_up_inside_transactions = False

    def __init__(self, snapshot: Path | None = None) -> None:
        super().__init__()
        self.snapshot = snapshot

    def rows(self, objects: QuerySet[Any]) -> QuerySet[Any, dict[str, Any]]:
        # Rows as dicts, not model instances: a million of them at start-up, and every
        # other process's registrations at each catch-up.
        return objects.values("pk", "updated_at", "anonymised_at", *IDENTITY_FIELDS)

    def stamp(self, row: dict[str, Any]) -> tuple[int, datetime]:
        return row["pk"], row["updated_at"]

    def records(self, row: dict[str, Any]) -> list[PersonRecord]:
        # An anonymised person matches no one: it leaves the index (and the next snapshot).
        return [] if row["anonymised_at"] else [_record(row["pk"], row)]

    def record_ids(self, pk: int) -> tuple[str]:
        return (str(pk),)

    def first_index(self) -> tuple[PersonIndex, datetime | None]:
        return self._load_snapshot() or (PersonIndex(), None)

    def first_caught_up(self) -> None:
        # The index lives as long as the process: millions of objects that the cyclic
        # garbage collector would otherwise walk for seconds on a full collection.
        gc.freeze()

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

    def add_committed(self, persons: list[Person]) -> None:
        """Index persons this process has just committed, sparing it the read of its own
        writes at the next catch-up (other processes read them from the database)."""
        with self._lock:
            if self._index is None or self._seen_until is None:
                self._caught_up_at = 0.0  # the next use loads everything, however soon
                return
            self._put((p.pk, p.updated_at, [person_record(p)]) for p in persons)

    def save_snapshot(self) -> Path:
        assert self.snapshot is not None
        index = self.current()
        self.snapshot.parent.mkdir(parents=True, exist_ok=True)
        index.save(self.snapshot)
        seen = self._seen_until.isoformat() if self._seen_until else None
        meta = {"seen_until": seen, "database": snapshot_database_identity()}
        self.snapshot.with_suffix(".json").write_text(json.dumps(meta))
        return self.snapshot

    def _load_snapshot(self) -> tuple[PersonIndex, datetime | None] | None:
        if self.snapshot is None or not self.snapshot.exists():
            return None
        meta_file = self.snapshot.with_suffix(".json")
        if not meta_file.exists():
            return None
        meta = json.loads(meta_file.read_text())
        if meta.get("database") != snapshot_database_identity():
            return None
        seen = meta.get("seen_until")
        try:
            index = PersonIndex.load(self.snapshot)
        except IndexFormatError:  # written by an older engine: rebuilt from the database
            return None
        return index, (datetime.fromisoformat(seen) if seen else None)


def snapshot_database_identity() -> str:
    """The database a snapshot follows (a snapshot of another database is never loaded)."""
    return f"{connection.vendor}:{connection.settings_dict['NAME']}"


#: The snapshot's file under var/ (its metadata beside it, ``.json``).
SNAPSHOT_NAME = "person-index.bin"
registry_index = RegistryIndex(snapshot=Path(settings.VAR_DIR) / SNAPSHOT_NAME)
