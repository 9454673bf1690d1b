"""Reading uploaded tables (CSV and xlsx) so that no file can break or hold a worker.

Every import reads its file through :func:`table`. Whatever the bytes are, the answer is rows of
cells or a :class:`~campaign.core.errors.ValidationFailed` on the field ``file`` with a message in
Bahasa Indonesia (so a 422, never a 500):

* CSV: NUL bytes and binary content are refused before parsing; a field over the csv module's
  limit or an unclosed quote is refused with its line number.
* xlsx: the zip is checked BEFORE openpyxl sees it (:func:`check_xlsx`): every member's declared
  and actual decompressed size, their sum, and each member's ratio of decompressed to compressed
  size (shared strings included), so a small file that unpacks to hundreds of megabytes is refused
  after reading at most ``max_unpacked`` bytes. Damaged parts and NUL characters in cells are
  refused while the rows are read.
"""
from __future__ import annotations

import csv
import io
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

from campaign.core.errors import ValidationFailed

MB = 1024 * 1024
CHUNK = MB
SAMPLE = 256 * 1024  # how much of a CSV is looked at to tell text from binary
BINARY_SHARE = 0.01  # control characters (other than tab and line ends) above this share: not text


@dataclass(frozen=True)
class XlsxLimits:
    """What an xlsx may unpack to: in total, per member relative to its compressed size (a member
    smaller than ``ratio_from`` may compress better, as tiny XML parts do), and in members."""

    max_unpacked: int = 100 * MB
    max_ratio: int = 100
    ratio_from: int = MB
    max_members: int = 1_000


def refused(message: str) -> ValidationFailed:
    return ValidationFailed(message, fields={"file": [message]})


def table(content: bytes, filename: str, *, limits: XlsxLimits = XlsxLimits()) -> Iterator[list]:
    """The rows of an uploaded ``.csv``/``.txt`` or ``.xlsx`` file (first sheet), as lists of cells.

    Raises ValidationFailed for another kind of file or one that cannot be read; some of that
    is found only while the rows are read, so callers must read them inside their own error
    handling (as every import does: it turns the error into a 422 with the message)."""
    name = (filename or "").lower()
    if name.endswith(".xlsx"):
        return xlsx_rows(content, limits)
    if name.endswith((".csv", ".txt")):
        return csv_rows(content)
    raise refused("Unggah berkas .csv atau .xlsx.")


# --- CSV ------------------------------------------------------------------------------------

def csv_text(content: bytes) -> str:
    """The file as text (UTF-8, else Windows-1252), refused if it holds NUL bytes or is binary."""
    if b"\x00" in content:
        raise refused("Berkas berisi byte NUL, jadi bukan CSV teks (mungkin berkas biner atau "
                      "UTF-16). Simpan ulang dari Excel sebagai \"CSV UTF-8\".")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1252", errors="replace")
    sample = text[:SAMPLE]
    odd = sum(1 for char in sample if (char < " " and char not in "\t\r\n\f") or char == "\ufffd")
    if sample and odd > BINARY_SHARE * len(sample):
        raise refused("Isi berkas bukan teks CSV. Unggah berkas .csv (teks) atau .xlsx.")
    return text


def csv_rows(content: bytes) -> Iterator[list[str]]:
    """The rows of a CSV file; comma, semicolon or tab, whichever the first line uses most."""
    text = csv_text(content)
    first_line = text[:SAMPLE].split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    return _guarded(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def _guarded(reader) -> Iterator[list[str]]:
    try:
        yield from reader
    except csv.Error:
        limit = f"{csv.field_size_limit():,}".replace(",", ".")
        raise refused(f"Baris {reader.line_num}: isian lebih dari {limit} karakter atau tanda kutip yang "
                      "tidak ditutup. Periksa berkas lalu unggah lagi.") from None


# --- xlsx -----------------------------------------------------------------------------------

def check_xlsx(content: bytes, limits: XlsxLimits = XlsxLimits()) -> None:
    """Refuse an xlsx that is not a whole zip with a workbook, or that unpacks (declared or
    actually) to more than the limits allow. Reads at most ``limits.max_unpacked`` bytes."""
    damaged = refused("Berkas .xlsx tidak dapat dibaca: rusak atau bukan buku kerja Excel. Simpan ulang dari Excel lalu unggah lagi.")
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise damaged from None
    if len(members) > limits.max_members or "xl/workbook.xml" not in {m.filename for m in members}:
        raise damaged
    too_big = refused(f"Isi berkas .xlsx terlalu besar setelah dibuka (batas {limits.max_unpacked // MB} MB, "
                      f"rasio pemadatan paling tinggi {limits.max_ratio}:1). Bagi berkas menjadi beberapa "
                      "bagian atau simpan sebagai CSV.")
    if sum(m.file_size for m in members) > limits.max_unpacked:
        raise too_big
    if any(m.file_size > limits.ratio_from and m.file_size > limits.max_ratio * max(m.compress_size, 1)
           for m in members):
        raise too_big
    total = 0
    for member in members:
        size = 0
        try:
            with archive.open(member) as part:
                while chunk := part.read(CHUNK):
                    size += len(chunk)
                    total += len(chunk)
                    if size > member.file_size or total > limits.max_unpacked:
                        raise too_big
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError,
                ValueError):
            raise damaged from None


def xlsx_rows(content: bytes, limits: XlsxLimits = XlsxLimits()) -> Iterator[list]:
    """The first sheet's rows, after :func:`check_xlsx`."""
    check_xlsx(content, limits)
    return _sheet_rows(content)


def _sheet_rows(content: bytes) -> Iterator[list]:
    from openpyxl import load_workbook

    damaged = "Berkas .xlsx tidak dapat dibaca: rusak atau bukan buku kerja Excel. Simpan ulang dari Excel lalu unggah lagi."
    line = 0
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        for line, row in enumerate(rows, start=1):
            cells = list(row)
            if any(isinstance(cell, str) and "\x00" in cell for cell in cells):
                raise refused(f"Baris {line}: sel berisi karakter NUL. Hapus karakter itu lalu unggah lagi.")
            yield cells
    except ValidationFailed:
        raise
    except Exception:  # openpyxl and its XML parser raise many types for a damaged or foreign file
        raise refused(damaged if not line else f"Baris {line + 1}: {damaged}") from None
