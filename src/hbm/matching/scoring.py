"""Fellegi–Sunter scoring with explanations.

A :class:`Model` holds, for each comparison field and level, ``m`` = P(level | match) and
``u`` = P(level | non-match), plus the prior match probability among *candidate pairs*
(pairs produced by blocking). A pair's match weight is::

    weight = log2(prior / (1 - prior)) + Σ_fields [log2(m/u) + tf_adjustment]

and its probability is ``2**weight / (1 + 2**weight)``. Missing values add nothing.
Name agreement is adjusted by term frequency (Splink-style): agreeing on a rare name is
strong evidence, agreeing on a common one weak: ``tf_adjustment = log2(u / tf)`` clipped.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeAlias

from hbm.matching.comparisons import FIELD_LEVELS, FIELDS, TF_FIELDS, TF_LEVELS, Features
from hbm.matching.dates import (
    AGE_TOLERANCE,
    DateInterval,
    DateLevel,
    Precision,
    default_reference_year,
)
from hbm.matching.errors import ModelFormatError

MODEL_FORMAT = "hbm.matching.model/2"
TF_CLIP = 10.0
LINEAGE_SHARE = 0.5
_FAMILY = FIELDS.index("family_name")
_FATHER = FIELDS.index("father_name")
_NATIONALITY = FIELDS.index("nationality")
_DOB = FIELDS.index("date_of_birth")
_NAMES = frozenset(FIELDS.index(f) for f in ("given_name", "family_name", "father_name"))
#: Fields adjusted by term frequency unless a model file says otherwise.
TF_DEFAULT = ("given_name", "family_name", "father_name", "nationality")
TF_MIN = -6.0
#: Pseudo-records blending a term frequency towards the level's u (small indexes).
TF_PSEUDO = 200.0
MIN_PROB = 1e-6


@dataclass(frozen=True, slots=True)
class FieldContribution:
    """One field's part of a score: its level and log2 Bayes factor (with TF adjustment)."""

    field: str
    level: str
    log2_bayes_factor: float
    tf_adjustment: float = 0.0

    @property
    def weight(self) -> float:
        """Total contribution of the field in bits."""
        return self.log2_bayes_factor + self.tf_adjustment


@dataclass(frozen=True, slots=True)
class Explanation:
    """Waterfall of a score: prior weight, each field's contribution, final weight."""

    prior_weight: float
    contributions: tuple[FieldContribution, ...]
    weight: float
    probability: float

    def waterfall(self) -> str:
        """Human-readable waterfall, one line per step."""
        lines = [f"{'prior':<16} {'':<16} {self.prior_weight:+7.2f}  {self.prior_weight:+7.2f}"]
        running = self.prior_weight
        for c in self.contributions:
            running += c.weight
            tf = f" (tf {c.tf_adjustment:+.2f})" if c.tf_adjustment else ""
            lines.append(f"{c.field:<16} {c.level:<16} {c.weight:+7.2f}  {running:+7.2f}{tf}")
        lines.append(
            f"{'final':<16} {'p=' + format(self.probability, '.4f'):<16} "
            f"{'':7}  {self.weight:+7.2f}"
        )
        return "\n".join(lines)


