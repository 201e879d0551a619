"""The contract validator and the export readers (sources.md): rules, boundaries, no lost rows."""

from __future__ import annotations

import csv
import io
import re
import time
import zipfile
from datetime import date

import openpyxl
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orchestration import reasons
from orchestration import validation as v
from orchestration.core.contract import PREDIKAT_MATRIX, QUARANTINE_SCHEMA, SCHEMAS, raw_schema
from orchestration.readers import read_export_bytes
from orchestration.validation import validate

PERIODE = "2024-03"
NIP = "199008152016011005"
NIP_PENILAI = "197501012000031002"


def nip(i: int, sex: int = 1) -> str:
    """A valid NIP, distinct per ``i`` (< 1000)."""
    return f"19900815201601{sex}{i:03d}"


GOOD = {
    "pegawai": {
        "nip": NIP,
        "nama": "Dra. Maria Fernandez, M.Si",
        "status": "PNS",
        "golongan": "III/a",
        "jenis_jabatan": "PELAKSANA",
        "nama_jabatan": "Pengadministrasi Umum",
        "kelas_jabatan": "7",
        "kode_opd": "1.02.01",
        "nama_opd": "Dinas Kesehatan",
        "tmt_opd": "2020-01-01",
        "aktif_sampai": "",
    },
    "absensi": {
        "id_mesin": "FP-0101",
        "nip": NIP,
        "waktu": "2024-03-04 07:05:00",
        "jenis": "MASUK",
        "metode": "FINGER",
        "lat": "",
        "lon": "",
    },
    "ketidakhadiran": {
        "nip": NIP,
        "kode": "CT",
        "mulai": "2024-03-11",
        "selesai": "2024-03-12",
        "status": "DISETUJUI",
        "nomor_surat": "800/123/BKD/2024",
    },
    "kinerja": {
        "nip": NIP,
        "periode": "2024-03",
        "hasil_kerja": "SESUAI",
        "perilaku": "SESUAI",
        "predikat": "BAIK",
        "status": "FINAL",
        "nip_penilai": NIP_PENILAI,
        "tanggal_penilaian": "2024-04-03",
    },
    "aktivitas": {
        "nip": NIP,
        "tanggal": "2024-03-04",
        "uraian": "Menyusun laporan bulanan",
        "durasi_menit": "120",
        "status": "DISETUJUI",
    },
    "jadwal": {
        "nip": NIP,
        "tanggal": "2024-03-04",
        "kode_shift": "PAGI",
    },
}


def row(kind: str, **changes: str) -> dict[str, str]:
    return {**GOOD[kind], **changes}


def frame(rows: list[dict[str, str]]) -> pl.DataFrame:
    """Rows as the reader returns them: text columns, line_no = CSV line (first data row 2)."""
    columns = list(rows[0])
    return pl.DataFrame(
        {c: [r.get(c) for r in rows] for c in columns}, schema=dict.fromkeys(columns, pl.String)
    ).with_columns(pl.int_range(2, len(rows) + 2, dtype=pl.Int32).alias("line_no"))


def check(kind: str, rows: list[dict[str, str]], periode: str = PERIODE) -> v.ValidationResult:
    result = validate(kind, periode, frame(rows), f"{kind}_{periode.replace('-', '')}.csv")
    assert_partition(result)
    return result


def assert_partition(result: v.ValidationResult) -> None:
    """Every row is in exactly one of valid / quarantine / duplicates; counts add up."""
    c = result.counts
    assert c["read"] == c["loaded"] + c["quarantined"] + c["duplicates"]
    if not result.file_rejected:
        lines = (
            result.valid["line_no"].to_list()
            + result.quarantine["line_no"].to_list()
            + result.duplicates["line_no"].to_list()
        )
        assert len(lines) == len(set(lines)) == c["read"]
    assert result.valid.schema == raw_schema(result.kind)
    assert result.quarantine.schema == QUARANTINE_SCHEMA
    assert set(result.quarantine["kode_alasan"]) <= set(reasons.KODE_ALASAN)


def one_rejection(result: v.ValidationResult) -> dict:
    assert result.valid.height == 0 and result.quarantine.height == 1
    return result.quarantine.row(0, named=True)


def csv_bytes(
    rows: list[dict[str, str]], *, crlf: bool = False, bom: bool = False, header=None
) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n" if crlf else "\n")
    writer.writerow(header or list(rows[0]))
    for r in rows:
        writer.writerow(list(r.values()))
    data = out.getvalue().encode("utf-8")
    return (b"\xef\xbb\xbf" + data) if bom else data


