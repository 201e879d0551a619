"""Reading export files: CSV and XLSX -> text columns + physical line numbers.

Nothing is typed here: every cell stays text (an 18-digit NIP must never pass through a float),
so the validator sees exactly what the source wrote. What the reader decides:

- CSV is UTF-8 (optional BOM), comma separated, LF or CRLF, RFC 4180 quotes. A file that is not
  valid UTF-8 is decoded as Windows-1252 (what Excel on Windows writes) and a note names the
  file and the first affected line; only text columns (names) can be affected, NIPs and codes
  are ASCII. A file with NUL bytes (UTF-16 without BOM, binary) is rejected.
- ``line_no`` is the physical line where a row starts (header = 1), also when a quoted field
  spans lines; blank lines are not rows. A row whose number of fields differs from the header
  is not guessed at: it is marked (``_cacat_baca``) and the validator quarantines it.
- A quote that opens a field and is never closed would swallow every later line into that one
  field (RFC 4180): such a file is rejected, naming the line of the quote, rather than loading
  its head and burying the rest in one broken row. So is any text the csv module cannot split.
- XLSX (pegawai/kinerja only): first sheet, header row = the first of the first 20 rows that
  holds all required column names. ``line_no`` = sheet row. Numeric cells are turned into text
  without loss where the file holds the exact digits; a number of 16 or more digits that
  Excel stored as a float has already lost its last digits and is shown in scientific form
  (``1.99008152016011E+17``), which the validator rejects as a NIP.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path

import numpy as np
import polars as pl

from orchestration.core.contract import SCHEMAS, XLSX_KINDS, parse_file_name
from orchestration.reasons import ALASAN, alasan
from orchestration.validation import (
    INTERNAL_COLUMNS,
    LINE_NO,
    RAW_LINE,
    READ_PROBLEM,
    normalise_name,
)

HEADER_SEARCH_ROWS = 20
XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = b"\xd0\xcf\x11\xe0"  # old binary Excel (.xls)
FLOAT_EXACT = 2**53  # integers below this survive a float exactly
RAW_LINE_MAX = 500
UTF8_BOM = b"\xef\xbb\xbf"
SCAN_CHUNK = 1 << 24  # bytes scanned at a time for line ends and commas (no file-sized masks)


@dataclass
class ReadResult:
    """One export file read as text."""

    source_file: str  # file name (lineage)
    kind: str | None
    periode: str | None
    format: str  # "csv" | "xlsx"
    frame: pl.DataFrame  # normalised header names, all pl.String, + line_no (Int32)
    header: list[str] = field(default_factory=list)  # normalised names in file order
    notes: list[str] = field(default_factory=list)
    rejection: tuple[str, str] | None = None  # (kode_alasan, alasan) when nothing is readable
    encoding: str = "utf-8"

    @property
    def ok(self) -> bool:
        return self.rejection is None


def read_export(path: Path, kind: str | None = None) -> ReadResult:
    """Read one export file. ``kind`` defaults to what the file name says."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return _rejected(path.name, kind, "BERKAS_TIDAK_TERBACA", detail=exc.strerror or str(exc))
    return read_export_bytes(data, path.name, kind)


def read_export_bytes(data: bytes, name: str, kind: str | None = None) -> ReadResult:
    """Read an export file from its bytes (ingestion hashes, archives and reads the same bytes)."""
    parsed = parse_file_name(name)
    periode = parsed[1] if parsed else None
    kind = kind or (parsed[0] if parsed else None)
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext == "xlsx":
        return _read_xlsx(data, name, kind, periode)
    if data.startswith(XLSX_MAGIC) or data.startswith(XLS_MAGIC):
        what = "berkas Excel" if data.startswith(XLSX_MAGIC) else "berkas Excel lama (.xls)"
        return _rejected(
            name,
            kind,
            "BERKAS_TIDAK_TERBACA",
            detail=f"isinya {what}, bukan teks CSV",
            periode=periode,
        )
    return _read_csv(data, name, kind, periode)


