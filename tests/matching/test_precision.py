"""Pairs that fooled earlier defaults on the demo population: siblings, people sharing a
father's name, and a name swapped into another field must not look like one person, while
real spelling variants of one person still do."""

import pytest

from hbm.matching import PersonIndex, PersonRecord


def p(**fields: object) -> PersonRecord:
    return PersonRecord(id=str(id(fields)), **fields)  # type: ignore[arg-type]


def score(a: PersonRecord, b: PersonRecord) -> float:
    return PersonIndex().score(a, b).probability


@pytest.mark.parametrize(
    ("a", "b"),
    [
        # a girl and a woman 44 years apart whose family name is the other's father's name
        (
            p(
                given_name="Poni",
                father_name="Wani",
                family_name="Loku",
                sex="F",
                date_of_birth="2023-07-06",
                nationality="SSD",
                place_of_origin="Yei",
            ),
            p(
                given_name="Poni",
                father_name="Ali",
                family_name="Wani",
                sex="F",
                date_of_birth="1979-05-23",
                nationality="SSD",
                place_of_origin="Yei",
            ),
        ),
        # one's given name is the other's family name, nothing else lines up
        (
            p(
                given_name="Ujiga",
                father_name="Bahati",
                family_name="Kasereka",
                sex="F",
                date_of_birth="2025-05",
                nationality="COD",
                place_of_origin="Bunia",
            ),
            p(
                given_name="Esther",
                father_name="Bahati",
                family_name="Ujiga",
                sex="F",
                date_of_birth="2024-10-10",
                nationality="COD",
                place_of_origin="Bunia",
            ),
        ),
        # siblings: same father, family and town, different given names
        (
            p(
                given_name="Daniel",
                father_name="Kenyi",
                family_name="Garang",
                sex="M",
                date_of_birth="2022-11-15",
                nationality="SSD",
                place_of_origin="Juba",
            ),
            p(
                given_name="Ali",
                father_name="Kenyi",
                family_name="Garang",
                sex="M",
                date_of_birth="2022-01-01",
                nationality="SSD",
                place_of_origin="Juba",
            ),
        ),
    ],
)
def test_different_people_stay_apart(a: PersonRecord, b: PersonRecord) -> None:
    assert score(a, b) < 0.5


def test_same_names_born_decades_apart_go_to_a_person_not_an_automatic_merge() -> None:
    # A year typed with its digits swapped (1985/1958) happens; so does a son named after
    # his father. Below the automatic threshold, above nothing: a person decides.
    a = p(
        given_name="Ronald",
        father_name="Isaac",
        family_name="Ayikoru",
        sex="M",
        date_of_birth="1985-01-31",
        nationality="UGA",
        place_of_origin="Paidha",
    )
    b = p(
        given_name="Ronald",
        father_name="Isaac",
        family_name="Ayikoru",
        sex="M",
        date_of_birth="2022-11-06",
        nationality="UGA",
        place_of_origin="Paidha",
    )
    assert score(a, b) < 0.9


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (
            p(
                given_name="Mohammed",
                father_name="Ali",
                family_name="Hassan",
                sex="M",
                date_of_birth="1984-03-12",
                nationality="SSD",
            ),
            p(
                given_name="Muhammad",
                father_name="Ali",
                family_name="Hasan",
                sex="M",
                date_of_birth="1984",
                nationality="SSD",
            ),
        ),
        (
            p(
                given_name="Nyandeng",
                father_name="Garang",
                family_name="Deng",
                sex="F",
                date_of_birth="1990-06-02",
                nationality="SSD",
                place_of_origin="Yei",
            ),
            p(
                given_name="Nyandheng",
                father_name="Garang",
                family_name="Dheng",
                sex="F",
                date_of_birth="1990",
                nationality="SSD",
                place_of_origin="Yei",
            ),
        ),
    ],
)
def test_spelling_variants_of_one_person_still_match(a: PersonRecord, b: PersonRecord) -> None:
    assert score(a, b) > 0.95
