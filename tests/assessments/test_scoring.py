from decimal import Decimal

from hbm.assessments.scoring import IndicatorScore, compute, deltas

DIMS = [("A", "Alpha"), ("B", "Beta"), ("C", "Gamma")]


def item(code, dim, level, weight="1", na=False):
    return IndicatorScore(code, f"question {code}", dim, Decimal(weight), level, na)


def test_a_dimension_is_weighted_points_over_four_times_the_weights():
    results = compute(DIMS, [item("A1", "A", 4, "2"), item("A2", "A", 1, "1")])
    alpha = results.by_code()["A"]
    # (2×4 + 1×1) / (4×2 + 4×1) = 9/12
    assert alpha.percentage == Decimal("75.0")
    assert (alpha.points, alpha.max_points) == (Decimal(9), Decimal(12))


def test_not_applicable_and_unscored_indicators_are_left_out():
    results = compute(
        DIMS,
        [
            item("A1", "A", 3),
            item("A2", "A", None, na=True),
            item("A3", "A", None),
            item("B1", "B", None, na=True),
        ],
    )
    alpha, beta, gamma = results.dimensions
    assert alpha.percentage == Decimal("75.0")
    assert (alpha.applicable, alpha.not_applicable, alpha.unscored) == (1, 1, 1)
    assert beta.percentage is None and gamma.percentage is None
    assert results.overall == Decimal("75.0") and results.unscored == 1


def test_overall_weighs_indicators_not_dimensions():
    results = compute(
        DIMS,
        [item("A1", "A", 4), item("B1", "B", 0), item("B2", "B", 0), item("B3", "B", 0)],
    )
    assert results.by_code()["A"].percentage == Decimal("100.0")
    assert results.by_code()["B"].percentage == Decimal("0.0")
    assert results.overall == Decimal("25.0")  # 4 / 16, not the mean of 100 and 0


def test_percentages_round_half_up_to_one_place():
    results = compute(DIMS, [item("A1", "A", 1), item("A2", "A", 1), item("A3", "A", 0)])
    assert results.by_code()["A"].percentage == Decimal("16.7")  # 2/12


def test_gaps_put_the_lowest_scores_of_the_heaviest_indicators_first():
    results = compute(
        DIMS,
        [
            item("A1", "A", 0, "1"),
            item("A2", "A", 1, "2"),
            item("B1", "B", 4, "3"),
            item("B2", "B", 0, "2"),
            item("C1", "C", 3, "1"),
            item("C2", "C", None, "5", na=True),
        ],
    )
    assert [s.code for s in results.strengths] == ["B1", "C1"]
    assert [(g.code, g.priority) for g in results.gaps] == [
        ("B2", Decimal(8)),
        ("A2", Decimal(6)),
        ("A1", Decimal(4)),
        ("C1", Decimal(1)),
    ]


def test_deltas_per_dimension_and_overall():
    before = compute(DIMS, [item("A1", "A", 1), item("B1", "B", 2)])
    after = compute(DIMS, [item("A1", "A", 3), item("B1", "B", 2)])
    rows = {row.code: row for row in deltas(before, after)}
    assert rows["A"].change == Decimal("50.0")
    assert rows["B"].change == Decimal("0.0")
    assert rows["C"].change is None
    assert rows["overall"].change == Decimal("25.0")
