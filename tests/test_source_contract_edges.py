"""Edges of the source contract (sources.md) that no other test pins: each test names the line
of ../shared/spec/sources.md it holds the ingest to. Files are built here; nothing is read from
../shared."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from orchestration import cli
from orchestration.core.contract import parse_file_name
from orchestration.core.months import MonthPlan
from orchestration.core.paths import DataDir
from orchestration.export_folder import discover, ignored_lines
from orchestration.run import RunError, RunSummary, month_plan, run_pipeline
from tests.test_validation import read_and_validate

ABSENSI = b"id_mesin,nip,waktu,jenis,metode,lat,lon\r\nFP,199008152016011005,2024-03-04 07:05:00,MASUK,FINGER,,\r\n"


@pytest.fixture
def folders(tmp_path) -> tuple[DataDir, Path]:
    exports = tmp_path / "ekspor"
    exports.mkdir()
    return DataDir(tmp_path / "data"), exports


# --- file names --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "name",
    ["absensi_000003.csv", "absensi_185003.csv", "pegawai_000012.xlsx", "kinerja_210001.csv"],
)
def test_a_file_name_whose_year_is_no_payroll_year_is_not_an_export(name):
    """sources.md: "File name carries the period: `<kind>_YYYYMM.csv`". A year 0000 made the
    validator crash on ``date(0, 3, 1)`` and took the whole ingest down with it."""
    assert parse_file_name(name) is None


def test_files_whose_names_break_the_contract_are_reported_never_silently_skipped(folders):
    """sources.md: "File name carries the period: `<kind>_YYYYMM.csv`" and "`pegawai_*` and
    `kinerja_*` may also arrive as `.xlsx`": a file that looks like an export but whose name
    breaks this is not read, and the operator is told which file and why."""
    data, exports = folders
    (exports / "absensi_202403.csv").write_bytes(ABSENSI)
    for name in (
        "absensi_202413.csv",  # month 13
        "absensi_000003.csv",  # year 0
        "absensi_202403.xlsx",  # taps only as CSV
        "gaji_202403.csv",  # unknown kind
        "absensi-202403.csv",  # pattern
        "~$pegawai_202403.xlsx",  # Excel's lock file: not an export, not reported
        ".absensi_202403.csv.swp",  # hidden: not reported
        "catatan.txt",  # not an export file at all: not reported
    ):
        (exports / name).write_text("x")
    found = discover(exports)
    assert set(found) == {("absensi", "2024-03")}
    lines = ignored_lines(found)
    assert lines == [
        "Berkas 'absensi-202403.csv' diabaikan: nama berkas tidak mengikuti pola "
        "<jenis>_YYYYMM.csv (jenis: pegawai, absensi, ketidakhadiran, kinerja, aktivitas, jadwal).",
        "Berkas 'absensi_000003.csv' diabaikan: periode '000003' pada nama berkas bukan bulan "
        "yang sah (YYYYMM, tahun 1900 s.d. 2099, bulan 01 s.d. 12).",
        "Berkas 'absensi_202403.xlsx' diabaikan: berkas absensi hanya diterima sebagai CSV "
        "(.xlsx hanya untuk pegawai dan kinerja).",
        "Berkas 'absensi_202413.csv' diabaikan: periode '202413' pada nama berkas bukan bulan "
        "yang sah (YYYYMM, tahun 1900 s.d. 2099, bulan 01 s.d. 12).",
        "Berkas 'gaji_202403.csv' diabaikan: nama berkas tidak mengikuti pola <jenis>_YYYYMM.csv "
        "(jenis: pegawai, absensi, ketidakhadiran, kinerja, aktivitas, jadwal).",
    ]
    assert month_plan(found, data).ignored == tuple(lines)


def test_a_folder_holding_only_misnamed_files_names_them_in_the_error(folders):
    """sources.md: "File name carries the period": with only a misnamed file the run stops and
    says which file was skipped and why, not merely that the folder has no exports."""
    data, exports = folders
    (exports / "absensi_202413.csv").write_bytes(ABSENSI)
    with pytest.raises(RunError) as error:
        run_pipeline(exports, data)
    assert "Berkas 'absensi_202413.csv' diabaikan: periode '202413'" in str(error.value)


def test_the_run_command_prints_the_skipped_files(folders, monkeypatch, capsys):
    """``kinerja run`` prints every skipped file, one line each, next to the month plan."""
    data, exports = folders
    plan = MonthPlan(["2024-03"], [], ignored=("Berkas 'gaji_202403.csv' diabaikan: x.",))
    summary = RunSummary(["2024-03"], [], 0.1, noop=True, plan=plan)
    monkeypatch.setattr("orchestration.run.run_pipeline", lambda *a, **k: summary)
    args = argparse.Namespace(
        exports=str(exports), data=str(data.root), periode=None, paksa=False, model=False
    )
    assert cli.cmd_run(args) == 0
    assert "Berkas 'gaji_202403.csv' diabaikan: x." in capsys.readouterr().out.splitlines()


# --- header ------------------------------------------------------------------------------------
def test_a_missing_required_column_rejects_the_file_and_quotes_only_the_files_own_columns():
    """sources.md: "A missing required column rejects the whole file with a clear message." The
    quarantine row (line 0) names the missing column and shows the columns the file does have,
    not the reader's own bookkeeping columns (``line_no``, the ragged-row markers)."""
    data = (
        b"id_mesin,NIP,waktu,metode,lat,lon\r\n"
        b"FP,199008152016011005,2024-03-04 07:05:00,FINGER,,\r\n"
        b"FP,199008152016011005,2024-03-04 16:05:00,FINGER,,,\r\n"  # ragged
    )
    result = read_and_validate(data, "absensi_202403.csv")
    [q] = result.quarantine.rows(named=True)
    assert (q["source_file"], q["line_no"], q["kolom"], q["kode_alasan"]) == (
        "absensi_202403.csv",
        0,
        "jenis",
        "KOLOM_HILANG",
    )
    assert q["nilai"] == "id_mesin, nip, waktu, metode, lat, lon"
    assert q["alasan"] == (
        "Kolom wajib 'jenis' tidak ada di berkas 'absensi_202403.csv'; seluruh berkas ditolak."
    )
    assert result.counts == {"read": 2, "loaded": 0, "quarantined": 2, "duplicates": 0}


