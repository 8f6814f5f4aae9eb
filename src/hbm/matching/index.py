"""The online person index: add, remove and search records in memory.

Writes (``add``, ``add_many``, ``remove``) take a lock; ``search`` takes no lock and is safe
to call from many threads at once (it only reads dicts and lists, whose single operations
are atomic in CPython, and skips records removed meanwhile).
"""

from __future__ import annotations

import gc
import marshal
import math
import os
import threading
import zlib
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import Any

import numpy as np

from hbm.matching.blocking import DEFAULT_KEY_CAP, blocking_keys
from hbm.matching.comparisons import TF_LEVELS, Features, bounded_tokens, compare, features
from hbm.matching.dates import DateInterval, Precision
from hbm.matching.errors import IndexFormatError
from hbm.matching.family import Relative, find_relatives
from hbm.matching.namesearch import NameTokenIndex
from hbm.matching.records import FIELDS as RECORD_FIELDS
from hbm.matching.records import PersonRecord
from hbm.matching.scoring import (
    OVERLAP_LEVEL,
    Explanation,
    Model,
    TermFrequencies,
    TfMemo,
    default_model,
    probability,
)

INDEX_FORMAT = "hbm.matching.index/6"
_OVERFLOW = -1


@dataclass(frozen=True, slots=True)
class Match:
    """One search result."""

    id: str
    probability: float
    weight: float
    explanation: Explanation
    record: PersonRecord


@dataclass(frozen=True, slots=True)
class NameMatch:
    """One result of a search by name alone: how alike the names are, in [0, 1]."""

    id: str
    likeness: float
    record: PersonRecord


def key_hash(key: str) -> int:
    """Stable 63-bit hash of a blocking key (independent of PYTHONHASHSEED).

    CRC-32 and Adler-32 side by side: fast C calls; a rare collision only merges two
    posting lists (extra candidates), it never loses one.
    """
    b = key.encode()
    return (zlib.crc32(b) << 31) ^ zlib.adler32(b)


