"""Reading and writing person records as CSV (UTF-8, header row, ``id`` column required)."""

from __future__ import annotations

import codecs
import csv
import io
import os
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Literal

from hbm.matching.errors import CsvFormatError, InvalidRecordError, Problem
from hbm.matching.records import FIELDS, PersonRecord, date_problem

#: What to do with a date of birth that is not a valid date: raise, or blank it and report.
InvalidDates = Literal["fail", "blank"]
INVALID_DATES: tuple[InvalidDates, ...] = ("fail", "blank")

EMPTY_FILE = "file is empty or has no header row"
NO_ID_COLUMN = "header has no 'id' column"
NOT_DECODABLE = (
    "file is not {encoding}: byte 0x{byte:02X} at offset {offset} cannot be decoded{guess}; "
    "save it as UTF-8 or name its encoding"
)
LATIN1_GUESS = " (it looks like Latin-1 / Windows-1252)"
UTF16_BOM = "file starts with a {bom} byte-order mark; save it as UTF-8 or name its encoding"
UNKNOWN_ENCODING = "unknown encoding {encoding!r}"
OTHER_DELIMITER = " (the header looks {name}-separated; the file must be comma-separated)"
ID_CASE = " (found {found!r}; the column must be named exactly 'id')"

_KNOWN = frozenset(FIELDS)
_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)
_DELIMITERS = ((";", "semicolon"), ("\t", "tab"), ("|", "pipe"))


@dataclass(frozen=True, slots=True)
class BlankedDate:
    """A date of birth blanked on input (``invalid_dates="blank"``): where, whose and why."""

    line: int
    id: str
    value: str
    reason: str


@dataclass
class LoadedRecords:
    """Records read from one input, with the dates blanked on the way."""

    records: list[PersonRecord]
    blanked: list[BlankedDate] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)

    @property
    def extra_columns(self) -> list[str]:
        """Input columns the engine does not know, in input order."""
        return [c for c in self.columns if c not in _KNOWN]


def build_record(
    row: Mapping[str, Any],
    line: int,
    invalid_dates: InvalidDates = "fail",
    blanked: list[BlankedDate] | None = None,
) -> PersonRecord:
    """A record from one input row: known columns are fields, every other column (even one
    named ``extra``) goes to ``extra`` unchanged. With ``invalid_dates="blank"`` an invalid
    date of birth is blanked and appended to ``blanked``."""
    known = {k: v for k, v in row.items() if k in _KNOWN}
    extra = {k: "" if v is None else str(v) for k, v in row.items() if k not in _KNOWN}
    dob = known.get("date_of_birth")
    if invalid_dates == "blank" and dob is not None:
        value = str(dob).strip()
        why = date_problem(value)
        if why is not None:
            known["date_of_birth"] = ""
            if blanked is not None:
                blanked.append(BlankedDate(line, str(known.get("id") or "").strip(), value, why))
    return PersonRecord.from_dict({**known, "extra": extra})


def read_records(
    source: str | os.PathLike[str] | IO[str],
    *,
    encoding: str = "utf-8",
    invalid_dates: InvalidDates = "fail",
) -> list[PersonRecord]:
    """Read every record of a CSV file, or raise :class:`CsvFormatError` listing ALL problems.

    Problems detected: not decodable (UTF-8 by default; a UTF-8 byte-order mark is
    skipped), no header / no ``id`` column, empty or duplicate ids, unparseable dates
    (unless ``invalid_dates="blank"``, see :func:`read_csv`), bad sex or age values.
    Line numbers are physical CSV lines.
    """
    return read_csv(source, encoding=encoding, invalid_dates=invalid_dates).records


def read_csv(
    source: str | os.PathLike[str] | IO[str],
    *,
    encoding: str = "utf-8",
    invalid_dates: InvalidDates = "fail",
) -> LoadedRecords:
    """:func:`read_records` that also reports the columns and the dates it blanked."""
    if isinstance(source, (str, os.PathLike)):
        handle: IO[str] = io.StringIO(_decode(Path(source).read_bytes(), encoding), newline="")
    else:
        handle = source
    return _parse(handle, invalid_dates)


def _decode(raw: bytes, encoding: str) -> str:
    try:
        codec = codecs.lookup(encoding).name
    except LookupError:
        raise CsvFormatError([Problem(0, UNKNOWN_ENCODING.format(encoding=encoding))]) from None
    if codec == "utf-8":
        for bom, name in _BOMS:
            if raw.startswith(bom):
                raise CsvFormatError([Problem(1, UTF16_BOM.format(bom=name))])
        codec = "utf-8-sig"
    try:
        return raw.decode(codec)
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        guess = ""
        if codec == "utf-8-sig":
            try:
                raw.decode("cp1252")
                guess = LATIN1_GUESS
            except UnicodeDecodeError:
                pass
        message = NOT_DECODABLE.format(
            encoding="UTF-8" if codec == "utf-8-sig" else encoding,
            byte=raw[exc.start],
            offset=exc.start,
            guess=guess,
        )
        raise CsvFormatError([Problem(line, message)]) from None


def _no_id_column(header: Sequence[str]) -> str:
    if len(header) == 1:
        for delim, name in _DELIMITERS:
            if delim in header[0]:
                return NO_ID_COLUMN + OTHER_DELIMITER.format(name=name)
    for h in header:
        if h.strip().lower() == "id":
            return NO_ID_COLUMN + ID_CASE.format(found=h)
    return NO_ID_COLUMN


def _parse(handle: IO[str], invalid_dates: InvalidDates) -> LoadedRecords:
    reader = csv.DictReader(handle, strict=True)
    try:
        header = reader.fieldnames
    except csv.Error as exc:
        raise CsvFormatError([Problem(1, f"unreadable header: {exc}")]) from None
    if not header:
        raise CsvFormatError([Problem(1, EMPTY_FILE)])
    header = reader.fieldnames = [h.strip() for h in header]
    if "id" not in header:
        raise CsvFormatError([Problem(1, _no_id_column(header))])
    problems: list[Problem] = []
    dupes = [h for h in set(header) if header.count(h) > 1]
    for name in sorted(dupes):
        problems.append(Problem(1, f"column {name!r} appears more than once"))
    records: list[PersonRecord] = []
    blanked: list[BlankedDate] = []
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
                records.append(build_record(row, line, invalid_dates, blanked))
            except InvalidRecordError as exc:
                problems.extend(Problem(line, p.message) for p in exc.problems)
    except csv.Error as exc:
        problems.append(Problem(start, f"malformed CSV: {exc}"))
    if problems:
        raise CsvFormatError(problems)
    return LoadedRecords(records, blanked, list(header))


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
