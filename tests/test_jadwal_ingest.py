"""The shift roster export ``jadwal_YYYYMM`` (jadwal.md §3) on the Python side: ingest, the
file registry, the month plan, the sensor and ``kinerja run``.

The province here: Citra Manafe, a nurse of the provincial hospital, is on rostered shifts in
October 2024 (PAGI, SIANG, MALAM, LIBUR); Budi Fanggidae keeps office hours. The roster is an
optional export: a month without it is computed as before, and a roster arriving alone for a
month that was computed already makes that month pending (as a corrected taps file does).
Unknown NIPs, codes not in the rulebook and two different rows for one day are the dbt layer's
(``int_karantina_referensial``); this layer checks types, formats and the month.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import dagster as dg
import duckdb
import polars as pl
import pytest

from orchestration.core.contract import QUARANTINE_SCHEMA, raw_schema
from orchestration.core.months import REQUIRED_KINDS, plan_months
from orchestration.core.paths import DataDir
from orchestration.export_folder import discover
from orchestration.file_registry import pending_periods
from orchestration.ingest import ingest_period
from orchestration.resources import KinerjaStorage

NOW = datetime(2024, 11, 6, 2, 0, tzinfo=UTC)
LATER = datetime(2024, 11, 8, 9, 30, tzinfo=UTC)
PERIODE = "2024-10"
FILE = "jadwal_202410.csv"
CITRA, BUDI = "199203112019032003", "198805202012122002"
PENILAI = "197001011995031001"
HEADER = "nip,tanggal,kode_shift"


def roster_text(rows: list[str], header: str = HEADER, crlf: bool = False) -> str:
    end = "\r\n" if crlf else "\n"
    return end.join([header, *rows]) + end


def citra_october() -> list[str]:
    """Citra's October: PAGI, PAGI, SIANG, SIANG, MALAM, LIBUR, LIBUR from the 1st."""
    cycle = ("PAGI", "PAGI", "SIANG", "SIANG", "MALAM", "LIBUR", "LIBUR")
    return [f"{CITRA},2024-10-{d:02d},{cycle[(d - 1) % 7]}" for d in range(1, 32)]


@pytest.fixture
def env(tmp_path) -> tuple[DataDir, Path]:
    exports = tmp_path / "ekspor"
    exports.mkdir()
    return DataDir(tmp_path / "data"), exports


def ingest(env, text: str, now: datetime = NOW, name: str = FILE):
    data, exports = env
    (exports / name).write_bytes(text.encode("utf-8"))
    return ingest_period(data, exports, "jadwal", PERIODE, now=now)


def raw(data: DataDir) -> pl.DataFrame:
    return pl.read_parquet(data.raw_file("jadwal", PERIODE))


def quarantine(data: DataDir) -> list[dict]:
    return pl.read_parquet(data.quarantine_file("jadwal", PERIODE)).rows(named=True)


def registry(data: DataDir, sql: str) -> list[tuple]:
    con = sqlite3.connect(data.registry)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


# --- ingest ------------------------------------------------------------------------------------
def test_a_valid_roster_is_loaded_with_its_lineage(env):
    data, _ = env
    # a BOM, CRLF, upper-case headers in another order and lower-case codes are all fine
    rows = [
        f"{code.lower()}, {CITRA} ,{day}"
        for nip, day, code in (r.split(",") for r in citra_october())
    ]
    result = ingest(env, "\ufeff" + roster_text(rows, "Kode_Shift,NIP,Tanggal", crlf=True))
    assert (result.action, result.file) == ("loaded", FILE)
    assert result.counts == {"read": 31, "loaded": 31, "quarantined": 0, "duplicates": 0}
    assert result.message.startswith(f"jadwal {PERIODE}: berkas {FILE} dimuat")

    frame = raw(data)
    assert frame.schema == raw_schema("jadwal")
    assert frame.columns == ["periode", "source_file", "line_no", "nip", "tanggal", "kode_shift"]
    assert frame["periode"].unique().to_list() == [PERIODE]
    assert frame["source_file"].unique().to_list() == [FILE]
    assert frame["line_no"].to_list() == list(range(2, 33))
    assert frame["nip"].unique().to_list() == [CITRA]
    first, last = frame.row(0, named=True), frame.row(-1, named=True)
    assert (first["tanggal"], first["kode_shift"]) == (dt.date(2024, 10, 1), "PAGI")
    # the night shift of the 31st ends in November but starts in October: it is October's
    assert (last["tanggal"], last["kode_shift"]) == (dt.date(2024, 10, 31), "SIANG")
    assert set(frame["kode_shift"]) == {"PAGI", "SIANG", "MALAM", "LIBUR"}
    assert quarantine(data) == []
    assert registry(data, "SELECT kind, periode, file_name FROM current") == [
        ("jadwal", PERIODE, FILE)
    ]