def xlsx_bytes(
    rows: list[dict[str, object]], *, title_rows: int = 0, patch: dict[str, str] | None = None
) -> bytes:
    """A workbook as BKN exports it: an optional report title above the header row.

    ``patch`` rewrites text in the sheet XML (to store numbers with all their digits)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Pegawai"
    if title_rows:
        sheet["A1"] = "DAFTAR PEGAWAI PEMERINTAH PROVINSI NUSA TENGGARA TIMUR"
        for _ in range(title_rows - 1):
            sheet.append([])
    sheet.append(list(rows[0]))
    for r in rows:
        sheet.append(list(r.values()))
    buffer = io.BytesIO()
    book.save(buffer)
    data = buffer.getvalue()
    if not patch:
        return data
    src, dst = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as out:
        for item in src.infolist():
            content = src.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                text = content.decode()
                for old, new in patch.items():
                    text = text.replace(old, new)
                content = text.encode()
            out.writestr(item, content)
    return dst.getvalue()


def read_and_validate(data: bytes, name: str, kind: str | None = None) -> v.ValidationResult:
    read = read_export_bytes(data, name, kind)
    kind = kind or read.kind
    periode = read.periode or PERIODE
    if read.rejection:
        return v.rejected_result(kind, periode, name, *read.rejection, notes=read.notes)
    result = validate(kind, periode, read.frame, name)
    result.notes = read.notes + result.notes
    assert_partition(result)
    return result


def reference_nip_ok(value: str) -> bool:
    """The NIP rule written independently of the validator (plain Python)."""
    if not re.fullmatch(r"[0-9]{18}", value or ""):
        return False
    try:
        born = date(int(value[:4]), int(value[4:6]), int(value[6:8]))
    except ValueError:
        return False
    return (
        1900 <= born.year <= 2099
        and value[8:10] in ("19", "20")
        and 1 <= int(value[12:14]) <= 12
        and value[14] in "12"
    )


# --- clean files -------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", list(SCHEMAS))
def test_clean_rows_load_typed_with_lineage(kind):
    rows = [row(kind, nip=nip(i)) for i in range(1, 6)]
    result = check(kind, rows)
    assert result.counts == {"read": 5, "loaded": 5, "quarantined": 0, "duplicates": 0}
    assert result.quarantine.height == 0 and result.errors == [] and result.notes == []
    valid = result.valid
    assert list(valid.columns) == list(raw_schema(kind))
    assert valid["periode"].to_list() == [PERIODE] * 5
    assert valid["source_file"].unique().to_list() == [f"{kind}_202403.csv"]
    assert valid["line_no"].to_list() == [2, 3, 4, 5, 6]
    assert valid["nip"].to_list() == [nip(i) for i in range(1, 6)]  # text, leading digits intact


def test_typed_values():
    result = check("absensi", [row("absensi", metode="MOBILE", lat="-10.1772", lon="123.6070")])
    r = result.valid.row(0, named=True)
    assert str(r["waktu"]) == "2024-03-04 07:05:00" and r["jenis"] == "MASUK"
    assert r["lat"] == pytest.approx(-10.1772) and r["lon"] == pytest.approx(123.607)
    p = check("pegawai", [row("pegawai", aktif_sampai="2024-03-31")]).valid.row(0, named=True)
    assert p["kelas_jabatan"] == 7 and p["tmt_opd"] == date(2020, 1, 1)
    assert p["aktif_sampai"] == date(2024, 3, 31)


# --- NIP ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("199002312016011005", "tanggal lahir 1990-02-31 bukan tanggal yang ada"),
        ("199015152016011005", "tanggal lahir 1990-15-15 bukan tanggal yang ada"),
        ("199100292016011005", "tanggal lahir 1991-00-29"),
        ("199102292016011005", "tanggal lahir 1991-02-29"),  # 1991 is not a leap year
        ("199008152016131005", "TMT CPNS 2016-13 bukan bulan yang ada"),
        ("199008152016001005", "TMT CPNS 2016-00"),
        ("199008152016010005", "digit jenis kelamin '0'"),
        ("199008152016013005", "digit jenis kelamin '3'"),
        ("19900815201601100", "harus tepat 18 digit angka"),  # 17 digits
        ("1990081520160110051", "harus tepat 18 digit angka"),  # 19 digits
        ("19900815 201601 1 005", "harus tepat 18 digit angka"),  # display form
        ("19900815201601100X", "harus tepat 18 digit angka"),
        ("١٩٩٠٠٨١٥٢٠١٦٠١١٠٠٥", "harus tepat 18 digit angka"),  # non-ASCII digits
        ("1.99008E+17", "notasi ilmiah"),
        ("1,99008E+17", "notasi ilmiah"),
        ("1.99008152016011e+17", "notasi ilmiah"),
    ],
)
def test_invalid_nip(value, fragment):
    result = check("absensi", [row("absensi", nip=value)])
    q = one_rejection(result)
    assert (q["kolom"], q["nilai"], q["kode_alasan"]) == ("nip", value, reasons.NIP_TIDAK_VALID)
    assert fragment in q["alasan"] and f"NIP '{value}' tidak valid" in q["alasan"]
    assert q["line_no"] == 2


def test_nip_reason_sentence_exact():
    q = one_rejection(check("absensi", [row("absensi", nip="199015152016011005")]))
    assert q["alasan"] == (
        "NIP '199015152016011005' tidak valid: tanggal lahir 1990-15-15 bukan tanggal yang ada."
    )


@pytest.mark.parametrize(
    "value", ["199202292016011005", "197501012000032002", " 199008152016011005 "]
)
def test_valid_nip_boundaries(value):
    result = check("absensi", [row("absensi", nip=value)])
    assert result.counts["loaded"] == 1
    assert result.valid["nip"][0] == value.strip()


def test_nip_penilai_follows_the_nip_rule():
    q = one_rejection(check("kinerja", [row("kinerja", nip_penilai="197501012000033002")]))
    assert q["kolom"] == "nip_penilai" and q["kode_alasan"] == reasons.NIP_TIDAK_VALID
    assert q["alasan"].startswith("NIP penilai '197501012000033002' tidak valid")


# --- enums, numbers, dates, timestamps ----------------------------------------------------------
def test_unknown_code_and_case_insensitive_codes():
    result = check(
        "absensi",
        [row("absensi", metode="SIDIK_JARI"), row("absensi", jenis="masuk", metode="Wajah")],
    )
    q = result.quarantine.row(0, named=True)
    assert (q["kolom"], q["nilai"], q["kode_alasan"]) == (
        "metode",
        "SIDIK_JARI",
        "KODE_TIDAK_DIKENAL",
    )
    assert "FINGER, WAJAH, MOBILE" in q["alasan"]
    assert result.valid.select("jenis", "metode").row(0) == ("MASUK", "WAJAH")


@pytest.mark.parametrize(
    ("kind", "column", "value", "kode"),
    [
        ("pegawai", "kelas_jabatan", "0", "DI_LUAR_RENTANG"),
        ("pegawai", "kelas_jabatan", "18", "DI_LUAR_RENTANG"),
        ("pegawai", "kelas_jabatan", "7.5", "ANGKA_TIDAK_VALID"),
        ("pegawai", "kelas_jabatan", "tujuh", "ANGKA_TIDAK_VALID"),
        ("aktivitas", "durasi_menit", "0", "DI_LUAR_RENTANG"),
        ("aktivitas", "durasi_menit", "721", "DI_LUAR_RENTANG"),
        ("aktivitas", "durasi_menit", "-5", "DI_LUAR_RENTANG"),
        ("absensi", "lat", "-91", "DI_LUAR_RENTANG"),
        ("absensi", "lon", "123,6", "ANGKA_TIDAK_VALID"),
    ],
)
def test_numbers_out_of_range_or_malformed(kind, column, value, kode):
    q = one_rejection(check(kind, [row(kind, **{column: value})]))
    assert (q["kolom"], q["nilai"], q["kode_alasan"]) == (column, value, kode)
    assert value in q["alasan"]


@pytest.mark.parametrize(
    ("kind", "column", "value"),
    [
        ("pegawai", "kelas_jabatan", "1"),
        ("pegawai", "kelas_jabatan", "17"),
        ("aktivitas", "durasi_menit", "1"),
        ("aktivitas", "durasi_menit", "720"),
    ],
)
def test_number_boundaries_accepted(kind, column, value):
    assert check(kind, [row(kind, **{column: value})]).counts["loaded"] == 1


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("2024-3-01", "harus berformat YYYY-MM-DD"),
        ("01/03/2024", "harus berformat YYYY-MM-DD"),
        ("45352", "harus berformat YYYY-MM-DD"),  # Excel serial
        ("2024-02-30", "bukan tanggal yang ada"),
        ("2023-02-29", "bukan tanggal yang ada"),
        ("2024-13-01", "bukan tanggal yang ada"),
    ],
)
def test_bad_dates(value, fragment):
    q = one_rejection(check("pegawai", [row("pegawai", tmt_opd=value)]))
    assert (q["kolom"], q["kode_alasan"]) == ("tmt_opd", "TANGGAL_TIDAK_VALID")
    assert fragment in q["alasan"] and f"'{value}'" in q["alasan"]


@pytest.mark.parametrize(
    "value",
    [
        "2024-03-04 7:5:00",
        "2024-03-04 07:05",
        "2024-03-04 25:10:00",
        "2024-03-04 23:60:00",
        "2024-03-04 23:59:60",
        "04/03/2024 07:05:00",
        "2024-03-04T07:05:00",
        "2024-03-04 07:05:00+08:00",
        "2024-03-04 07:05:00 WITA",
        "45355.2951388889",
        "2024-02-30 07:05:00",
    ],
)
def test_bad_timestamps(value):
    q = one_rejection(check("absensi", [row("absensi", waktu=value)]))
    assert (q["kolom"], q["nilai"], q["kode_alasan"]) == ("waktu", value, "WAKTU_TIDAK_VALID")


def test_timestamp_day_boundaries_inside_the_month():
    rows = [
        row("absensi", waktu="2024-03-01 00:00:00"),
        row("absensi", waktu="2024-03-31 23:59:59"),
    ]
    assert check("absensi", rows).counts["loaded"] == 2


# --- golongan vs status, required cells ---------------------------------------------------------
@pytest.mark.parametrize(
    ("status", "golongan", "kode"),
    [
        ("PNS", "IX", "GOLONGAN_TIDAK_SESUAI"),
        ("CPNS", "XVII", "GOLONGAN_TIDAK_SESUAI"),
        ("PPPK", "III/a", "GOLONGAN_TIDAK_SESUAI"),
        ("PNS", "IV/f", "KODE_TIDAK_DIKENAL"),
        ("PPPK", "XVIII", "KODE_TIDAK_DIKENAL"),
        ("HONORER", "III/a", "KODE_TIDAK_DIKENAL"),
    ],
)
def test_golongan_must_fit_status(status, golongan, kode):
    q = one_rejection(check("pegawai", [row("pegawai", status=status, golongan=golongan)]))
    assert q["kode_alasan"] == kode


@pytest.mark.parametrize(
    ("status", "golongan"),
    [
        ("PNS", "I/a"),
        ("PNS", "IV/e"),
        ("CPNS", "II/c"),
        ("PPPK", "I"),
        ("PPPK", "XVII"),
        ("PNS", "iii/B"),
    ],
)
def test_golongan_accepted(status, golongan):
    result = check("pegawai", [row("pegawai", status=status, golongan=golongan)])
    assert result.counts["loaded"] == 1
    assert result.valid["golongan"][0] in (golongan, "III/b")


@pytest.mark.parametrize(
    ("kind", "column"),
    [
        ("pegawai", "tmt_opd"),
        ("pegawai", "nama"),
        ("absensi", "metode"),
        ("kinerja", "status"),
        ("ketidakhadiran", "selesai"),
        ("absensi", "nip"),
    ],
)
def test_required_cells(kind, column):
    q = one_rejection(check(kind, [row(kind, **{column: "  "})]))
    assert (q["kolom"], q["kode_alasan"]) == (column, "WAJIB_KOSONG")
    assert q["alasan"] == f"Kolom '{column}' wajib diisi tetapi kosong."


def test_nullable_cells_may_be_empty():
    assert check("pegawai", [row("pegawai", aktif_sampai="")]).counts["loaded"] == 1
    assert check("absensi", [row("absensi", jenis="")]).counts["loaded"] == 1
    assert check("kinerja", [row("kinerja", predikat="")]).counts["loaded"] == 1
    assert check("ketidakhadiran", [row("ketidakhadiran", nomor_surat="")]).counts["loaded"] == 1


def test_first_failing_column_is_reported():
    q = one_rejection(check("absensi", [row("absensi", nip="123", metode="X", waktu="kemarin")]))
    assert q["kolom"] == "nip"


def test_predikat_contradicting_matrix_is_kept_as_stated():
    assert PREDIKAT_MATRIX[("DI_BAWAH", "DI_BAWAH")] == "SANGAT_KURANG"
    rows = [row("kinerja", hasil_kerja="DI_BAWAH", perilaku="DI_BAWAH", predikat="SANGAT_BAIK")]
    result = check("kinerja", rows)
    assert result.valid["predikat"].to_list() == ["SANGAT_BAIK"]


def test_predikat_matrix_is_the_dbt_seed_and_complete():
    """One copy of the matrix: contract reads transforms/seeds/ref_matriks_predikat.csv."""
    from orchestration.core.contract import PREDIKAT, RATING
    from orchestration.core.paths import SEEDS_DIR

    lines = (SEEDS_DIR / "ref_matriks_predikat.csv").read_text(encoding="utf-8").splitlines()
    assert [",".join((*k, v)) for k, v in PREDIKAT_MATRIX.items()] == lines[1:]
    assert set(PREDIKAT_MATRIX) == {(h, p) for h in RATING for p in RATING}
    assert set(PREDIKAT_MATRIX.values()) == set(PREDIKAT)


# --- the file's month ---------------------------------------------------------------------------
def test_tap_in_another_month():
    result = check(
        "absensi",
        [row("absensi", waktu="2024-04-01 00:00:00"), row("absensi", waktu="2024-02-29 23:59:59")],
    )
    q = result.quarantine.rows(named=True)
    assert [r["kode_alasan"] for r in q] == ["DI_LUAR_PERIODE"] * 2
    assert "seharusnya ada di berkas periode 2024-04" in q[0]["alasan"]
    assert "seharusnya ada di berkas periode 2024-02" in q[1]["alasan"]
    assert "bukan milik periode 2024-03" in q[0]["alasan"]


def test_activity_and_evaluation_in_another_month():
    q = one_rejection(check("aktivitas", [row("aktivitas", tanggal="2024-04-01")]))
    assert q["kode_alasan"] == "DI_LUAR_PERIODE" and q["kolom"] == "tanggal"
    q = one_rejection(check("kinerja", [row("kinerja", periode="2024-02")]))
    assert q["kode_alasan"] == "DI_LUAR_PERIODE" and "berkas periode 2024-02" in q["alasan"]
    q = one_rejection(check("kinerja", [row("kinerja", periode="2024-13")]))
    assert q["kode_alasan"] == "PERIODE_TIDAK_VALID"


# --- the shift roster (jadwal.md §3) -------------------------------------------------------------
def test_roster_row_dated_in_another_month_is_quarantined_with_its_line():
    rows = [
        row("jadwal", nip=nip(1), tanggal="2024-03-01", kode_shift="PAGI"),
        row("jadwal", nip=nip(1), tanggal="2024-04-01", kode_shift="PAGI"),
        row("jadwal", nip=nip(2), tanggal="2024-02-29", kode_shift="MALAM"),
        # the night shift of the month's last day starts in the month: it stays in this file
        row("jadwal", nip=nip(2), tanggal="2024-03-31", kode_shift="MALAM"),
    ]
    result = check("jadwal", rows)
    assert result.counts == {"read": 4, "loaded": 2, "quarantined": 2, "duplicates": 0}
    assert result.valid["tanggal"].to_list() == [date(2024, 3, 1), date(2024, 3, 31)]
    q = result.quarantine.rows(named=True)
    assert [
        (r["source_file"], r["line_no"], r["kolom"], r["nilai"], r["kode_alasan"]) for r in q
    ] == [
        ("jadwal_202403.csv", 3, "tanggal", "2024-04-01", "DI_LUAR_PERIODE"),
        ("jadwal_202403.csv", 4, "tanggal", "2024-02-29", "DI_LUAR_PERIODE"),
    ]
    assert q[0]["alasan"] == (
        "Baris bertanggal 2024-04-01 (kolom 'tanggal') bukan milik periode 2024-03; baris ini "
        "seharusnya ada di berkas periode 2024-04."
    )


def test_cells_are_trimmed_and_empty_cells_null_whether_or_not_their_column_needs_it():
    """A column with nothing to trim is used as read (no copy); the others are trimmed, with
    empty cells as null, in the same file."""
    rows = [
        row("absensi", nip=nip(1), id_mesin=" FP-9\t", jenis="", lat="-7.5", lon="110.4 "),
        row("absensi", nip=nip(2), jenis=" masuk", metode="WAJAH"),
        row("absensi", nip=nip(3), id_mesin="  ", jenis="PULANG"),
    ]
    result = check("absensi", rows)
    assert result.valid["id_mesin"].to_list() == ["FP-9", "FP-0101"]
    assert result.valid["jenis"].to_list() == [None, "MASUK"]
    assert result.valid["metode"].to_list() == ["FINGER", "WAJAH"]
    assert result.valid["lon"].to_list() == [110.4, None]
    assert one_rejection_or_first(result)["kode_alasan"] == "WAJIB_KOSONG"


def test_roster_codes_are_trimmed_upper_case_text_checked_later_by_dbt():
    rows = [
        row("jadwal", nip=nip(1), kode_shift=" pagi "),
        row("jadwal", nip=nip(2), kode_shift="Libur"),
        row("jadwal", nip=nip(3), kode_shift="SORE"),  # not in the rulebook: dbt quarantines it
    ]
    result = check("jadwal", rows)
    assert result.valid["kode_shift"].to_list() == ["PAGI", "LIBUR", "SORE"]
    assert result.quarantine.height == 0


def test_roster_exact_repeats_count_once_two_codes_for_one_day_both_load():
    a = row("jadwal", kode_shift="PAGI")
    result = check("jadwal", [a, row("jadwal", kode_shift="pagi"), a])
    assert result.counts == {"read": 3, "loaded": 1, "quarantined": 0, "duplicates": 2}
    # two different rows for one (nip, tanggal): JADWAL_GANDA, decided with the rulebook in dbt
    result = check("jadwal", [a, row("jadwal", kode_shift="MALAM")])
    assert result.counts["loaded"] == 2


@pytest.mark.parametrize(
    ("changes", "kolom", "kode"),
    [
        ({"kode_shift": "  "}, "kode_shift", "WAJIB_KOSONG"),
        ({"nip": "1.99008E+17"}, "nip", "NIP_TIDAK_VALID"),
        ({"nip": "199008152016013005"}, "nip", "NIP_TIDAK_VALID"),
        ({"tanggal": "04/03/2024"}, "tanggal", "TANGGAL_TIDAK_VALID"),
        ({"tanggal": "2024-02-30"}, "tanggal", "TANGGAL_TIDAK_VALID"),
        ({"tanggal": ""}, "tanggal", "WAJIB_KOSONG"),
    ],
)
def test_roster_row_breaking_the_contract(changes, kolom, kode):
    q = one_rejection(check("jadwal", [row("jadwal", **changes)]))
    assert (q["line_no"], q["kolom"], q["kode_alasan"]) == (2, kolom, kode)
    assert q["alasan"].endswith(".")


@pytest.mark.parametrize(
    ("mulai", "selesai"),
    [
        ("2024-02-26", "2024-03-01"),  # crosses into the month
        ("2024-03-31", "2024-04-05"),  # crosses out of the month
        ("2024-02-01", "2024-04-30"),  # covers it
        ("2024-03-15", "2024-03-15"),
    ],
)
def test_absence_touching_the_month_is_accepted(mulai, selesai):
    result = check("ketidakhadiran", [row("ketidakhadiran", mulai=mulai, selesai=selesai)])
    assert result.counts["loaded"] == 1
    assert result.valid.select("mulai", "selesai").row(0) == (
        date.fromisoformat(mulai),
        date.fromisoformat(selesai),
    )  # stored whole; days are clipped to the month downstream


@pytest.mark.parametrize(
    ("mulai", "selesai", "where"),
    [
        ("2024-02-01", "2024-02-29", "2024-02"),
        ("2024-04-01", "2024-04-02", "2024-04"),
        ("2024-01-20", "2024-02-10", "2024-01 s.d. 2024-02"),
    ],
)
def test_absence_outside_the_month_is_quarantined(mulai, selesai, where):
    q = one_rejection(
        check("ketidakhadiran", [row("ketidakhadiran", mulai=mulai, selesai=selesai)])
    )
    assert q["kode_alasan"] == "DI_LUAR_PERIODE"
    assert f"seharusnya ada di berkas periode {where}." in q["alasan"]


def test_absence_ending_before_it_starts():
    rows = [row("ketidakhadiran", mulai="2024-03-12", selesai="2024-03-11")]
    q = one_rejection(check("ketidakhadiran", rows))
    assert (q["kolom"], q["kode_alasan"]) == ("selesai", "RENTANG_TANGGAL_TERBALIK")


# --- header ----------------------------------------------------------------------------------------
def test_shuffled_upper_case_columns_with_spaces():
    good = row("pegawai")
    shuffled = {f"  {k.upper()} ": good[k] for k in reversed(list(good))}
    result = check("pegawai", [shuffled])
    assert result.counts["loaded"] == 1
    assert result.valid["nama"][0] == good["nama"]


def test_extra_columns_are_reported_once():
    rows = [{**row("absensi", nip=nip(i)), "Keterangan": "x", "lokasi": "y"} for i in range(50)]
    result = check("absensi", rows)
    assert result.counts["loaded"] == 50
    assert result.notes == [
        "Kolom tambahan di berkas 'absensi_202403.csv' diabaikan: 'keterangan', 'lokasi'."
    ]


def test_missing_column_rejects_the_file():
    rows = [
        {k: val for k, val in row("absensi", nip=nip(i)).items() if k != "waktu"} for i in range(3)
    ]
    result = check("absensi", rows)
    q = one_rejection(result)
    assert result.file_rejected
    assert (q["line_no"], q["kode_alasan"], q["kolom"]) == (0, "KOLOM_HILANG", "waktu")
    assert "Kolom wajib 'waktu' tidak ada" in q["alasan"]
    assert result.counts == {"read": 3, "loaded": 0, "quarantined": 3, "duplicates": 0}


def test_missing_column_hint_for_a_similar_name():
    good = row("pegawai")
    rows = [{("Kode OPD" if k == "kode_opd" else k): val for k, val in good.items()}]
    q = one_rejection(check("pegawai", rows))
    assert "'kode opd' (harus 'kode_opd')" in q["alasan"]


# --- duplicates and NIP_GANDA -----------------------------------------------------------------
def test_exact_duplicates_count_once():
    a, b = row("absensi"), row("absensi", waktu="2024-03-04 16:01:00", jenis="PULANG")
    bad = row("absensi", metode="X")
    result = check("absensi", [a, b, a, a, bad, bad])
    assert result.counts == {"read": 6, "loaded": 2, "quarantined": 1, "duplicates": 3}
    assert result.duplicates.rows() == [(4, 2), (5, 2), (7, 6)]


def test_pegawai_exact_duplicate_is_not_nip_ganda():
    result = check("pegawai", [row("pegawai"), row("pegawai", status="pns")])  # same typed row
    assert result.counts == {"read": 2, "loaded": 1, "quarantined": 0, "duplicates": 1}
    assert result.errors == []


def test_two_different_rows_for_one_nip_block_the_period():
    rows = [
        row("pegawai", nip=nip(1)),
        row("pegawai", nip=NIP, kode_opd="1.02.01"),
        row("pegawai", nip=NIP, kode_opd="1.03.01", nama_opd="Dinas Pendidikan"),
        row("pegawai", nip=nip(2)),
    ]
    result = check("pegawai", rows)
    assert result.counts == {"read": 4, "loaded": 2, "quarantined": 2, "duplicates": 0}
    q = result.quarantine.rows(named=True)
    assert [(r["line_no"], r["kode_alasan"], r["nilai"]) for r in q] == [
        (3, "NIP_GANDA", NIP),
        (4, "NIP_GANDA", NIP),
    ]
    assert "baris 3, 4" in q[0]["alasan"]
    assert len(result.errors) == 1
    assert "19900815 201601 1 005" in result.errors[0] and "diblokir" in result.errors[0]


def test_nip_ganda_with_an_otherwise_broken_row():
    rows = [row("pegawai"), row("pegawai", kelas_jabatan="99")]
    result = check("pegawai", rows)
    kodes = dict(result.quarantine.select("line_no", "kode_alasan").rows())
    assert kodes == {2: "NIP_GANDA", 3: "NIP_GANDA"}  # the ambiguity is what blocks the period
    assert len(result.errors) == 1 and "baris 2, 3" in result.errors[0]


def test_invalid_nips_do_not_make_nip_ganda():
    rows = [row("pegawai", nip="1.99008E+17"), row("pegawai", nip="1.99008E+17", nama="Budi")]
    result = check("pegawai", rows)
    assert set(result.quarantine["kode_alasan"]) == {"NIP_TIDAK_VALID"} and result.errors == []


# --- reason catalogue ---------------------------------------------------------------------------
def test_reason_catalogue():
    assert len(reasons.KODE_ALASAN) == len(set(reasons.KODE_ALASAN))
    for template_id, reason in reasons.ALASAN.items():
        assert reason.kode in reasons.KODE_ALASAN, template_id
        assert reason.kode == reason.kode.upper()
        assert reason.templat.endswith("."), template_id
    for code in ("KOLOM_HILANG", "NIP_TIDAK_VALID", "NIP_GANDA", "DI_LUAR_PERIODE"):
        assert code in reasons.KODE_ALASAN


def test_validate_rejects_bad_arguments():
    with pytest.raises(ValueError):
        validate("gaji", PERIODE, frame([row("absensi")]), "x.csv")
    with pytest.raises(ValueError):
        validate("absensi", "2024-3", frame([row("absensi")]), "x.csv")


# --- reading CSV ----------------------------------------------------------------------------------
def test_csv_crlf_bom_quotes_and_line_numbers():
    rows = [row("pegawai", nip=nip(i)) for i in range(1, 4)]
    rows[1]["nama_jabatan"] = 'Analis "Kebijakan"\r\nAhli Muda'  # quoted, spans two lines
    data = csv_bytes(rows, crlf=True, bom=True)
    data = data.replace(b"\r\n" + nip(3).encode(), b"\r\n\r\n" + nip(3).encode())  # blank line
    result = read_and_validate(data, "pegawai_202403.csv")
    assert result.counts["loaded"] == 3
    assert result.valid["line_no"].to_list() == [2, 3, 6]
    assert result.valid["nama_jabatan"][1] == 'Analis "Kebijakan"\r\nAhli Muda'
    assert result.valid["nama"][0] == "Dra. Maria Fernandez, M.Si"


def test_csv_lf_and_crlf_give_the_same_rows():
    rows = [row("absensi", nip=nip(i)) for i in range(1, 30)]
    a = read_and_validate(csv_bytes(rows), "absensi_202403.csv").valid
    b = read_and_validate(csv_bytes(rows, crlf=True, bom=True), "absensi_202403.csv").valid
    assert a.equals(b)


def test_csv_ragged_rows_are_quarantined_not_guessed():
    rows = [row("absensi", nip=nip(i)) for i in range(1, 4)]
    data = csv_bytes(rows).decode()
    lines = data.splitlines()
    lines[2] = lines[2] + ",extra"  # one field too many
    lines[3] = lines[3].rsplit(",", 2)[0]  # two fields too few
    result = read_and_validate(("\n".join(lines) + "\n").encode(), "absensi_202403.csv")
    q = result.quarantine.rows(named=True)
    assert [(r["line_no"], r["kode_alasan"]) for r in q] == [(3, "BARIS_RUSAK"), (4, "BARIS_RUSAK")]
    assert "Baris berisi 8 kolom, sedangkan judul berkas berisi 7 kolom" in q[0]["alasan"]
    assert q[0]["nilai"].endswith(",extra")
    assert result.valid["line_no"].to_list() == [2]


def test_csv_ragged_row_quotes_its_own_text_with_bom_crlf_and_windows_1252():
    """The raw text of a ragged row is cut from the file's bytes: after a BOM (skipped, not cut
    off), across a quoted line break, and from the re-encoded text of a Windows-1252 file."""
    header = "id_mesin,nip,waktu,jenis,metode,lat,lon"
    good = f"FP-1,{NIP},2024-03-01 07:00:00,MASUK,FINGER,,"
    ragged = f'FP-2,{NIP},2024-03-01 16:00:00,PULANG,FINGER,,,"Jl. Gatôt\r\nSubroto"'
    text = "\r\n".join([header, good, ragged, good.replace("FP-1", "FP-3")]) + "\r\n"
    for data in (b"\xef\xbb\xbf" + text.encode(), text.encode("cp1252")):
        result = read_and_validate(data, "absensi_202403.csv")
        q = result.quarantine.row(0, named=True)
        assert (q["line_no"], q["kode_alasan"], q["nilai"]) == (3, "BARIS_RUSAK", ragged)
        assert result.valid["line_no"].to_list() == [2, 5]
        assert result.valid["id_mesin"].to_list() == ["FP-1", "FP-3"]


def test_csv_stray_quote_uses_the_careful_parser():
    rows = [row("pegawai", nip=nip(1)), row("pegawai", nip=nip(2))]
    data = csv_bytes(rows).replace(b"Pengadministrasi Umum", b'Pengadministrasi 5" Umum', 1)
    result = read_and_validate(data, "pegawai_202403.csv")
    assert result.counts["loaded"] == 2 and result.valid["line_no"].to_list() == [2, 3]


def test_csv_non_utf8_is_read_as_windows_1252_with_a_note():
    data = csv_bytes([row("pegawai", nama="José Ximenes")]).decode().encode("cp1252")
    result = read_and_validate(data, "pegawai_202403.csv")
    assert result.valid["nama"][0] == "José Ximenes"
    assert any(
        "bukan UTF-8" in n and "pegawai_202403.csv" in n and "baris 2" in n for n in result.notes
    )


def test_csv_header_only_and_empty_files():
    header_only = read_and_validate(
        b"nip,kode,mulai,selesai,status,nomor_surat\r\n", "ketidakhadiran_202403.csv"
    )
    assert header_only.counts == {"read": 0, "loaded": 0, "quarantined": 0, "duplicates": 0}
    assert not header_only.file_rejected
    assert any("tidak berisi baris data" in n for n in header_only.notes)
    for empty in (b"", b"\xef\xbb\xbf", b"\r\n\r\n"):
        read = read_export_bytes(empty, "absensi_202403.csv")
        assert read.rejection is not None and read.rejection[0] == "BERKAS_KOSONG"


def test_csv_unreadable_files():
    assert read_export_bytes(b"n\x00i\x00p\x00", "absensi_202403.csv").rejection[0] == (
        "BERKAS_TIDAK_TERBACA"
    )
    xlsx = xlsx_bytes([row("pegawai")])
    read = read_export_bytes(xlsx, "pegawai_202403.csv")
    assert read.rejection[0] == "BERKAS_TIDAK_TERBACA" and "Excel" in read.rejection[1]
    read = read_export_bytes(b"not a zip", "pegawai_202403.xlsx")
    assert read.rejection[0] == "BERKAS_TIDAK_TERBACA"


def test_csv_semicolon_separated_file_is_rejected_with_the_missing_columns():
    data = csv_bytes([row("absensi")]).replace(b",", b";")
    result = read_and_validate(data, "absensi_202403.csv")
    assert one_rejection(result)["kode_alasan"] == "KOLOM_HILANG"


def test_csv_duplicate_contract_column_rejects_the_file():
    data = b"nip,NIP ,kode,mulai,selesai,status,nomor_surat\n1,2,CT,2024-03-01,2024-03-01,DISETUJUI,x\n"
    read = read_export_bytes(data, "ketidakhadiran_202403.csv")
    assert read.rejection[0] == "KOLOM_GANDA" and "'nip' muncul 2 kali" in read.rejection[1]


def test_csv_nip_in_scientific_notation_from_excel():
    data = csv_bytes([row("absensi", nip="1.99008E+17"), row("absensi")])
    result = read_and_validate(data, "absensi_202403.csv")
    q = one_rejection_or_first(result)
    assert (q["line_no"], q["kode_alasan"]) == (2, "NIP_TIDAK_VALID")
    assert result.valid["nip"].to_list() == [NIP]


def one_rejection_or_first(result: v.ValidationResult) -> dict:
    return result.quarantine.row(0, named=True)


# --- reading XLSX ------------------------------------------------------------------------------
def test_xlsx_with_title_rows_and_nip_as_text():
    rows = [row("pegawai", nip=nip(i)) for i in range(1, 4)]
    result = read_and_validate(xlsx_bytes(rows, title_rows=2), "pegawai_202403.xlsx")
    assert result.counts["loaded"] == 3
    assert result.valid["line_no"].to_list() == [4, 5, 6]  # sheet rows: title, blank, header
    assert result.valid["nip"].to_list() == [nip(i) for i in range(1, 4)]
    assert any("judul kolom ditemukan di baris 3" in n for n in result.notes)


def test_xlsx_nip_stored_as_a_float_is_rejected_never_rounded():
    rows = [row("pegawai", nip=nip(1)), {**row("pegawai", nip=nip(2)), "nip": float(nip(2))}]
    result = read_and_validate(xlsx_bytes(rows, title_rows=1), "pegawai_202403.xlsx")
    q = one_rejection_or_first(result)
    assert (q["line_no"], q["kode_alasan"]) == (4, "NIP_TIDAK_VALID")
    assert "notasi ilmiah" in q["alasan"] and q["nilai"].endswith("E+17")
    assert result.valid["nip"].to_list() == [nip(1)]


def test_xlsx_nip_stored_as_an_exact_number_is_recovered():
    value = float(nip(7))
    written = repr(value).replace("e+", "e+")  # how openpyxl writes the float into the sheet XML
    rows = [
        {
            **row("pegawai", nip=nip(7)),
            "nip": value,
            "kelas_jabatan": 7,
            "tmt_opd": date(2020, 1, 1),
        }
    ]
    data = xlsx_bytes(rows, patch={f"<v>{written}</v>": f"<v>{nip(7)}</v>"})
    result = read_and_validate(data, "pegawai_202403.xlsx")
    assert result.valid["nip"].to_list() == [nip(7)]
    assert result.valid["kelas_jabatan"].to_list() == [7]
    assert result.valid["tmt_opd"].to_list() == [date(2020, 1, 1)]  # a real Excel date cell


def test_xlsx_header_not_found():
    read = read_export_bytes(xlsx_bytes([{"a": "1", "b": "2"}]), "kinerja_202403.xlsx")
    assert read.rejection[0] == "JUDUL_TIDAK_DITEMUKAN"


def test_xlsx_missing_column_and_extra_column():
    rows = [{**{k: val for k, val in row("kinerja").items() if k != "predikat"}, "Catatan": "x"}]
    result = read_and_validate(xlsx_bytes(rows), "kinerja_202403.xlsx")
    assert one_rejection(result)["kode_alasan"] == "KOLOM_HILANG"
    rows = [{**row("kinerja"), "Catatan": "x"}]
    result = read_and_validate(xlsx_bytes(rows), "kinerja_202403.xlsx")
    assert result.counts["loaded"] == 1 and any("'catatan'" in n for n in result.notes)


# --- scale and the no-lost-row property ---------------------------------------------------------
def test_vectorised_on_a_large_file():
    n = 300_000
    df = pl.DataFrame(
        {
            "id_mesin": ["FP-0101"] * n,
            "nip": [nip(i % 997) for i in range(n)],
            "waktu": [
                f"2024-03-{1 + i % 31:02d} {i % 24:02d}:{i % 60:02d}:{(i // 7) % 60:02d}"
                for i in range(n)
            ],
            "jenis": ["MASUK", "PULANG", ""] * (n // 3),
            "metode": ["FINGER", "WAJAH", "MOBILE", "X"] * (n // 4),
            "lat": [""] * n,
            "lon": [""] * n,
        }
    )
    started = time.perf_counter()
    result = validate("absensi", PERIODE, df, "absensi_202403.csv")
    elapsed = time.perf_counter() - started
    assert_partition(result)
    assert result.counts["quarantined"] >= n // 4
    assert elapsed < 10, elapsed  # ~0.4 s here; a per-row loop would take minutes


GOOD_OR_BAD = {
    "nip": st.one_of(
        st.sampled_from([nip(i) for i in range(1, 6)]),
        st.sampled_from(
            [
                "199002312016011005",
                "1.99008E+17",
                "19900815201601100",
                "",
                "199008152016013005",
                "199008152016131005",
                "abc",
            ]
        ),
        st.text(alphabet="0123456789 .E+", max_size=20),
    ),
    "waktu": st.one_of(
        st.sampled_from(
            [
                "2024-03-04 07:05:00",
                "2024-03-31 23:59:59",
                "2024-04-01 00:00:00",
                "2024-03-04 7:5:00",
                "2024-02-30 10:00:00",
                "",
                "2024-03-04 25:00:00",
            ]
        ),
        st.datetimes().map(lambda d: d.strftime("%Y-%m-%d %H:%M:%S")),
    ),
    "jenis": st.sampled_from(["MASUK", "PULANG", "", "masuk", "LAINNYA"]),
    "metode": st.sampled_from(["FINGER", "WAJAH", "MOBILE", "", "SIDIK"]),
    "lat": st.sampled_from(["", "-10.17", "-95", "abc"]),
}


@st.composite
def absensi_files(draw):
    rows = []
    for _ in range(draw(st.integers(1, 40))):
        if rows and draw(st.integers(0, 5)) == 0:
            rows.append(dict(draw(st.sampled_from(rows))))  # an exact repeat
            continue
        r = row("absensi", **{k: draw(s) for k, s in GOOD_OR_BAD.items()})
        r["lon"] = "123.6" if r["lat"] else ""
        rows.append(r)
    ragged = draw(st.sets(st.integers(0, len(rows) - 1), max_size=3))
    return rows, ragged


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(absensi_files())
def test_no_row_is_ever_lost(case):
    rows, ragged = case
    lines = csv_bytes(rows).decode().split("\n")
    for i in ragged:
        lines[i + 1] += ",lebih"
    result = read_and_validate("\n".join(lines).encode(), "absensi_202403.csv")
    expected = set(range(2, len(rows) + 2))
    placed = (
        result.valid["line_no"].to_list()
        + result.quarantine["line_no"].to_list()
        + result.duplicates["line_no"].to_list()
    )
    assert sorted(placed) == sorted(expected)  # each line exactly once
    assert all(reference_nip_ok(n) for n in result.valid["nip"])
    assert result.valid["waktu"].dt.strftime("%Y-%m").eq(PERIODE).all()
    for i in ragged:
        assert i + 2 in set(result.quarantine["line_no"]) | set(result.duplicates["line_no"])


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from([nip(1), nip(2), nip(3), "199013012016011005", ""]),
            st.sampled_from(["PNS", "PPPK", "pns", "X"]),
            st.sampled_from(["III/a", "IX", "iv/E"]),
            st.sampled_from(["7", "07", "18", ""]),
        ),
        min_size=1,
        max_size=25,
    )
)
def test_no_pegawai_row_is_ever_lost(values):
    rows = [row("pegawai", nip=n, status=s, golongan=g, kelas_jabatan=k) for n, s, g, k in values]
    result = check("pegawai", rows)
    loaded = result.valid["nip"].to_list()
    assert len(loaded) == len(set(loaded))  # one row per NIP reaches the raw zone
    assert all(reference_nip_ok(n) for n in loaded)
    ganda = result.quarantine.filter(pl.col("kode_alasan") == "NIP_GANDA")
    assert bool(result.errors) == (ganda.height > 0)