# --- CSV -------------------------------------------------------------------------------------
def _read_csv(data: bytes, name: str, kind: str | None, periode: str | None) -> ReadResult:
    notes: list[str] = []
    text, encoding, problem = _decode(data, name, notes)
    if problem:
        return _rejected(name, kind, "BERKAS_TIDAK_TERBACA", detail=problem, periode=periode)
    if not text or text.isspace():  # not ``text.strip()``: no copy of a large file
        return _rejected(name, kind, "BERKAS_KOSONG", periode=periode)
    if "\n" not in text and "\r" in text.strip("\r"):
        detail = "akhir baris hanya CR (format Mac lama); gunakan LF atau CRLF"
        return _rejected(name, kind, "BERKAS_TIDAK_TERBACA", detail=detail, periode=periode)
    if (line := _unclosed_quote_line(text)) is not None:
        detail = (
            f'tanda kutip (") yang membuka kolom di baris {line} tidak pernah ditutup, sehingga '
            f"baris {line} sampai akhir berkas tidak dapat dipisah menjadi baris data dengan aman"
        )
        return _rejected(name, kind, "BERKAS_TIDAK_TERBACA", detail=detail, periode=periode)
    # valid UTF-8 is parsed from the file's own bytes (a BOM is skipped, not cut off: no copy);
    # the text is dropped before parsing and decoded again only for the csv module's path
    skip = len(UTF8_BOM) if encoding == "utf-8" and data.startswith(UTF8_BOM) else 0
    raw = data if encoding == "utf-8" else text.encode("utf-8")
    del text
    try:
        header, rows, lines, nfields, row_text = _parse_fast(raw, skip)
    except _FallBack:
        try:
            header, rows, lines, nfields, row_text = _parse_python(raw[skip:].decode("utf-8"))
        except _CsvError as exc:
            detail = f"isi baris {exc.line} tidak dapat diurai sebagai CSV ({exc.reason})"
            return _rejected(name, kind, "BERKAS_TIDAK_TERBACA", detail=detail, periode=periode)
    n_header = len(header)
    names = _header_names(header)
    if (dup := _duplicate_schema_column(header, kind)) is not None:
        return _rejected(
            name, kind, "KOLOM_GANDA", periode=periode, notes=notes, kolom=dup[0], n=dup[1]
        )

    # a trailing run of unnamed header cells (``a,b,c,``) may be absent from the data rows
    optional_tail = 0
    for n in reversed(header):
        if n.strip():
            break
        optional_tail += 1
    bad = (nfields > n_header) | (nfields < n_header - optional_tail)
    columns = [rows[i].alias(names[i]) for i in range(n_header)]
    frame = _drop_empty_unnamed(pl.DataFrame(columns), header).with_columns(
        pl.Series(LINE_NO, lines, dtype=pl.Int32),
    )
    frame = _mark_bad_rows(frame, bad, nfields, n_header, row_text)
    return ReadResult(
        source_file=name,
        kind=kind,
        periode=periode,
        format="csv",
        frame=frame,
        header=[c for c in frame.columns if c in names],
        notes=notes,
        encoding=encoding,
    )


def _decode(data: bytes, name: str, notes: list[str]) -> tuple[str, str, str | None]:
    """Bytes -> text. Returns (text, encoding, problem)."""
    if data.startswith(b"\xff\xfe") or data.startswith(b"\xfe\xff"):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            return "", "utf-16", "berkas UTF-16 yang rusak"
        notes.append(f"Berkas '{name}' berpengodean UTF-16, bukan UTF-8; dibaca sebagai UTF-16.")
        return text.replace("\x00", ""), "utf-16", None
    if data.startswith(UTF8_BOM):
        data = data[len(UTF8_BOM) :]
    if b"\x00" in data:
        return "", "?", "berisi byte NUL (kemungkinan UTF-16 tanpa BOM atau berkas biner)"
    try:
        return data.decode("utf-8"), "utf-8", None
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        try:
            text, encoding = data.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            text, encoding = data.decode("latin-1"), "latin-1"
        notes.append(
            f"Berkas '{name}' bukan UTF-8 (byte tidak sah pertama di baris {line}); dibaca sebagai "
            f"{'Windows-1252' if encoding == 'cp1252' else 'Latin-1'}. Periksa ejaan nama pada "
            "baris yang berisi huruf beraksen, dan minta sumber mengekspor UTF-8."
        )
        return text, encoding, None


