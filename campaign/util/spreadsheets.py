"""Writing .xlsx files that are safe to open: the one way every export saves a workbook.

Text typed by users (an agency, a shop's name, a note) ends up in coordinators' spreadsheets. Text
that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return would be read by Excel or
LibreOffice as a formula (``=HYPERLINK("http://...","klik")``): such text is written as text, with
a leading apostrophe (OWASP's advice for spreadsheet exports). Numbers, dates and empty cells are
left alone. :func:`workbook_bytes` applies this to every cell of every sheet just before saving,
so an export cannot forget it.

openpyxl (with numpy, which it loads when installed) is 28 MB of every process that imports it,
and a web worker that never exports would carry it for nothing: the views import their export
functions when one is asked for, and this module imports openpyxl only for type checking.
"""
from __future__ import annotations

from io import BytesIO
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # openpyxl is loaded by the exports themselves, when one is asked for
    from openpyxl import Workbook

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value):
    """``value`` as a spreadsheet may hold it: text that a spreadsheet would run is prefixed."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def workbook_bytes(workbook: Workbook) -> BytesIO:
    """The workbook as .xlsx bytes, every text cell passed through :func:`safe_text` first. A
    write-only workbook (large exports) cannot be read back: its rows must pass their values
    through :func:`safe_text` as they are appended."""
    for sheet in [] if workbook.write_only else workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    cell.value = safe_text(cell.value)
                    cell.data_type = "s"
    buffer = BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer
