"""Writing rows out without holding them: CSV as a generator of text, XLSX spooled to a
temporary file, JSON as a generator of one array. Each takes any iterator of rows."""

import csv
import io
import json
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from openpyxl import Workbook

XLSX_MAX_ROWS = 1_048_576  # a worksheet's limit, header rows included


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_stream(rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """CSV text with a byte-order mark, so that spreadsheet programs read UTF-8."""
    writer = csv.writer(_Echo())
    yield "\ufeff"
    for row in rows:
        yield writer.writerow(row)


def xlsx_file(rows: Iterable[Sequence[Any]], *, sheet: str) -> io.BufferedRandom:
    """A write-only workbook spooled to a temporary file (constant memory), rewound."""
    book = Workbook(write_only=True)
    worksheet = book.create_sheet(sheet)
    for row in rows:
        worksheet.append([v if isinstance(v, int | float) else str(v) for v in row])
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - the response closes it when sent
    book.save(spool)
    spool.seek(0)
    return spool  # type: ignore[return-value]


def _json(value: Any) -> str:
    return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False)


def json_stream(records: Iterable[dict[str, Any]], *, head: dict[str, Any]) -> Iterator[str]:
    """One JSON object: the ``head`` keys, then ``"rows": [...]`` written record by record."""
    opening = json.dumps(head, cls=DjangoJSONEncoder, ensure_ascii=False)[:-1]
    yield opening + (", " if head else "") + '"rows": ['
    for n, record in enumerate(records):
        yield (
            ("," if n else "")
            + "\n"
            + json.dumps(record, cls=DjangoJSONEncoder, ensure_ascii=False)
        )
    yield "\n]}\n"
