"""Per-record features and the per-field comparison of two records.

:func:`features` turns a :class:`PersonRecord` into precomputed, hashable features once;
:func:`compare` turns two feature sets into a comparison vector: one level index per
field (0 = best agreement, ``-1`` = missing on either side, i.e. no evidence).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

from hbm.matching.countries import normalize_country
from hbm.matching.dates import DateInterval, birth_interval, date_level
from hbm.matching.names import NameLevel, align_tokens, name_tokens, normalize_text, skeleton
from hbm.matching.records import PersonRecord

_DIGITS = re.compile(r"\D+")
_NOT_ALNUM = re.compile(r"[^0-9A-Z]+")

NAME_LEVELS = tuple(level.name.lower() for level in NameLevel)

#: Comparison fields in vector order, with the names of their levels (best first).
FIELD_LEVELS: dict[str, tuple[str, ...]] = {
    "given_name": NAME_LEVELS,
    "family_name": NAME_LEVELS,
    "father_name": NAME_LEVELS,
    "date_of_birth": (
        "exact",
        "day_month_swap",
        "one_digit",
        "same_month",
        "same_year",
        "overlap",
        "within_1y",
        "within_5y",
        "different_full",
        "disjoint",
    ),
    "sex": ("agree", "disagree"),
    "nationality": ("agree", "disagree"),
    "document_number": ("exact", "one_edit", "different_same_type", "different"),
    "phone": ("exact", "one_edit", "different"),
    "place_of_origin": ("exact", "very_similar", "similar", "somewhat_similar", "different"),
}
FIELDS: tuple[str, ...] = tuple(FIELD_LEVELS)
#: Fields whose agreement is adjusted by term frequency (see scoring): the name parts.
TF_FIELDS: tuple[int, ...] = (0, 1, 2)
TF_LEVELS = frozenset({NameLevel.EXACT, NameLevel.VARIANT})


@dataclass(frozen=True, slots=True)
class Features:
    """Normalised, precomputed comparison features of one record."""

    given: tuple[str, ...]
    family: tuple[str, ...]
    father: tuple[str, ...]
    other: tuple[str, ...]
    given_keys: tuple[str, ...]
    family_keys: tuple[str, ...]
    father_keys: tuple[str, ...]
    dob: DateInterval | None
    sex: str
    nationality: str
    document: str
    phone: str
    place: str
    document_type: str = ""


#: Bounds on a name part: a 10,000-character name is compared by its first tokens and
#: characters, in bounded time (real names have a handful of tokens of < 30 letters).
MAX_TOKENS = 8
MAX_TOKEN_LENGTH = 40


def _tokens(text: str) -> tuple[str, ...]:
    tokens = name_tokens(text[: MAX_TOKENS * (MAX_TOKEN_LENGTH + 1) * 4])[:MAX_TOKENS]
    return tuple(t[:MAX_TOKEN_LENGTH] for t in tokens)


def bounded_tokens(text: str) -> tuple[str, ...]:
    """The normalised tokens of a name as a record's name parts hold them (bounded)."""
    return _tokens(text)


