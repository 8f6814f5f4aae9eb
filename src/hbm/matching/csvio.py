"""Reading and writing person records as CSV (UTF-8, header row, ``id`` column required)."""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from hbm.matching.errors import CsvFormatError, InvalidRecordError, Problem
from hbm.matching.records import FIELDS, PersonRecord


def read_records(source: str | os.PathLike[str] | IO[str]) -> list[PersonRecord]:
    """Read every record of a CSV file, or raise :class:`CsvFormatError` listing ALL problems.

    Problems detected: not UTF-8, no header / no ``id`` column, empty or duplicate ids,
    unparseable dates, bad sex or age values. Line numbers are physical CSV lines.
    """
    if isinstance(source, (str, os.PathLike)):
        raw = Path(source).read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            raise CsvFormatError(
                [Problem(line, f"file is not UTF-8 (byte offset {exc.start})")]
            ) from None
        handle: IO[str] = io.StringIO(text, newline="")
    else:
        handle = source
    return _parse(handle)


def _parse(handle: IO[str]) -> list[PersonRecord]:
    reader = csv.DictReader(handle)
    try:
        header = reader.fieldnames
    except csv.Error as exc:
        raise CsvFormatError([Problem(1, f"unreadable header: {exc}")]) from None
    if not header:
        raise CsvFormatError([Problem(1, "file is empty or has no header row")])
    if "id" not in header:
        raise CsvFormatError([Problem(1, "header has no 'id' column")])
    problems: list[Problem] = []
    dupes = [h for h in set(header) if header.count(h) > 1]
    for name in sorted(dupes):
        problems.append(Problem(1, f"column {name!r} appears more than once"))
    records: list[PersonRecord] = []
    seen: dict[str, int] = {}
    start = 2
    try:
        for row in reader:
            line = start
            start = reader.line_num + 1
            if None in row:
                problems.append(Problem(line, "row has more fields than the header"))
                continue
            rid = (row.get("id") or "").strip()
            if rid in seen:
                problems.append(Problem(line, f"duplicate id {rid!r} (first on line {seen[rid]})"))
                continue
            if rid:
                seen[rid] = line
            try:
                records.append(PersonRecord.from_dict(dict(row)))
            except InvalidRecordError as exc:
                problems.extend(Problem(line, p.message) for p in exc.problems)
    except csv.Error as exc:
        problems.append(Problem(reader.line_num, f"malformed CSV: {exc}"))
    if problems:
        raise CsvFormatError(problems)
    return records


def record_columns(records: Sequence[PersonRecord]) -> list[str]:
    """Canonical columns followed by every ``extra`` column, in first-seen order."""
    cols = list(FIELDS)
    seen = set(cols)
    for rec in records:
        for key in rec.extra:
            if key not in seen:
                seen.add(key)
                cols.append(key)
    return cols


@contextmanager
def atomic_writer(path: str | os.PathLike[str]) -> Iterator[IO[str]]:
    """Open a temporary file beside ``path``; rename it over ``path`` only on success."""
    target = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            yield handle
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_records(path: str | os.PathLike[str], records: Iterable[PersonRecord]) -> None:
    """Write records as UTF-8 CSV atomically (canonical columns, then extra columns)."""
    recs = list(records)
    with atomic_writer(path) as handle:
        writer = csv.DictWriter(handle, fieldnames=record_columns(recs), extrasaction="ignore")
        writer.writeheader()
        for rec in recs:
            writer.writerow(rec.to_dict())
