"""Property-based tests of the parsers (hypothesis, derandomized: the same examples every run).

- the NIP rule of ``validation_rules.nip_valid`` / ``validate`` equals an independent Python reference
  on valid NIPs, near misses and arbitrary text;
- timestamps and dates load exactly when a plain-Python reading of the contract says they are
  valid and inside the file's month, with the same value; otherwise the row is quarantined
  with the matching reason and the value quoted;
- the CSV reader returns every record a csv writer wrote, whatever the quoting, line ends, BOM,
  blank lines, embedded quotes, commas and line breaks: no row lost, values exact, ``line_no``
  = the physical line where the record starts; rows with the wrong number of fields are
  marked, never guessed.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from unittest import mock

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orchestration import readers
from orchestration.readers import read_export_bytes
from orchestration.validation import READ_PROBLEM, validate
from orchestration.validation_rules import nip_valid

from .corpus import HEADERS, PERIODE, aktivitas, csv_text, tap

PROPS = settings(
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=120,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


# --- the NIP rule -------------------------------------------------------------------------------
def reference_nip(text: str) -> bool:
    """sources.md: 18 ASCII digits = birth date yyyymmdd + TMT CPNS yyyymm + sex 1/2 + 3 digits;
    the project reads "real date" as a 19xx/20xx date."""
    if not re.fullmatch(r"[0-9]{18}", text):
        return False
    try:
        dt.date(int(text[0:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        return False
    return (
        text[0:2] in ("19", "20")
        and text[8:10] in ("19", "20")
        and 1 <= int(text[12:14]) <= 12
        and text[14] in "12"
    )


def _valid_nip() -> st.SearchStrategy[str]:
    return st.builds(
        lambda b, y, m, s, n: f"{b:%Y%m%d}{y:04d}{m:02d}{s}{n:03d}",
        st.dates(dt.date(1900, 1, 1), dt.date(2099, 12, 31)),
        st.integers(1900, 2099),
        st.integers(1, 12),
        st.sampled_from("12"),
        st.integers(0, 999),
    )


def _near_miss(nip: str, position: int, char: str) -> str:
    return nip[:position] + char + nip[position + 1 :]


NIP_TEXT = st.one_of(
    _valid_nip(),
    st.builds(_near_miss, _valid_nip(), st.integers(0, 17), st.sampled_from("0123456789 x.")),
    st.text(alphabet="0123456789", min_size=16, max_size=20),
    st.text(alphabet="0123456789", min_size=18, max_size=18),
    st.text(alphabet="0123456789 .,E+-e/\u0661\uff11", max_size=22),
    st.text(max_size=20),
)


@PROPS
@given(st.lists(NIP_TEXT, min_size=1, max_size=40))
def test_nip_rule_equals_the_reference(values):
    got = pl.DataFrame({"nip": values}, schema={"nip": pl.String}).select(
        nip_valid(pl.col("nip")).fill_null(False)
    )["nip"]
    assert got.to_list() == [reference_nip(v) for v in values]


@PROPS
@given(_valid_nip())
def test_every_well_formed_nip_is_valid(value):
    assert reference_nip(value)
    assert pl.select(nip_valid(pl.lit(value))).item()


# line breaks inside a quoted cell shift physical line numbers; the CSV reader property below
# proves those numbers, so here one cell is one line
ONE_LINE_NIP_TEXT = NIP_TEXT.filter(lambda v: "\n" not in v and "\r" not in v)


@PROPS
@given(st.lists(ONE_LINE_NIP_TEXT, min_size=1, max_size=30))
def test_a_row_with_an_invalid_nip_never_loads(values):
    rows = [tap(1, nip=v, id_mesin=f"M{i}") for i, v in enumerate(values)]
    result = _validate_csv("absensi", csv_text(HEADERS["absensi"], rows))
    # the validator trims cells first
    expected_valid = [i + 2 for i, v in enumerate(values) if reference_nip(v.strip(" \t"))]
    assert result.valid["line_no"].to_list() == expected_valid
    assert result.duplicates.height == 0
    for r in result.quarantine.iter_rows(named=True):
        assert r["kode_alasan"] in ("NIP_TIDAK_VALID", "WAJIB_KOSONG")
        assert r["kolom"] == "nip"


def _validate_csv(kind: str, text: str):
    name = f"{kind}_202602.csv"
    read = read_export_bytes(text.encode(), name)
    assert read.rejection is None, read.rejection
    return validate(kind, PERIODE, read.frame, name)


# --- timestamps and dates -----------------------------------------------------------------------
MONTH = (dt.datetime(2026, 2, 1), dt.datetime(2026, 3, 1))
TS = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2}) ([0-9]{2}):([0-9]{2}):([0-9]{2})")


def reference_timestamp(text: str) -> dt.datetime | None:
    """``YYYY-MM-DD HH:MM:SS`` (ASCII digits, a real calendar time) or None."""
    m = TS.fullmatch(text)
    if not m:
        return None
    try:
        return dt.datetime(*(int(g) for g in m.groups()))
    except ValueError:
        return None


def _ts_text() -> st.SearchStrategy[str]:
    in_month = st.datetimes(MONTH[0], MONTH[1] - dt.timedelta(seconds=1))
    near = st.datetimes(dt.datetime(2026, 1, 31, 23), dt.datetime(2026, 3, 1, 1))
    anywhere = st.datetimes(dt.datetime(1900, 1, 1), dt.datetime(2100, 12, 31))
    fmt = st.sampled_from(
        [
            "%Y-%m-%d %H:%M:%S",
            "%Y-%m-%dT%H:%M:%S",
            "%Y-%m-%d %H:%M",
            "%d/%m/%Y %H:%M:%S",
            "%Y-%m-%d %H:%M:%S+08:00",
        ]
    )
    return st.one_of(
        in_month.map(lambda d: d.strftime("%Y-%m-%d %H:%M:%S")),
        near.map(lambda d: d.strftime("%Y-%m-%d %H:%M:%S")),
        st.builds(lambda d, f: d.strftime(f), anywhere, fmt),
        st.builds(
            lambda d, h, mi, s: f"{d:%Y-%m-%d} {h:02d}:{mi:02d}:{s:02d}",
            st.dates(dt.date(2026, 2, 1), dt.date(2026, 2, 28)),
            st.integers(0, 99),
            st.integers(0, 99),
            st.integers(0, 99),
        ),
        st.builds(
            lambda y, mo, d: f"{y:04d}-{mo:02d}-{d:02d} 08:00:00",
            st.just(2026),
            st.integers(0, 13),
            st.integers(0, 32),
        ),
        st.text(alphabet="0123456789-: T/", max_size=21),
    )


@PROPS
@given(st.lists(_ts_text(), min_size=1, max_size=40))
def test_timestamps_load_exactly_when_valid_and_in_the_month(values):
    rows = [tap(1, waktu=v, id_mesin=f"M{i}") for i, v in enumerate(values)]
    result = _validate_csv("absensi", csv_text(HEADERS["absensi"], rows))
    loaded = dict(zip(result.valid["line_no"], result.valid["waktu"], strict=True))
    quarantined = {r["line_no"]: r for r in result.quarantine.iter_rows(named=True)}
    for i, text in enumerate(values):
        line, ref = i + 2, reference_timestamp(text.strip())
        if ref is not None and MONTH[0] <= ref < MONTH[1]:
            assert loaded.get(line) == ref, (text, loaded.get(line))
        else:
            r = quarantined[line]
            want = (
                "WAJIB_KOSONG"
                if not text.strip()
                else ("DI_LUAR_PERIODE" if ref is not None else "WAKTU_TIDAK_VALID")
            )
            assert (r["kolom"], r["kode_alasan"]) == ("waktu", want), (text, r)
            if want == "WAKTU_TIDAK_VALID":
                assert text.strip() in r["alasan"]


def reference_date(text: str) -> dt.date | None:
    m = re.fullmatch(r"([0-9]{4})-([0-9]{2})-([0-9]{2})", text)
    if not m:
        return None
    try:
        return dt.date(*(int(g) for g in m.groups()))
    except ValueError:
        return None


DATE_TEXT = st.one_of(
    st.dates(dt.date(2026, 1, 25), dt.date(2026, 3, 5)).map(str),
    st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31)).map(lambda d: d.strftime("%d/%m/%Y")),
    st.builds(lambda m, d: f"2026-{m:02d}-{d:02d}", st.integers(0, 13), st.integers(0, 32)),
    st.integers(40000, 50000).map(str),  # Excel serials
    st.text(alphabet="0123456789-/ ", max_size=12),
)


@PROPS
@given(st.lists(DATE_TEXT, min_size=1, max_size=40))
def test_dates_load_exactly_when_valid_and_in_the_month(values):
    rows = [aktivitas(1, tanggal=v, uraian=f"kegiatan {i}") for i, v in enumerate(values)]
    result = _validate_csv("aktivitas", csv_text(HEADERS["aktivitas"], rows))
    loaded = dict(zip(result.valid["line_no"], result.valid["tanggal"], strict=True))
    quarantined = {r["line_no"]: r for r in result.quarantine.iter_rows(named=True)}
    for i, text in enumerate(values):
        line, ref = i + 2, reference_date(text.strip())
        if ref is not None and ref.strftime("%Y-%m") == PERIODE:
            assert loaded.get(line) == ref, (text, loaded.get(line))
        else:
            r = quarantined[line]
            want = (
                "WAJIB_KOSONG"
                if not text.strip()
                else ("DI_LUAR_PERIODE" if ref is not None else "TANGGAL_TIDAK_VALID")
            )
            assert (r["kolom"], r["kode_alasan"]) == ("tanggal", want), (text, r)


# --- the CSV reader -----------------------------------------------------------------------------
CELL = st.text(
    alphabet=st.one_of(
        st.sampled_from(list("ab ,\"\n\r\t;.-'")),
        st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")),
    ),
    max_size=12,
)
COLUMNS = ["nip", "tanggal", "uraian", "durasi_menit", "status"]


@st.composite
def csv_files(draw):
    n = len(COLUMNS)
    records = draw(
        st.lists(
            st.one_of(
                st.lists(CELL, min_size=n, max_size=n),
                st.lists(CELL, min_size=1, max_size=n + 2),  # maybe ragged
            ),
            min_size=1,
            max_size=25,
        )
    )
    records = [r for r in records if any(c.strip() for c in r)] or [["x"] * n]
    quoting = draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]))
    eol = draw(st.sampled_from(["\n", "\r\n"]))
    blanks = draw(st.lists(st.booleans(), min_size=len(records), max_size=len(records)))
    bom = draw(st.booleans())
    trailing = draw(st.booleans())
    return records, quoting, eol, blanks, bom, trailing


def _write(records, quoting, eol, blanks, bom, trailing) -> tuple[bytes, list[int]]:
    """The file and, for each record, the physical line where it starts."""

    def line(values: list[str]) -> str:
        # "\r\n" as the writer's terminator makes it quote every cell holding \r or \n (with
        # "\n" alone, a cell ending in \r would be indistinguishable from a CRLF line end)
        one = io.StringIO()
        csv.writer(one, quoting=quoting, lineterminator="\r\n").writerow(values)
        return one.getvalue()[:-2] + eol

    out = io.StringIO()
    out.write(line(COLUMNS))
    starts = []
    for record, blank in zip(records, blanks, strict=True):
        if blank:
            out.write(eol)
        starts.append(out.getvalue().count("\n") + 1)
        out.write(line(record))
    text = out.getvalue()
    if not trailing:
        text = text[: -len(eol)]
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode(), starts


@settings(PROPS, max_examples=200)
@given(csv_files())
def test_csv_reader_loses_no_record_and_numbers_lines_right(case):
    records, *_ = case
    data, starts = _write(*case)
    read = read_export_bytes(data, "aktivitas_202602.csv")
    if read.rejection is not None:
        # the only refusal allowed for a csv-writer file: none (the writer closes every quote)
        raise AssertionError(read.rejection)
    frame = read.frame
    assert frame["line_no"].to_list() == starts
    assert frame.height == len(records)
    for (i, record), row in zip(enumerate(records), frame.iter_rows(named=True), strict=True):
        if len(record) == len(COLUMNS):
            assert row[READ_PROBLEM] is None, (record, row)
            assert [row[c] or "" for c in COLUMNS] == [v for v in record], (i, record, row)
        else:
            assert row[READ_PROBLEM] is not None, (record, row)
    # and the validator places every record exactly once
    result = validate("aktivitas", PERIODE, frame, "aktivitas_202602.csv")
    placed = sorted(
        result.valid["line_no"].to_list()
        + result.quarantine["line_no"].to_list()
        + result.duplicates["line_no"].to_list()
    )
    assert placed == starts


@settings(PROPS, max_examples=100)
@given(csv_files(), st.integers(1, 40))
def test_csv_reader_scans_in_chunks_of_any_size(case, chunk):
    """Line ends and commas are found a chunk of bytes at a time, whether a quote is open carried
    from one chunk to the next: any chunk size reads the same rows as one chunk for the file."""
    data, _ = _write(*case)
    whole = read_export_bytes(data, "aktivitas_202602.csv")
    with mock.patch.object(readers, "SCAN_CHUNK", chunk):
        chunked = read_export_bytes(data, "aktivitas_202602.csv")
    assert chunked.rejection == whole.rejection
    assert chunked.frame.equals(whole.frame)
