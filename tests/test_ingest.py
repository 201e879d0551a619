"""Ingestion: discovery, SHA-256 registry, archive, atomic and deterministic raw zone."""

from __future__ import annotations

import csv
import hashlib
import importlib
import importlib.util
import io
import os
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import openpyxl
import polars as pl
import pytest

from orchestration import ingest
from orchestration.core.contract import KINDS, QUARANTINE_SCHEMA, raw_schema
from orchestration.core.paths import DataDir
from orchestration.export_folder import discover
from orchestration.file_registry import current_files, pending_periods
from orchestration.ingest import ingest_period
from orchestration.raw_zone import ensure_raw_zone

NOW = datetime(2024, 4, 6, 2, 0, tzinfo=UTC)
PERIODE = "2024-03"

ABSENSI_HEADER = ["id_mesin", "nip", "waktu", "jenis", "metode", "lat", "lon"]
PEGAWAI_HEADER = [
    "nip",
    "nama",
    "status",
    "golongan",
    "jenis_jabatan",
    "nama_jabatan",
    "kelas_jabatan",
    "kode_opd",
    "nama_opd",
    "tmt_opd",
    "aktif_sampai",
]


def nip(i: int) -> str:
    return f"199008152016011{i:03d}"


def tap(i: int, waktu: str = "2024-03-04 07:05:00", metode: str = "FINGER") -> list[str]:
    return ["FP-0101", nip(i), waktu, "MASUK", metode, "", ""]


def pegawai(i: int, kode_opd: str = "1.02.01") -> list[str]:
    return [
        nip(i),
        f"Pegawai {i}",
        "PNS",
        "III/a",
        "PELAKSANA",
        "Staf",
        "7",
        kode_opd,
        "Dinas Kesehatan",
        "2020-01-01",
        "",
    ]


def write_csv(path: Path, header: list[str], rows: list[list[str]], mtime: float | None = None):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_bytes(out.getvalue().encode())
    if mtime is not None:
        os.utime(path, (mtime, mtime))
    return path


def write_xlsx(path: Path, header: list[str], rows: list[list[str]], mtime: float | None = None):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["DAFTAR PEGAWAI"])
    sheet.append(header)
    for r in rows:
        sheet.append(r)
    book.save(path)
    if mtime is not None:
        os.utime(path, (mtime, mtime))
    return path


@pytest.fixture
def env(tmp_path):
    exports = tmp_path / "ekspor"
    exports.mkdir()
    return DataDir(tmp_path / "data"), exports


def registry_rows(data: DataDir, sql: str, *args) -> list[tuple]:
    con = sqlite3.connect(data.registry)
    try:
        return con.execute(sql, args).fetchall()
    finally:
        con.close()


def mtime(path: Path) -> int:
    return path.stat().st_mtime_ns


# --- discovery and the raw zone ----------------------------------------------------------------
def test_discover_groups_files_and_lists_others(env):
    _, exports = env
    write_csv(exports / "absensi_202403.csv", ABSENSI_HEADER, [tap(1)], mtime=1_000)
    write_csv(exports / "absensi_202404.csv", ABSENSI_HEADER, [tap(1)], mtime=1_000)
    write_csv(exports / "pegawai_202403.csv", PEGAWAI_HEADER, [pegawai(1)], mtime=1_000)
    write_xlsx(exports / "pegawai_202403.xlsx", PEGAWAI_HEADER, [pegawai(1)], mtime=2_000)
    for name in (
        "catatan.txt",
        "absensi_202413.csv",
        "absensi_202403.xlsx",
        "~$pegawai_202403.xlsx",
    ):
        (exports / name).write_text("x")
    (exports / "arsip").mkdir()
    found = discover(exports)
    assert set(found) == {("absensi", "2024-03"), ("absensi", "2024-04"), ("pegawai", "2024-03")}
    assert [p.name for p in found[("pegawai", "2024-03")]] == [
        "pegawai_202403.xlsx",  # newest first
        "pegawai_202403.csv",
    ]
    assert sorted(p.name for p in found.ignored) == [
        "absensi_202403.xlsx",
        "absensi_202413.csv",
        "catatan.txt",
        "~$pegawai_202403.xlsx",
    ]
    assert discover(exports / "tidak-ada") == {}


