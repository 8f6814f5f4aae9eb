"""Blocking keys: which records are worth comparing.

Every record gets a handful of string keys; two records are candidates when they share
a key. Keys combine two name skeletons (order-free, so swapped given/family names and a
father's name used as family name still meet), a name skeleton with a birth year, the
exact birth date (and its day–month swap), the document number (and its one-deletion
neighbourhood), the phone number, the full address, the triple of first given/family/father
skeletons, and name pairs within 5-year birth buckets (an age estimate spans several).
The same keys are used by the online index and by batch blocking in DuckDB.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations

from hbm.matching.comparisons import Features
from hbm.matching.dates import AGE_TOLERANCE, Precision

#: Online index: keys shared by more records than this are ignored (too common to be
#: useful); candidates are further ranked and cut (see PersonIndex.max_candidates).
DEFAULT_KEY_CAP = 1000
#: Batch and training: a key makes pairs only if at most this many records share it
#: (a group of n records makes n(n-1)/2 pairs, so this bounds the work per key).
BATCH_KEY_CAP = 100


def _deletions(s: str) -> set[str]:
    return {s[:i] + s[i + 1 :] for i in range(len(s))} if len(s) > 2 else set()


def _typo_pairs(given: tuple[str, ...], family: tuple[str, ...]) -> list[tuple[str, str]]:
    """(given, family) skeleton pairs with at most one letter deleted from one of them, so
    that a typo in one name still shares a key (deletion neighbourhood)."""
    if not given or not family or not given[0] or not family[0]:
        return []
    g, f = given[0], family[0]
    out = {(g, f)} | {(x, f) for x in _deletions(g)} | {(g, y) for y in _deletions(f)}
    return sorted(out)


def blocking_keys(f: Features) -> list[str]:
    """The blocking keys of one record (deduplicated, deterministic order)."""
    keys: list[str] = []
    doc = f.document
    if len(doc) >= 4:
        keys.append("d:" + doc)
        keys.extend(sorted({f"e:{doc[:i]}{doc[i + 1 :]}" for i in range(len(doc))}))
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
    heads = sorted({k for k in (*f.given_keys[:1], *f.family_keys[:1], *f.father_keys[:1]) if k})
    if len(heads) == 3:
        keys.append("t:" + "|".join(heads))
    if dob is not None and len(heads) > 1:
        if dob.precision == Precision.AGE:
            lo, hi = dob.year - 1 - AGE_TOLERANCE, dob.year + AGE_TOLERANCE
        else:
            lo = hi = dob.year
        fuzzy = _typo_pairs(f.given_keys[:1], f.family_keys[:1])
        for bucket in range(lo // 5, hi // 5 + 1):
            for a, b in combinations(heads, 2):
                keys.append(f"np:{a}|{b}|{bucket}")
            for a, b in fuzzy:
                keys.append(f"fz:{a}|{b}|{bucket}")
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
