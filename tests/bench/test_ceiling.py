"""The ceiling benchmark (bench/matching/ceiling.py) at small sizes."""

from matching.ceiling import ALERT_RATES, Pairs, learnt_scores, recall_at_alerts
from matching.ceiling import main as ceiling_main


def test_recall_is_read_at_the_bar_of_the_unknown_arrivals():
    # Arrivals 0-1 are known (their own candidate is true), 2-5 unknown.
    pairs = Pairs(
        arrival=[0, 0, 1, 2, 3, 4, 5],
        truth=[True, False, True, False, False, False, False],
        weight=[5.0, 1.0, 2.0, 3.0, 1.0, 0.0, -1.0],
        features=[],
        categorical=[],
    )
    table = recall_at_alerts(pairs, pairs.weight, arrivals=6, half=2)
    # With under a quarter of 4 unknown arrivals alerted, the bar is the best of them (3.0):
    # only the first known arrival's own candidate is above it.
    assert table[0.01][0] == 0.5 and table[0.01][1] == [True, False]
    assert set(table) == set(ALERT_RATES)


def test_the_learnt_model_scores_every_pair_from_the_other_half():
    n = 400
    pairs = Pairs(
        arrival=list(range(n)),
        truth=[i % 3 == 0 for i in range(n)],
        weight=[0.0] * n,
        features=[[float(i % 3 == 0), float(i % 5)] for i in range(n)],
        categorical=[],
    )
    scores = learnt_scores(pairs)
    assert len(scores) == n
    # The label is in the first feature: the model learns it from either half.
    assert min(s for s, t in zip(scores, pairs.truth, strict=True) if t) > max(
        s for s, t in zip(scores, pairs.truth, strict=True) if not t
    )


def test_screening_report(capsys):
    assert ceiling_main(["screening", "--entries", "2000", "--arrivals", "200", "--no-write"]) == 0
    out = capsys.readouterr().out
    assert "| 2.00 % |" in out
    assert "the same document number" in out or "arrival date: full" in out