def test_discover_tie_on_mtime_goes_to_the_name(env):
    _, exports = env
    write_csv(exports / "pegawai_202403.csv", PEGAWAI_HEADER, [pegawai(1)], mtime=5_000)
    write_xlsx(exports / "pegawai_202403.xlsx", PEGAWAI_HEADER, [pegawai(1)], mtime=5_000)
    assert [p.name for p in discover(exports)[("pegawai", PERIODE)]] == [
        "pegawai_202403.xlsx",
        "pegawai_202403.csv",
    ]


def test_ensure_raw_zone_writes_schema_files_once(env):
    data, _ = env
    ensure_raw_zone(data)
    for kind in KINDS:
        frame = pl.read_parquet(data.raw_schema_file(kind))
        assert frame.height == 0 and frame.schema == raw_schema(kind)
        assert (
            pl.read_parquet(data.quarantine / kind / "_schema.parquet").schema == QUARANTINE_SCHEMA
        )
    top = data.quarantine / "_schema.parquet"
    assert pl.read_parquet(top).schema == QUARANTINE_SCHEMA
    before = {p: mtime(p) for p in data.raw.rglob("*.parquet")}
    ensure_raw_zone(data)
    assert {p: mtime(p) for p in data.raw.rglob("*.parquet")} == before


# --- load, no-op, correction --------------------------------------------------------------------
def test_load_writes_raw_quarantine_archive_and_registry(env):
    data, exports = env
    rows = [tap(1), tap(2), tap(2), tap(3, metode="SIDIK"), tap(4, waktu="2024-04-01 07:00:00")]
    source = write_csv(exports / "absensi_202403.csv", ABSENSI_HEADER, rows)
    sha = hashlib.sha256(source.read_bytes()).hexdigest()

    result = ingest_period(data, exports, "absensi", PERIODE, now=NOW)
    assert (result.action, result.file, result.sha256) == ("loaded", "absensi_202403.csv", sha)
    assert result.counts == {"read": 5, "loaded": 2, "quarantined": 2, "duplicates": 1}
    assert result.changed and result.errors == []
    assert result.message.startswith("absensi 2024-03: berkas absensi_202403.csv dimuat")
    assert "5 baris dibaca, 2 dimuat, 2 dikarantina, 1 duplikat" in result.message

    raw = pl.read_parquet(data.raw_file("absensi", PERIODE))
    assert raw.schema == raw_schema("absensi") and raw["line_no"].to_list() == [2, 3]
    quarantine = pl.read_parquet(data.quarantine_file("absensi", PERIODE))
    assert quarantine.schema == QUARANTINE_SCHEMA
    assert quarantine.select("line_no", "kode_alasan").rows() == [
        (5, "KODE_TIDAK_DIKENAL"),
        (6, "DI_LUAR_PERIODE"),
    ]
    assert (data.archive / f"{sha}.csv").read_bytes() == source.read_bytes()
    assert registry_rows(
        data, "SELECT sha256, result, n_read, n_loaded, first_seen FROM files"
    ) == [(sha, "LOADED", 5, 2, NOW.isoformat())]
    assert registry_rows(data, "SELECT kind, periode, sha256 FROM current") == [
        ("absensi", PERIODE, sha)
    ]


def test_same_bytes_twice_is_a_noop(env):
    data, exports = env
    write_csv(exports / "absensi_202403.csv", ABSENSI_HEADER, [tap(1), tap(2)])
    first = ingest_period(data, exports, "absensi", PERIODE, now=NOW)
    raw, quarantine = data.raw_file("absensi", PERIODE), data.quarantine_file("absensi", PERIODE)
    before = (mtime(raw), mtime(quarantine), raw.read_bytes())

    again = ingest_period(data, exports, "absensi", PERIODE)
    assert again.action == "noop" and not again.changed
    assert again.counts == first.counts and again.sha256 == first.sha256
    assert "sama persis" in again.message
    assert (mtime(raw), mtime(quarantine), raw.read_bytes()) == before
    assert registry_rows(data, "SELECT result FROM files") == [("LOADED",)]


def test_same_bytes_under_another_path_is_recorded_as_duplicate_noop(env, tmp_path):
    data, exports = env
    write_csv(exports / "absensi_202403.csv", ABSENSI_HEADER, [tap(1)])
    ingest_period(data, exports, "absensi", PERIODE, now=NOW)
    other = tmp_path / "ekspor2"
    other.mkdir()
    (other / "absensi_202403.csv").write_bytes((exports / "absensi_202403.csv").read_bytes())
    result = ingest_period(data, other, "absensi", PERIODE, now=NOW)
    assert result.action == "noop"
    assert sorted(r[0] for r in registry_rows(data, "SELECT result FROM files")) == [
        "DUPLICATE_NOOP",
        "LOADED",
    ]