class TermFrequencies:
    """Counts of name keys (skeletons) and nationalities over the records indexed, overall
    and per nationality; not thread-safe for writes.

    ``counts`` holds, for a name key ``k``, ``k`` (records carrying it), ``"NAT\tk"`` (records
    of nationality NAT carrying it) and ``"NAT\t"`` (records of nationality NAT).
    """

    __slots__ = ("counts", "total")

    def __init__(self, counts: dict[str, int] | None = None, total: int = 0) -> None:
        self.counts: dict[str, int] = counts if counts is not None else {}
        self.total = total

    @staticmethod
    def _keys(f: Features) -> set[str]:
        names = set(f.given_keys) | set(f.family_keys) | set(f.father_keys)
        names |= {SPELLING + t for t in (*f.given, *f.family, *f.father)}
        keys = names | _date_keys(f.dob)
        if not f.nationality:
            return keys
        prefix = f.nationality + "\t"
        return keys | {prefix + k for k in names} | {prefix}

    def add(self, f: Features) -> None:
        """Count one record."""
        self.total += 1
        counts = self.counts
        for k in self._keys(f):
            counts[k] = counts.get(k, 0) + 1

    def remove(self, f: Features) -> None:
        """Uncount one record."""
        self.total -= 1
        for k in self._keys(f):
            n = self.counts.get(k, 0) - 1
            if n > 0:
                self.counts[k] = n
            else:
                self.counts.pop(k, None)

    def tf(self, keys: tuple[str, ...], u: float, nationality: str = "") -> float | None:
        """Frequency of the rarest key of a name part, blended towards ``u``; None if unknown.
        With ``nationality``, among the records of that nationality when there are enough of
        them: "Batoul" agreeing between two Syrians is weaker evidence than its share of a
        registry of many nationalities suggests."""
        if not keys:
            return None
        counts, total, prefix = self.counts, self.total, ""
        if nationality:
            among = counts.get(nationality + "\t", 0)
            if among >= TF_PSEUDO:
                prefix, total = nationality + "\t", among
        n = min(counts.get(prefix + k, 0) for k in keys)
        return (max(n, 1) + TF_PSEUDO * u) / (max(total, 1) + TF_PSEUDO)

    def date_share(self, key: str, precision: int) -> float:
        """Share of the records dated to this precision or finer that fall on ``key``'s
        day, month or year, blended towards an even spread."""
        n = self.counts.get(key, 0)
        total = self.counts.get(_DATE_TOTALS[precision], 0)
        return (n + TF_PSEUDO * _EVEN_SPREAD[precision]) / (total + TF_PSEUDO)

    def years_share(self, first: int, last: int) -> float:
        """Share of the records dated to the year or finer born from ``first`` to ``last``,
        blended towards an even spread."""
        n = sum(self.counts.get(f"@y{year}", 0) for year in range(first, last + 1))
        total = self.counts.get(_DATE_TOTALS[int(Precision.YEAR)], 0)
        even = (last - first + 1) * _EVEN_SPREAD[int(Precision.YEAR)]
        return (n + TF_PSEUDO * even) / (total + TF_PSEUDO)

    def share(self, nationality: str, u: float) -> float:
        """Share of the records of this nationality, blended towards ``u``."""
        n = self.counts.get(nationality + "\t", 0)
        return (n + TF_PSEUDO * u) / (max(self.total, 1) + TF_PSEUDO)


# Birth dates counted at each precision: "@d" + day, "@m" + month, "@y" + year, and the
# number of records known to that precision.
_DATE_TOTALS = {int(Precision.DAY): "@d", int(Precision.MONTH): "@m", int(Precision.YEAR): "@y"}
#: Shares of one day, month and year where too few records are dated (40 years of births).
_EVEN_SPREAD = {
    int(Precision.DAY): 1 / 14_610,
    int(Precision.MONTH): 1 / 480,
    int(Precision.YEAR): 1 / 40,
}
#: Chance that one person's two records agree on the birth date at the precision both know.
DATE_AGREEMENT_M = 0.9
#: Chance that a birth year falls within the window of an age estimate of the same person.
AGE_WINDOW_M = 0.9


def _date_key(dob: DateInterval, precision: int) -> str:
    if precision == Precision.DAY:
        return f"@d{dob.year}-{dob.month}-{dob.day}"
    if precision == Precision.MONTH:
        return f"@m{dob.year}-{dob.month}"
    return f"@y{dob.year}"


def _date_keys(dob: DateInterval | None) -> set[str]:
    if dob is None or dob.precision > Precision.YEAR:
        return set()
    levels = [p for p in _DATE_TOTALS if p >= dob.precision]
    return {_date_key(dob, p) for p in levels} | {_DATE_TOTALS[p] for p in levels}


