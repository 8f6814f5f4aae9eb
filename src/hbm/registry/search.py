"""Search for persons by name, ranked by likeness, within the viewer's area of work.

The engine ranks the names (hbm.matching's name search: any part, prefix, misspelling,
script); the database says who is in scope and passes the other filters. When those select
a bounded set of persons, the engine ranks only them, so that the best matches in the
officer's area are found however many namesakes live elsewhere. A broader set (a national
role with few filters) is applied to the engine's ranking instead, a chunk at a time.
"""

from collections.abc import Iterator, Sequence
from typing import overload

from django.db.models import QuerySet

from hbm.accounts.models import User
from hbm.lib.keylists import key_list
from hbm.places.selectors import crossing_point_list
from hbm.registry.crossed_at import crossed_at
from hbm.registry.identity import registry_index
from hbm.registry.models import Person
from hbm.registry.selectors import (
    PERSON_ROW_RELATED,
    PersonFilters,
    person_list,
    persons_in_scope,
)

#: Results of one name search (a page of 50 is shown at a time): past this many, the
#: officer narrows the search.
MAX_RESULTS = 1000
#: Persons in scope read from the database to rank only them; a larger set filters the
#: engine's ranking instead (reading the set costs time in proportion to its size, ADR 0113).
RANK_AMONG_AT_MOST = 50_000
#: With a larger set, the engine's ranking is filtered a chunk at a time, at most its first
#: this many: that set holds a large share of the registry, so its best come early.
FILTER_RANKING_AT_MOST = 100_000
CHUNK = 5_000


def person_ranking(*, user: User, filters: PersonFilters) -> list[tuple[int, float]]:
    """(person pk, likeness) of the persons in scope matching the search, most alike first,
    at most MAX_RESULTS."""
    assert filters.name, "a name search needs a name"
    if _narrows(user, filters):
        if _other_filters(filters):
            among = _bounded_set(user, filters)
            if among is not None:
                matches = registry_index.name_search(
                    filters.name, limit=MAX_RESULTS, among={str(pk) for pk in among}
                )
                return [(int(m.id), m.likeness) for m in matches]
        else:  # the user's scope alone
            ranking = _ranked_in_scope(user, filters)
            if ranking is not None:
                return ranking
        by_row = person_list(user=user, filters=filters, per_row=True).order_by()
        return _kept_in_order(filters.name, by_row, _points(user))
    return _ranking(filters.name, limit=MAX_RESULTS)


def _narrows(user: User, filters: PersonFilters) -> bool:
    return _other_filters(filters) or persons_in_scope(user=user) is not None


def _other_filters(filters: PersonFilters) -> bool:
    others = (
        filters.document_number,
        filters.phone,
        filters.nationality,
        filters.sex,
        filters.crossing_point,
        filters.crossed_since,
        filters.crossed_until,
    )
    return any(others)


def _ranked_in_scope(user: User, filters: PersonFilters) -> list[tuple[int, float]] | None:
    """The ranking among the persons who may have crossed at the user's points, as the
    in-memory crossings say (crossed_at, a superset), checked in the database; None if they
    are more than RANK_AMONG_AT_MOST. Reads no set of persons from the database."""
    points = _points(user)
    assert points is not None, "a scope alone is a local one"
    may_have_crossed = crossed_at.persons(points)
    if len(may_have_crossed) > RANK_AMONG_AT_MOST:
        return None
    matches = registry_index.name_search(
        filters.name,
        limit=MAX_RESULTS + MAX_RESULTS // 10,  # room for the few the database drops
        among={str(pk) for pk in may_have_crossed.tolist()},
    )
    ranked = [(int(m.id), m.likeness) for m in matches]
    narrowed = person_list(user=user, filters=filters).order_by()
    found = set(
        narrowed.filter(pk__in=key_list([pk for pk, _ in ranked])).values_list("pk", flat=True)
    )
    return [item for item in ranked if item[0] in found][:MAX_RESULTS]


def _bounded_set(user: User, filters: PersonFilters) -> list[int] | None:
    """The pks of the persons the filters select, or None if they are more than
    RANK_AMONG_AT_MOST."""
    narrowed = person_list(user=user, filters=filters).order_by()
    among = list(narrowed.values_list("pk", flat=True)[: RANK_AMONG_AT_MOST + 1])
    return among if len(among) <= RANK_AMONG_AT_MOST else None


def _ranking(name: str, *, limit: int) -> list[tuple[int, float]]:
    return [(int(m.id), m.likeness) for m in registry_index.name_search(name, limit=limit)]


def _points(user: User) -> list[int] | None:
    """The user's crossing points, None for national scope."""
    if user.has_national_scope:
        return None
    return list(crossing_point_list(user=user).values_list("pk", flat=True))


def _kept_in_order(
    name: str, narrowed: QuerySet[Person], points: list[int] | None
) -> list[tuple[int, float]]:
    """The engine's ranking, filtered a chunk at a time, read on only while too few of it
    are kept. With ``points``, a chunk is first cut in memory to the persons who may have
    crossed there (crossed_at), and the database checks only those."""
    kept: list[tuple[int, float]] = []
    looked = 0
    may_have_crossed = None if points is None else crossed_at.keeper(points)
    for chunk in registry_index.name_ranking(name, chunk=CHUNK):
        ranked = [(int(record_id), likeness) for record_id, likeness in chunk]
        looked += len(ranked)
        pks = [pk for pk, _ in ranked]
        if may_have_crossed is not None:
            pks = may_have_crossed(pks)
        if pks:
            found = set(narrowed.filter(pk__in=key_list(pks)).values_list("pk", flat=True))
            kept.extend(item for item in ranked if item[0] in found)
        if len(kept) >= MAX_RESULTS or looked >= FILTER_RANKING_AT_MOST:
            break
    return kept[:MAX_RESULTS]


class RankedPersons(Sequence[Person]):
    """A ranking as a list of persons, read from the database a slice (a page) at a time;
    each person carries its ``likeness``. Pages with Django's Paginator and the API's."""

    def __init__(self, ranking: list[tuple[int, float]]) -> None:
        self.ranking = ranking

    def __len__(self) -> int:
        return len(self.ranking)

    @overload
    def __getitem__(self, index: int) -> Person: ...
    @overload
    def __getitem__(self, index: slice) -> list[Person]: ...
    def __getitem__(self, index: int | slice) -> Person | list[Person]:
        if isinstance(index, int):
            return self[index : index + 1 or None][0]
        part = self.ranking[index]
        persons = Person.objects.select_related(*PERSON_ROW_RELATED).in_bulk([pk for pk, _ in part])
        page = []
        for pk, likeness in part:
            person = persons.get(pk)
            if person is not None:  # purged since the ranking
                person.likeness = likeness  # type: ignore[attr-defined]
                page.append(person)
        return page

    def __iter__(self) -> Iterator[Person]:
        for start in range(0, len(self.ranking), CHUNK):
            yield from self[start : start + CHUNK]
