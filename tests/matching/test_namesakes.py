"""The evidence that tells namesakes apart (issue #17): each rule pinned on named cases."""

import time
from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hbm.matching import InvalidRecordError, PersonIndex, PersonRecord, default_model
from hbm.matching.comparisons import FIELDS, compare, features
from hbm.matching.countries import normalize_country

AMINA = PersonRecord(
    "a",
    given_name="Amina",
    family_name="Hassan",
    father_name="Ibrahim",
    sex="F",
    date_of_birth="1990-03-04",
    nationality="SDN",
)


def weight(a: PersonRecord, b: PersonRecord) -> float:
    return PersonIndex(default_model(2026)).score(a, b).weight


def probability(a: PersonRecord, b: PersonRecord) -> float:
    return PersonIndex(default_model(2026)).score(a, b).probability


def level(a: PersonRecord, b: PersonRecord, field: str) -> str:
    expl = PersonIndex(default_model(2026)).score(a, b)
    return next(c.level for c in expl.contributions if c.field == field)


def test_namesakes_with_different_full_dates_are_not_matched() -> None:
    namesake = replace(AMINA, id="b", date_of_birth="1991-08-20")
    assert level(AMINA, namesake, "date_of_birth") == "different_full"
    assert probability(AMINA, namesake) < 0.5
    same_month = replace(AMINA, id="c", date_of_birth="1990-03-20")
    assert probability(AMINA, same_month) < 0.5
    assert probability(AMINA, replace(AMINA, id="d")) > 0.99


def test_namesakes_are_not_matched_in_an_index_either() -> None:
    index = PersonIndex(default_model(2026))
    index.add(AMINA)
    for n, dob in enumerate(("1990-11-17", "1989-03-04", "1990-05-28")):
        found = index.search(replace(AMINA, id=f"q{n}", date_of_birth=dob), threshold=0.5)
        assert found == [], dob


def test_placeholder_dates_mean_the_year_only() -> None:
    a = replace(AMINA, date_of_birth="2016-01-01")
    b = replace(AMINA, id="b", date_of_birth="2016-01-01")
    year_only = replace(AMINA, id="c", date_of_birth="2016")
    assert level(a, b, "date_of_birth") == "same_year"
    assert weight(a, b) == pytest.approx(weight(a, year_only))
    assert (
        weight(a, b)
        < weight(replace(a, date_of_birth="2016-03-04"), replace(b, date_of_birth="2016-03-04")) - 5
    )
    july = replace(AMINA, id="d", date_of_birth="2016-07-01")
    assert level(a, july, "date_of_birth") == "same_year"


def test_a_shared_placeholder_date_no_longer_outweighs_a_different_father() -> None:
    a = replace(AMINA, date_of_birth="2016-01-01")
    b = replace(AMINA, id="b", date_of_birth="2016-01-01", father_name="Yousif")
    parts = {c.field: c.weight for c in PersonIndex(default_model(2026)).score(a, b).contributions}
    assert 0 < parts["date_of_birth"] < 4  # was +10.8 bits as an "exact" date
    assert parts["date_of_birth"] + parts["father_name"] < -2
    assert weight(a, b) < weight(a, replace(b, father_name="")) - 5


def test_mid_month_placeholder_is_a_model_parameter() -> None:
    a = replace(AMINA, date_of_birth="2000-05-15")
    b = replace(AMINA, id="b", date_of_birth="2000-05-22")
    # By default a 15th only agrees with its own month (it may stand for "day unknown")...
    assert level(a, b, "date_of_birth") == "same_month"
    assert level(a, replace(b, date_of_birth="2000-06-22"), "date_of_birth") == "different_full"
    assert level(a, replace(b, date_of_birth="2000-05-15"), "date_of_birth") == "exact"
    # ...with mid_month every 15th is the month only, for a registry that writes it so.
    model = replace(default_model(2026), mid_month=True)
    expl = PersonIndex(model).score(a, replace(b, date_of_birth="2000-05-15"))
    assert next(c.level for c in expl.contributions if c.field == "date_of_birth") == "same_month"