def test_rows_breaking_the_contract_are_quarantined_with_file_line_column_and_reason(env):
    data, _ = env
    rows = [
        f"{CITRA},2024-10-01,PAGI",  # line 2: loads
        f"{CITRA},2024-11-01,MALAM",  # line 3: November's file
        f"{CITRA},2024-09-30,MALAM",  # line 4: September's file
        "19920311201903200,2024-10-02,PAGI",  # line 5: 17 digits
        f"{CITRA},02/10/2024,PAGI",  # line 6: not YYYY-MM-DD
        f"{CITRA},2024-10-03,",  # line 7: no code
        f"{BUDI},2024-10-04,SORE",  # line 8: not in the rulebook: dbt's to judge, loads
    ]
    result = ingest(env, roster_text(rows))
    assert result.action == "loaded"
    assert result.counts == {"read": 7, "loaded": 2, "quarantined": 5, "duplicates": 0}
    assert raw(data)["line_no"].to_list() == [2, 8]
    q = quarantine(data)
    assert [(r["source_file"], r["line_no"], r["kolom"], r["kode_alasan"]) for r in q] == [
        (FILE, 3, "tanggal", "DI_LUAR_PERIODE"),
        (FILE, 4, "tanggal", "DI_LUAR_PERIODE"),
        (FILE, 5, "nip", "NIP_TIDAK_VALID"),
        (FILE, 6, "tanggal", "TANGGAL_TIDAK_VALID"),
        (FILE, 7, "kode_shift", "WAJIB_KOSONG"),
    ]
    assert all(r["kind"] == "jadwal" and r["periode"] == PERIODE for r in q)
    assert q[0]["nilai"] == "2024-11-01"
    assert q[0]["alasan"] == (
        "Baris bertanggal 2024-11-01 (kolom 'tanggal') bukan milik periode 2024-10; baris ini "
        "seharusnya ada di berkas periode 2024-11."
    )
    assert "harus tepat 18 digit angka" in q[2]["alasan"]
    assert "harus berformat YYYY-MM-DD" in q[3]["alasan"]
    assert q[4]["alasan"] == "Kolom 'kode_shift' wajib diisi tetapi kosong."


def test_a_missing_column_rejects_the_whole_file_with_a_clear_message(env):
    data, _ = env
    result = ingest(env, roster_text([f"{CITRA},2024-10-01"], header="nip,tanggal"))
    assert result.action == "rejected" and result.previous_sha256 is None
    assert result.message == (
        f"jadwal {PERIODE}: berkas {FILE} DITOLAK — Kolom wajib 'kode_shift' tidak ada di berkas "
        f"'{FILE}'; seluruh berkas ditolak; belum ada data untuk periode ini."
    )
    assert not data.raw_file("jadwal", PERIODE).exists()
    rejected = pl.read_parquet(data.quarantine / "jadwal" / f"{PERIODE}.ditolak.parquet")
    assert rejected.select("line_no", "kolom", "kode_alasan").rows() == [
        (0, "kode_shift", "KOLOM_HILANG")
    ]


def test_the_same_roster_twice_is_a_noop(env):
    data, _ = env
    text = roster_text(citra_october())
    first = ingest(env, text)
    path, before = data.raw_file("jadwal", PERIODE), raw(data)
    stamp = path.stat().st_mtime_ns
    again = ingest(env, text, now=LATER)
    assert again.action == "noop" and again.sha256 == first.sha256 and not again.changed
    assert "sama persis dengan yang sudah dimuat" in again.message
    assert path.stat().st_mtime_ns == stamp and raw(data).equals(before)
    assert pending_periods(data, discover(env[1])) == {}


def test_a_new_roster_for_the_month_replaces_the_old_rows(env):
    data, _ = env
    old = ingest(env, roster_text(citra_october()))
    corrected = [f"{CITRA},2024-10-{d:02d},MALAM" for d in range(1, 11)]
    corrected.append(f"{BUDI},2024-10-05,PAGI")
    new = ingest(env, roster_text(corrected), now=LATER)
    assert new.action == "replaced" and new.previous_sha256 == old.sha256
    assert f"berkas koreksi {FILE} menggantikan {FILE}" in new.message
    frame = raw(data)
    assert frame.height == 11 and set(frame["kode_shift"]) == {"MALAM", "PAGI"}
    assert frame.filter(pl.col("nip") == CITRA)["tanggal"].max() == dt.date(2024, 10, 10)
    assert sorted(registry(data, "SELECT sha256, result FROM files")) == sorted(
        [(old.sha256, "SUPERSEDED"), (new.sha256, "LOADED")]
    )
    for sha in (old.sha256, new.sha256):  # both versions stay archived
        archived = data.archive / f"{sha}.csv"
        assert hashlib.sha256(archived.read_bytes()).hexdigest() == sha


