"""Screening people against the active watchlists with the matching engine. The index of
watchlist entries lives in each process and follows the database, like the registry's."""

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.db.models import QuerySet

from hbm.lib.index_follower import IndexFollower
from hbm.matching import Match, PersonIndex, PersonRecord
from hbm.matching.names import name_tokens
from hbm.registry.identity import person_record
from hbm.registry.models import Person
from hbm.security.models import Hit, WatchlistEntry
from hbm.security.services.hits import Found, record_hits

# The prior of a hit: the share of arrivals expected to be on a list (see PersonIndex.search).
LISTED_SHARE = 0.01
# Recall first, at a hit rate an officer can work: on a caseload screened against 100,000
# listed people, 67 % of listed arrivals and 6 % of unlisted ones raise a hit (ADR 0112).
SCREEN_THRESHOLD = 0.005
HITS_PER_PERSON = 5
CATCH_UP_OVERLAP = timedelta(seconds=10)
PROMPT = "refer_to_security_officer"
PROMPTING_ACTIONS = (WatchlistEntry.Action.REFER, WatchlistEntry.Action.HOLD)
OPEN_OR_UPHELD = (Hit.Status.OPEN, Hit.Status.CONFIRMED, Hit.Status.ESCALATED)


MAX_NAMES = 20


def entry_records(entry: WatchlistEntry) -> list[PersonRecord]:
    """One index record per name of the entry (its structured name, then each full name or
    alias, split by :func:`split_full_name`), so that any of them can match."""
    names = []
    if entry.given_name or entry.family_name:
        names.append((entry.given_name, entry.family_name, entry.father_name))
    for alias in entry.other_names.split(";"):
        if alias.strip():
            given, family, father = split_full_name(alias)
            # A father's name is the person's, not the name's: an alias without one keeps the
            # entry's, or a namesake with another father would match the alias unopposed.
            names.append((given, family, father or entry.father_name))
    return [
        PersonRecord(
            id=f"{entry.pk}:{n}",
            given_name=given,
            family_name=family,
            father_name=father,
            date_of_birth=entry.date_of_birth,
            nationality=entry.nationality,
            document_number=entry.document_number,
        )
        for n, (given, family, father) in enumerate(names[:MAX_NAMES])
    ]


def split_full_name(name: str) -> tuple[str, str, str]:
    """(given, family, father) of a full name: three names are read as given, father's and
    family name, the order of the lists our users screen against (Arabic, Afghan, Horn of
    Africa); otherwise the first name and the rest. Particles stay with their name
    ("Abd al-Qadir Omer" is two names)."""
    tokens = name_tokens(name)
    if len(tokens) == 3:
        return tokens[0], tokens[2], tokens[1]
    return (tokens[0], " ".join(tokens[1:]), "") if tokens else ("", "", "")


class WatchlistIndex(IndexFollower[WatchlistEntry]):
    """Caught up with every committed change; a removed entry stops matching at once. After
    a list of 100,000 entries is loaded, the screenings of the next seconds read their
    stamps, not every screening after them (``overlap_from_last_look``)."""

    model = WatchlistEntry
    overlap = CATCH_UP_OVERLAP
    overlap_from_last_look = True

    def rows(self, objects: QuerySet[Any]) -> QuerySet[WatchlistEntry]:
        return objects.select_related("watchlist")

    def stamp(self, row: WatchlistEntry) -> tuple[int, datetime]:
        return row.pk, row.updated_at

    def records(self, row: WatchlistEntry) -> list[PersonRecord]:
        return entry_records(row) if row.active and row.watchlist.active else []

    def record_ids(self, pk: int) -> list[str]:
        return [f"{pk}:{n}" for n in range(MAX_NAMES)]


watchlist_index = WatchlistIndex()


def screen_persons(persons: list[Person]) -> list[Hit]:
    """New hits for these persons. A pair already decided (a false positive included) is
    never reopened: the unique (person, entry) pair keeps its decision."""
    return record_hits(persons, watchlist_matches(persons))


def screen_registration(persons: list[Person]) -> Callable[[], object] | None:
    """Registration hook: search the watchlists before the registration's transaction opens
    (new persons have no id yet), and record the hits inside it."""
    found = watchlist_matches(persons)
    return (lambda: record_hits(persons, found)) if found else None


def watchlist_matches(persons: list[Person]) -> Found:
    """The entries each person resembles (at most HITS_PER_PERSON, best match per entry)."""
    index = watchlist_index.current()
    if not len(index):
        return []
    found: Found = []
    for person in persons:
        best = entries_like(index, person_record(person))
        found += [(person, entry_id, match) for entry_id, match in best][:HITS_PER_PERSON]
    return found


def entries_like(
    index: PersonIndex, record: PersonRecord, threshold: float = SCREEN_THRESHOLD
) -> list[tuple[int, Match]]:
    """(entry id, best match) of the entries ``record`` resembles, most likely first."""
    best: dict[int, Match] = {}
    for match in index.search(
        record, limit=HITS_PER_PERSON * 3, threshold=threshold, match_share=LISTED_SHARE
    ):
        entry_id = int(match.id.split(":")[0])
        if entry_id not in best or match.probability > best[entry_id].probability:
            best[entry_id] = match
    return list(best.items())


def neutral_flags(persons: list[Person]) -> dict[int, list[str]]:
    """What a registration officer may see: only that a person must see security."""
    # Two statements, not a join: PostgreSQL merged the few hits with the entries' primary
    # key index, walking up to every entry (32 ms a registration with a hit at 100,000).
    hits = list(
        Hit.objects.filter(person__in=persons, status__in=OPEN_OR_UPHELD).values_list(
            "person_id", "entry_id"
        )
    )
    if not hits:
        return {}
    prompting = set(
        WatchlistEntry.objects.filter(
            pk__in={entry for _, entry in hits}, required_action__in=PROMPTING_ACTIONS
        ).values_list("pk", flat=True)
    )
    return {person: [PROMPT] for person, entry in hits if entry in prompting}