def test_correction_replaces_the_period_and_archives_both(env):
    data, exports = env
    path = write_csv(exports / "absensi_202403.csv", ABSENSI_HEADER, [tap(1), tap(2)], mtime=1_000)
    old = ingest_period(data, exports, "absensi", PERIODE, now=NOW)
    write_csv(path, ABSENSI_HEADER, [tap(1), tap(2), tap(3)], mtime=2_000)
    new = ingest_period(data, exports, "absensi", PERIODE, now=NOW)

    assert new.action == "replaced" and new.changed and new.previous_sha256 == old.sha256
    assert "berkas koreksi absensi_202403.csv menggantikan" in new.message
    assert pl.read_parquet(data.raw_file("absensi", PERIODE))["nip"].to_list() == [
        nip(1),
        nip(2),
        nip(3),
    ]
    assert (data.archive / f"{old.sha256}.csv").exists()
    assert (data.archive / f"{new.sha256}.csv").read_bytes() == path.read_bytes()
    results = dict(registry_rows(data, "SELECT sha256, result FROM files"))
    assert results == {old.sha256: "SUPERSEDED", new.sha256: "LOADED"}
    assert registry_rows(data, "SELECT sha256 FROM current") == [(new.sha256,)]

    # going back to the old bytes is a correction too
    write_csv(path, ABSENSI_HEADER, [tap(1), tap(2)], mtime=3_000)
    back = ingest_period(data, exports, "absensi", PERIODE, now=NOW)
    assert back.action == "replaced" and back.sha256 == old.sha256
    results = dict(registry_rows(data, "SELECT sha256, result FROM files"))
    assert results == {old.sha256: "LOADED", new.sha256: "SUPERSEDED"}


def test_archive_is_never_overwritten(env):
    data, exports = env
    path = write_csv(exports / "absensi_202403.csv", ABSENSI_HEADER, [tap(1)])
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    data.archive.mkdir(parents=True)
    archived = data.archive / f"{sha}.csv"
    archived.write_bytes(path.read_bytes())
    os.utime(archived, (1_000, 1_000))
    ingest_period(data, exports, "absensi", PERIODE, now=NOW)
    assert mtime(archived) == 1_000 * 10**9


def test_parquet_is_deterministic(env, tmp_path):
    data, exports = env
    rows = [
        tap(i, metode=m) for i, m in zip(range(1, 40), ["FINGER", "X", "WAJAH"] * 13, strict=True)
    ]
    write_csv(exports / "absensi_202403.csv", ABSENSI_HEADER, rows)
    other = DataDir(tmp_path / "data2")
    ingest_period(data, exports, "absensi", PERIODE, now=NOW)
    ingest_period(other, exports, "absensi", PERIODE, now=datetime(2030, 1, 1, tzinfo=UTC))
    for path in (data.raw_file("absensi", PERIODE), data.quarantine_file("absensi", PERIODE)):
        twin = other.root / path.relative_to(data.root)
        assert path.read_bytes() == twin.read_bytes()
    assert not list(data.raw.rglob("*.tmp"))  # temp files renamed away


# --- rejected files ------------------------------------------------------------------------------
def test_rejected_file_keeps_the_previous_data(env):
    data, exports = env
    path = write_csv(exports / "absensi_202403.csv", ABSENSI_HEADER, [tap(1)], mtime=1_000)
    good = ingest_period(data, exports, "absensi", PERIODE, now=NOW)
    raw_before = data.raw_file("absensi", PERIODE).read_bytes()

    write_csv(
        path,
        ["id_mesin", "nip", "jenis", "metode", "lat", "lon"],
        [tap(2)[:2] + tap(2)[3:]],
        mtime=2_000,
    )
    bad = ingest_period(data, exports, "absensi", PERIODE, now=NOW)
    assert bad.action == "rejected" and not bad.changed
    assert "DITOLAK" in bad.message and "'waktu'" in bad.message
    assert "tetap dari berkas absensi_202403.csv" in bad.message
    assert data.raw_file("absensi", PERIODE).read_bytes() == raw_before
    rejected = pl.read_parquet(data.rejected_quarantine_file("absensi", PERIODE))
    assert rejected.select("line_no", "kode_alasan").rows() == [(0, "KOLOM_HILANG")]
    assert (data.archive / f"{bad.sha256}.csv").exists()
    assert registry_rows(data, "SELECT sha256 FROM current") == [(good.sha256,)]
    assert dict(registry_rows(data, "SELECT result, kode_alasan FROM files")) == {
        "LOADED": None,
        "REJECTED": "KOLOM_HILANG",
    }
    # the same rejected bytes again: nothing to do
    again = ingest_period(data, exports, "absensi", PERIODE, now=NOW)
    assert again.action == "noop" and "sudah pernah ditolak" in again.message
    assert pending_periods(data, discover(exports)) == {}

    # a good correction resolves the rejection
    write_csv(path, ABSENSI_HEADER, [tap(1), tap(5)], mtime=3_000)
    fixed = ingest_period(data, exports, "absensi", PERIODE, now=NOW)
    assert fixed.action == "replaced"
    assert not data.rejected_quarantine_file("absensi", PERIODE).exists()


@pytest.mark.parametrize(
    ("content", "kode"),
    [
        (b"", "BERKAS_KOSONG"),
        (b"id_mesin,nip,waktu,jenis,metode,lat,lon\r\n", "BERKAS_TANPA_DATA"),
        (
            b"id_mesin,nip,waktu,jenis,metode,lat,lon\r\nFP,123,x,MASUK,FINGER,,\r\n",
            "SEMUA_BARIS_DITOLAK",
        ),
    ],
)
def test_files_with_nothing_to_load_are_rejected(env, content, kode):
    data, exports = env
    (exports / "absensi_202403.csv").write_bytes(content)
    result = ingest_period(data, exports, "absensi", PERIODE, now=NOW)
    assert result.action == "rejected" and "belum ada data untuk periode ini" in result.message
    assert not data.raw_file("absensi", PERIODE).exists()
    rejected = pl.read_parquet(data.rejected_quarantine_file("absensi", PERIODE))
    assert rejected.filter(pl.col("line_no") == 0)["kode_alasan"].to_list() == [kode]
    assert registry_rows(data, "SELECT result FROM files") == [("REJECTED",)]
    assert registry_rows(data, "SELECT * FROM current") == []


@pytest.mark.parametrize("kind", ["ketidakhadiran", "aktivitas"])
def test_a_header_only_file_of_a_kind_that_may_be_empty_is_an_empty_month(env, kind):
    """A month with no approved absence (or no logged activity) is a real export: its
    header-only file loads as no rows, and as a correction it empties the month (the absences
    of the replaced file no longer count). Taps, masters, evaluations and rosters keep the
    rejection above (a header-only one is a broken export)."""
    data, exports = env
    header = {
        "ketidakhadiran": "nip,kode,mulai,selesai,status,nomor_surat",
        "aktivitas": "nip,tanggal,uraian,durasi_menit,status",
    }[kind]
    row = {
        "ketidakhadiran": f"{nip(1)},CT,2024-03-04,2024-03-05,DISETUJUI,800/12/2024",
        "aktivitas": f"{nip(1)},2024-03-04,Menyusun laporan,90,DISETUJUI",
    }[kind]
    path = exports / f"{kind}_202403.csv"
    path.write_text(f"{header}\n{row}\n")
    first = ingest_period(data, exports, kind, PERIODE, now=NOW)
    assert first.action == "loaded" and first.counts["loaded"] == 1, first.message
    path.write_text(f"\ufeff{header}\r\n")
    os.utime(path, (3_000, 3_000))
    empty = ingest_period(data, exports, kind, PERIODE, now=NOW)
    assert empty.action == "replaced", empty.message
    assert f"tidak ada data {kind} periode ini" in empty.message
    assert pl.read_parquet(data.raw_file(kind, PERIODE)).height == 0
    assert registry_rows(data, "SELECT sha256 FROM current") == [(empty.sha256,)]