def test_day_month_swap_stays_a_near_match() -> None:
    swapped = replace(AMINA, id="b", date_of_birth="1990-04-03")
    assert level(AMINA, swapped, "date_of_birth") == "day_month_swap"
    assert probability(AMINA, swapped) > 0.99
    typo = replace(AMINA, id="c", date_of_birth="1990-03-05")
    assert level(AMINA, typo, "date_of_birth") == "one_digit"
    assert probability(AMINA, typo) > 0.9


def test_fathers_name_disagreement_lowers_the_score() -> None:
    same = weight(AMINA, replace(AMINA, id="b"))
    unknown = weight(AMINA, replace(AMINA, id="b", father_name=""))
    different = weight(AMINA, replace(AMINA, id="b", father_name="Yousif"))
    assert same > unknown > different + 5
    assert level(AMINA, replace(AMINA, id="b", father_name="Yousif"), "father_name") == "different"


def test_father_name_written_as_family_name_is_no_evidence_against() -> None:
    # "Maryam Hassan, father Hassan" is "Maryam Jaber, father Hassan" written with the
    # patronymic as family name.
    a = replace(AMINA, given_name="Maryam", family_name="Hassan", father_name="Hassan")
    b = replace(AMINA, id="b", given_name="Maryam", family_name="Jaber", father_name="Hassan")
    assert level(a, b, "family_name") == "missing"
    c = replace(b, id="c", father_name="Yousif")
    assert level(a, c, "family_name") == "different"


def test_common_fathers_name_counts_less_than_a_rare_one() -> None:
    index = PersonIndex(default_model(2026))
    index.add_many(
        PersonRecord(f"p{i}", given_name=f"Given{i}", family_name=f"Fam{i}", father_name="Mohammed")
        for i in range(300)
    )
    index.add(PersonRecord("rare", given_name="X", family_name="Y", father_name="Zubayr"))
    common = replace(AMINA, father_name="Mohammed")
    rare = replace(AMINA, father_name="Zubayr")
    tf = {
        name: next(
            c.tf_adjustment
            for c in index.score(r, replace(r, id="b")).contributions
            if c.field == "father_name"
        )
        for name, r in (("common", common), ("rare", rare))
    }
    assert tf["common"] < 0 < tf["rare"]
    index.remove("rare")
    index.add_many(
        PersonRecord(f"z{i}", given_name=f"G{i}", family_name=f"F{i}", father_name="Zubayr")
        for i in range(300)
    )  # the index keeps its frequencies current as it grows
    after = next(
        c.tf_adjustment
        for c in index.score(rare, replace(rare, id="b")).contributions
        if c.field == "father_name"
    )
    assert after < tf["rare"]


@pytest.mark.parametrize("written", ["SD", "sd", "SDN", "Sudan", "sudan ", "Republic of the Sudan"])
def test_nationality_alpha2_alpha3_and_names_agree(written: str) -> None:
    assert normalize_country(written) == "SDN"
    listed = PersonRecord("w", given_name="أمينة", family_name="حسن", nationality=written)
    assert level(AMINA, listed, "nationality") == "agree"


def test_nationality_normalisation_is_total() -> None:
    assert normalize_country("") == ""
    assert normalize_country("  ") == ""
    assert normalize_country("Syria") == normalize_country("SY") == "SYR"
    assert normalize_country("Atlantis") == "ATLANTIS"
    assert level(AMINA, replace(AMINA, id="b", nationality="SS"), "nationality") == "disagree"


def test_a_listed_sudanese_in_arabic_script_from_ftm_is_found() -> None:
    index = PersonIndex(default_model(2026))
    index.add(
        PersonRecord(
            "ftm",
            given_name="أمينة",
            family_name="حسن",
            father_name="إبراهيم",
            date_of_birth="1990-03-04",
            nationality="SD",
            sex="F",
        )
    )
    found = index.search(AMINA, threshold=0.5)
    assert [m.id for m in found] == ["ftm"]


def test_same_document_is_near_decisive() -> None:
    a = replace(AMINA, document_number="P1234567", document_type="passport")
    b = replace(a, id="b", given_name="Amna", date_of_birth="1990")
    no_doc = replace(b, document_number="")
    assert weight(a, b) - weight(a, no_doc) > 15


