"""Family tracing: propose likely parents, children, siblings and spouses of a person.

Signals: the patronymic chain (a child's ``father_name`` is the father's ``given_name``),
a shared family name, a shared father's name (siblings), a shared phone (household),
a shared place of origin, and compatible birth years (parents 14–70 years older,
siblings within 25 years, spouses within 20 years and of the other sex).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from hbm.matching.comparisons import Features
from hbm.matching.dates import Precision
from hbm.matching.names import NameLevel, align_tokens
from hbm.matching.records import PersonRecord

#: The relations ``relatives`` proposes (a Relative's ``relation``).
RELATIONS = ("parent", "child", "sibling", "spouse")
_NAME_OK = NameLevel.FUZZY


@dataclass(frozen=True, slots=True)
class Relative:
    """A proposed relative with the relation *to the query* and the reasons for it."""

    id: str
    relation: str
    score: float
    reasons: tuple[str, ...]
    record: PersonRecord


def birth_year(f: Features) -> float | None:
    """Best guess of the birth year (middle of the interval), or None."""
    if f.dob is None:
        return None
    if f.dob.precision == Precision.AGE:
        return f.dob.year + 0.5
    return float(f.dob.year)


def _names_agree(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    return bool(a) and bool(b) and align_tokens(a, b)[0] <= _NAME_OK


def _gap(q: Features, c: Features) -> float | None:
    yq, yc = birth_year(q), birth_year(c)
    return None if yq is None or yc is None else yq - yc


def assess(q: Features, c: Features) -> list[tuple[str, float, tuple[str, ...]]]:
    """Possible relations of candidate ``c`` to query ``q`` with scores and reasons."""
    out: list[tuple[str, float, tuple[str, ...]]] = []
    gap = _gap(q, c)  # positive: candidate is older
    common: list[str] = []
    if _names_agree(q.family, c.family):
        common.append("shared family name")
    if q.place and q.place == c.place:
        common.append("shared place of origin")
    if q.phone and q.phone == c.phone:
        common.append("shared phone")
    # candidate is the query's father: c.given == q.father
    if _names_agree(q.father, c.given) and c.sex != "F" and (gap is None or 14 <= gap <= 70):
        reasons = ["patronymic: query's father_name is candidate's given_name", *common]
        if gap is not None:
            reasons.append(f"candidate {gap:.0f} years older")
        out.append(("parent", 2.0 + len(common) + (gap is not None), tuple(reasons)))
    # candidate is the query's child: c.father == q.given
    if _names_agree(c.father, q.given) and q.sex != "F" and (gap is None or -70 <= gap <= -14):
        reasons = ["patronymic: candidate's father_name is query's given_name", *common]
        if gap is not None:
            reasons.append(f"candidate {-gap:.0f} years younger")
        out.append(("child", 2.0 + len(common) + (gap is not None), tuple(reasons)))
    # siblings: same father's name (and not the same person)
    if _names_agree(q.father, c.father) and (gap is None or abs(gap) <= 25):
        reasons = ["same father_name", *common]
        if gap is not None:
            reasons.append(f"birth years {abs(gap):.0f} apart")
        if common:
            out.append(("sibling", 1.0 + len(common) + (gap is not None), tuple(reasons)))
    # spouse: other sex, adults of similar age, same household signal
    if (
        q.sex
        and c.sex
        and q.sex != c.sex
        and (gap is None or abs(gap) <= 20)
        and ("shared phone" in common or len(common) >= 2)
    ):
        reasons = ["other sex", *common]
        if gap is not None:
            reasons.append(f"birth years {abs(gap):.0f} apart")
        out.append(("spouse", 0.5 + len(common), tuple(reasons)))
    return out


def same_person(q: Features, c: Features) -> bool:
    """True when two records look like the same person rather than relatives."""
    return (
        _names_agree(q.given, c.given)
        and _names_agree(q.family, c.family)
        and (not q.father or not c.father or _names_agree(q.father, c.father))
    )


def find_relatives(
    q: Features,
    query_id: str,
    candidates: Iterable[int],
    get: Callable[[int], tuple[PersonRecord | None, Features | None]],
    limit: int,
) -> list[Relative]:
    """Assess candidate slots and return the best relatives, best first."""
    best: dict[tuple[str, str], Relative] = {}
    for slot in set(candidates):
        rec, f = get(slot)
        if rec is None or f is None or rec.id == query_id or same_person(q, f):
            continue
        for relation, score, reasons in assess(q, f):
            key = (rec.id, relation)
            if key not in best or best[key].score < score:
                best[key] = Relative(rec.id, relation, score, reasons, rec)
    ranked = sorted(best.values(), key=lambda r: (-r.score, r.relation, r.id))
    return ranked[:limit]