def test_a_month_without_a_roster_writes_nothing_and_dbt_still_reads_the_folder(env):
    data, exports = env
    result = ingest_period(data, exports, "jadwal", PERIODE, now=NOW)
    assert (result.action, result.file, result.changed) == ("missing", None, False)
    assert not data.raw_file("jadwal", PERIODE).exists()
    schema_file = data.raw_schema_file("jadwal")
    assert pl.read_parquet(schema_file).schema == raw_schema("jadwal")
    assert pl.read_parquet(schema_file).height == 0
    karantina = data.quarantine / "jadwal" / "_schema.parquet"
    assert pl.read_parquet(karantina).schema == QUARANTINE_SCHEMA
    # what dbt's source raw.jadwal reads (meta.external_location): no error, no rows
    with duckdb.connect() as con:
        n = con.execute(
            f"select count(*) from read_parquet('{data.raw}/jadwal/*.parquet', "
            "union_by_name = true)"
        ).fetchone()[0]
    assert n == 0


def test_the_ingest_asset_without_a_roster_succeeds_and_writes_nothing(env):
    from orchestration.assets.ingest import ingest_assets

    data, exports = env
    [asset] = [a for a in ingest_assets if a.node_def.name == "ingest_jadwal"]
    storage = KinerjaStorage(exports_dir=str(exports), data_dir=str(data.root))
    result = dg.materialize([asset], partition_key=PERIODE, resources={"storage": storage})
    assert result.success
    [event] = [
        e
        for e in result.get_asset_materialization_events()
        if e.asset_key == dg.AssetKey(["raw", "jadwal"])
    ]
    metadata = event.materialization.metadata
    assert metadata["rows_loaded"].value == 0
    assert [r.data["aksi"] for r in metadata["files"].value.records] == ["missing"]
    assert sorted(p.name for p in (data.raw / "jadwal").iterdir()) == ["_schema.parquet"]
    # the same asset loads a roster when one is there
    (exports / FILE).write_text(roster_text(citra_october()))
    result = dg.materialize([asset], partition_key=PERIODE, resources={"storage": storage})
    assert result.success and raw(data).height == 31


# --- the month plan and the sensor -------------------------------------------------------------
def test_the_roster_is_never_required_and_never_makes_a_month_by_itself():
    assert "jadwal" not in REQUIRED_KINDS
    payroll = [("pegawai", PERIODE), ("absensi", PERIODE), ("kinerja", PERIODE)]
    assert plan_months(payroll).payroll == [PERIODE]  # no roster: still a payroll month
    assert plan_months([*payroll, ("jadwal", PERIODE)]).payroll == [PERIODE]
    # a roster alone for a month loaded before (its other files cleaned out of the folder)
    plan = plan_months([("jadwal", PERIODE)], loaded=payroll)
    assert plan.payroll == [PERIODE] and plan.incomplete == {}
    # a roster alone, nothing else ever: incomplete, and the line names only required files
    plan = plan_months([("jadwal", "2024-11")], loaded=payroll)
    assert plan.incomplete == {"2024-11": ["pegawai", "absensi", "kinerja"]}
    assert "jadwal" not in plan.incomplete_lines()[0]
    # a rejected roster does not make a complete month incomplete
    plan = plan_months([*payroll, ("jadwal", PERIODE)], rejected=[("jadwal", PERIODE)])
    assert plan.payroll == [PERIODE]


