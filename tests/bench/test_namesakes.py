"""The namesakes benchmark (bench/matching/namesakes.py) at small sizes: its calibration."""

import json

import pytest
from matching.namesakes import CALIBRATION_BINS, calibration, duplicates, main, markdown, screening

from matching import namesakes


@pytest.fixture(scope="module")
def screened():
    return screening(entries=2_000, arrivals=200, seed=3)


@pytest.fixture(scope="module")
def registered():
    return duplicates(registry=5_000, arrivals=200, seed=3)


def test_calibration_of_a_hand_built_list():
    pairs = [
        (0.0, False),
        (0.005, False),  # [0, 0.01): mean 0.0025, none true
        (0.05, True),  # [0.01, 0.1): 0.05, all true
        (0.2, False),
        (0.2, True),  # [0.1, 0.3): 0.2, half true
        (0.5, True),  # [0.5, 0.7): a lower edge belongs to its bin
        (0.99, False),
        (1.0, True),  # [0.99, 1]: closed at 1
    ]
    c = calibration(pairs)
    bins = {(b["low"], b["high"]): b for b in c["bins"]}
    assert list(bins) == list(zip(CALIBRATION_BINS, (*CALIBRATION_BINS[1:], 1.0), strict=True))
    assert [b["pairs"] for b in c["bins"]] == [2, 1, 2, 0, 1, 0, 0, 2]
    assert bins[0.0, 0.01]["predicted"] == pytest.approx(0.0025)
    assert bins[0.0, 0.01]["observed"] == 0
    assert bins[0.01, 0.1]["observed"] == 1
    assert bins[0.1, 0.3]["predicted"] == pytest.approx(0.2)
    assert bins[0.1, 0.3]["observed"] == 0.5
    assert bins[0.5, 0.7]["observed"] == 1
    assert bins[0.99, 1.0]["predicted"] == pytest.approx(0.995)
    assert bins[0.99, 1.0]["observed"] == 0.5
    assert bins[0.3, 0.5]["predicted"] is None and bins[0.3, 0.5]["observed"] is None
    assert c["pairs"] == 8
    # ECE: (2 * 0.0025 + 1 * 0.95 + 2 * 0.3 + 1 * 0.5 + 2 * 0.495) / 8
    assert c["ece"] == pytest.approx(3.045 / 8)
    # Brier: (0 + 0.005² + 0.95² + 0.2² + 0.8² + 0.5² + 0.99² + 0) / 8
    assert c["brier"] == pytest.approx(2.812625 / 8)


def test_a_calibrated_list_has_no_calibration_error():
    pairs = [(0.8, n < 8) for n in range(10)] + [(0.05, n < 1) for n in range(20)]
    c = calibration(pairs)
    assert c["ece"] == pytest.approx(0.0)
    assert c["brier"] == pytest.approx((10 * 0.16 + 0.95**2 + 19 * 0.05**2) / 30)


def test_no_pairs_no_scores():
    c = calibration([])
    assert c["pairs"] == 0 and c["brier"] is None and c["ece"] is None
    assert [b["pairs"] for b in c["bins"]] == [0] * len(CALIBRATION_BINS)


def _check(c):
    assert len(c["bins"]) == len(CALIBRATION_BINS)
    assert c["pairs"] > 0
    assert sum(b["pairs"] for b in c["bins"]) == c["pairs"]
    for b in c["bins"]:
        if b["pairs"]:
            assert 0 <= b["observed"] <= 1
            assert b["low"] <= b["predicted"] <= b["high"]
        else:
            assert b["predicted"] is None and b["observed"] is None
    assert 0 <= c["ece"] <= 1
    assert 0 <= c["brier"] <= 1
    return round(sum(b["pairs"] * b["observed"] for b in c["bins"] if b["pairs"]))


def test_screening_calibration(screened):
    c = screened.facts["calibration"]
    true = _check(c)
    assert c["pairs"] <= screened.arrivals * c["limit"]
    # The search ran at the lowest threshold: nothing below it is seen.
    assert all(b["pairs"] == 0 for b in c["bins"] if b["high"] <= min(namesakes.THRESHOLDS))
    # Every listed arrival has one own entry; those among the first hits at the lowest
    # threshold are true pairs.
    listed = screened.arrivals // 2
    assert screened.at(min(namesakes.THRESHOLDS))["recall_listed"] * listed <= true <= listed


def test_duplicates_calibration(registered):
    c = registered.facts["calibration"]
    true = _check(c)
    assert c["pairs"] <= registered.arrivals * c["limit"]
    # No threshold: unlikely candidates are seen too, and the true pairs are recall@10.
    assert c["bins"][0]["pairs"] > 0
    assert true == round(registered.facts["recall_at_10"] * (registered.arrivals // 2))


def test_markdown_has_the_calibration_table(screened, registered):
    for report in (screened, registered):
        text = markdown(report, "command")
        table = text[text.index("| predicted probability |") :].strip().splitlines()
        assert len(table) == 2 + len(CALIBRATION_BINS)
        assert table[2].startswith("| [0, 0.01) |") and table[-1].startswith("| [0.99, 1] |")
        assert f"{report.facts['calibration']['pairs']:,} (arrival, candidate) pairs" in text
        assert "Brier score" in text and "expected calibration error" in text


def test_json_carries_the_calibration(tmp_path, capsys):
    out = tmp_path / "run.json"
    argv = ["screening", "--entries", "1000", "--arrivals", "60", "--no-write", "--json", str(out)]
    assert main(argv) == 0
    c = json.loads(out.read_text())["facts"]["calibration"]
    assert sum(b["pairs"] for b in c["bins"]) == c["pairs"] > 0
    assert "| predicted probability |" in capsys.readouterr().out