class PersonIndex:
    """In-memory inverted index of person records with Fellegi–Sunter ranking."""

    def __init__(
        self,
        model: Model | None = None,
        *,
        key_cap: int = DEFAULT_KEY_CAP,
        max_candidates: int = 500,
    ) -> None:
        self.model = model or default_model()
        self.key_cap = key_cap
        self.max_candidates = max_candidates
        self.tf = TermFrequencies()
        self._records: list[PersonRecord | None] = []
        self._feats: list[Features | None] = []
        self._slot: dict[str, int] = {}
        self._postings: dict[int, int | list[int]] = {}
        self._family: dict[str, list[int]] = {}
        self._names = NameTokenIndex()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._slot)

    def __contains__(self, rid: object) -> bool:
        return rid in self._slot

    def get(self, rid: str) -> PersonRecord | None:
        """The indexed record with this id, if any."""
        slot = self._slot.get(rid)
        return None if slot is None else self._records[slot]

    def records(self) -> list[PersonRecord]:
        """All indexed records, in insertion order."""
        return [r for r in self._records if r is not None]

    def features_of(self, record: PersonRecord) -> Features:
        """Comparison features of a record under this index's model."""
        return features(record, self.model.reference_year, mid_month=self.model.mid_month)

    # -- writes ---------------------------------------------------------------------------
    def add(self, record: PersonRecord) -> None:
        """Add a record; a record with the same id is replaced."""
        f = self.features_of(record)
        with self._lock:
            self._add_locked(record, f)

    def add_many(self, records: Iterable[PersonRecord]) -> None:
        """Add many records (same semantics as :meth:`add`)."""
        for record in records:
            self.add(record)

    def _add_locked(self, record: PersonRecord, f: Features) -> None:
        if record.id in self._slot:
            self._remove_locked(record.id)
        slot = len(self._records)
        self._records.append(record)
        self._feats.append(f)
        self.tf.add(f)
        postings = self._postings
        cap = self.key_cap
        for key in blocking_keys(f):
            h = key_hash(key)
            cur = postings.get(h)
            if cur is None:
                postings[h] = slot
            elif isinstance(cur, int):
                postings[h] = [cur, slot] if cur != _OVERFLOW else cur
            elif len(cur) >= cap:
                postings[h] = _OVERFLOW
            else:
                cur.append(slot)
        family = self._family
        for prefix, keys in (("g:", f.given_keys), ("f:", f.family_keys), ("a:", f.father_keys)):
            for k in set(keys):
                family.setdefault(prefix + k, []).append(slot)
        self._names.add(slot, _name_tokens_of(f))
        self._slot[record.id] = slot

    def remove(self, rid: str) -> bool:
        """Remove a record; it stops matching immediately. Returns False if absent."""
        with self._lock:
            return self._remove_locked(rid)

    def _remove_locked(self, rid: str) -> bool:
        slot = self._slot.pop(rid, None)
        if slot is None:
            return False
        f = self._feats[slot]
        self._records[slot] = None
        self._feats[slot] = None
        if f is not None:
            self.tf.remove(f)
        return True

    # -- reads ----------------------------------------------------------------------------
    def candidates(self, f: Features, cap: int | None = None) -> list[int]:
        """Slots of candidate records for ``f``: those sharing the most (and rarest) keys, at
        most ``cap`` of them (default: the index's ``max_candidates``), best first; ties keep
        the order in which the records were first met."""
        postings = self._postings
        top = math.log2(self.key_cap) + 1.0
        lists: list[Sequence[int]] = []
        weights: list[float] = []
        for key in blocking_keys(f):
            cur = postings.get(key_hash(key))
            if cur is None or cur == _OVERFLOW:
                continue
            if isinstance(cur, int):
                lists.append((cur,))
                weights.append(top)
            else:
                lists.append(cur)
                weights.append(max(top - math.log2(len(cur)), 0.5))  # rare keys count more
        if not lists:
            return []
        # Thousands of postings at a million records: summed in numpy, in the same order (so
        # to the same bits) as a loop over the keys would.
        sizes = [len(slots) for slots in lists]
        slots = np.fromiter(chain.from_iterable(lists), dtype=np.int64, count=sum(sizes))
        unique, first, inverse = np.unique(slots, return_index=True, return_inverse=True)
        scores = np.bincount(inverse, weights=np.repeat(weights, sizes))
        best = np.lexsort((first, -scores))[: cap or self.max_candidates]
        found: list[int] = unique[best].tolist()
        return found

    def search(
        self,
        record: PersonRecord,
        limit: int = 10,
        threshold: float | None = None,
        max_candidates: int | None = None,
        match_share: float | None = None,
    ) -> list[Match]:
        """Best matches for ``record`` (excluding a record with the same id), best first;
        ``max_candidates`` bounds the records compared (default: the index's).

        ``match_share`` is the share of searches expected to have their person in the index
        (of arrivals who are listed, of registrations of someone registered before). With
        it, the prior is that of one record among all those indexed, as the term
        frequencies are: the more records, the more namesakes, and the more evidence a
        match needs. Without it, the model's prior (among candidate pairs) is used."""
        f = self.features_of(record)
        model, tf = self.model, self.tf
        prior = None if match_share is None else self.prior_weight(match_share)
        # Candidates repeat comparison outcomes: a weight depends only on the levels and,
        # for agreeing names, on the candidate's name keys (their term frequency).
        known: dict[tuple[Any, ...], tuple[float, bool]] = {}
        memo: TfMemo = {}
        scored: list[tuple[float, str, int, tuple[int, ...]]] = []  # (-weight, id, ...)
        feats, records, itself = self._feats, self._records, self._slot.get(record.id)
        for slot in self.candidates(f, max_candidates):
            fb = feats[slot]
            if fb is None or slot == itself:  # removed, or the record searched for
                continue
            levels = compare(f, fb)
            key = (
                levels,
                fb.given_keys if levels[0] in TF_LEVELS else None,
                fb.family_keys if levels[1] in TF_LEVELS else None,
                fb.father_keys if levels[2] in TF_LEVELS else None,
                # An overlap weighs by the age estimate's window: a date's or an estimate's.
                fb.dob.precision if levels[3] == OVERLAP_LEVEL and fb.dob else None,
            )
            outcome = known.get(key)
            if outcome is None:
                w = model.weight(levels, f, fb, tf, prior, memo)
                outcome = known[key] = (w, threshold is None or probability(w) >= threshold)
            w, kept = outcome
            if kept:
                rec = records[slot]
                if rec is not None:
                    scored.append((-w, rec.id, slot, levels))
        scored.sort()  # best weight first, then by id
        out: list[Match] = []
        for negative, rid, slot, levels in scored[:limit]:
            w = -negative
            fb, rec = self._feats[slot], self._records[slot]
            if fb is None or rec is None:
                continue
            expl = model.explain(levels, f, fb, tf, prior)
            out.append(Match(rid, probability(w), w, expl, rec))
        return out

    def name_search(
        self, name: str, *, limit: int, among: Collection[str] | None = None
    ) -> list[NameMatch]:
        """The records whose names are most like ``name`` (any part, any script, a prefix,
        a misspelling), best first; ``among`` keeps only the records with these ids (a set
        is used as it is)."""
        records = self._records
        out: list[NameMatch] = []
        for part in self._name_slots(name, chunk=limit, among=among):
            out.extend(
                NameMatch(record.id, likeness, record)
                for slot, likeness in part
                if (record := records[slot]) is not None
            )
            if len(out) >= limit:
                break
        return out[:limit]

    def name_ranking(self, name: str, *, chunk: int) -> Iterator[list[tuple[str, float]]]:
        """:meth:`name_search`'s whole ranking as (id, likeness), ``chunk`` records at a
        time, for a caller that filters it and reads on only while too few are kept."""
        records = self._records
        for part in self._name_slots(name, chunk=chunk, among=None):
            yield [
                (record.id, likeness)
                for slot, likeness in part
                if (record := records[slot]) is not None
            ]

    def _name_slots(
        self, name: str, *, chunk: int, among: Collection[str] | None
    ) -> Iterator[list[tuple[int, float]]]:
        return self._names.ranking(
            bounded_tokens(name),
            size=len(self._records),
            chunk=chunk,
            narrow=None if among is None else self._narrower(among),
        )

    def _narrower(self, among: Collection[str]) -> Callable[[np.ndarray], np.ndarray]:
        """Keeps the slots of records whose id is in ``among``, looking up whichever is
        smaller: the ids of the slots found, or the slots of ``among``."""
        records, lookup = self._records, self._slot

        def narrow(found: np.ndarray) -> np.ndarray:
            if len(found) <= len(among):
                wanted = among if isinstance(among, (set, frozenset)) else set(among)
                mask = [(r := records[s]) is not None and r.id in wanted for s in found.tolist()]
                keep = np.array(mask, dtype=bool)
            else:
                slots = [s for s in map(lookup.get, among) if s is not None]
                keep = np.isin(found, np.array(slots, dtype=np.int64))
            kept: np.ndarray = found[keep]
            return kept

        return narrow

    def prior_weight(self, match_share: float) -> float:
        """log2 prior odds that a search expecting ``match_share`` matches one given record."""
        if not 0 < match_share < 1:
            raise ValueError("match_share must be in (0, 1)")
        p = match_share / max(len(self._slot), 1)
        return math.log2(p / (1 - p)) if p < 0.5 else 0.0

    def relatives(
        self, record: PersonRecord, limit: int = 20, max_per_key: int = 5000
    ) -> list[Relative]:
        """Likely parents, children, siblings and spouses of ``record``, with reasons."""
        q = self.features_of(record)
        fam = self._family
        family_slots: set[int] | None = None
        if q.family_keys:
            family_slots = set(fam.get("f:" + q.family_keys[0], ()))

        def lookup(key: str) -> list[int]:
            slots = fam.get(key, [])
            if len(slots) > max_per_key:
                if family_slots is not None and len(family_slots) <= max_per_key:
                    return [s for s in slots if s in family_slots]
                return slots[-max_per_key:]
            return slots

        cands: list[int] = []
        for k in q.father_keys:
            cands += lookup("g:" + k) + lookup("a:" + k)
        for k in q.given_keys:
            cands += lookup("a:" + k)
        if q.phone:
            cur = self._postings.get(key_hash("p:" + q.phone))
            if isinstance(cur, list):
                cands += cur
            elif cur is not None and cur != _OVERFLOW:
                cands.append(cur)

        def get(slot: int) -> tuple[PersonRecord | None, Features | None]:
            return self._records[slot], self._feats[slot]

        return find_relatives(q, record.id, cands, get, limit)

    def score(self, a: PersonRecord, b: PersonRecord) -> Explanation:
        """Score two arbitrary records with this index's model and term frequencies."""
        fa, fb = self.features_of(a), self.features_of(b)
        return self.model.explain(compare(fa, fb), fa, fb, self.tf)

    # -- persistence ----------------------------------------------------------------------
    def save(self, path: str | os.PathLike[str]) -> None:
        """Save to one file (marshal of plain data; written atomically). Blocks writers."""
        with self._lock, _gc_paused():
            live = [i for i, r in enumerate(self._records) if r is not None]
            if len(live) == len(self._records):  # nothing removed: no compaction needed
                postings, family = self._postings, self._family
            else:
                postings, family = self._compacted(live)
            recs = [_record_tuple(r) for r in self._records if r is not None]
            feats = [_feature_tuple(f) for f in self._feats if f is not None]
            payload = {
                "format": INDEX_FORMAT,
                "model": self.model.to_dict(),
                "key_cap": self.key_cap,
                "max_candidates": self.max_candidates,
                "records": recs,
                "features": feats,
                "postings": postings,
                "tf": (self.tf.counts, self.tf.total),
                "family": family,
            }
            data = marshal.dumps(payload)
            del payload, recs, feats
            target = Path(path)
            tmp = target.with_name(f".{target.name}.tmp")
            tmp.write_bytes(data)
            os.replace(tmp, target)

    def _compacted(
        self, live: list[int]
    ) -> tuple[dict[int, int | list[int]], dict[str, list[int]]]:
        remap = {old: new for new, old in enumerate(live)}
        postings: dict[int, int | list[int]] = {}
        for h, cur in self._postings.items():
            if isinstance(cur, int):
                if cur == _OVERFLOW:
                    postings[h] = cur
                elif cur in remap:
                    postings[h] = remap[cur]
            else:
                kept = [remap[s] for s in cur if s in remap]
                if kept:
                    postings[h] = kept if len(kept) > 1 else kept[0]
        family = {
            k: kept
            for k, v in self._family.items()
            if (kept := [remap[s] for s in v if s in remap])
        }
        return postings, family

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> PersonIndex:
        """Load an index written by :meth:`save` (same Python minor version).

        The cyclic garbage collector is paused while the millions of small objects are
        created (it would otherwise rescan them repeatedly) and restored afterwards.
        """
        with _gc_paused():
            return cls._load(path)

    @classmethod
    def _load(cls, path: str | os.PathLike[str]) -> PersonIndex:
        try:
            raw = Path(path).read_bytes()
            data: Any = marshal.loads(raw)
            del raw
        except (OSError, EOFError, ValueError, TypeError) as exc:
            raise IndexFormatError(f"cannot read index {path}: {exc}") from None
        if not isinstance(data, dict) or data.get("format") != INDEX_FORMAT:
            raise IndexFormatError(f"{path} is not a {INDEX_FORMAT} file")
        try:
            index = cls(
                Model.from_dict(data["model"]),
                key_cap=data["key_cap"],
                max_candidates=data["max_candidates"],
            )
            index._records = [_record_from(t) for t in data["records"]]
            index._feats = [_features_from(t) for t in data["features"]]
            index._slot = {r.id: i for i, r in enumerate(index._records) if r is not None}
            index._postings = data["postings"]
            counts, total = data["tf"]
            index.tf = TermFrequencies(counts, total)
            index._family = data["family"]
            for slot, f in enumerate(index._feats):
                if f is not None:
                    index._names.add(slot, _name_tokens_of(f))
        except (KeyError, TypeError, ValueError) as exc:
            raise IndexFormatError(f"corrupt index {path}: {exc}") from None
        return index