def test_different_documents_of_the_same_type_lower_the_score_strongly() -> None:
    a = replace(AMINA, document_number="P1234567", document_type="passport")
    same_type = replace(a, id="b", document_number="P7654321")
    untyped = replace(same_type, document_type="")
    other_type = replace(same_type, document_type="national_id")
    missing = replace(same_type, document_number="")
    assert level(a, same_type, "document_number") == "different_same_type"
    assert level(a, untyped, "document_number") == "different"
    assert level(a, other_type, "document_number") == "different"
    assert weight(a, same_type) < weight(a, untyped) - 1.5
    assert weight(a, same_type) < weight(a, missing) - 5
    assert weight(a, untyped) < weight(a, missing)


def test_sex_disagreement_lowers_the_score() -> None:
    assert (
        weight(AMINA, replace(AMINA, id="b", sex="M")) < weight(AMINA, replace(AMINA, id="b")) - 3
    )


# -- bad input ---------------------------------------------------------------------------
def test_a_record_with_only_an_id_gives_no_evidence_and_no_hit() -> None:
    index = PersonIndex(default_model(2026))
    index.add(AMINA)
    empty = PersonRecord("only-id")
    assert index.search(empty) == []
    expl = index.score(empty, AMINA)
    assert expl.weight == pytest.approx(expl.prior_weight)
    assert all(c.level == "missing" for c in expl.contributions)


@pytest.mark.parametrize("bad", ["0000-00-00", "2016-13-45", "2016-02-30", "16-01-01"])
def test_impossible_dates_are_a_clear_error(bad: str) -> None:
    with pytest.raises(InvalidRecordError, match="date_of_birth"):
        PersonRecord("x", given_name="Amina", date_of_birth=bad)
    with pytest.raises(InvalidRecordError, match="date_of_birth"):
        PersonRecord.from_dict({"id": "x", "date_of_birth": bad})


def test_one_character_names_are_weak_evidence() -> None:
    index = PersonIndex(default_model(2026))
    index.add(AMINA)
    index.add(replace(AMINA, id="b", given_name="A", family_name="H", father_name="I"))
    query = PersonRecord("q", given_name="A", family_name="H", nationality="SD")
    found = index.search(query, threshold=0.5)
    assert "a" not in {m.id for m in found}
    expl = index.score(query, AMINA)
    assert expl.probability < 0.5


def test_ten_thousand_character_names_are_bounded() -> None:
    long_token = "a" * 10_000
    many_tokens = " ".join(["Ahmed", "Mohammed", "Ali"] * 1_200)
    index = PersonIndex(default_model(2026))
    index.add(AMINA)
    index.add(PersonRecord("other", given_name=many_tokens, family_name="Ali", father_name="Ali"))
    for n, name in enumerate((long_token, many_tokens)):
        record = PersonRecord(f"long{n}", given_name=name, family_name=name, father_name=name)
        started = time.perf_counter()
        index.add(record)
        assert {m.id for m in index.search(record, threshold=0.5)} <= {"other"}
        assert index.score(record, AMINA).probability < 0.5
        assert time.perf_counter() - started < 2.0


names = st.text(max_size=30)


@settings(max_examples=60, deadline=None)
@given(names, names, names, names, st.sampled_from(["", "SD", "SDN", "Sudan", "xx"]))
def test_any_names_score_to_a_probability_symmetric_in_levels(
    g1: str, f1: str, g2: str, f2: str, nat: str
) -> None:
    a = PersonRecord("a", given_name=g1, family_name=f1, nationality=nat)
    b = PersonRecord("b", given_name=g2, family_name=f2, nationality="SDN")
    expl = PersonIndex(default_model(2026)).score(a, b)
    assert 0.0 <= expl.probability <= 1.0
    fa, fb = features(a, 2026), features(b, 2026)
    assert len(compare(fa, fb)) == len(FIELDS)
    assert compare(fa, fb)[3:] == compare(fb, fa)[3:]


@settings(max_examples=60, deadline=None)
@given(st.dates(min_value=date(1800, 1, 1)), st.dates(min_value=date(1800, 1, 1)))
def test_full_dates_agreeing_never_score_below_disagreeing(d1: date, d2: date) -> None:
    a = replace(AMINA, date_of_birth=d1.isoformat())
    b = replace(AMINA, id="b", date_of_birth=d2.isoformat())
    same = replace(AMINA, id="c", date_of_birth=d1.isoformat())
    assert weight(a, same) >= weight(a, b)


