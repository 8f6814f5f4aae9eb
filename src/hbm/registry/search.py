"""Search for persons by name, ranked by likeness, within the viewer's area of work.

The engine ranks the names (hbm.matching's name search: any part, prefix, misspelling,
script); the database says who is in scope and passes the other filters. When those select
a bounded set of persons, the engine ranks only them, so that the best matches in the
officer's area are found however many namesakes live elsewhere. A broader set (a national
role with few filters) is applied to the engine's ranking instead, a chunk at a time.
"""

from collections.abc import Iterator, Sequence
from typing import Any, overload

from django.db.models import QuerySet

from hbm.registry.identity import registry_index
from hbm.registry.models import Person
from hbm.registry.selectors import PersonFilters, person_list, persons_in_scope

#: Results of one name search (a page of 50 is shown at a time): past this many, the
#: officer narrows the search.
MAX_RESULTS = 1000
#: Persons in scope read from the database to rank only them; a larger set filters the
#: engine's ranking instead.
RANK_AMONG_AT_MOST = 200_000
#: With a larger set, the engine's ranking (its first this many) is filtered a chunk at a
#: time: that set holds a large share of the registry, so its best come early.
FILTER_RANKING_AT_MOST = 100_000
CHUNK = 5_000


def person_ranking(*, user: Any, filters: PersonFilters) -> list[tuple[int, float]]:
    """(person pk, likeness) of the persons in scope matching the search, most alike first,
    at most MAX_RESULTS."""
    assert filters.name, "a name search needs a name"
    narrowed = person_list(user=user, filters=filters).order_by()
    if _narrows(user, filters):
        among = list(narrowed.values_list("pk", flat=True)[: RANK_AMONG_AT_MOST + 1])
        if len(among) <= RANK_AMONG_AT_MOST:
            matches = registry_index.name_search(
                filters.name, limit=MAX_RESULTS, among={str(pk) for pk in among}
            )
            return [(int(m.id), m.likeness) for m in matches]
        return _kept_in_order(_ranking(filters.name, limit=FILTER_RANKING_AT_MOST), narrowed)
    return _ranking(filters.name, limit=MAX_RESULTS)


def _narrows(user: Any, filters: PersonFilters) -> bool:
    others = (
        filters.document_number,
        filters.phone,
        filters.nationality,
        filters.sex,
        filters.crossing_point,
        filters.crossed_since,
        filters.crossed_until,
    )
    return any(others) or persons_in_scope(user=user) is not None


def _ranking(name: str, *, limit: int) -> list[tuple[int, float]]:
    return [(int(m.id), m.likeness) for m in registry_index.name_search(name, limit=limit)]


def _kept_in_order(
    ranking: list[tuple[int, float]], narrowed: QuerySet[Person]
) -> list[tuple[int, float]]:
    kept: list[tuple[int, float]] = []
    for start in range(0, len(ranking), CHUNK):
        chunk = ranking[start : start + CHUNK]
        found = set(narrowed.filter(pk__in=[pk for pk, _ in chunk]).values_list("pk", flat=True))
        kept.extend(item for item in chunk if item[0] in found)
        if len(kept) >= MAX_RESULTS:
            return kept[:MAX_RESULTS]
    return kept


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
        persons = Person.objects.select_related("nationality", "first_crossing_point").in_bulk(
            [pk for pk, _ in part]
        )
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
