"""Properties of the caseload population (bench/matching/caseload.py) at small sizes."""

from collections import Counter

import pytest
from matching.caseload import (
    PLACEHOLDER_FORMS,
    Caseload,
    as_record,
    spell,
    written_nationality,
)

from hbm.matching import PersonRecord


@pytest.fixture(scope="module")
def registry():
    return Caseload(seed=5).households(20_000, stream="registry")


def test_same_seed_same_people_and_renderings():
    a, b = Caseload(seed=3), Caseload(seed=3)
    people_a, people_b = a.households(500, stream="r"), b.households(500, stream="r")
    assert people_a == people_b
    rows_a = [a.returning(p, a.rng("x")) for p in people_a[:50]]
    rows_b = [b.returning(p, b.rng("x")) for p in people_b[:50]]
    assert rows_a == rows_b
    assert Caseload(seed=4).households(500, stream="r") != people_a


def test_streams_do_not_shift_each_other():
    small, large = Caseload(seed=3), Caseload(seed=3)
    small.households(100, stream="registry")
    large.households(5_000, stream="registry")
    names = [p.names for p in small.people(50, stream="new")]
    assert names == [p.names for p in large.people(50, stream="new")]


def test_the_most_common_names_are_very_common(registry):
    men = [p for p in registry if p.sex == "M"]
    given = Counter(p.given for p in men)
    top = [share / len(men) for _, share in given.most_common(3)]
    assert all(share >= 0.03 for share in top)  # "Mohammad", "Mohamed", "Mohammed": several %
    assert len(given) > 500  # and a long tail of rarer names
    seen_once = sum(1 for n in given.values() if n == 1)
    assert seen_once > 50


def test_many_new_people_have_a_namesake_but_almost_none_their_birth_day(registry):
    world = Caseload(seed=5)
    names = Counter(p.names for p in registry)
    births = Counter((*p.names, p.birth) for p in registry)
    new = list(world.people(2_000, stream="new"))
    namesakes = sum(p.names in names for p in new) / len(new)
    twins = sum((*p.names, p.birth) in births for p in new) / len(new)
    assert namesakes > 0.1  # about half at 10**6 persons
    assert twins < 0.01


def test_children_share_father_and_family_name_with_their_siblings(registry):
    children: dict[int, list] = {}
    for p in registry:
        if p.role == "child":
            children.setdefault(p.household, []).append(p)
    families = [kids for kids in children.values() if len(kids) >= 2]
    assert len(families) > 1_000
    assert all(len({(k.father, k.family) for k in kids}) == 1 for kids in families)
    world = Caseload(seed=5)
    sibling = world.sibling(families[0][0], world.rng("siblings"))
    assert (sibling.father, sibling.family) == (families[0][0].father, families[0][0].family)
    heads = {p.household: p for p in registry if p.role == "head" and p.sex == "M"}
    fathers = [heads[h] for h, kids in children.items() if h in heads]
    assert all(children[h.household][0].father == h.given for h in fathers)


def test_dates_are_a_registry_mix_of_placeholders_years_and_ages(registry):
    world = Caseload(seed=5)
    rng = world.rng("dates")
    rows = [world.registration(p, rng) for p in registry[:5_000]]
    dates = Counter(str(r["date_of_birth"]) for r in rows)
    jan1 = sum(n for d, n in dates.items() if d.endswith("-01-01")) / len(rows)
    jul1 = sum(n for d, n in dates.items() if d.endswith("-07-01")) / len(rows)
    year_only = sum(n for d, n in dates.items() if len(d) == 4) / len(rows)
    age_only = sum(1 for r in rows if not r["date_of_birth"] and r["age_estimate"] is not None)
    missing = dates[""] / len(rows)
    assert 0.2 < jan1 < 0.35
    assert 0.04 < jul1 < 0.1
    assert 0.05 < year_only < 0.15
    assert 0.05 < age_only / len(rows) < 0.12
    assert 0.1 < missing < 0.25
    assert set(PLACEHOLDER_FORMS) == {"jan1", "jul1", "mid", "from_age"}


def test_renderings_are_valid_records_with_variants(registry):
    world = Caseload(seed=5)
    rng = world.rng("variants")
    changed = 0
    for n, person in enumerate(registry[:2_000]):
        first = as_record(world.registration(person, rng), f"a{n}")
        again = as_record(world.returning(person, rng), f"b{n}")
        assert isinstance(again, PersonRecord)
        changed += (first.given_name, first.father_name, first.family_name) != (
            again.given_name,
            again.father_name,
            again.family_name,
        )
    assert 0.3 < changed / 2_000 < 0.9
    scripts = [world.registration(p, rng)["name_original_script"] for p in registry[:2_000]]
    assert any("محمد" in str(s) for s in scripts)


def test_transliterations_and_nationality_forms():
    world = Caseload(seed=1)
    rng = world.rng("spell")
    spellings = {spell(rng, "Mohammad", 1.0) for _ in range(200)}
    assert {"Mohammed", "Muhammad", "Mohamed"} <= spellings
    assert "Abdurrahman" in {spell(rng, "Abdul Rahman", 1.0) for _ in range(200)}
    assert written_nationality("SDN", "alpha2") == "SD"
    assert written_nationality("SDN", "name") == "Sudan"
    entries = [world.watchlist_entry(p, rng) for p in world.households(1_000, stream="listed")]
    forms = Counter(len(str(e["nationality"])) for e in entries)
    assert forms[2] > 200 and forms[3] > 400  # FollowTheMoney's alpha-2 beside alpha-3