def evidence(expl, field: str) -> float:  # type: ignore[no-untyped-def]
    return next(
        c.log2_bayes_factor + c.tf_adjustment for c in expl.contributions if c.field == field
    )


def test_a_compound_given_name_without_family_name_stays_whole() -> None:
    afghan = PersonRecord("a", given_name="Mir Bari", father_name="Khalil", nationality="AFG")
    listed = PersonRecord("b", given_name="Mir Bari", family_name="Barakzai", nationality="AFG")
    assert level(afghan, listed, "given_name") == "exact"
    assert level(afghan, listed, "family_name") == "missing"
    # a whole name typed as the given name still meets its parts
    typed = PersonRecord("c", given_name="Amina Hassan", nationality="SDN")
    assert level(typed, AMINA, "given_name") == "exact"
    assert level(typed, AMINA, "family_name") == "exact"


def test_a_shared_name_however_common_is_never_evidence_against() -> None:
    index = PersonIndex(default_model(2026))
    for n in range(3000):  # a registry where every other father is a Mohamed
        index.add(replace(AMINA, id=f"r{n}", given_name=f"G{n}", father_name="Mohamed"))
    a = replace(AMINA, id="x", father_name="Mohamed")
    b = replace(AMINA, id="y", father_name="Muhammad", date_of_birth="")
    expl = index.score(a, b)
    assert expl.contributions[FIELDS.index("father_name")].tf_adjustment < 0
    assert evidence(expl, "father_name") >= 0
    assert evidence(index.score(a, replace(b, father_name="Mohamed")), "father_name") >= 0


def test_an_exact_name_is_as_rare_as_its_spelling() -> None:
    # "Hamoud", "Hamid" and "Ahmad" share the skeleton "hmd"; agreeing on "Hamoud" is
    # as strong as Hamoud is rare, not as weak as the skeleton is common
    index = PersonIndex(default_model(2026))
    for n in range(3000):
        family = ("Ahmad", "Hamid", "Hamad")[n % 3] if n % 100 else "Hamoud"
        index.add(replace(AMINA, id=f"r{n}", given_name=f"G{n}", family_name=family))
    a = replace(AMINA, id="x", family_name="Hamoud")
    common = evidence(
        index.score(replace(a, family_name="Ahmad"), replace(a, id="y", family_name="Ahmad")),
        "family_name",
    )
    rare = evidence(index.score(a, replace(a, id="y")), "family_name")
    assert rare > common + 4


def test_agreeing_birth_years_weigh_by_how_many_share_them() -> None:
    index = PersonIndex(default_model(2026))
    for n in range(4000):  # most were born in 1990, few in 1961
        year = 1961 if n % 100 == 0 else 1990
        index.add(
            replace(
                AMINA, id=f"r{n}", given_name=f"G{n}", date_of_birth=f"{year}-05-{n % 28 + 1:02d}"
            )
        )
    prior = index.prior_weight(0.5)

    def date_evidence(year: int) -> float:
        a, b = (
            index.features_of(replace(AMINA, date_of_birth=str(year))),
            index.features_of(replace(AMINA, id="y", date_of_birth=f"{year}-02-03")),
        )
        expl = index.model.explain(compare(a, b), a, b, index.tf, prior)
        assert expl.contributions[FIELDS.index("date_of_birth")].level == "same_year"
        return evidence(expl, "date_of_birth")

    assert date_evidence(1961) > date_evidence(1990) + 5
    # a full date shared by many is weaker evidence than a rare one
    a = index.features_of(replace(AMINA, date_of_birth="1990-05-01"))
    rare = index.features_of(replace(AMINA, date_of_birth="1961-12-30"))
    common_day = index.model.explain(compare(a, a), a, a, index.tf, prior)
    rare_day = index.model.explain(compare(rare, rare), rare, rare, index.tf, prior)
    assert evidence(rare_day, "date_of_birth") > evidence(common_day, "date_of_birth")
    # the model's own weights without the prior among all (batch linking)
    assert evidence(
        index.score(
            replace(AMINA, date_of_birth="1990"), replace(AMINA, id="y", date_of_birth="1990-02-03")
        ),
        "date_of_birth",
    ) == pytest.approx(index.model.bayes_factors()[FIELDS.index("date_of_birth")][4])


