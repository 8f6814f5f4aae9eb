"""Unsupervised training of a :class:`Model` by expectation–maximisation.

``u`` is estimated from random record pairs (almost all non-matches); ``m`` and the prior
are estimated by EM over the candidate pairs produced by blocking, with ``u`` fixed (the
approach Splink documents). Estimates are smoothed towards the starting model with a
pseudo-count so that levels never seen do not get zero probability.

Unsupervised EM can converge to the wrong split (e.g. "same given name" instead of "same
person") on dense data. A trained model in which agreeing on a field is evidence *against*
a match is therefore rejected and the starting model kept (``TrainingReport.accepted``).
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from hbm.matching.blocking import BATCH_KEY_CAP, candidate_pairs
from hbm.matching.comparisons import FIELD_LEVELS, FIELDS, Features, compare, features
from hbm.matching.records import PersonRecord
from hbm.matching.scoring import MIN_PROB, Model, default_model

Vector = tuple[int, ...]
#: Pseudo-count pulling candidate-pair u towards the random-pair u (few non-matches).
PSEUDO_U = 1000.0


@dataclass(frozen=True, slots=True)
class TrainingReport:
    """What training did."""

    candidate_pairs: int
    random_pairs: int
    iterations: int
    converged: bool
    accepted: bool = True
    reason: str = ""


def implausible(model: Model, vectors: Counter[Vector]) -> list[str]:
    """Fields where the trained model says agreement is evidence *against* a match (or
    disagreement evidence *for* one): the sign that EM latched onto the wrong split."""
    bad: list[str] = []
    for fi, name in enumerate(FIELDS):
        seen = sum(n for vec, n in vectors.items() if vec[fi] >= 0)
        if seen == 0:
            continue
        m, u = model.m[name], model.u[name]
        if m[0] < u[0] or m[-1] > u[-1]:
            bad.append(name)
    return bad


def estimate_u(
    vectors: Counter[Vector], base: Model, pseudo: float = 1.0
) -> dict[str, tuple[float, ...]]:
    """u per field and level from comparison vectors of random pairs."""
    u: dict[str, tuple[float, ...]] = {}
    for fi, name in enumerate(FIELDS):
        n_levels = len(FIELD_LEVELS[name])
        counts = [pseudo * base.u[name][lv] for lv in range(n_levels)]
        for vec, n in vectors.items():
            if vec[fi] >= 0:
                counts[vec[fi]] += n
        total = sum(counts)
        u[name] = tuple(max(c / total, MIN_PROB) for c in counts)
    return u


def run_em(
    vectors: Counter[Vector],
    start: Model,
    *,
    max_iter: int = 100,
    tol: float = 1e-5,
    pseudo: float = 10.0,
    pseudo_u: float = PSEUDO_U,
    fix_u: bool = False,
) -> tuple[Model, int, bool]:
    """EM for m, u and the prior over candidate pairs. Returns (model, iterations, converged).

    ``u`` starts from ``start.u`` (random pairs) and, unless ``fix_u``, is re-estimated among
    the candidate pairs: scores are only ever computed for candidate pairs, so the model
    describes that population (and its prior is the share of matches among candidates).
    """
    items = list(vectors.items())
    total = sum(n for _, n in items)
    if total == 0:
        return start, 0, True
    m = {f: list(start.m[f]) for f in FIELDS}
    u = {f: list(start.u[f]) for f in FIELDS}
    prior = min(max(start.prior, 1e-4), 0.5)
    converged = False
    it = 0
    for it in range(1, max_iter + 1):  # noqa: B007 (it is reported after the loop)
        acc = {f: [pseudo * start.m[f][lv] for lv in range(len(FIELD_LEVELS[f]))] for f in FIELDS}
        acc_u = {
            f: [pseudo_u * start.u[f][lv] for lv in range(len(FIELD_LEVELS[f]))] for f in FIELDS
        }
        expected = 0.0
        for vec, n in items:
            pm, pu = prior, 1 - prior
            for fi, lv in enumerate(vec):
                if lv >= 0:
                    name = FIELDS[fi]
                    pm *= m[name][lv]
                    pu *= u[name][lv]
            p = pm / (pm + pu) if pm + pu > 0 else 0.0
            w = p * n
            expected += w
            for fi, lv in enumerate(vec):
                if lv >= 0:
                    acc[FIELDS[fi]][lv] += w
                    acc_u[FIELDS[fi]][lv] += n - w
        change = 0.0
        for name in FIELDS:
            s = sum(acc[name])
            new = [max(a / s, MIN_PROB) for a in acc[name]]
            change = max(change, max(abs(a - b) for a, b in zip(new, m[name], strict=True)))
            m[name] = new
            if not fix_u:
                s = sum(acc_u[name])
                new = [max(a / s, MIN_PROB) for a in acc_u[name]]
                change = max(change, max(abs(a - b) for a, b in zip(new, u[name], strict=True)))
                u[name] = new
        new_prior = min(max(expected / total, 1e-6), 0.999)
        change = max(change, abs(new_prior - prior))
        prior = new_prior
        if change < tol:
            converged = True
            break
    model = Model(
        {f: tuple(v) for f, v in m.items()},
        {f: tuple(v) for f, v in u.items()},
        prior,
        start.reference_year,
        start.tf_fields,
        trained=True,
        tf_u=start.tf_u or dict(start.u),
    )
    return model, it, converged


def vectors_of(pairs: Iterable[tuple[int, int]], feats: Sequence[Features]) -> Counter[Vector]:
    """Comparison vectors of pairs, aggregated with counts."""
    return Counter(compare(feats[i], feats[j]) for i, j in pairs)


def train(
    records: Sequence[PersonRecord],
    start: Model | None = None,
    *,
    random_pairs: int = 50_000,
    max_candidate_pairs: int = 1_000_000,
    seed: int = 0,
    cap: int = BATCH_KEY_CAP,
) -> tuple[Model, TrainingReport]:
    """Train a model on unlabelled records (dedupe setting). Deterministic for a seed."""
    base = start or default_model()
    feats = [features(r, base.reference_year) for r in records]
    return train_features(
        feats,
        base,
        random_pairs=random_pairs,
        max_candidate_pairs=max_candidate_pairs,
        seed=seed,
        cap=cap,
    )


def train_features(
    feats: Sequence[Features],
    base: Model,
    *,
    random_pairs: int = 50_000,
    max_candidate_pairs: int = 1_000_000,
    seed: int = 0,
    cap: int = BATCH_KEY_CAP,
    pairs: Iterable[tuple[int, int]] | None = None,
    vectors: Counter[Vector] | None = None,
) -> tuple[Model, TrainingReport]:
    """Train from precomputed features (and optionally candidate pairs or their vectors)."""
    rng = random.Random(seed)
    n = len(feats)
    rand: Counter[Vector] = Counter()
    if n >= 2:
        for _ in range(random_pairs):
            i, j = rng.randrange(n), rng.randrange(n)
            if i != j:
                rand[compare(feats[i], feats[j])] += 1
    u = estimate_u(rand, base) if rand else dict(base.u)
    start = Model(dict(base.m), u, base.prior, base.reference_year, base.tf_fields)
    if vectors is None:
        cand = sorted(pairs if pairs is not None else candidate_pairs(feats, cap))
        if len(cand) > max_candidate_pairs:
            cand = rng.sample(cand, max_candidate_pairs)
        vectors = vectors_of(cand, feats)
    model, iters, ok = run_em(vectors, start)
    bad = implausible(model, vectors)
    n_cand, n_rand = sum(vectors.values()), sum(rand.values())
    if bad:
        reason = (
            "EM result rejected (agreement would count against a match on "
            + ", ".join(bad)
            + "); the starting model is kept"
        )
        return base, TrainingReport(n_cand, n_rand, iters, ok, False, reason)
    return model, TrainingReport(n_cand, n_rand, iters, ok)
