"""PersonIndex.name_search: records by name alone, most alike first."""

import threading
from pathlib import Path

import pytest

from hbm.matching import NameMatch, PersonIndex, PersonRecord
from hbm.matching.namesearch import MIN_LIKENESS

PEOPLE = [
    PersonRecord("1", given_name="Baraka", family_name="Kahindo"),
    PersonRecord("2", given_name="Jean-Pierre", family_name="Mukendi"),
    PersonRecord("3", given_name="Mary", family_name="Mabior Deng", other_names="ماري مابيور دينق"),
    PersonRecord("4", given_name="Mohammed", family_name="Hassan", father_name="Ali"),
    PersonRecord("5", given_name="Amani", family_name="Baraka"),
]


@pytest.fixture
def index() -> PersonIndex:
    ix = PersonIndex()
    ix.add_many(PEOPLE)
    return ix


def ids(matches: list[NameMatch]) -> list[str]:
    return [m.id for m in matches]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Baraka", ["5", "1"]),  # equals: the newest first
        ("kahindo", ["1"]),
        ("Kah", ["1"]),
        ("JEAN PIERRE", ["2"]),
        ("Jéan-Piérre", ["2"]),
        ("Mari Mabior Dheng", ["3"]),
        ("ماري مابيور دينق", ["3"]),
        ("محمد حسن", ["4"]),
        ("Ali", ["4"]),  # the father's name
        ("Kahnido", ["1"]),
    ],
)
def test_a_name_is_found_by_any_word_prefix_spelling_or_script(
    index: PersonIndex, query: str, expected: list[str]
) -> None:
    assert ids(index.name_search(query, limit=10)) == expected


def test_likeness_ranks_the_exact_name_first(index: PersonIndex) -> None:
    index.add(PersonRecord("6", given_name="Mari", family_name="Mabior"))
    found = index.name_search("Mary Mabior Deng", limit=10)
    assert ids(found) == ["3", "6"]
    assert found[0].likeness == 1.0 and MIN_LIKENESS <= found[1].likeness < 1.0


def test_nothing_like_the_name_finds_nothing(index: PersonIndex) -> None:
    assert index.name_search("Zwelithini", limit=10) == []
    assert index.name_search("", limit=10) == []
    assert index.name_search("?!", limit=10) == []
    assert PersonIndex().name_search("Baraka", limit=10) == []


def test_among_and_limit_bound_the_results(index: PersonIndex) -> None:
    assert ids(index.name_search("Baraka", limit=10, among=["1", "4", "unknown"])) == ["1"]
    assert ids(index.name_search("Baraka", limit=1)) == ["5"]
    assert index.name_search("Baraka", limit=10, among=[]) == []
    # Either side may be the smaller one: the ids found, or those asked for.
    assert ids(index.name_search("Baraka", limit=10, among={"5"})) == ["5"]
    assert ids(index.name_search("Kahindo", limit=10, among={"1", "2", "3", "4"})) == ["1"]


def test_a_removed_or_replaced_record_is_no_longer_found(index: PersonIndex) -> None:
    index.remove("5")
    index.add(PersonRecord("1", given_name="Baraka", family_name="Mwamba"))
    assert ids(index.name_search("Baraka", limit=10)) == ["1"]
    assert index.name_search("Kahindo", limit=10) == []


def test_a_saved_index_finds_the_same_names(index: PersonIndex, tmp_path: Path) -> None:
    index.remove("2")
    index.save(tmp_path / "ix.bin")
    loaded = PersonIndex.load(tmp_path / "ix.bin")
    for query in ("Baraka", "Kah", "ماري مابيور دينق", "Jean Pierre"):
        assert index.name_search(query, limit=10) == loaded.name_search(query, limit=10)


def test_a_huge_query_is_bounded(index: PersonIndex) -> None:
    assert ids(index.name_search("Baraka " * 5_000, limit=10)) == ["5", "1"]


def test_searches_run_while_records_are_added(index: PersonIndex) -> None:
    def write() -> None:
        for i in range(3_000):
            index.add(PersonRecord(f"w{i}", given_name="Baraka", family_name=f"Kahindo{i}"))

    writer = threading.Thread(target=write)
    writer.start()
    while writer.is_alive():
        found = index.name_search("Baraka Kahindo", limit=5)
        assert found and found[0].id == "1"
    writer.join()
    assert len(index.name_search("Baraka", limit=10_000)) == 3_002