def _keys(tokens: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(skeleton(t) or t for t in tokens)


def features(record: PersonRecord, reference_year: int, *, mid_month: bool = False) -> Features:
    """Compute the comparison features of ``record`` (``mid_month``: the 15th of a month
    stands for "day unknown", see :func:`~hbm.matching.dates.parse_date`)."""
    given = _tokens(record.given_name)
    family = _tokens(record.family_name)
    father = _tokens(record.father_name)
    phone = _DIGITS.sub("", record.phone)[-9:]
    document = _NOT_ALNUM.sub("", record.document_number.upper())
    return Features(
        given=given,
        family=family,
        father=father,
        other=_tokens(record.other_names),
        given_keys=_keys(given),
        family_keys=_keys(family),
        father_keys=_keys(father),
        dob=birth_interval(
            record.date_of_birth, record.age_estimate, reference_year, mid_month=mid_month
        ),
        sex=record.sex if record.sex in ("F", "M") else "",
        nationality=normalize_country(record.nationality),
        document=document,
        phone=phone if len(phone) >= 6 else "",
        place=" ".join(sorted(normalize_text(record.place_of_origin).split())),
        document_type=normalize_text(record.document_type) if document else "",
    )


def _edit_level(a: str, b: str) -> int:
    if not a or not b:
        return -1
    if a == b:
        return 0
    return 1 if OSA.distance(a, b, score_cutoff=1) <= 1 else 2


def _document_level(fa: Features, fb: Features) -> int:
    """exact / one edit / different documents of the same (known) type / different."""
    level = _edit_level(fa.document, fb.document)
    if level == 2 and fa.document_type and fa.document_type == fb.document_type:
        return 2
    return 3 if level == 2 else level


def _place_level(a: str, b: str) -> int:
    if not a or not b:
        return -1
    if a == b:
        return 0
    sim = fuzz.token_set_ratio(a, b, score_cutoff=50)
    if sim >= 88:
        return 1
    if sim >= 70:
        return 2
    return 3 if sim >= 50 else 4


def _align(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[int, float]:
    if not a or not b:
        return -1, 0.0
    level, sim, _ = align_tokens(a, b)
    return int(level), sim


def _family_from_given(
    given: tuple[str, ...], family: tuple[str, ...], other_family: tuple[str, ...]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A whole name typed as the given name ("Fatima Ali", no family name) against
    "Fatima" "Ali": its last part is read as the family name when it agrees with the other
    side's. Otherwise the given names stay whole: "Mir Bari" with no family name is not
    "Mir" of the Bari family."""
    if not family and len(given) > 1 and other_family and _shares_key(given[-1:], other_family):
        return given[:-1], given[-1:]
    return given, family


def _shares_key(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    return not {skeleton(t) for t in a}.isdisjoint({skeleton(t) for t in b})


@lru_cache(maxsize=300_000)
def _name_levels(
    ga: tuple[str, ...],
    fa: tuple[str, ...],
    xa: tuple[str, ...],
    gb: tuple[str, ...],
    fb: tuple[str, ...],
    xb: tuple[str, ...],
) -> tuple[int, int, int, int]:
    """(given level, family level, father level, orientation) after order-free alignment.

    Orientation 0 = straight, 1 = given/family swapped, 2/3 = a father's name used as a
    family name on one side (the father field then gives no evidence), 4 = father's and
    family name swapped on one side (each compared with the other's). The other
    orientations are only tried when the crossed parts share a name skeleton.
    """
    ga, fa = _family_from_given(ga, fa, fb)
    gb, fb = _family_from_given(gb, fb, fa)
    g, gs = _align(ga, gb)
    f, fs = _align(fa, fb)
    options = [(gs + fs, -(g + f), 1, 0, g, f)]
    if fa and fb and (g > 1 or f > 1) and (_shares_key(ga, fb) or _shares_key(fa, gb)):
        sg, sgs = _align(ga, fb)
        sf, sfs = _align(fa, gb)
        lo, hi = sorted((sg, sf))
        if hi <= 3:  # both parts agree once swapped, not just one of them
            options.append((sgs + sfs, -(sg + sf), 0, 1, lo, hi))
    if f > 1 or f < 0:
        if xa and fb and not xb and _shares_key(xa, fb):
            x, xs = _align(xa, fb)
            options.append((gs + xs, -(g + x), 0, 2, g, x))
        if xb and fa and not xa and _shares_key(xb, fa):
            x, xs = _align(fa, xb)
            options.append((gs + xs, -(g + x), 0, 3, g, x))
    crossed = None
    if fa and fb and xa and xb and f > 1 and (_shares_key(fa, xb) or _shares_key(xa, fb)):
        cf, cfs = _align(fa, xb)
        cx, _ = _align(xa, fb)
        if max(cf, cx) <= 3 and _align(xa, xb)[0] > 3:  # father's and family name swapped
            crossed = cx
            options.append((gs + cfs, -(g + cf), 0, 4, g, cf))
    best = max(options, key=lambda o: (o[0], o[1], o[2], -o[4]))
    orientation = best[3]
    if orientation == 4:
        return best[4], best[5], crossed if crossed is not None else -1, 4
    father = _align(xa, xb)[0] if orientation < 2 else -1
    family = best[5]
    if orientation == 0 and family > 3 and 0 <= father <= 3 and (fa == xa or fb == xb):
        family = -1  # the father's name written as family name on one side: no evidence
    return best[4], family, father, orientation


def compare(fa: Features, fb: Features) -> tuple[int, ...]:
    """Comparison vector of two records (one level per field of :data:`FIELDS`).

    Called for every candidate of every search: a field missing on either side is settled
    here without a call, and sex and nationality are compared inline."""
    g, f, father, _ = _name_levels(fa.given, fa.family, fa.father, fb.given, fb.family, fb.father)
    da, db = fa.dob, fb.dob
    sa, sb = fa.sex, fb.sex
    na, nb = fa.nationality, fb.nationality
    return (
        g,
        f,
        father,
        -1 if da is None or db is None else date_level(da, db),
        -1 if not sa or not sb else (0 if sa == sb else 1),
        -1 if not na or not nb else (0 if na == nb else 1),
        _document_level(fa, fb) if fa.document and fb.document else -1,
        _edit_level(fa.phone, fb.phone) if fa.phone and fb.phone else -1,
        _place_level(fa.place, fb.place) if fa.place and fb.place else -1,
    )