def test_a_roster_arriving_alone_makes_its_computed_month_pending(env):
    from orchestration.sensors import ekspor_baru

    data, exports = env
    (exports / "pegawai_202410.csv").write_text(master())
    (exports / "absensi_202410.csv").write_text(taps())
    (exports / "kinerja_202410.csv").write_text(evaluations())
    for kind in REQUIRED_KINDS:
        assert ingest_period(data, exports, kind, PERIODE, now=NOW).action == "loaded"
    assert pending_periods(data, discover(exports)) == {}
    for name in ("pegawai_202410.csv", "absensi_202410.csv", "kinerja_202410.csv"):
        (exports / name).unlink()  # the folder was cleaned after the run

    (exports / FILE).write_text(roster_text(citra_october()))
    pending = pending_periods(data, discover(exports))
    assert list(pending) == [PERIODE]
    storage = KinerjaStorage(exports_dir=str(exports), data_dir=str(data.root))
    with dg.build_sensor_context(resources={"storage": storage}) as context:
        [request] = list(ekspor_baru(context))
    assert request.partition_key == PERIODE
    assert request.run_key == f"{PERIODE}:{pending[PERIODE]}"
    # once ingested, the same roster asks for nothing
    ingest_period(data, exports, "jadwal", PERIODE, now=NOW)
    assert pending_periods(data, discover(exports)) == {}


# --- kinerja run -------------------------------------------------------------------------------
def master() -> str:
    header = (
        "nip,nama,status,golongan,jenis_jabatan,nama_jabatan,kelas_jabatan,kode_opd,nama_opd,"
        "tmt_opd,aktif_sampai\n"
    )
    return header + (
        f"{CITRA},Citra Manafe,PNS,III/b,FUNGSIONAL,Perawat Ahli Pertama,9,1.02.02,"
        "RSUD Prof. Dr. W. Z. Johannes Kupang,2019-03-01,\n"
        f"{BUDI},Budi Fanggidae,PNS,III/b,PELAKSANA,Analis Kebijakan,9,1.02.01,"
        "Dinas Kesehatan,2015-01-01,\n"
    )


def taps() -> str:
    lines = ["id_mesin,nip,waktu,jenis,metode,lat,lon"]
    day = dt.date(2024, 10, 1)
    while day.month == 10:
        if day.weekday() < 5:
            for nip in (CITRA, BUDI):
                lines += [
                    f"FP-01,{nip},{day} 07:21:00,,FINGER,,",
                    f"FP-01,{nip},{day} 16:41:00,,FINGER,,",
                ]
        day += dt.timedelta(days=1)
    return "\n".join(lines) + "\n"


def evaluations() -> str:
    return "nip,periode,hasil_kerja,perilaku,predikat,status,nip_penilai,tanggal_penilaian\n" + (
        "".join(
            f"{n},{PERIODE},SESUAI,SESUAI,BAIK,FINAL,{PENILAI},2024-10-28\n" for n in (CITRA, BUDI)
        )
    )


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """October without a roster, run; then the roster alone arrives and the folder is run
    again; then once more with nothing new."""
    from orchestration.run import run_pipeline

    base = tmp_path_factory.mktemp("jadwal_run")
    exports, data = base / "exports", DataDir.resolve(base / "data")
    exports.mkdir()
    (exports / "pegawai_202410.csv").write_text(master())
    (exports / "absensi_202410.csv").write_text(taps())
    (exports / "kinerja_202410.csv").write_text(evaluations())
    without = run_pipeline(exports, data)
    raw_before = sorted(p.name for p in (data.raw / "jadwal").iterdir())
    (exports / FILE).write_text(roster_text(citra_october()))
    with_roster = run_pipeline(exports, data)
    again = run_pipeline(exports, data)
    return data, without, raw_before, with_roster, again


def test_a_month_without_a_roster_is_computed_and_published(runs):
    from orchestration.core.published import current_snapshot

    data, without, raw_before, *_ = runs
    assert without.periods == [PERIODE] and not without.noop
    assert without.plan.payroll == [PERIODE] and without.plan.incomplete == {}
    assert raw_before == ["_schema.parquet"]
    assert current_snapshot(data) is not None and PERIODE in current_snapshot(data).periods
    with duckdb.connect(str(data.warehouse), read_only=True) as con:
        n = con.execute("select count(*) from tpp_bulanan where periode = ?", [PERIODE])
        assert n.fetchone()[0] == 2


def test_a_roster_arriving_alone_recomputes_its_month_once(runs):
    data, _, _, with_roster, again = runs
    assert with_roster.periods == [PERIODE] and not with_roster.noop and with_roster.run_ids
    assert raw(data).height == 31
    assert registry(data, "SELECT kind, periode FROM current WHERE kind = 'jadwal'") == [
        ("jadwal", PERIODE)
    ]
    with duckdb.connect(str(data.warehouse), read_only=True) as con:
        staged = con.execute(
            "select count(*), min(tanggal), max(tanggal) from stg_jadwal where periode = ?",
            [PERIODE],
        ).fetchone()
    assert staged == (31, dt.date(2024, 10, 1), dt.date(2024, 10, 31))
    assert again.noop and again.run_ids == []