# --- several files, missing files, the sensor -----------------------------------------------------
def test_several_files_for_one_period_newest_wins(env):
    data, exports = env
    write_csv(exports / "pegawai_202403.csv", PEGAWAI_HEADER, [pegawai(1)], mtime=1_000)
    write_xlsx(
        exports / "pegawai_202403.xlsx", PEGAWAI_HEADER, [pegawai(1), pegawai(2)], mtime=2_000
    )
    result = ingest_period(data, exports, "pegawai", PERIODE, now=NOW)
    assert result.file == "pegawai_202403.xlsx" and result.counts["loaded"] == 2
    assert result.others == ["pegawai_202403.csv"]
    assert any("pegawai_202403.csv" in n for n in result.notes)
    assert "tidak dibaca: pegawai_202403.csv" in result.message
    assert (data.archive / f"{result.sha256}.xlsx").exists()
    raw = pl.read_parquet(data.raw_file("pegawai", PERIODE))
    assert raw["line_no"].to_list() == [3, 4] and raw["source_file"][0] == "pegawai_202403.xlsx"


def test_nip_ganda_blocks_the_period(env):
    data, exports = env
    rows = [pegawai(1), pegawai(2, "1.02.01"), pegawai(2, "1.03.01")]
    write_csv(exports / "pegawai_202403.csv", PEGAWAI_HEADER, rows)
    result = ingest_period(data, exports, "pegawai", PERIODE, now=NOW)
    assert result.action == "loaded" and len(result.errors) == 1
    assert "PERIODE DIBLOKIR" in result.message
    quarantine = pl.read_parquet(data.quarantine_file("pegawai", PERIODE))
    assert quarantine["kode_alasan"].to_list() == ["NIP_GANDA", "NIP_GANDA"]
    assert registry_rows(data, "SELECT errors FROM files")[0][0].count("diblokir") == 1


def test_missing_file(env):
    data, exports = env
    result = ingest_period(data, exports, "kinerja", PERIODE, now=NOW)
    assert (result.action, result.file, result.sha256) == ("missing", None, None)
    assert result.counts == {"read": 0, "loaded": 0, "quarantined": 0, "duplicates": 0}
    # once loaded, a cleaned-up export folder is not a missing file
    path = write_csv(exports / "absensi_202403.csv", ABSENSI_HEADER, [tap(1)])
    loaded = ingest_period(data, exports, "absensi", PERIODE, now=NOW)
    path.unlink()
    gone = ingest_period(data, exports, "absensi", PERIODE, now=NOW)
    assert gone.action == "noop" and gone.sha256 == loaded.sha256
    assert "tetap dari berkas absensi_202403.csv" in gone.message


def test_pending_periods_for_the_sensor(env):
    data, exports = env
    path = write_csv(exports / "absensi_202403.csv", ABSENSI_HEADER, [tap(1)], mtime=1_000)
    write_csv(exports / "pegawai_202403.csv", PEGAWAI_HEADER, [pegawai(1)], mtime=1_000)
    first = pending_periods(data, discover(exports))
    assert list(first) == [PERIODE]
    assert pending_periods(data, discover(exports)) == first  # stable fingerprint
    for kind in ("absensi", "pegawai"):
        ingest_period(data, exports, kind, PERIODE, now=NOW)
    assert pending_periods(data, discover(exports)) == {}
    write_csv(path, ABSENSI_HEADER, [tap(1), tap(2)], mtime=2_000)
    later = pending_periods(data, discover(exports))
    assert list(later) == [PERIODE] and later != first
    # a deleted raw file is re-materialised
    ingest_period(data, exports, "absensi", PERIODE, now=NOW)
    data.raw_file("absensi", PERIODE).unlink()
    assert list(pending_periods(data, discover(exports))) == [PERIODE]
    assert ingest_period(data, exports, "absensi", PERIODE, now=NOW).action == "loaded"


def test_ingest_all_and_current_files(env):
    data, exports = env
    write_csv(exports / "absensi_202403.csv", ABSENSI_HEADER, [tap(1)])
    write_csv(exports / "absensi_202402.csv", ABSENSI_HEADER, [tap(1, "2024-02-05 07:00:00")])
    write_csv(exports / "pegawai_202403.csv", PEGAWAI_HEADER, [pegawai(1)])
    results = ingest.ingest_all(data, exports, now=NOW)
    assert [(r.kind, r.periode, r.action) for r in results] == [
        ("absensi", "2024-02", "loaded"),
        ("pegawai", "2024-03", "loaded"),
        ("absensi", "2024-03", "loaded"),
    ]
    current = current_files(data)
    assert current.height == 3 and current["n_loaded"].to_list() == [1, 1, 1]


