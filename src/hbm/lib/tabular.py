"""Read CSV and XLSX uploads into rows keyed by field name, with their line numbers.

A file may carry plain column names, an HXL hashtag row (https://hxlstandard.org) under them,
or hashtags alone as its first row. ``hxl_map`` tells which hashtag fills which field; a
hashtag's attributes may come in any order (``#adm1+code`` = ``#adm1 +code``). A cell that an
export quoted to keep it from running as a formula (``'=x``, see ``streams.csv_cell``) reads
back without the quote.
"""

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from hbm.lib.streams import FORMULA_PREFIXES

MAX_ROWS = 200_000


class TabularError(Exception):
    """The file as a whole can't be read; ``problems`` holds one line per reason."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Row:
    line: int
    values: dict[str, str]


def normalise_hashtag(tag: str) -> str:
    parts = tag.strip().lower().replace(" ", "").split("+")
    return "+".join([parts[0], *sorted(p for p in parts[1:] if p)])


def _unquoted(cell: str) -> str:
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(FORMULA_PREFIXES) else cell


def _is_hashtag_row(cells: list[str]) -> bool:
    filled = [c.strip() for c in cells if c and c.strip()]
    return bool(filled) and all(c.startswith("#") for c in filled)


def _raw_rows(content: bytes, filename: str) -> Iterator[list[str]]:
    if filename.lower().endswith((".xlsx", ".xlsm")):
        try:
            sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).active
        except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
            raise TabularError([f"{filename}: not a readable XLSX workbook ({exc})"]) from exc
        if sheet is None:
            raise TabularError([f"{filename}: the workbook has no sheet"])
        for row in sheet.iter_rows(values_only=True):
            yield ["" if v is None else str(v).strip() for v in row]
        return
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TabularError(
            [f"{filename}: not UTF-8 text (byte {exc.start}); save the file as CSV UTF-8"]
        ) from exc
    try:
        yield from csv.reader(io.StringIO(text, newline=""))
    except csv.Error as exc:
        raise TabularError([f"{filename}: malformed CSV ({exc})"]) from exc


def read_table(
    content: bytes, filename: str, *, columns: set[str], hxl_map: dict[str, str]
) -> list[Row]:
    """Rows of the file as {field: text}; unknown columns are dropped, blank lines skipped."""
    hxl = {normalise_hashtag(tag): field for tag, field in hxl_map.items()}
    raw = list(_raw_rows(content, filename))
    if not raw:
        raise TabularError([f"{filename}: the file is empty"])
    header, data_start = raw[0], 1
    if _is_hashtag_row(header):
        fields = [hxl.get(normalise_hashtag(c), "") if c else "" for c in header]
    else:
        fields = [c.strip().lower().replace(" ", "_") for c in header]
        if len(raw) > 1 and _is_hashtag_row(raw[1]):
            tags = raw[1]
            data_start = 2
            fields = [
                hxl.get(normalise_hashtag(tags[i]), fields[i])
                if i < len(tags) and tags[i]
                else fields[i]
                for i in range(len(fields))
            ]
    fields = [f if f in columns else "" for f in fields]
    if not any(fields):
        raise TabularError([f"{filename}: no known column; expected some of {sorted(columns)}"])
    if len(raw) - data_start > MAX_ROWS:
        raise TabularError([f"{filename}: more than {MAX_ROWS} rows; split the file"])
    rows = []
    for index, cells in enumerate(raw[data_start:], start=data_start + 1):
        if not any(c.strip() for c in cells):
            continue
        values = {
            f: (_unquoted(cells[i].strip()) if i < len(cells) else "")
            for i, f in enumerate(fields)
            if f
        }
        rows.append(Row(line=index, values=values))
    return rows