def test_an_age_estimate_weighs_by_the_share_born_within_its_window() -> None:
    index = PersonIndex(default_model(2026))
    for n in range(4000):  # most were born around 1990, few around 1961
        year = 1961 if n % 100 == 0 else 1990
        index.add(replace(AMINA, id=f"r{n}", given_name=f"G{n}", date_of_birth=f"{year}-05-02"))
    prior = index.prior_weight(0.5)

    def date_evidence(a: PersonRecord, b: PersonRecord) -> float:
        fa, fb = index.features_of(a), index.features_of(b)
        expl = index.model.explain(compare(fa, fb), fa, fb, index.tf, prior)
        assert expl.contributions[FIELDS.index("date_of_birth")].level == "overlap"
        return evidence(expl, "date_of_birth")

    aged_65 = replace(AMINA, date_of_birth="", age_estimate=65)  # born about 1961
    aged_36 = replace(AMINA, date_of_birth="", age_estimate=36)  # born about 1990
    rare = date_evidence(aged_65, replace(AMINA, id="y", date_of_birth="1962-02-03"))
    common = date_evidence(aged_36, replace(AMINA, id="y", date_of_birth="1989-02-03"))
    assert rare > common + 4
    # seen from the dated side the window is the same
    seen_from_date = date_evidence(replace(AMINA, id="y", date_of_birth="1962-02-03"), aged_65)
    assert seen_from_date == pytest.approx(rare, abs=1.5)
    # two estimates that overlap keep the model's own weight
    both = replace(aged_65, id="y", age_estimate=63)
    expected = index.model.bayes_factors()[FIELDS.index("date_of_birth")][5]
    assert date_evidence(aged_65, both) == pytest.approx(expected)


def test_a_search_weighs_each_candidates_date_kind_apart() -> None:
    # a candidate dated within the estimate's window and one estimated alike meet the
    # query at the same level; each keeps its own evidence
    index = PersonIndex(default_model(2026))
    for n in range(500):
        index.add(replace(AMINA, id=f"r{n}", given_name=f"G{n}", date_of_birth="1990-05-02"))
    index.add(replace(AMINA, id="dated", date_of_birth="1962-02-03"))
    index.add(replace(AMINA, id="estimated", date_of_birth="", age_estimate=63))
    query = replace(AMINA, id="q", date_of_birth="", age_estimate=65)
    found = {m.id: m.weight for m in index.search(query, limit=5, match_share=0.5)}
    for rid in ("dated", "estimated"):
        alone = index.model.weight(
            compare(index.features_of(query), index.features_of(index.get(rid))),
            index.features_of(query),
            index.features_of(index.get(rid)),
            index.tf,
            index.prior_weight(0.5),
        )
        assert found[rid] == pytest.approx(alone)
    assert found["dated"] != pytest.approx(found["estimated"])


def test_a_search_weighs_each_candidates_names_by_their_own_frequency() -> None:
    # A search works out a name's frequency adjustment once per name, spelling, level and
    # nationality (the memo): candidates differing in any of these keep their own weight.
    index = PersonIndex(default_model(2026))
    given = ("Mohamed", "Mohammed", "Mohamed", "Amina", "Mohamed", "Aminah", "Mohamed", "Amina")
    families = ("Hassan", "Hasan", "Osman", "Ali", "Yousif", "Adam", "Idris", "Bakhit")
    for n in range(3000):
        index.add(
            replace(
                AMINA,
                id=f"r{n}",
                given_name=given[n % 8] if n % 25 == 0 else f"Given{n % 300}",
                family_name=families[(n * 3 + n // 8) % 8 if n % 5 else n % 2],
                father_name=("Ibrahim", "Ibrahima", "Brahim", "Musa")[n % 4],
                nationality=("SDN", "SSD", "TCD", "")[(n // 3) % 4],
                date_of_birth="",
                age_estimate=30,
            )
        )
    query = replace(AMINA, id="q", given_name="Mohamed Amina", date_of_birth="", age_estimate=31)
    found = index.search(query, limit=3000, match_share=0.2)
    assert len({round(m.weight, 9) for m in found}) >= 8
    fq = index.features_of(query)
    for match in found:
        fb = index.features_of(match.record)
        alone = index.model.weight(compare(fq, fb), fq, fb, index.tf, index.prior_weight(0.2))
        assert match.weight == alone, match.record