class _FallBack(Exception):
    """The fast path cannot be trusted for this file; use the csv module."""


class _CsvError(Exception):
    """The csv module refused the text (e.g. a field beyond its size limit)."""

    def __init__(self, line: int, reason: str) -> None:
        super().__init__(f"line {line}: {reason}")
        self.line, self.reason = line, reason


# A quoted field as the csv module reads it: a quote at the start of the text or right after a
# separator or line end, then anything but a lone quote ("" is a literal quote), then the
# closing quote - captured, so an empty group means the field ran to the end of the text.
_QUOTED_FIELD = re.compile(r'(?:(?<=[,\r\n])|\A)"[^"]*(?:""[^"]*)*("?)')


def _unclosed_quote_line(text: str) -> int | None:
    """Physical line of a quote that opens a field and is never closed, else None."""
    if '"' not in text:
        return None
    for match in _QUOTED_FIELD.finditer(text):
        if not match.group(1):
            return text.count("\n", 0, match.start()) + 1
    return None


def _parse_fast(raw: bytes, skip: int = 0):
    """Polars parses; numpy finds where each record starts (quotes may hide newlines).

    ``skip``: the length of a BOM before the text, which polars drops by itself. Returns the
    header, the data columns, each data row's first line and number of fields, and a function
    giving a data row's raw text.
    """
    arr = np.frombuffer(raw, dtype=np.uint8, offset=skip)
    newlines, ends = _line_ends(arr)
    starts = np.concatenate(([0], ends + 1))
    stops = np.concatenate((ends, [arr.size]))
    del ends
    if starts[-1] >= arr.size:  # trailing newline: no record after it
        starts, stops = starts[:-1], stops[:-1]
    lengths = stops - starts
    safe = np.minimum(starts, max(arr.size - 1, 0))
    blank = (lengths == 0) | ((lengths == 1) & (arr[safe] == 13))
    del lengths, safe
    nfields = _fields_per_record(arr, starts)
    line_of_start = np.searchsorted(newlines, starts) + 1
    del newlines
    try:
        table = pl.read_csv(
            io.BytesIO(raw),
            has_header=False,
            infer_schema=False,
            truncate_ragged_lines=True,
            separator=",",
            quote_char='"',
        )
    except (pl.exceptions.PolarsError, ValueError) as exc:
        raise _FallBack from exc
    if table.height != starts.size:
        raise _FallBack
    non_blank = np.flatnonzero(~blank)
    if non_blank.size == 0:
        raise _FallBack
    head = int(non_blank[0])
    if table.width != nfields[head]:
        raise _FallBack  # polars took its width from another line than the header
    header = [v if v is not None else "" for v in table.row(head)][: nfields[head]]
    if non_blank.size == starts.size - head:  # no blank line after the header: a slice, no copy
        body: slice | np.ndarray = slice(head + 1, None)
        data = table.slice(head + 1)
    else:
        body = non_blank[1:]
        data = table[body]
    del table, non_blank
    rows = [data.get_column(c) for c in data.columns[: len(header)]]
    starts, stops = starts[body], stops[body]

    def row_text(i: int) -> str:
        return raw[skip + int(starts[i]) : skip + int(stops[i])].decode("utf-8", "replace")

    return header, rows, line_of_start[body], nfields[body], row_text