def test_extra_columns_are_reported_once_in_the_run_log_not_per_row(folders):
    """sources.md: "Extra columns are ignored and reported once." The note reaches the run log
    (console and Dagster) once per file, whatever the number of rows; before, it was written
    only into the file registry where no operator reads it."""
    import dagster as dg

    from orchestration.assets.ingest import ingest_assets
    from orchestration.resources import KinerjaStorage

    data, exports = folders
    header = "id_mesin,nip,waktu,jenis,metode,lat,lon,Keterangan\r\n"
    rows = "".join(
        f"FP,19900815201601100{i},2024-03-04 07:05:00,MASUK,FINGER,,,x{i}\r\n" for i in range(1, 8)
    )
    (exports / "absensi_202403.csv").write_text(header + rows)
    [asset] = [a for a in ingest_assets if a.node_def.name == "ingest_absensi"]
    storage = KinerjaStorage(exports_dir=str(exports), data_dir=str(data.root))
    instance = dg.DagsterInstance.ephemeral()
    result = dg.materialize(
        [asset], partition_key="2024-03", resources={"storage": storage}, instance=instance
    )
    assert result.success
    messages = [e.user_message for e in instance.all_logs(result.run_id)]
    note = "Kolom tambahan di berkas 'absensi_202403.csv' diabaikan: 'keterangan'."
    assert messages.count(note) == 1


