"""Writing rows out without holding them: CSV as a generator of text, XLSX spooled to a
temporary file, JSON as a generator of one array. Each takes any iterator of rows."""

import csv
import io
import json
import re
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

XLSX_MAX_ROWS = 1_048_576  # a worksheet's limit, header rows included
# A spreadsheet reads a cell starting with one of these as a formula (OWASP, "CSV Injection").
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# XML 1.0 has no place for these; openpyxl raises on the first, lxml on the others.
_NOT_IN_XML = re.compile(f"{ILLEGAL_CHARACTERS_RE.pattern}|[\ud800-\udfff\ufffe\uffff]")
_PLAIN = (int, float, Decimal, date, datetime, time, timedelta)


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_cell(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula, behind a quote that keeps it text."""
    if value is None or isinstance(value, _PLAIN):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def csv_stream(rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """CSV text with a byte-order mark, so that spreadsheet programs read UTF-8; text cells
    are passed through ``csv_cell``."""
    writer = csv.writer(_Echo())
    yield "\ufeff"
    for row in rows:
        yield writer.writerow([csv_cell(v) for v in row])


def xlsx_row(worksheet: Any, values: Iterable[Any]) -> list[Any]:
    """Cells for ``worksheet.append``: numbers and dates as they are, anything else as a
    string cell, never a formula, with characters XLSX can't hold replaced by U+FFFD."""
    cells: list[Any] = []
    for value in values:
        if value is None or isinstance(value, _PLAIN):
            cells.append(value)
            continue
        cell = WriteOnlyCell(worksheet, value=_NOT_IN_XML.sub("\ufffd", str(value)))
        cell.data_type = "s"
        cells.append(cell)
    return cells


def xlsx_append(worksheet: Any, values: Iterable[Any]) -> None:
    """``worksheet.append`` through ``xlsx_row``: for workbooks built in memory."""
    worksheet.append(xlsx_row(worksheet, values))


def xlsx_file(rows: Iterable[Sequence[Any]], *, sheet: str) -> io.BufferedRandom:
    """A write-only workbook spooled to a temporary file (constant memory), rewound."""
    book = Workbook(write_only=True)
    worksheet = book.create_sheet(sheet)
    for row in rows:
        worksheet.append(xlsx_row(worksheet, row))
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - the response closes it when sent
    book.save(spool)
    spool.seek(0)
    return spool


def _json(value: Any) -> str:
    return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False)


def json_stream(records: Iterable[dict[str, Any]], *, head: dict[str, Any]) -> Iterator[str]:
    """One JSON object: the ``head`` keys, then ``"rows": [...]`` written record by record."""
    yield _json(head)[:-1] + (", " if head else "") + '"rows": ['
    for n, record in enumerate(records):
        yield ("," if n else "") + "\n" + _json(record)
    yield "\n]}\n"