# --- the simulator, when it exists ----------------------------------------------------------------
# defects the contract validator must quarantine, and the reason codes that fit them
KODE_FOR = {
    "NIP_PANJANG_SALAH": {"NIP_TIDAK_VALID"},
    "NIP_TANGGAL_LAHIR_MUSTAHIL": {"NIP_TIDAK_VALID"},
    "NIP_JENIS_KELAMIN_SALAH": {"NIP_TIDAK_VALID"},
    "WAKTU_RUSAK": {"WAKTU_TIDAK_VALID"},
    "TANGGAL_RUSAK": {"TANGGAL_TIDAK_VALID"},
    "KODE_TIDAK_DIKENAL": {"KODE_TIDAK_DIKENAL"},
    "NILAI_DI_LUAR_RENTANG": {"DI_LUAR_RENTANG"},
    "BULAN_LAIN": {"DI_LUAR_PERIODE"},
    "PERIODE_LAIN": {"DI_LUAR_PERIODE"},
}
# defects that are not this layer's: repeats (count once), a BOM (tolerated), cross-row findings
# made by dbt (unknown NIP vs the master, predikat contradicting the matrix): their lines load
NOT_QUARANTINED_HERE = {
    "TAP_DUPLIKAT",
    "TAP_GANDA",
    "BOM",
    "NIP_TIDAK_DIKENAL",
    "PREDIKAT_BERTENTANGAN",
    # the roster's rulebook-level defects: dbt quarantines them (karantina)
    "JADWAL_GANDA",
    "KODE_SHIFT_TIDAK_DIKENAL",
}


def _simulate():
    if importlib.util.find_spec("orchestration.tools.simulator") is None:
        return None
    module = importlib.import_module("orchestration.tools.simulator")
    return getattr(module, "simulate", None)


def _lines(paths) -> set[tuple[str, int]]:
    frames = [pl.read_parquet(p).select("source_file", "line_no") for p in paths]
    return {(f, n) for f, n in pl.concat(frames).rows()} if frames else set()


@pytest.mark.skipif(
    _simulate() is None, reason="orchestration.tools.simulator.simulate not available yet"
)
@pytest.mark.parametrize("kotor", [0.0, 0.05])
def test_simulator_output(tmp_path, kotor):
    out = tmp_path / "ekspor"
    _simulate()(
        out,
        pegawai=150,
        opd=4,
        mulai="2024-02",
        sampai="2024-03",
        seed=7,
        kotor=kotor,
        xlsx=True,
        progress=False,
    )
    data = DataDir(tmp_path / "data")
    results = ingest.ingest_all(data, out, now=NOW)
    assert {r.action for r in results} == {"loaded"}, [r.message for r in results]
    assert all(r.errors == [] for r in results)
    quarantine = pl.concat([pl.read_parquet(p) for p in data.quarantine.rglob("2*.parquet")])
    loaded = _lines(data.raw.glob("*/2*.parquet"))
    if kotor == 0:
        assert quarantine.height == 0, quarantine.head(10)
        # devices re-send taps even in clean exports (sources.md): those count once, that is all
        assert all(r.counts["read"] == r.counts["loaded"] + r.counts["duplicates"] for r in results)
        return

    truth = pl.read_csv(out / "_groundtruth" / "cacat.csv", infer_schema=False)
    quarantined = {
        (f, n): k for f, n, k in quarantine.select("source_file", "line_no", "kode_alasan").rows()
    }
    expected = {}
    for d in truth.iter_rows(named=True):
        key = (d["file"], int(d["line"]))
        if d["jenis_cacat"] in NOT_QUARANTINED_HERE:
            assert key not in quarantined, (d, quarantined.get(key))
        else:
            expected[key] = d
    for key, d in expected.items():
        assert key in quarantined, d
        assert quarantined[key] in KODE_FOR.get(d["jenis_cacat"], {quarantined[key]}), (
            d,
            quarantined[key],
        )
    assert set(quarantined) == set(expected)  # nothing else is quarantined...
    assert loaded.isdisjoint(quarantined)
    # ...and every other line loads (or is an exact repeat counted once)
    for r in results:
        n_lines = r.counts["read"]
        own = {k for k in loaded | set(quarantined) if k[0] == r.file}
        assert len(own) + r.counts["duplicates"] == n_lines, r.message