#: Prefix of a name's exact spelling among the term frequency keys (skeletons have none).
SPELLING = "="
OVERLAP_LEVEL = int(DateLevel.OVERLAP)
EXACT = 0


#: A search's frequency adjustments by field, level and the candidate's name part.
TfMemo: TypeAlias = dict[tuple[Any, ...], float]


def _name_part(f: Features, i: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The tokens and keys of name field ``i`` (empty for other fields)."""
    if i == 0:
        return f.given, f.given_keys
    if i == _FAMILY:
        return f.family, f.family_keys
    if i == _FATHER:
        return f.father, f.father_keys
    return (), ()


def _spellings(f: Features, i: int) -> tuple[str, ...]:
    tokens = f.given if i == 0 else f.family if i == 1 else f.father
    return tuple(SPELLING + t for t in tokens)


def _agreeing_precision(level: int, a: DateInterval | None, b: DateInterval | None) -> int | None:
    """The precision at which two birth dates agree on everything both state (the same day,
    the same month, or the same year where one of them is known to the year only); None
    when they disagree somewhere or are vaguer (estimated from an age)."""
    if a is None or b is None:
        return None
    coarser = max(a.precision, b.precision)
    if level == 0:
        return int(Precision.DAY)
    if level == 3 and coarser == Precision.MONTH:
        return int(Precision.MONTH)
    if level == 4 and coarser == Precision.YEAR:
        return int(Precision.YEAR)
    return None


def _age_window(level: int, a: DateInterval | None, b: DateInterval | None) -> tuple[int, int]:
    """Birth years, seen from ``a``, within which ``b`` agrees with it where one of them is
    an age estimate and the other a date: ``a``'s own window when ``a`` is the estimate,
    else the years whose estimates would hold ``a``'s year. Empty (0, -1) otherwise. Only
    ``a`` decides the window, so a search can reuse the weight across its candidates."""
    if level != OVERLAP_LEVEL or a is None or b is None:
        return 0, -1
    if a.precision == Precision.AGE and b.precision <= Precision.YEAR:
        return a.year - 1 - AGE_TOLERANCE, a.year + AGE_TOLERANCE
    if b.precision == Precision.AGE and a.precision <= Precision.YEAR:
        return a.year - AGE_TOLERANCE, a.year + 1 + AGE_TOLERANCE
    return 0, -1


def _check_probs(name: str, values: Any, n: int) -> tuple[float, ...]:
    if not isinstance(values, list) or len(values) != n:
        raise ModelFormatError(f"{name}: expected a list of {n} probabilities")
    out = []
    for v in values:
        if not isinstance(v, (int, float)) or not 0 < v <= 1:
            raise ModelFormatError(f"{name}: {v!r} is not a probability in (0, 1]")
        out.append(float(v))
    return tuple(out)


@dataclass(frozen=True)
class Model:
    """Fellegi–Sunter parameters. ``m[f][level]`` and ``u[f][level]`` per field ``f``."""

    m: Mapping[str, tuple[float, ...]]
    u: Mapping[str, tuple[float, ...]]
    prior: float = 0.05
    reference_year: int = field(default_factory=default_reference_year)
    tf_fields: tuple[str, ...] = TF_DEFAULT
    trained: bool = False
    #: u per level among *random* pairs for TF fields (defaults to ``u``); the TF
    #: adjustment compares a name's frequency with this population-wide u.
    tf_u: Mapping[str, tuple[float, ...]] | None = None
    #: The 15th of a month means "day unknown" in this population (month only).
    mid_month: bool = False
    _bf: list[list[float]] = field(init=False, repr=False, compare=False)
    _tf_idx: tuple[int, ...] = field(init=False, repr=False, compare=False)
    _nationality_tf: bool = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not 0 < self.prior < 1:
            raise ModelFormatError("prior must be in (0, 1)")
        for name, levels in FIELD_LEVELS.items():
            _check_probs(f"m.{name}", list(self.m.get(name, ())), len(levels))
            _check_probs(f"u.{name}", list(self.u.get(name, ())), len(levels))
        bf = [
            [math.log2(self.m[f][i] / self.u[f][i]) for i in range(len(FIELD_LEVELS[f]))]
            for f in FIELDS
        ]
        object.__setattr__(self, "_bf", bf)
        nationality_tf = "nationality" in self.tf_fields
        object.__setattr__(self, "_nationality_tf", nationality_tf)
        object.__setattr__(
            self,
            "_tf_idx",
            tuple(i for i in TF_FIELDS if FIELDS[i] in self.tf_fields)
            + ((_NATIONALITY,) if nationality_tf else ()),
        )

    @property
    def prior_weight(self) -> float:
        """log2 prior odds."""
        return math.log2(self.prior / (1 - self.prior))

    def bayes_factors(self) -> list[list[float]]:
        """log2(m/u) for every field and level, in :data:`FIELDS` order."""
        return [list(row) for row in self._bf]

    def _tf_adjustment(
        self, i: int, level: int, fa: Features, fb: Features, tf: TermFrequencies | None
    ) -> float:
        if tf is None:
            return 0.0
        if i == _NATIONALITY:
            # Agreeing on the nationality most records share is weak evidence.
            if level != 0 or not self._nationality_tf:
                return 0.0
            u = self.u["nationality"][0]
            return max(TF_MIN, min(TF_CLIP, math.log2(u / tf.share(fa.nationality, u))))
        if level not in TF_LEVELS:
            return 0.0
        # An exact agreement is as rare as the spelling; a variant as the name's skeleton,
        # which many names share ("Hamoud", "Hamid", "Ahmad" are all "hmd").
        if level == EXACT:
            keys_a, keys_b = _spellings(fa, i), _spellings(fb, i)
        else:
            keys_a, keys_b = (
                (fa.given_keys, fb.given_keys)
                if i == 0
                else (fa.family_keys, fb.family_keys)
                if i == 1
                else (fa.father_keys, fb.father_keys)
            )
        # The name's frequency against the average chance of agreeing on that part (the
        # exact level's u), for a variant as for an exact agreement: "Mahmoud" = "محمود"
        # is as common as "Mahmoud" = "Mahmoud". Between two records of one nationality,
        # its frequency among that nationality (the nationality's own evidence is counted
        # separately).
        u = (self.tf_u or self.u)[FIELDS[i]][0]
        same = fa.nationality if self._nationality_tf and fa.nationality == fb.nationality else ""
        ta, tb = tf.tf(keys_a, u, same), tf.tf(keys_b, u, same)
        if ta is None or tb is None:
            return 0.0
        return max(TF_MIN, min(TF_CLIP, math.log2(u / max(ta, tb))))

    def _lineage_share(self, levels: tuple[int, ...]) -> float:
        """Share of the father's-name evidence to keep. Where family names come from a
        father or grandfather, siblings and cousins agree on both: when the family name
        already agrees, an agreeing father's name adds only half its usual evidence."""
        family, father = levels[_FAMILY], levels[_FATHER]
        return LINEAGE_SHARE if 0 <= family <= 1 and 0 <= father <= 1 else 1.0

    def weight(
        self,
        levels: tuple[int, ...],
        fa: Features,
        fb: Features,
        tf: TermFrequencies | None = None,
        prior_weight: float | None = None,
        memo: TfMemo | None = None,
    ) -> float:
        """Match weight (bits) of a comparison vector (``prior_weight`` replaces the
        model's prior, see :meth:`PersonIndex.search`). One search passes the same ``memo``
        for all its candidates (``fa`` and ``tf`` unchanged): a name's frequency adjustment
        is then worked out once per name and level."""
        w = self.prior_weight if prior_weight is None else prior_weight
        share = self._lineage_share(levels)
        among_all = prior_weight is not None
        for i, lv in enumerate(levels):
            if lv >= 0:
                w += self._evidence(i, lv, fa, fb, tf, share, among_all, memo)[0]
        return w

    def _evidence(
        self,
        i: int,
        level: int,
        fa: Features,
        fb: Features,
        tf: TermFrequencies | None,
        share: float,
        among_all: bool,
        memo: TfMemo | None = None,
    ) -> tuple[float, float]:
        """(evidence, of which term frequency adjustment) of field ``i`` at ``level``.
        The lineage share scales the father's name's whole evidence, its frequency included;
        a shared name, however common, is never evidence against. Scored against all the
        records indexed (``among_all``), agreeing birth dates weigh by how many share them
        (see docs/matching.md)."""
        bf = self._bf[i][level]
        if i == _DOB:
            common = _agreeing_precision(level, fa.dob, fb.dob) if among_all and tf else None
            if common is None and among_all and tf is not None:
                first, last = _age_window(level, fa.dob, fb.dob)
                if first <= last:
                    evidence = math.log2(AGE_WINDOW_M / tf.years_share(first, last))
                    return evidence, evidence - bf
            if common is None or fa.dob is None or tf is None:
                return bf, 0.0
            share_of_date = tf.date_share(_date_key(fa.dob, common), common)
            evidence = math.log2(DATE_AGREEMENT_M / share_of_date)
            return evidence, evidence - bf
        adj = 0.0
        if i in self._tf_idx and tf:
            if memo is None:
                adj = self._tf_adjustment(i, level, fa, fb, tf)
            else:
                # all of fb that the adjustment reads (fa and tf are the search's)
                key = (i, level, fb.nationality, *_name_part(fb, i))
                known = memo.get(key)
                if known is None:
                    known = memo[key] = self._tf_adjustment(i, level, fa, fb, tf)
                adj = known
        if i == _FATHER:
            bf, adj = bf * share, adj * share
        if i in _NAMES and level in TF_LEVELS and bf + adj < 0:
            adj = -bf
        return bf + adj, adj

    def explain(
        self,
        levels: tuple[int, ...],
        fa: Features,
        fb: Features,
        tf: TermFrequencies | None = None,
        prior_weight: float | None = None,
    ) -> Explanation:
        """Full explanation (waterfall) of a comparison vector."""
        share = self._lineage_share(levels)
        parts = []
        for i, lv in enumerate(levels):
            name = FIELDS[i]
            if lv < 0:
                parts.append(FieldContribution(name, "missing", 0.0))
                continue
            total, adj = self._evidence(i, lv, fa, fb, tf, share, prior_weight is not None)
            parts.append(FieldContribution(name, FIELD_LEVELS[name][lv], total - adj, adj))
        w = self.weight(levels, fa, fb, tf, prior_weight)
        prior = self.prior_weight if prior_weight is None else prior_weight
        return Explanation(prior, tuple(parts), w, probability(w))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary."""
        return {
            "format": MODEL_FORMAT,
            "prior": self.prior,
            "reference_year": self.reference_year,
            "tf_fields": list(self.tf_fields),
            "trained": self.trained,
            "mid_month": self.mid_month,
            "tf_u": None if self.tf_u is None else {f: list(v) for f, v in self.tf_u.items()},
            "fields": {
                f: {"levels": list(FIELD_LEVELS[f]), "m": list(self.m[f]), "u": list(self.u[f])}
                for f in FIELDS
            },
        }

    @classmethod
    def from_dict(cls, data: Any) -> Model:
        """Inverse of :meth:`to_dict`; raises :class:`ModelFormatError` on bad input."""
        if not isinstance(data, dict) or data.get("format") != MODEL_FORMAT:
            raise ModelFormatError(f"not a {MODEL_FORMAT} model")
        fields_ = data.get("fields")
        if not isinstance(fields_, dict):
            raise ModelFormatError("model has no 'fields' object")
        m: dict[str, tuple[float, ...]] = {}
        u: dict[str, tuple[float, ...]] = {}
        for name, levels in FIELD_LEVELS.items():
            spec = fields_.get(name)
            if not isinstance(spec, dict) or spec.get("levels") != list(levels):
                raise ModelFormatError(f"field {name!r} missing or with other levels")
            m[name] = _check_probs(f"m.{name}", spec.get("m"), len(levels))
            u[name] = _check_probs(f"u.{name}", spec.get("u"), len(levels))
        prior, ref = data.get("prior"), data.get("reference_year")
        if not isinstance(prior, (int, float)) or not isinstance(ref, int):
            raise ModelFormatError("prior or reference_year missing")
        tf_fields = data.get("tf_fields", ["given_name", "family_name", "father_name"])
        if not isinstance(tf_fields, list) or not all(isinstance(x, str) for x in tf_fields):
            raise ModelFormatError("tf_fields must be a list of field names")
        tf_u: dict[str, tuple[float, ...]] | None = None
        raw_tf_u = data.get("tf_u")
        if raw_tf_u is not None:
            if not isinstance(raw_tf_u, dict):
                raise ModelFormatError("tf_u must be an object")
            tf_u = {
                name: _check_probs(f"tf_u.{name}", raw_tf_u.get(name), len(FIELD_LEVELS[name]))
                for name in FIELDS
            }
        return cls(
            m,
            u,
            float(prior),
            ref,
            tuple(tf_fields),
            bool(data.get("trained")),
            tf_u,
            bool(data.get("mid_month", False)),
        )

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the model as JSON."""
        Path(path).write_text(json.dumps(self.to_dict(), indent=2) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Model:
        """Read a model written by :meth:`save`."""
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ModelFormatError(f"cannot read model {path}: {exc}") from None
        return cls.from_dict(data)


def probability(weight: float) -> float:
    """Match probability of a weight in bits."""
    if weight > 60:
        return 1.0
    if weight < -60:
        return 0.0
    odds: float = 2.0**weight
    return odds / (1 + odds)


_DEFAULT_M: dict[str, tuple[float, ...]] = {
    # A quarter of one person's names are written in another transliteration the next
    # time (ADR 0114): a variant is almost as likely as the same spelling.
    "given_name": (0.608, 0.25, 0.05, 0.03, 0.03, 0.03, 0.002),
    "family_name": (0.58, 0.25, 0.05, 0.03, 0.03, 0.03, 0.03),
    "father_name": (0.60, 0.26, 0.05, 0.03, 0.02, 0.03, 0.01),
    "date_of_birth": (0.6745, 0.02, 0.015, 0.03, 0.11, 0.08, 0.045, 0.0235, 0.0005, 0.0015),
    "sex": (0.97, 0.03),
    "nationality": (0.97, 0.03),
    "document_number": (0.64, 0.055, 0.005, 0.30),
    "phone": (0.80, 0.05, 0.15),
    "place_of_origin": (0.60, 0.18, 0.08, 0.06, 0.08),
}
_DEFAULT_U: dict[str, tuple[float, ...]] = {
    "given_name": (0.010, 0.004, 0.004, 0.006, 0.020, 0.020, 0.936),
    "family_name": (0.005, 0.002, 0.003, 0.004, 0.015, 0.020, 0.951),
    "father_name": (0.040, 0.008, 0.006, 0.008, 0.020, 0.020, 0.898),
    "date_of_birth": (0.0004, 0.0001, 0.003, 0.0005, 0.01, 0.05, 0.04, 0.05, 0.15, 0.696),
    "sex": (0.7, 0.3),
    "nationality": (0.6, 0.4),
    "document_number": (1e-5, 5e-4, 0.3, 0.69949),
    "phone": (1e-5, 5e-4, 0.99949),
    "place_of_origin": (0.10, 0.04, 0.07, 0.10, 0.69),
}


def default_model(reference_year: int | None = None) -> Model:
    """Shipped, hand-set parameters so the engine works untrained (see docs/matching.md)."""
    return Model(
        dict(_DEFAULT_M),
        dict(_DEFAULT_U),
        prior=0.003,
        reference_year=reference_year or default_reference_year(),
    )
