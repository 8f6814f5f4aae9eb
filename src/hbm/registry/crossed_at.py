"""Which persons have crossed at a crossing point, a bit per person id, held in each process.

A name search in a point officer's broad scope walks the engine's ranking of the whole
registry; most of it lies outside the officer's points. These bits drop those in memory, so
that the database checks only the few that may be in scope (hbm.registry.search). They are a
superset of the truth, never a replacement for the database's check: a crossing removed with
its person leaves its bit set until the next reload, and the check that follows drops it.

Crossings are only ever added or deleted, never moved. A point's bits are read when a search
first asks for them; later searches read the crossings added since (by id, looking back
LOOK_BACK ids for a transaction that took its ids before a later one but committed after it),
and everything is read again every RELOAD seconds. A point's bits cost one byte per person.
"""

import threading
import time
from collections.abc import Callable, Collection

import numpy as np
from django.db import connection

from hbm.lib.deadline import unbounded
from hbm.registry.models import Crossing

LOOK_BACK = 2_000
RELOAD = 300.0
_TABLE = Crossing._meta.db_table


class CrossedAt:
    def __init__(self) -> None:
        self._bits: dict[int, np.ndarray] = {}
        self._last_id = 0
        self._loaded_at = 0.0
        self._lock = threading.Lock()

    def reset(self) -> None:
        with self._lock:
            self._bits, self._last_id, self._loaded_at = {}, 0, 0.0

    def keeper(self, points: Collection[int]) -> Callable[[list[int]], list[int]]:
        """Caught up once, a function that keeps, in order, the person ids that may have
        crossed at one of ``points``."""
        with self._lock, unbounded():
            self._catch_up(points)
            marks = [self._bits[point] for point in points]

        def keep(person_ids: list[int]) -> list[int]:
            ids = np.asarray(person_ids, dtype=np.int64)
            kept = np.zeros(len(ids), dtype=bool)
            for bits in marks:
                inside = ids < len(bits)
                kept[inside] |= bits[ids[inside]]
            kept_ids: list[int] = ids[kept].tolist()
            return kept_ids

        return keep

    def persons(self, points: Collection[int]) -> np.ndarray:
        """Caught up once, the ids of the persons who may have crossed at one of ``points``,
        in ascending order."""
        with self._lock, unbounded():
            self._catch_up(points)
            marks = [self._bits[point] for point in points]
        union = np.zeros(max((len(bits) for bits in marks), default=0), dtype=bool)
        for bits in marks:
            union[: len(bits)] |= bits
        ids: np.ndarray = np.flatnonzero(union)
        return ids

    def _catch_up(self, points: Collection[int]) -> None:
        if time.monotonic() - self._loaded_at > RELOAD:
            self._bits, self._last_id = {}, 0
            self._loaded_at = time.monotonic()
        if self._bits:
            since = max(self._last_id - LOOK_BACK, 0)
            rows = self._rows("WHERE id > %s", since)
            if len(rows):
                self._last_id = max(self._last_id, int(rows[:, 0].max()))
            for point in self._bits:
                self._set(point, rows)
        else:
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT MAX(id) FROM {_TABLE}")
                self._last_id = cursor.fetchone()[0] or 0
        for point in set(points) - self._bits.keys():
            self._bits[point] = np.zeros(0, dtype=bool)
            self._set(point, self._rows("WHERE crossing_point_id = %s", point))

    def _rows(self, where: str, value: int) -> np.ndarray:
        """(id, crossing point, person) of the crossings ``where`` says, as an array."""
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id, crossing_point_id, person_id FROM {_TABLE} {where}", [value]
            )
            return np.array(cursor.fetchall(), dtype=np.int64).reshape(-1, 3)

    def _set(self, point: int, rows: np.ndarray) -> None:
        persons = rows[rows[:, 1] == point, 2]
        if not len(persons):
            return
        bits = self._bits[point]
        if persons.max() >= len(bits):
            grown = np.zeros(max(int(persons.max()) + 1, 2 * len(bits)), dtype=bool)
            grown[: len(bits)] = bits
            bits = self._bits[point] = grown
        bits[persons] = True


crossed_at = CrossedAt()
