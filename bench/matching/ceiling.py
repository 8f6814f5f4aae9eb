"""How far any model could go on the namesakes caseload: the engine against a model learnt
from the caseload's own labels.

The namesakes benchmark (``namesakes.py``) builds the same watchlist or registry and the same
arrivals. Here every entry or person the engine compares with an arrival is kept with the
engine's evidence per field (level, bits, term-frequency part), and a gradient-boosted model
(scikit-learn) learns from the labels which pairs are true — with what the engine does not
use besides: how many candidates score about as well (a crowd of namesakes), how far below
the arrival's best this one is, the arrival's date form and original script. It is
cross-fitted: trained on one half of the arrivals and scored on the other, and the other way.

If the learnt model, which knows the answers of half the arrivals, tells listed from unlisted
arrivals no better than the engine, the engine uses the evidence the records carry, and the
recall it reaches at a given alert rate is what these records allow. The table by evidence
shows where that ceiling lies: with a shared full birth date or document, without one.

    PYTHONPATH=src python bench/matching/ceiling.py screening [--entries 100000]
    PYTHONPATH=src python bench/matching/ceiling.py duplicates [--registry 1000000]
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
for _path in (ROOT / "src", ROOT / "bench"):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

from matching._report import machine, write_section  # noqa: E402
from matching.namesakes import (  # noqa: E402
    World,
    _commit,
    _pc,
    _registry_person,
    arguments,
    duplicates_world,
    screening_world,
)

ALERT_RATES = (0.01, 0.02, 0.05, 0.1, 0.2)
#: The alert rate the evidence table is read at: the screening target's.
TABLE_RATE = 0.02
#: Candidates compared per arrival (screening compares every entry the blocking finds).
ALL = 100_000


@dataclass
class Pairs:
    """Every (arrival, candidate) pair compared: its arrival, truth, engine weight and
    features for the learnt model."""

    arrival: list[int]
    truth: list[bool]
    weight: list[float]
    features: list[list[float]]
    categorical: list[int]


def _date_form(value: object) -> int:
    dob = str(value or "")
    if len(dob) == 10:
        return 1 if dob.endswith(("-01-01", "-07-01")) or dob[8:] == "15" else 0
    return 2 if len(dob) == 4 else 3


def compared_pairs(world: World, *, key: Any, **search: Any) -> Pairs:
    """Search every arrival as the product does, without limit or threshold; one pair per
    candidate (``key`` maps a match id to it, keeping the best of an entry's names)."""
    from hbm.registry.identity import person_record

    levels: dict[tuple[str, str], int] = {}
    out = Pairs([], [], [], [], [])
    for n, (row, truth) in enumerate(world.queries):
        record = person_record(_registry_person(row, 10**9 + n))
        best: dict[int, Any] = {}
        for match in world.index.search(record, limit=ALL, threshold=None, **search):
            k = key(match.id)
            if k not in best or match.weight > best[k].weight:
                best[k] = match
        weights = sorted((m.weight for m in best.values()), reverse=True)
        for k, match in best.items():
            x: list[float] = [match.weight]
            for c in match.explanation.contributions:
                code = levels.setdefault((c.field, c.level), len(levels))
                x += [c.log2_bayes_factor + c.tf_adjustment, c.tf_adjustment, code]
            crowd = sum(1 for w in weights if w >= match.weight - 1)
            x += [crowd, weights[0] - match.weight, len(weights)]
            x += [_date_form(row["date_of_birth"]), bool(row["name_original_script"])]
            out.arrival.append(n)
            out.truth.append(k == truth)
            out.weight.append(match.weight)
            out.features.append(x)
    fields = len(out.features[0]) - 6 if out.features else 0
    out.categorical = [1 + 3 * i + 2 for i in range(fields // 3)] + [fields + 4]
    return out


def learnt_scores(pairs: Pairs) -> list[float]:
    """Cross-fitted scores of a gradient-boosted model trained on the labels."""
    import numpy as np
    from sklearn.ensemble import HistGradientBoostingClassifier

    x, y = np.array(pairs.features), np.array(pairs.truth)
    half = np.array(pairs.arrival) % 2
    scores = np.zeros(len(y))
    for fold in (0, 1):
        train = half != fold
        model = HistGradientBoostingClassifier(
            max_iter=400,
            learning_rate=0.05,
            max_leaf_nodes=15,
            l2_regularization=1.0,
            categorical_features=pairs.categorical,
            random_state=0,
        )
        model.fit(x[train], y[train])
        scores[~train] = model.decision_function(x[~train])
    return [float(s) for s in scores]


def recall_at_alerts(
    pairs: Pairs, scores: list[float], arrivals: int, half: int
) -> dict[float, tuple[float, list[bool]]]:
    """Per alert rate: the recall on known arrivals (their own candidate above the score
    that alerts on that share of unknown arrivals) and who was found."""
    best = [float("-inf")] * arrivals
    own = [float("-inf")] * arrivals
    for n, truth, s in zip(pairs.arrival, pairs.truth, scores, strict=True):
        best[n] = max(best[n], s)
        if truth:
            own[n] = s
    unknown = sorted(best[half:], reverse=True)
    out = {}
    for rate in ALERT_RATES:
        bar = unknown[min(len(unknown) - 1, int(rate * len(unknown)))]
        found = [s > bar for s in own[:half]]
        out[rate] = (sum(found) / half, found)
    return out


def report(kind: str, world: World, pairs: Pairs, seconds: float, command: str) -> str:
    arrivals, half = len(world.queries), world.half
    engine = recall_at_alerts(pairs, pairs.weight, arrivals, half)
    learnt = recall_at_alerts(pairs, learnt_scores(pairs), arrivals, half)
    known, unknown = ("listed", "unlisted") if kind == "screening" else ("returning", "new")
    lines = [
        f"## Namesakes: the ceiling of the evidence ({kind})\n",
        f"Machine: {machine()}; commit {_commit()}. Command: `{command}`.\n",
        f"{half:,} {known} and {arrivals - half:,} {unknown} arrivals; {len(pairs.truth):,} "
        "(arrival, candidate) pairs compared. Recall on the "
        f"{known} arrivals when the bar is set so that the given share of {unknown} arrivals "
        "raises an alert: the engine's weight, and a gradient-boosted model trained, "
        "cross-fitted, on the caseload's own labels from the engine's evidence plus the "
        "crowd of candidates and the arrival's date form and script.\n",
        f"| {unknown} arrivals alerted | engine | learnt from the labels |",
        "|---|---|---|",
    ]
    for rate in ALERT_RATES:
        lines.append(f"| {_pc(rate)} | {_pc(engine[rate][0])} | {_pc(learnt[rate][0])} |")
    found = engine[TABLE_RATE][1]
    count: Counter[str] = Counter()
    good: Counter[str] = Counter()
    for tags, ok in zip(world.labels, found, strict=True):
        dates = tuple(sorted(t for t in tags if " date: " in t))
        evidence = (
            "the same document number"
            if "the same document number" in tags
            else "; ".join(dates) or "no dates"
        )
        count[evidence] += 1
        good[evidence] += ok
    lines += [
        f"\nThe engine's recall at {_pc(TABLE_RATE)} of {unknown} arrivals alerted, by the "
        "evidence the two records carry:\n",
        f"| evidence | {known} arrivals | recall |",
        "|---|---|---|",
    ]
    for evidence, n in count.most_common():
        lines.append(f"| {evidence} | {n:,} | {_pc(good[evidence] / n)} |")
    lines.append(f"\nWhole run: {seconds:.0f} s.")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    args = arguments(__doc__.splitlines()[0]).parse_args(argv)
    started = time.perf_counter()
    if args.kind == "screening":
        world = screening_world(entries=args.entries, arrivals=args.arrivals, seed=args.seed)
        from hbm.security.screening import LISTED_SHARE

        pairs = compared_pairs(world, key=lambda i: int(i.split(":")[0]), match_share=LISTED_SHARE)
        size = f"--entries {args.entries}"
    else:
        world = duplicates_world(
            registry=args.registry, arrivals=args.arrivals, seed=args.seed, progress=True
        )
        from hbm.registry.identity import RETURNING_SHARE
        from hbm.registry.services import REGISTRATION_CANDIDATES

        pairs = compared_pairs(
            world,
            key=int,
            match_share=RETURNING_SHARE,
            max_candidates=REGISTRATION_CANDIDATES,
        )
        size = f"--registry {args.registry}"
    command = f"python bench/matching/ceiling.py {args.kind} {size} --arrivals {args.arrivals}"
    body = report(args.kind, world, pairs, time.perf_counter() - started, command)
    print(body)
    if not args.no_write:
        write_section(f"ceiling-{args.kind}", body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
