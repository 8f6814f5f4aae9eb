"""`hbm match` on real files: unknown columns, invalid dates, Parquet, encodings, bad input.

Every test goes through the `hbm` entry point (hbm.cli.main with argv) and checks the exit
code, stdout/stderr and the files written.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from hbm.cli import main as hbm_main
from hbm.matching.cli import (
    CLUSTER_CLASH,
    DATES_HINT,
    MAX_REPORTED,
    NO_RECORDS,
    NOTHING_COMPARED,
    PAIR_COLUMNS,
)
from hbm.matching.csvio import EMPTY_FILE, LATIN1_GUESS, NO_ID_COLUMN

HEADER = "id,given_name,family_name,father_name,date_of_birth,document_number"
AMINA = "Amina,Osman,Yusuf,1990-01-02,X1234567"
AMINAH = "Aminah,Osman,Yusuf,1990-01-02,X1234567"


def run(capsys: pytest.CaptureFixture[str], *argv: object) -> tuple[int, list[str]]:
    code = hbm_main(["match", *(str(a) for a in argv)])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return int(code or 0), captured.err.strip().splitlines()


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_text(text, encoding=encoding)
    return path


def rows(path: Path) -> list[list[str]]:
    return list(csv.reader(path.read_text(encoding="utf-8").splitlines()))


# --- 1. unknown columns -------------------------------------------------------------------


def test_unknown_columns_are_carried_to_pairs_and_clusters(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inp = write(
        tmp_path / "in.csv",
        f'{HEADER},extra,case_no\n1,{AMINA},x1,C-1\n2,{AMINAH},"a,b",C-2\n3,Deng,Garang,,,,,C-3\n',
    )
    out, cl = tmp_path / "pairs.csv", tmp_path / "clusters.csv"
    code, err = run(capsys, "dedupe", inp, "--out", out, "--clusters", cl, "--no-progress")
    assert code == 0, err
    assert rows(out)[0] == [*PAIR_COLUMNS, "extra_l", "case_no_l", "extra_r", "case_no_r"]
    (pair,) = rows(out)[1:]
    assert pair[:2] == ["1", "2"] and pair[4:] == ["x1", "C-1", "a,b", "C-2"]
    assert rows(cl) == [
        ["id", "cluster_id", "extra", "case_no"],
        ["1", "1", "x1", "C-1"],
        ["2", "1", "a,b", "C-2"],
        ["3", "3", "", "C-3"],
    ]


def test_link_carries_each_sides_own_columns(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    left = write(tmp_path / "left.csv", f"{HEADER},camp\nL1,{AMINA},Kakuma\n")
    right = tmp_path / "right.parquet"
    aminah = dict(zip(HEADER.split(","), ["R9", *AMINAH.split(",")], strict=True))
    pd.DataFrame([{**aminah, "office": 7}]).to_parquet(right)
    out = tmp_path / "pairs.csv"
    code, err = run(capsys, "link", left, right, "--out", out)
    assert code == 0, err
    header, pair = rows(out)
    assert header == [*PAIR_COLUMNS, "camp_l", "office_r"]
    assert pair[:2] == ["L1", "R9"] and pair[4:] == ["Kakuma", "7"]


def test_an_input_cluster_id_column_clashes_with_clusters_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inp = write(tmp_path / "in.csv", f"{HEADER},cluster_id\n1,{AMINA},old\n")
    out, cl = tmp_path / "pairs.csv", tmp_path / "clusters.csv"
    code, err = run(capsys, "dedupe", inp, "--out", out, "--clusters", cl)
    assert code == 1 and err == [f"error: {inp}: {CLUSTER_CLASH}"]
    assert not out.exists() and not cl.exists()
    # Without --clusters it is an ordinary passthrough column.
    code, err = run(capsys, "dedupe", inp, "--out", out)
    assert code == 0 and rows(out)[0][-2:] == ["cluster_id_l", "cluster_id_r"]


def test_header_names_are_trimmed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    header = HEADER.replace(",", ", ")
    inp = write(tmp_path / "in.csv", f"{header}\n1,{AMINA}\n2,{AMINAH}\n")
    out = tmp_path / "pairs.csv"
    code, err = run(capsys, "dedupe", inp, "--out", out)
    assert code == 0, err
    assert rows(out)[0] == list(PAIR_COLUMNS) and len(rows(out)) == 2


# --- 2. --invalid-dates ---------------------------------------------------------------------


def _dates_file(tmp_path: Path, n_bad: int) -> Path:
    lines = [HEADER, f"1,{AMINA}", "2,Aminah,Osman,Yusuf,0000-00-00,X1234567"]
    lines += [f"b{i:02d},Deng{i},Garang,,2016-13-45," for i in range(n_bad - 1)]
    return write(tmp_path / "dates.csv", "\n".join(lines) + "\n")


def test_invalid_dates_fail_by_default_with_a_bounded_list(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inp = _dates_file(tmp_path, n_bad=MAX_REPORTED + 5)
    out = tmp_path / "pairs.csv"
    code, err = run(capsys, "dedupe", inp, "--out", out)
    assert code == 1 and not out.exists()
    assert len(err) == MAX_REPORTED + 2
    assert err[0] == f"error: {inp}: line 3: date_of_birth '0000-00-00' has an implausible year"
    assert err[1] == f"error: {inp}: line 4: date_of_birth '2016-13-45' is not a calendar date"
    assert err[MAX_REPORTED] == "error: ... and 5 more"
    assert err[-1] == f"hint: {DATES_HINT}"
    code, again = run(capsys, "dedupe", inp, "--out", out, "--invalid-dates", "fail")
    assert (code, again) == (1, err)


def test_invalid_dates_blank_matches_the_rest_and_reports(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inp = _dates_file(tmp_path, n_bad=MAX_REPORTED + 5)
    out = tmp_path / "pairs.csv"
    code, err = run(capsys, "dedupe", inp, "--out", out, "--invalid-dates", "blank")
    assert code == 0
    assert err[0] == (
        f"warning: {inp}: line 3: blanked date_of_birth '0000-00-00' of id '2': "
        "date_of_birth '0000-00-00' has an implausible year"
    )
    assert err[1].startswith(f"warning: {inp}: line 4: blanked date_of_birth '2016-13-45'")
    assert err[MAX_REPORTED] == "warning: ... and 5 more"
    assert err[-1].endswith(f"written to {out}; {MAX_REPORTED + 5} invalid dates of birth blanked")
    # The record whose date was blanked still matches on its name and document.
    assert [r[:2] for r in rows(out)[1:]] == [["1", "2"]]


def test_invalid_dates_blank_on_parquet_counts_rows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pq = tmp_path / "in.parquet"
    pd.DataFrame([{"id": "1", "date_of_birth": "1990-02-30"}, {"id": "2"}]).to_parquet(pq)
    code, err = run(capsys, "dedupe", pq, "--out", tmp_path / "p.csv")
    assert code == 1 and err[0].startswith(f"error: {pq}: row 1: date_of_birth '1990-02-30'")
    code, err = run(capsys, "dedupe", pq, "--out", tmp_path / "p.csv", "--invalid-dates", "blank")
    assert code == 0 and err[0].startswith(f"warning: {pq}: row 1: blanked date_of_birth")
    assert err[-1].endswith("; 1 invalid dates of birth blanked")


# --- 3. Parquet and CSV encodings -------------------------------------------------------------


def test_parquet_gives_the_same_pairs_as_csv(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    csv_in = write(
        tmp_path / "in.csv",
        "id,given_name,family_name,date_of_birth,age_estimate,note\n"
        "1,Amina,Osman,1990-01-02,,a\n2,Aminah,Osman,1990-01-02,,b\n"
        "3,Deng,Garang,,30,c\n4,Deng,Garang,,31,d\n",
    )
    df = pd.read_csv(csv_in, dtype={"id": str})  # ages become floats with a gap, dates strings
    df["date_of_birth"] = [pd.Timestamp("1990-01-02")] * 2 + [None] * 2
    pq = tmp_path / "in.PQ"
    df.to_parquet(pq)
    out_csv, out_pq = tmp_path / "a.csv", tmp_path / "b.csv"
    assert run(capsys, "dedupe", csv_in, "--out", out_csv, "--threshold", "0.5")[0] == 0
    code, err = run(capsys, "dedupe", pq, "--out", out_pq, "--threshold", "0.5")
    assert code == 0, err
    assert rows(out_pq) == rows(out_csv) and len(rows(out_csv)) == 3
    code, err = run(capsys, "link", csv_in, pq, "--out", out_pq)
    assert code == 0 and {tuple(r[:2]) for r in rows(out_pq)[1:]} >= {("1", "1"), ("1", "2")}


def test_unreadable_parquet_and_parquet_without_id(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fake = write(tmp_path / "fake.parquet", "id,given_name\n1,Amina\n")
    noid = tmp_path / "noid.parquet"
    pd.DataFrame([{"name": "x"}]).to_parquet(noid)
    dup = tmp_path / "dup.parquet"
    pd.DataFrame([{"id": "1"}, {"id": "1"}]).to_parquet(dup)
    out = tmp_path / "p.csv"
    code, err = run(capsys, "link", fake, noid, "--out", out)
    assert code == 1 and len(err) == 2
    assert err[0].startswith(f"error: {fake}: not a readable Parquet file: ")
    assert err[1] == f"error: {noid}: input has no 'id' column"
    code, err = run(capsys, "dedupe", dup, "--out", out)
    assert code == 1 and err == [f"error: {dup}: row 2: duplicate id '1' (first on row 1)"]
    assert not out.exists()


def test_encoding_problems_are_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "p.csv"
    latin = tmp_path / "latin1.csv"
    latin.write_bytes("id,given_name\n1,José\n2,Jose\n".encode("latin-1"))
    code, err = run(capsys, "dedupe", latin, "--out", out)
    assert code == 1 and len(err) == 1
    assert err[0].startswith(f"error: {latin}: line 2: file is not UTF-8: byte 0xE9 at offset 19")
    assert LATIN1_GUESS in err[0]
    code, err = run(capsys, "dedupe", latin, "--out", out, "--encoding", "latin-1")
    assert code == 0, err
    utf16 = write(tmp_path / "utf16.csv", "id,given_name\n1,Amina\n", encoding="utf-16")
    code, err = run(capsys, "dedupe", utf16, "--out", out)
    assert code == 1 and err == [
        f"error: {utf16}: line 1: file starts with a UTF-16 byte-order mark; "
        "save it as UTF-8 or name its encoding"
    ]
    assert run(capsys, "dedupe", utf16, "--out", out, "--encoding", "utf-16")[0] == 0
    bom = write(tmp_path / "bom.csv", "id,given_name\n1,Amina\n", encoding="utf-8-sig")
    assert run(capsys, "dedupe", bom, "--out", out)[0] == 0
    code, err = run(capsys, "dedupe", bom, "--out", out, "--encoding", "klingon")
    assert code == 1 and err == [f"error: {bom}: unknown encoding 'klingon'"]


def test_other_delimiters_and_id_case_get_a_hint(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "p.csv"
    for name, text, hint in [
        ("semi.csv", "id;given_name\n1;Amina\n", "semicolon-separated"),
        ("tab.csv", "id\tgiven_name\n1\tAmina\n", "tab-separated"),
        ("upper.csv", "ID,given_name\n1,Amina\n", "found 'ID'"),
    ]:
        path = write(tmp_path / name, text)
        code, err = run(capsys, "dedupe", path, "--out", out)
        assert code == 1 and len(err) == 1, err
        assert err[0].startswith(f"error: {path}: line 1: {NO_ID_COLUMN} (") and hint in err[0]


# --- 4. bad input --------------------------------------------------------------------------


def test_empty_file_header_only_and_missing_id(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "p.csv"
    empty = write(tmp_path / "empty.csv", "")
    code, err = run(capsys, "dedupe", empty, "--out", out)
    assert code == 1 and err == [f"error: {empty}: line 1: {EMPTY_FILE}"]
    noid = write(tmp_path / "noid.csv", "given_name,family_name\nAmina,Osman\n")
    code, err = run(capsys, "dedupe", noid, "--out", out)
    assert code == 1 and err == [f"error: {noid}: line 1: {NO_ID_COLUMN}"]
    assert not out.exists()
    header_only = write(tmp_path / "header.csv", f"{HEADER}\n")
    empty_pq = tmp_path / "empty.parquet"
    pd.DataFrame({"id": pd.Series([], dtype=str)}).to_parquet(empty_pq)
    code, err = run(capsys, "link", header_only, empty_pq, "--out", out)
    assert code == 0
    assert err[:2] == [
        f"warning: {header_only}: {NO_RECORDS}",
        f"warning: {empty_pq}: {NO_RECORDS}",
    ]
    assert rows(out) == [list(PAIR_COLUMNS)]


def test_duplicate_ids_one_line_each(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    inp = write(tmp_path / "dup.csv", "id,given_name\n1,A\n1,B\n 1 ,C\n2,D\n")
    code, err = run(capsys, "dedupe", inp, "--out", tmp_path / "p.csv")
    assert code == 1 and err == [
        f"error: {inp}: line 3: duplicate id '1' (first on line 2)",
        f"error: {inp}: line 4: duplicate id '1' (first on line 2)",
    ]


def test_weak_records_never_crash_and_never_match_on_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    long_name = "Mohammed" * 1250  # 10,000 characters
    lines = [
        "id,given_name,family_name,father_name,nationality,date_of_birth",
        "only1,,,,,",
        "only2,,,,,",
        "sd1,Amina,Osman,Yusuf,SD,1990",
        "sd2,Amina,Osman,Yusuf,SDN,1990",
        "sd3,Amina,Osman,Yusuf,Sudan,1990",
        "one1,A,B,C,,",
        "one2,A,B,C,,",
        f"long1,{long_name},{long_name},,,",
        f"long2,{long_name[:-1]}x,{long_name},,,",
    ]
    inp = write(tmp_path / "weak.csv", "\n".join(lines) + "\n")
    out, cl = tmp_path / "p.csv", tmp_path / "c.csv"
    code, err = run(capsys, "dedupe", inp, "--out", out, "--clusters", cl, "--threshold", "0")
    assert code == 0, err
    paired = {i for r in rows(out)[1:] for i in r[:2]}
    assert "only1" not in paired and "only2" not in paired
    assert len(rows(cl)) == len(lines)
    only_ids = write(tmp_path / "ids.csv", "id,camp\n1,x\n2,x\n")
    code, err = run(capsys, "dedupe", only_ids, "--out", out, "--threshold", "0")
    assert code == 0 and err[0] == f"warning: {only_ids}: {NOTHING_COMPARED}"
    assert rows(out) == [[*PAIR_COLUMNS, "camp_l", "camp_r"]]


def test_hbm_match_process_has_no_traceback_on_an_extra_column(tmp_path: Path) -> None:
    inp = write(tmp_path / "in.csv", f"{HEADER},extra\n1,{AMINA},x\n2,{AMINAH},y\n")
    out = tmp_path / "p.csv"
    src = str(Path(__file__).resolve().parents[2] / "src")
    proc = subprocess.run(
        [sys.executable, "-m", "hbm.cli", "match", "dedupe", str(inp), "--out", str(out)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": src},
        check=False,
    )
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
    assert rows(out)[1][-2:] == ["x", "y"]


def test_malformed_csv_is_one_line_at_the_row_it_starts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "p.csv"
    quote = write(tmp_path / "quote.csv", 'id,given_name\n"1,Amina\n2,Deng\n')
    code, err = run(capsys, "dedupe", quote, "--out", out)
    assert code == 1 and err == [f"error: {quote}: line 2: malformed CSV: unexpected end of data"]
    huge = write(tmp_path / "huge.csv", f"id,given_name\n1,Amina\n2,{'a' * 200_000}\n")
    code, err = run(capsys, "dedupe", huge, "--out", out)
    assert code == 1 and len(err) == 1
    assert err[0].startswith(f"error: {huge}: line 3: malformed CSV: field larger than")
    assert not out.exists()


def test_unwritable_outputs_fail_before_any_work(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inp = write(tmp_path / "in.csv", f"{HEADER}\n1,{AMINA}\n2,{AMINAH}\n")
    missing = tmp_path / "nowhere" / "p.csv"
    model = tmp_path / "nowhere" / "m.json"
    code, err = run(
        capsys, "dedupe", inp, "--out", missing, "--clusters", tmp_path, "--train", "--model", model
    )
    assert code == 1 and err == [
        f"error: {missing}: cannot write: directory {missing.parent} does not exist",
        f"error: {tmp_path}: cannot write: it is a directory",
        f"error: {model}: cannot write: directory {model.parent} does not exist",
    ]
