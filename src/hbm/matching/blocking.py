"""Blocking keys: which records are worth comparing.

Every record gets a handful of string keys; two records are candidates when they share
a key. Keys combine two name skeletons (order-free, so swapped given/family names and a
father's name used as family name still meet), a name skeleton with a birth year, the
exact birth date (and its day–month swap), the document number and the phone number.
The same keys are used by the online index and by batch blocking in DuckDB.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations

from hbm.matching.comparisons import Features
from hbm.matching.dates import Precision

#: Keys shared by more records than this are ignored (too common to be useful).
DEFAULT_KEY_CAP = 1000


def blocking_keys(f: Features) -> list[str]:
    """The blocking keys of one record (deduplicated, deterministic order)."""
    keys: list[str] = []
    doc = f.document
    if len(doc) >= 4:
        keys.append("d:" + doc)
        keys.extend(sorted({f"e:{doc[:i]}{doc[i + 1:]}" for i in range(len(doc))}))
    if f.phone:
        keys.append("p:" + f.phone)
    names = sorted({k for k in (*f.given_keys, *f.family_keys, *f.father_keys) if k})
    for a, b in combinations(names, 2):
        keys.append(f"n:{a}|{b}")
    if len(names) == 1:
        keys.append("s:" + names[0])
    if f.place.count(" ") >= 2:  # a full address, not just a town name
        keys.append("l:" + f.place)
    dob = f.dob
    if dob is not None and dob.precision <= Precision.YEAR:
        for k in sorted({*f.given_keys, *f.family_keys}):
            if k:
                keys.append(f"y:{k}|{dob.year}")
        if dob.precision == Precision.DAY:
            keys.append(f"b:{dob.year}-{dob.month}-{dob.day}")
            if dob.day <= 12 and dob.day != dob.month:
                keys.append(f"b:{dob.year}-{dob.day}-{dob.month}")
    return keys


def candidate_pairs(feats: Sequence[Features], cap: int = DEFAULT_KEY_CAP) -> set[tuple[int, int]]:
    """All index pairs (i < j) sharing a blocking key whose group has at most ``cap`` rows."""
    groups: dict[str, list[int]] = {}
    for i, f in enumerate(feats):
        for k in blocking_keys(f):
            groups.setdefault(k, []).append(i)
    pairs: set[tuple[int, int]] = set()
    for members in groups.values():
        if 1 < len(members) <= cap:
            pairs.update(combinations(members, 2))
    return pairs
