"""The prior of one record among all indexed, and the frequencies that go with it (issue #17):
each rule pinned on named cases."""

from dataclasses import replace

import pytest

from hbm.matching import NameLevel, PersonIndex, PersonRecord, default_model
from hbm.matching.comparisons import compare, features

AMINA = PersonRecord(
    "a",
    given_name="Amina",
    family_name="Hassan",
    father_name="Ibrahim",
    date_of_birth="1990",
    nationality="SDN",
)


def _index(records: list[PersonRecord]) -> PersonIndex:
    index = PersonIndex(default_model(2026))
    index.add_many(records)
    return index


def _strangers(n: int, nationality: str = "SDN", start: int = 0) -> list[PersonRecord]:
    return [
        PersonRecord(
            f"s{i}", given_name=f"Given{i}", family_name=f"Family{i}", nationality=nationality
        )
        for i in range(start, start + n)
    ]


def _field(index: PersonIndex, a: PersonRecord, b: PersonRecord, field: str) -> float:
    return next(c.weight for c in index.score(a, b).contributions if c.field == field)


def test_the_same_evidence_needs_more_as_the_index_grows() -> None:
    small, large = _index([AMINA]), _index([AMINA, *_strangers(20_000)])
    query = replace(AMINA, id="q", father_name="")
    [in_small] = small.search(query, match_share=0.2)
    [in_large] = large.search(query, match_share=0.2)
    assert in_large.probability < in_small.probability
    assert in_large.explanation.prior_weight < in_small.explanation.prior_weight - 10
    # Without a share the model's prior applies, whatever the size (a name search).
    assert large.search(query)[0].explanation.prior_weight == pytest.approx(
        default_model(2026).prior_weight
    )


def test_match_share_is_a_share() -> None:
    index = _index([AMINA])
    for bad in (0.0, 1.0, -0.1, 2.0):
        with pytest.raises(ValueError, match="match_share"):
            index.search(AMINA, match_share=bad)


def test_agreeing_on_the_nationality_most_records_share_is_weak_evidence() -> None:
    index = _index([*_strangers(900, "SDN"), *_strangers(100, "ETH", start=900)])
    sudanese = _field(index, AMINA, replace(AMINA, id="b"), "nationality")
    ethiopian = replace(AMINA, nationality="ETH")
    assert _field(index, ethiopian, replace(ethiopian, id="b"), "nationality") > sudanese + 2


def test_a_name_common_among_its_nationality_counts_less_there() -> None:
    # "Batoul" is 1 % of the index but a third of its Syrians.
    syrians = [
        PersonRecord(f"y{i}", given_name="Batoul" if i % 3 == 0 else f"G{i}", nationality="SYR")
        for i in range(300)
    ]
    index = _index([*syrians, *_strangers(9_700)])
    batoul = PersonRecord("a", given_name="Batoul", family_name="Zein", nationality="SYR")
    stateless = replace(batoul, nationality="")
    among_syrians = _field(index, batoul, replace(batoul, id="b"), "given_name")
    overall = _field(index, stateless, replace(stateless, id="b"), "given_name")
    assert among_syrians < overall - 3


def test_fathers_and_family_name_swapped_still_agree() -> None:
    a = PersonRecord("a", given_name="Mohammad", father_name="Samiullah", family_name="Barakzai")
    b = replace(a, id="b", father_name="Barakzai", family_name="Samiullah")
    fa, fb = features(a, 2026), features(b, 2026)
    assert compare(fa, fb)[:3] == (0, 0, 0)
    different = replace(b, father_name="Karim", family_name="Samiullah")
    _, family, father = compare(fa, features(different, 2026))[:3]
    assert family == father == NameLevel.DIFFERENT, "one name in common is not a swap"


def test_different_documents_of_unknown_types_are_weak_evidence() -> None:
    index = _index([])
    a = replace(AMINA, document_number="P1234567")
    other = replace(a, id="b", document_number="98765432101")
    without = replace(a, id="c", document_number="")
    gap = index.score(a, without).weight - index.score(a, other).weight
    assert 0 < gap < 2
