"""Candidates for a tracing request, ranked, with reasons (docs/decisions/0115).

Three searches of the engine's index: the registry searched for the description of the
person looked for (names, sex, year of birth or age); the names alone (``name_search``: a
description is often a name and little else, which shares no blocking key with anyone);
and — when the enquirer is registered — the enquirer's likely relatives (``relatives()``),
kept when their relation is the one the enquirer gave. A candidate of another sex than the
one described is left out. Every candidate is scored against the description; a name's
likeness counts for at most NAME_ONLY; the score joins the description and the family
evidence (``1 - (1 - description) * (1 - family)``). Like family tracing, the
search covers every crossing point: the person looked for crossed elsewhere, as a rule."""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from hbm.matching import PersonIndex, PersonRecord, Relative
from hbm.matching.family import RELATIONS
from hbm.registry.identity import person_record, registry_index
from hbm.screening.models import TracingRequest
from hbm.screening.tracing_reasons import Reason, description_reason, family_reasons

#: How many candidates one proposal keeps, best first.
CANDIDATES = 10
#: How many results of each search are considered before ranking.
SEARCHED = 30
#: A candidate found by the description only is proposed from this likeness up.
MIN_SCORE = 0.05
#: What names alone can weigh: they tell a family, seldom one person.
NAME_ONLY = 0.5


@dataclass(frozen=True)
class Candidate:
    person_id: int
    score: float
    relation: str
    reasons: list[Reason]


def sought_record(request: TracingRequest, today: date | None = None) -> PersonRecord:
    """The person looked for as the engine's record; an age given when the request was
    opened has grown since."""
    age = request.approximate_age
    if age is not None:
        today = today or timezone.localdate()
        age = min(age + (today - request.created_at.date()).days // 365, 130)
    return PersonRecord(
        id=f"tracing-{request.pk}",
        given_name=request.given_name,
        family_name=request.family_name,
        father_name=request.father_name,
        sex=request.sex,
        date_of_birth=str(request.birth_year) if request.birth_year else "",
        age_estimate=age,
    )


def _family_score(relative: Relative) -> float:
    """The engine's heuristic family score (2 for a patronymic link, 1 more per signal) on
    the same 0–1 scale as a likeness."""
    return relative.score / (relative.score + 2)


def _relatives(index: PersonIndex, request: TracingRequest) -> list[Relative]:
    if request.enquirer is None:
        return []
    found = index.relatives(person_record(request.enquirer), limit=SEARCHED)
    wanted = request.relationship
    if wanted in RELATIONS:
        found = [r for r in found if r.relation == wanted]
    return found


def _names_alike(index: PersonIndex, request: TracingRequest) -> dict[str, float]:
    """Likeness of the names of each record whose names are like the ones described."""
    names = " ".join(n for n in (request.given_name, request.family_name) if n)
    return {m.id: m.likeness for m in index.name_search(names, limit=SEARCHED)}


def _sex_fits(request: TracingRequest, record: PersonRecord) -> bool:
    return not request.sex or record.sex in ("", "X", request.sex)


def _candidate(
    index: PersonIndex,
    request: TracingRequest,
    record: PersonRecord,
    relative: Relative | None,
    name_likeness: float,
) -> Candidate:
    explanation = index.score(sought_record(request), record)
    described = description_reason(explanation)
    likeness = max(explanation.probability if described else 0.0, name_likeness * NAME_ONLY)
    reasons: list[Reason] = [described] if described else []
    family = 0.0
    if relative is not None:
        family = _family_score(relative)
        stated = relative.relation == request.relationship
        reasons += family_reasons(relative.relation, relative.reasons, stated=stated)
    score = 1 - (1 - likeness) * (1 - family)
    return Candidate(
        person_id=int(record.id),
        score=round(score, 3),
        relation=relative.relation if relative else "",
        reasons=reasons,
    )


def find_candidates(request: TracingRequest, *, skip: set[int]) -> list[Candidate]:
    """The best candidates for the request, best first, leaving out the persons in ``skip``
    (the enquirer, those proposed before)."""
    index = registry_index.current()
    by_id: dict[str, tuple[PersonRecord | None, Relative | None]] = {}
    named = _names_alike(index, request)
    for match in index.search(sought_record(request), limit=SEARCHED):
        by_id[match.id] = (match.record, None)
    for record_id in named.keys() - by_id.keys():
        by_id[record_id] = (index.get(record_id), None)
    for relative in _relatives(index, request):
        by_id[relative.id] = (relative.record, relative)
    candidates = [
        _candidate(index, request, record, relative, named.get(record_id, 0.0))
        for record_id, (record, relative) in by_id.items()
        if int(record_id) not in skip and record is not None and _sex_fits(request, record)
    ]
    kept = [c for c in candidates if c.relation or c.score >= MIN_SCORE]
    kept.sort(key=lambda c: (-c.score, c.person_id))
    return kept[:CANDIDATES]