# --- times -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "waktu",
    [
        "2024-03-01 24:00:00",  # no 24:00 in the contract: never rolled over to the next day
        "2024-03-01",  # date only
        "2024-03-01 07:30:00Z",
        "2024-03-01 07:30:00.000",
        "2024/03/01 07:30:00",
    ],
)
def test_a_time_outside_the_contract_format_is_quarantined_never_shifted(waktu):
    """sources.md: "Times are local WITA (UTC+8) wall-clock without offset,
    `YYYY-MM-DD HH:MM:SS`." Anything else is quarantined with file, line and reason."""
    data = ABSENSI + f"FP,199008152016011005,{waktu},PULANG,FINGER,,\r\n".encode()
    result = read_and_validate(data, "absensi_202403.csv")
    assert result.valid["line_no"].to_list() == [2]
    [q] = result.quarantine.rows(named=True)
    assert (q["source_file"], q["line_no"], q["kolom"], q["nilai"], q["kode_alasan"]) == (
        "absensi_202403.csv",
        3,
        "waktu",
        waktu,
        "WAKTU_TIDAK_VALID",
    )
    assert "harus berformat YYYY-MM-DD HH:MM:SS" in q["alasan"]


# --- xlsx --------------------------------------------------------------------------------------
def _pegawai_xlsx(header_row: int, first_column: int = 1) -> bytes:
    import io

    import openpyxl

    from tests.test_validation import GOOD

    book = openpyxl.Workbook()
    sheet = book.active
    sheet["A1"] = "DAFTAR PEGAWAI PEMERINTAH PROVINSI NUSA TENGGARA TIMUR"
    sheet.merge_cells("A1:F1")
    values = GOOD["pegawai"]
    for j, (name, value) in enumerate(values.items()):
        sheet.cell(header_row, first_column + j, name.upper())
        sheet.cell(header_row + 1, first_column + j, value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_xlsx_header_on_row_20_is_found_on_row_21_it_is_not():
    """sources.md: "first sheet, header row within the first 20 rows; BKN-style exports put a
    title in A1". Row 20 is the last row searched; the header may start in any column."""
    result = read_and_validate(_pegawai_xlsx(20, first_column=2), "pegawai_202403.xlsx")
    assert result.counts["loaded"] == 1 and result.valid["line_no"].to_list() == [21]
    assert result.valid["nip"].to_list() == ["199008152016011005"]
    result = read_and_validate(_pegawai_xlsx(21), "pegawai_202403.xlsx")
    [q] = result.quarantine.rows(named=True)
    assert (q["line_no"], q["kode_alasan"]) == (0, "JUDUL_TIDAK_DITEMUKAN")
    assert "20 baris pertama" in q["alasan"] and "'pegawai_202403.xlsx'" in q["alasan"]


def test_xlsx_periode_typed_as_a_month_is_the_month_any_other_date_is_quarantined():
    """sources.md: kinerja ``periode`` is ``YYYY-MM`` and kinerja "may also arrive as .xlsx".
    Excel turns a typed ``2024-03`` into the date 1 March 2024 (shown ``Mar-24``): that cell is
    the month, not an invalid value (an evaluation lost would pay the person as unevaluated).
    A date on another day is no month: quarantined with its line, like a text ``2024-03-15``."""
    import datetime as dt
    import io

    import openpyxl

    from tests.test_validation import GOOD

    book = openpyxl.Workbook()
    sheet = book.active
    sheet["A1"] = "REKAPITULASI PENILAIAN KINERJA"
    columns = list(GOOD["kinerja"])
    sheet.append(columns)
    cells = [dt.date(2024, 3, 1), dt.datetime(2024, 3, 1), "2024-03", dt.date(2024, 3, 15)]
    for k, periode in enumerate(cells):
        row = GOOD["kinerja"] | {"periode": periode, "nip": f"19900815201601100{k + 5}"}
        sheet.append([row[c] for c in columns])
    buffer = io.BytesIO()
    book.save(buffer)

    result = read_and_validate(buffer.getvalue(), "kinerja_202403.xlsx")
    assert result.valid["line_no"].to_list() == [3, 4, 5]
    assert set(result.valid["periode"].to_list()) == {"2024-03"}
    [q] = result.quarantine.rows(named=True)
    assert (q["line_no"], q["kolom"]) == (6, "periode") and "2024-03-15" in q["alasan"]