def _line_ends(arr: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Positions of every newline, and of those that end a record: a newline inside a quoted
    field has an odd number of quotes before it."""
    newlines, ends = [], []
    quotes_before = 0
    for lo in range(0, arr.size, SCAN_CHUNK):
        chunk = arr[lo : lo + SCAN_CHUNK]
        found = np.flatnonzero(chunk == 10)
        outside, quotes = _outside_quotes(chunk, found, quotes_before)
        newlines.append(found + lo)
        ends.append(outside + lo)
        quotes_before += quotes
    return _joined(newlines), _joined(ends)


def _fields_per_record(arr: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Number of fields of each record: one more than its commas outside quoted fields."""
    before = np.empty(starts.size, dtype=np.int64)  # such commas before each record's start
    quotes_before = commas_before = 0
    for lo in range(0, arr.size, SCAN_CHUNK):
        chunk = arr[lo : lo + SCAN_CHUNK]
        commas, quotes = _outside_quotes(chunk, np.flatnonzero(chunk == 44), quotes_before)
        first, last = np.searchsorted(starts, (lo, lo + chunk.size))
        before[first:last] = commas_before + np.searchsorted(commas, starts[first:last] - lo)
        quotes_before += quotes
        commas_before += commas.size
    return np.diff(before, append=commas_before) + 1


def _outside_quotes(
    chunk: np.ndarray, positions: np.ndarray, quotes_before: int
) -> tuple[np.ndarray, int]:
    """The ``positions`` in ``chunk`` preceded by an even number of quotes (``quotes_before``
    of them before the chunk), and the chunk's number of quotes."""
    quotes = np.flatnonzero(chunk == 34)
    if quotes.size or quotes_before & 1:
        positions = positions[((np.searchsorted(quotes, positions) + quotes_before) & 1) == 0]
    return positions, quotes.size


def _joined(parts: list[np.ndarray]) -> np.ndarray:
    return np.concatenate(parts) if parts else np.empty(0, dtype=np.int64)


def _parse_python(text: str):
    """The reference path: the csv module, with its line counter."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=False)
    records, lines, texts = [], [], []
    previous = 0
    try:
        for record in reader:
            start_line = previous + 1
            previous = reader.line_num
            if not record:  # blank line: not a row
                continue
            records.append(record)
            lines.append(start_line)
            texts.append(",".join(record))
    except csv.Error as exc:
        raise _CsvError(previous + 1, str(exc)) from exc
    if not records:
        raise ValueError("no records")  # cannot happen: the text is not blank
    header, body = records[0], records[1:]
    n = len(header)
    columns = [
        pl.Series([r[i] if i < len(r) else None for r in body], dtype=pl.String) for i in range(n)
    ]
    nfields = np.array([len(r) for r in body], dtype=np.int64)
    del texts[0]
    return header, columns, np.array(lines[1:], dtype=np.int64), nfields, texts.__getitem__


def _header_names(header: list[str | None]) -> list[str]:
    """Normalised names; an unnamed column is ``kolom_<n>`` (n = 1-based position); a repeated
    name gets ``__<k>`` appended so the frame stays well-formed (see ``_duplicate_schema_column``)."""
    names: list[str] = []
    for i, h in enumerate(header):
        base = normalise_name(h or "") or f"kolom_{i + 1}"
        if base in INTERNAL_COLUMNS:  # the reader's own columns: the file's one is an extra
            base = f"{base}_berkas"
        n, k = base, 2
        while n in names:
            n, k = f"{base}__{k}", k + 1
        names.append(n)
    return names


def _duplicate_schema_column(header: list[str | None], kind: str | None) -> tuple[str, int] | None:
    """A contract column named twice (``nip`` and `` NIP``): (column, times)."""
    known = {c.name for c in SCHEMAS[kind]} if kind in SCHEMAS else set()
    normalised = [normalise_name(h or "") for h in header]
    for n in sorted(known):
        if (count := normalised.count(n)) > 1:
            return n, count
    return None


def _drop_empty_unnamed(frame: pl.DataFrame, header: list[str | None]) -> pl.DataFrame:
    """Unnamed columns are kept (as ``kolom_<n>``, reported as extra) only if they hold data."""
    drop = [
        c
        for c, h in zip(frame.columns, header, strict=True)
        if not normalise_name(h or "")
        and frame.get_column(c).str.strip_chars().str.len_bytes().fill_null(0).sum() == 0
    ]
    return frame.drop(drop)


def _mark_bad_rows(
    frame: pl.DataFrame,
    bad: np.ndarray,
    nfields: np.ndarray,
    n_header: int,
    row_text: Callable[[int], str],
) -> pl.DataFrame:
    """Rows whose field count differs from the header: reason + raw text for the quarantine."""
    index = np.flatnonzero(bad)  # only the broken rows, usually none
    problems = [ALASAN["BARIS_RUSAK"].teks(jumlah=int(nfields[i]), n=n_header) for i in index]
    texts = [row_text(int(i)).rstrip("\r")[:RAW_LINE_MAX] for i in index]
    return frame.with_columns(
        _nulls_except(READ_PROBLEM, frame.height, index, problems),
        _nulls_except(RAW_LINE, frame.height, index, texts),
    )


def _nulls_except(name: str, height: int, index: np.ndarray, values: list[str]) -> pl.Series:
    """A text column of ``height`` nulls holding ``values`` at ``index``."""
    column = pl.repeat(None, height, dtype=pl.String, eager=True).alias(name)
    return column.scatter(index, values) if index.size else column


# --- XLSX ------------------------------------------------------------------------------------
def _read_xlsx(data: bytes, name: str, kind: str | None, periode: str | None) -> ReadResult:
    import openpyxl  # local: only needed for xlsx

    if kind is not None and kind not in XLSX_KINDS:
        detail = f"berkas {kind} hanya diterima sebagai CSV"
        return _rejected(name, kind, "BERKAS_TIDAK_TERBACA", detail=detail, periode=periode)
    if kind is None:
        detail = "jenis berkas tidak diketahui dari namanya"
        return _rejected(name, kind, "BERKAS_TIDAK_TERBACA", detail=detail, periode=periode)
    if not data.startswith(XLSX_MAGIC):
        if not data.strip():
            return _rejected(name, kind, "BERKAS_KOSONG", periode=periode)
        detail = "bukan berkas .xlsx yang sah" + (
            " (format .xls lama; simpan ulang sebagai .xlsx)" if data.startswith(XLS_MAGIC) else ""
        )
        return _rejected(name, kind, "BERKAS_TIDAK_TERBACA", detail=detail, periode=periode)
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - zip, XML or openpyxl errors: a rejected file
        detail = f"berkas .xlsx rusak ({type(exc).__name__})"
        return _rejected(name, kind, "BERKAS_TIDAK_TERBACA", detail=detail, periode=periode)
    notes: list[str] = []
    try:
        if not book.worksheets:
            return _rejected(name, kind, "BERKAS_KOSONG", periode=periode)
        sheet = book.worksheets[0]
        if len(book.worksheets) > 1:
            others = ", ".join(f"'{s.title}'" for s in book.worksheets[1:])
            notes.append(
                f"Berkas '{name}': hanya lembar pertama '{sheet.title}' yang dibaca; lembar lain "
                f"diabaikan: {others}."
            )
        sheet.reset_dimensions()  # some writers record a wrong used range
        cells = list(sheet.iter_rows(values_only=True))
        rows = [tuple(_cell_text(v) for v in row) for row in cells]
    except Exception as exc:  # noqa: BLE001 - any parser failure is a rejected file, with reason
        detail = f"isi lembar tidak dapat dibaca ({type(exc).__name__}: {exc})"
        return _rejected(name, kind, "BERKAS_TIDAK_TERBACA", detail=detail, periode=periode)
    finally:
        book.close()

    if not any(any(v is not None for v in r) for r in rows):
        return _rejected(name, kind, "BERKAS_KOSONG", periode=periode)
    header_index = _find_header(rows, kind)
    if header_index is None:
        required = [c.name for c in SCHEMAS[kind] if c.required]
        return _rejected(
            name,
            kind,
            "JUDUL_TIDAK_DITEMUKAN",
            periode=periode,
            notes=notes,
            n=HEADER_SEARCH_ROWS,
            lembar=sheet.title,
            daftar=", ".join(required),
        )
    width = max(len(r) for r in rows[header_index:])
    header = [*rows[header_index], *([None] * (width - len(rows[header_index])))]
    if header_index > 0:
        notes.append(
            f"Berkas '{name}': judul kolom ditemukan di baris {header_index + 1}; baris di atasnya "
            "(judul laporan) diabaikan."
        )
    if (dup := _duplicate_schema_column(header, kind)) is not None:
        return _rejected(
            name, kind, "KOLOM_GANDA", periode=periode, notes=notes, kolom=dup[0], n=dup[1]
        )
    names = _header_names(header)
    month_names = _month_columns(kind)
    months = [j for j, n in enumerate(names) if n in month_names]
    body = [
        (line, _with_months(r, cells[line - 1], months))
        for line, r in enumerate(rows[header_index + 1 :], start=header_index + 2)
        if any(v is not None for v in r)
    ]
    columns = [
        pl.Series(names[j], [r[j] if j < len(r) else None for _, r in body], dtype=pl.String)
        for j in range(width)
    ]
    frame = _drop_empty_unnamed(pl.DataFrame(columns), header).with_columns(
        pl.Series(LINE_NO, [line for line, _ in body], dtype=pl.Int32)
    )
    return ReadResult(
        source_file=name,
        kind=kind,
        periode=periode,
        format="xlsx",
        frame=frame,
        header=[c for c in frame.columns if c != LINE_NO],
        notes=notes,
    )


def _month_columns(kind: str) -> set[str]:
    """The columns of ``kind`` that hold a month (``YYYY-MM``: kinerja's ``periode``)."""
    return {c.name for c in SCHEMAS[kind] if c.kind == "periode"}


def _with_months(row: tuple, cells: tuple, months: list[int]) -> tuple:
    """``row`` with each month column that the spreadsheet holds as a date on the 1st (Excel
    turns a typed ``2025-03`` into 1 March 2025, shown as ``Mar-25``) as ``YYYY-MM``; any other
    date stays a date, which the month's parser rejects with its line."""
    if not months:
        return row
    out = list(row)
    for j in months:
        value = cells[j] if j < len(cells) else None
        if isinstance(value, datetime) and value.time() != time(0, 0):
            continue
        if isinstance(value, date) and value.day == 1:
            out[j] = f"{value.year:04d}-{value.month:02d}"
    return tuple(out)


def _find_header(rows: list[tuple[str | None, ...]], kind: str) -> int | None:
    """Index of the first of the first 20 rows naming all required columns; else the best
    row naming at least half of them (the validator then reports what is missing)."""
    required = {c.name for c in SCHEMAS[kind] if c.required}
    best, best_hits = None, 0
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        names = {normalise_name(v) for v in row if v is not None}
        hits = len(required & names)
        if hits == len(required):
            return i
        if hits > best_hits:
            best, best_hits = i, hits
    return best if best_hits * 2 >= len(required) else None


def _cell_text(value: object) -> str | None:
    """One spreadsheet cell as text, without losing digits."""
    match value:
        case None:
            return None
        case str():
            return value if value.strip() else None
        case bool():
            return "TRUE" if value else "FALSE"
        case int():
            return str(value)
        case float():
            if value.is_integer() and abs(value) < FLOAT_EXACT:
                return str(int(value))
            if value.is_integer():
                return f"{value:.15G}"  # precision already lost in the file: shown as Excel does
            return repr(value)
        case datetime():
            if value.time() == time(0, 0):
                return value.date().isoformat()
            return value.strftime("%Y-%m-%d %H:%M:%S")
        case date():
            return value.isoformat()
        case time():
            return value.strftime("%H:%M:%S")
        case timedelta():
            return str(value)
        case _:
            return str(value)


# --- helpers ---------------------------------------------------------------------------------
def _rejected(
    name: str,
    kind: str | None,
    template_id: str,
    *,
    periode: str | None = None,
    notes: list[str] | None = None,
    **fields: object,
) -> ReadResult:
    rejection = alasan(template_id, berkas=name, **fields)
    return ReadResult(
        source_file=name,
        kind=kind,
        periode=periode,
        format="xlsx" if name.lower().endswith(".xlsx") else "csv",
        frame=pl.DataFrame(schema={LINE_NO: pl.Int32}),
        notes=list(notes or []),
        rejection=rejection,
    )