def _name_tokens_of(f: Features) -> tuple[str, ...]:
    return (*f.given, *f.family, *f.father, *f.other)


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic GC while millions of small objects are created."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _record_tuple(r: PersonRecord) -> tuple[Any, ...]:
    return (*(getattr(r, name) for name in RECORD_FIELDS), r.extra)


_RECORD_SLOTS = (*RECORD_FIELDS, "extra")
_PRECISIONS = tuple(Precision)


def _record_from(t: tuple[Any, ...]) -> PersonRecord:
    """Rebuild a record saved by this module without re-validating it (fast path)."""
    if len(t) != len(_RECORD_SLOTS):
        raise ValueError("record tuple of the wrong length")
    rec = object.__new__(PersonRecord)
    for name, value in zip(_RECORD_SLOTS, t, strict=True):
        object.__setattr__(rec, name, value)
    return rec


def _feature_tuple(f: Features) -> tuple[Any, ...]:
    d = f.dob
    dob = None if d is None else (d.start, d.end, int(d.precision), d.year, d.month, d.day)
    return (
        f.given,
        f.family,
        f.father,
        f.other,
        f.given_keys,
        f.family_keys,
        f.father_keys,
        dob,
        f.sex,
        f.nationality,
        f.document,
        f.phone,
        f.place,
        f.document_type,
    )


def _features_from(t: tuple[Any, ...]) -> Features:
    d = t[7]
    dob = None if d is None else DateInterval(d[0], d[1], _PRECISIONS[d[2]], d[3], d[4], d[5])
    return Features(
        t[0], t[1], t[2], t[3], t[4], t[5], t[6], dob, t[8], t[9], t[10], t[11], t[12], t[13]
    )
