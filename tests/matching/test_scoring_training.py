import json
import math
from pathlib import Path

import pytest

from hbm.matching import (
    Model,
    ModelFormatError,
    PersonIndex,
    PersonRecord,
    dedupe,
    default_model,
    train,
)
from hbm.matching.comparisons import FIELDS, compare, features

A = PersonRecord(
    "a",
    given_name="Mohammed",
    family_name="Hassan",
    date_of_birth="1990-03-04",
    sex="M",
    nationality="SYR",
)
B = PersonRecord("b", given_name="محمد", family_name="حسن", date_of_birth="1990-04-03", sex="M")
C = PersonRecord("c", given_name="Nguyen", family_name="Van", date_of_birth="1960", sex="F")


def test_explanation_waterfall_adds_up() -> None:
    ix = PersonIndex()
    ex = ix.score(A, B)
    total = ex.prior_weight + sum(c.weight for c in ex.contributions)
    assert math.isclose(total, ex.weight)
    assert 0 < ex.probability < 1
    assert [c.field for c in ex.contributions] == list(FIELDS)
    assert "date_of_birth" in ex.waterfall() and "final" in ex.waterfall()
    assert ix.score(A, B).probability > 0.9 > ix.score(A, C).probability


def test_symmetric_scores() -> None:
    m = default_model(2026)
    for x, y in [(A, B), (A, C), (B, C)]:
        fx, fy = features(x, 2026), features(y, 2026)
        assert compare(fx, fy) == compare(fy, fx)
        assert math.isclose(m.weight(compare(fx, fy), fx, fy), m.weight(compare(fy, fx), fy, fx))


def test_em_recovers_sensible_parameters(synthetic) -> None:  # type: ignore[no-untyped-def]
    recs, truth = synthetic
    model, report = train(recs, default_model(2026), seed=1)
    assert report.converged and model.trained
    # agreement is far more likely among matches than non-matches
    for f in ("given_name", "family_name", "date_of_birth", "document_number"):
        assert model.m[f][0] > model.u[f][0]
    assert model.m["date_of_birth"][-1] < model.u["date_of_birth"][-1]
    # m for exact date: ~ share of duplicates keeping the full date (about 0.7 generated)
    assert 0.5 < model.m["date_of_birth"][0] < 0.95
    res = dedupe(recs, model=model)
    found = {tuple(sorted((p.id_l, p.id_r))) for p in res.pairs}
    tp = len(found & truth)
    assert tp / len(found) > 0.95 and tp / len(truth) > 0.9


def test_model_json_round_trip(tmp_path: Path, synthetic) -> None:  # type: ignore[no-untyped-def]
    model, _ = train(synthetic[0][:600], default_model(2026), random_pairs=5000)
    path = tmp_path / "m.json"
    model.save(path)
    again = Model.load(path)
    assert again.to_dict() == model.to_dict()
    data = json.loads(path.read_text())
    data["fields"]["sex"]["m"] = [0.5]
    path.write_text(json.dumps(data))
    with pytest.raises(ModelFormatError):
        Model.load(path)
    path.write_text("{not json")
    with pytest.raises(ModelFormatError):
        Model.load(path)


def test_online_equals_batch(synthetic) -> None:  # type: ignore[no-untyped-def]
    recs, _truth = synthetic
    model = default_model(2026)
    res = dedupe(recs, model=model, threshold=0.0)
    ix = PersonIndex(model)
    ix.add_many(recs)
    byid = {r.id: r for r in recs}
    checked = 0
    for p in res.pairs[:300]:
        hits = {m.id: m for m in ix.search(byid[p.id_l], limit=1000)}
        if p.id_r in hits:
            assert math.isclose(hits[p.id_r].weight, p.weight, abs_tol=1e-9)
            checked += 1
        assert math.isclose(ix.score(byid[p.id_l], byid[p.id_r]).weight, p.weight, abs_tol=1e-9)
    assert checked > 100


def test_implausible_em_result_is_rejected() -> None:
    from collections import Counter

    from hbm.matching.training import implausible

    base = default_model(2026)
    bad_m = dict(base.m)
    bad_m["date_of_birth"] = (0.01,) * 9 + (0.91,)
    bad = Model(bad_m, dict(base.u), 0.5, 2026)
    vec = Counter({(0, 0, -1, 7, -1, -1, -1, -1, -1): 10})
    assert implausible(bad, vec) == ["date_of_birth"]
    assert implausible(base, vec) == []
