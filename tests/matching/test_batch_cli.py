import csv
from pathlib import Path

import pandas as pd
import pytest

from hbm.matching import (
    Clustering,
    IncrementalDeduper,
    InvalidRecordError,
    PersonRecord,
    dedupe,
    default_model,
    link,
    write_records,
)
from hbm.matching.cli import main


def test_dedupe_clusters_stable(synthetic) -> None:  # type: ignore[no-untyped-def]
    recs, truth = synthetic
    res = dedupe(recs, model=default_model(2026))
    clusters = res.clusters()
    assert set(clusters) == {r.id for r in recs}
    for a, b in list(truth)[:50]:
        if clusters[a] == clusters[b]:
            assert clusters[a] == min(m for m, c in clusters.items() if c == clusters[a])
    again = dedupe(list(reversed(recs)), model=default_model(2026)).clusters()
    assert again == clusters


def test_dataframe_parquet_and_link(tmp_path: Path, synthetic) -> None:  # type: ignore[no-untyped-def]
    recs, truth = synthetic
    df = pd.DataFrame([r.to_dict() for r in recs])
    res_df = dedupe(df, model=default_model(2026))
    df.to_parquet(tmp_path / "x.parquet")
    res_pq = dedupe(tmp_path / "x.parquet", model=default_model(2026))
    assert [(p.id_l, p.id_r) for p in res_df.pairs] == [(p.id_l, p.id_r) for p in res_pq.pairs]
    left = [r for r in recs if r.id.startswith("p")]
    right = [r for r in recs if r.id.startswith("d")]
    lk = link(left, right, model=default_model(2026))
    found = {(p.id_r, p.id_l) for p in lk.pairs}
    assert len(found & truth) / len(truth) > 0.9
    bad = pd.DataFrame([{"id": "1", "date_of_birth": "nope"}, {"id": "1"}])
    with pytest.raises(InvalidRecordError) as info:
        dedupe(bad)
    assert [p.line for p in info.value.problems] == [1, 2]


def test_incremental_clustering() -> None:
    inc = IncrementalDeduper(threshold=0.5)
    a = PersonRecord(
        "b1",
        given_name="Amina",
        family_name="Osman",
        date_of_birth="1988-02-03",
        document_number="P1234567",
    )
    b = PersonRecord(
        "a9",
        given_name="Aminah",
        family_name="Osman",
        date_of_birth="1988-02-03",
        document_number="P1234567",
    )
    assert inc.add(a) == "b1"
    assert inc.add(b) == "a9"
    assert inc.clustering.cluster_id("b1") == "a9"
    c = Clustering(["x", "y", "z"])
    c.union("z", "y")
    assert c.clusters() == {"x": ["x"], "y": ["y", "z"]}


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_cli_dedupe_and_link(tmp_path: Path, synthetic) -> None:  # type: ignore[no-untyped-def]
    recs, _ = synthetic
    inp = tmp_path / "in.csv"
    write_records(inp, recs[:400])
    out, cl, model = tmp_path / "pairs.csv", tmp_path / "clusters.csv", tmp_path / "m.json"
    assert (
        main(
            [
                "dedupe",
                str(inp),
                "--out",
                str(out),
                "--clusters",
                str(cl),
                "--train",
                "--model",
                str(model),
                "--no-progress",
            ]
        )
        == 0
    )
    rows = list(csv.reader(out.read_text().splitlines()))
    assert rows[0] == ["id_l", "id_r", "match_probability", "match_weight"]
    assert len(rows) > 20 and all(float(r[2]) >= 0.9 for r in rows[1:])
    assert model.exists() and len(list(csv.reader(cl.read_text().splitlines()))) == 401
    out2 = tmp_path / "pairs2.csv"
    assert (
        main(
            [
                "link",
                str(inp),
                str(inp),
                "--out",
                str(out2),
                "--model",
                str(model),
                "--threshold",
                "0.5",
            ]
        )
        == 0
    )
    assert len(list(csv.reader(out2.read_text().splitlines()))) > 400


def test_cli_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = _write(tmp_path / "bad.csv", "id,date_of_birth\n1,1990\n1,1990\n2,12/03/1990\n")
    out = tmp_path / "pairs.csv"
    assert main(["dedupe", str(bad), "--out", str(out)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 3 and err[2].startswith("hint: --invalid-dates blank")
    assert "line 3" in err[0] and "duplicate" in err[0] and "line 4" in err[1]
    assert not out.exists() and list(tmp_path.iterdir()) == [bad]
    noid = _write(tmp_path / "noid.csv", "name\nx\n")
    assert main(["link", str(noid), str(bad), "--out", str(out)]) == 1
    assert len(capsys.readouterr().err.strip().splitlines()) == 4  # 3 problems and the hint
    assert main(["dedupe", str(tmp_path / "missing.csv"), "--out", str(out)]) == 1
    assert not out.exists()
    with pytest.raises(SystemExit):
        main(["dedupe"])


def test_cli_runs_as_module(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    inp = tmp_path / "in.csv"
    write_records(
        inp,
        [
            PersonRecord(
                "1",
                given_name="Amina",
                family_name="Osman",
                date_of_birth="1990-01-02",
                document_number="X1234567",
            ),
            PersonRecord(
                "2",
                given_name="Aminah",
                family_name="Osman",
                date_of_birth="1990-01-02",
                document_number="X1234567",
            ),
        ],
    )
    out = tmp_path / "p.csv"
    src = str(Path(__file__).resolve().parents[2] / "src")
    env = {**os.environ, "PYTHONPATH": src}
    proc = subprocess.run(
        [sys.executable, "-m", "hbm.matching.cli", "dedupe", str(inp), "--out", str(out)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert out.read_text().splitlines()[1].startswith("1,2,")


def test_cli_trains_on_the_input_unless_told_not_to(tmp_path: Path, synthetic) -> None:  # type: ignore[no-untyped-def]
    recs, _ = synthetic
    inp = tmp_path / "in.csv"
    write_records(inp, recs[:400])

    def pairs(*options: str) -> str:
        out = tmp_path / f"pairs{len(options)}{'-'.join(options)}.csv"
        assert main(["dedupe", str(inp), "--out", str(out), "--no-progress", *options]) == 0
        return out.read_text()

    default, trained, shipped = pairs(), pairs("--train"), pairs("--no-train")
    assert default == trained
    assert default != shipped
    with pytest.raises(SystemExit):
        main(["dedupe", str(inp), "--out", str(tmp_path / "x.csv"), "--train", "--no-train"])
