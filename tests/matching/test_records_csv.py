from pathlib import Path

import pytest

from hbm.matching import (
    CsvFormatError,
    InvalidRecordError,
    PersonRecord,
    read_records,
    write_records,
)


def test_only_id_required_and_extra_passes_through(tmp_path: Path) -> None:
    p = tmp_path / "in.csv"
    p.write_text("id,given_name,camp\n1,Amina,Kakuma\n2,,\n", encoding="utf-8")
    recs = read_records(p)
    assert recs[0].given_name == "Amina" and recs[0].extra == {"camp": "Kakuma"}
    assert recs[1] == PersonRecord("2")
    out = tmp_path / "out.csv"
    write_records(out, recs)
    again = read_records(out)
    assert again == recs and again[0].extra == {"camp": "Kakuma"}


def test_record_validation() -> None:
    with pytest.raises(InvalidRecordError):
        PersonRecord("")
    with pytest.raises(InvalidRecordError):
        PersonRecord("1", date_of_birth="1990-02-30")
    with pytest.raises(InvalidRecordError):
        PersonRecord("1", sex="Q")
    assert PersonRecord("1", date_of_birth="1990-02").date_of_birth == "1990-02"
    assert PersonRecord.from_dict({"id": "1", "sex": "female", "age_estimate": "30"}).sex == "F"


def test_bad_csv_reports_all_problems_with_lines(tmp_path: Path) -> None:
    p = tmp_path / "bad.csv"
    p.write_text(
        "id,date_of_birth,sex\n1,1990-01-01,M\n1,1991,F\n2,31/12/1990,M\n3,2000,Z\n,1990,\n",
        encoding="utf-8",
    )
    with pytest.raises(CsvFormatError) as info:
        read_records(p)
    lines = sorted(pr.line for pr in info.value.problems)
    assert lines == [3, 4, 5, 6]
    assert "duplicate id" in str(info.value)


def test_missing_id_column_and_encoding(tmp_path: Path) -> None:
    p = tmp_path / "noid.csv"
    p.write_text("name\nx\n", encoding="utf-8")
    with pytest.raises(CsvFormatError, match="no 'id' column"):
        read_records(p)
    q = tmp_path / "latin1.csv"
    q.write_bytes("id,given_name\n1,Jos\xe9\n".encode("latin-1"))
    with pytest.raises(CsvFormatError) as info:
        read_records(q)
    assert info.value.problems[0].line == 2
    assert "UTF-8" in info.value.problems[0].message


def test_a_column_called_extra_is_kept_as_an_extra_value():
    record = PersonRecord.from_dict({"id": "1", "given_name": "Amani", "extra": "note"})
    assert record.extra == {"extra": "note"}
    merged = PersonRecord.from_dict({"id": "2", "extra": {"a": "1"}, "b": 2})
    assert merged.extra == {"a": "1", "b": "2"}
