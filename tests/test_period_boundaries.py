"""The edges of a month, from export files through ``kinerja run`` (issue 16, sources.md pegawai).

A hand-written province of three: Andi moves from Sekretariat Daerah (4.01.01) to Dinas
Kesehatan (1.02.01) on Wednesday 16 Oct 2024; Budi and Citra stay. October 2024 has 23 office
working days: Andi worked 11 of them (1–15 Oct) in the old department and 12 in the new one.
PNS III/b, kelas 9 (basis 4.600.000), BAIK, never late (tpp-rules §5):
- old department: bruto 4.600.000 × 11/23 = 2.200.000, pph21 110.000, bpjs 22.000, neto 2.068.000;
- new department: bruto 4.600.000 × 12/23 = 2.400.000, pph21 120.000, bpjs 24.000, neto 2.256.000.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import duckdb
import pytest

from orchestration.core.formatting import WITA
from orchestration.core.months import plan_months
from orchestration.core.paths import DataDir
from orchestration.core.published import current_snapshot
from tests.support.cli import kinerja

ANDI, BUDI, CITRA = "199001152015031001", "198805202012122002", "199203112019032003"
PENILAI = "197001011995031001"
HEADER_PEGAWAI = (
    "nip,nama,status,golongan,jenis_jabatan,nama_jabatan,kelas_jabatan,kode_opd,nama_opd,"
    "tmt_opd,aktif_sampai\n"
)


def _master(andi_opd: str, andi_tmt: str, budi: tuple[str, str] = ("1.02.01", "2015-01-01")) -> str:
    opd = {"4.01.01": "Sekretariat Daerah", "1.02.01": "Dinas Kesehatan"}
    return HEADER_PEGAWAI + "".join(
        f"{nip},{nama},PNS,III/b,PELAKSANA,Analis Kebijakan,9,{kode},{opd[kode]},{tmt},\n"
        for nip, nama, kode, tmt in [
            (ANDI, "Andi Lado", andi_opd, andi_tmt),
            (BUDI, "Budi Fanggidae", *budi),
            (CITRA, "Citra Manafe", "4.01.01", "2019-03-01"),
        ]
    )


def _taps(year: int, month: int) -> str:
    lines = ["id_mesin,nip,waktu,jenis,metode,lat,lon"]
    day = dt.date(year, month, 1)
    while day.month == month:
        if day.weekday() < 5:
            for nip in (ANDI, BUDI, CITRA):
                lines.append(f"FP-01,{nip},{day} 07:21:00,,FINGER,,")
                lines.append(f"FP-01,{nip},{day} 16:41:00,,FINGER,,")
        day += dt.timedelta(days=1)
    return "\n".join(lines) + "\n"


def _evaluations(periode: str) -> str:
    return (
        "nip,periode,hasil_kerja,perilaku,predikat,status,nip_penilai,tanggal_penilaian\n"
        + "".join(
            f"{nip},{periode},SESUAI,SESUAI,BAIK,FINAL,{PENILAI},{periode}-28\n"
            for nip in (ANDI, BUDI, CITRA)
        )
    )


def write_exports(folder: Path, november: bool = False) -> Path:
    """September's master only, all of October; with ``november`` also November's taps and
    evaluations but no master (an incomplete month)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "pegawai_202409.csv").write_text(_master("4.01.01", "2015-03-01"))
    (folder / "pegawai_202410.csv").write_text(_master("1.02.01", "2024-10-16"))
    (folder / "absensi_202410.csv").write_text(_taps(2024, 10))
    (folder / "kinerja_202410.csv").write_text(_evaluations("2024-10"))
    if november:
        (folder / "absensi_202411.csv").write_text(_taps(2024, 11))
        (folder / "kinerja_202411.csv").write_text(_evaluations("2024-11"))
    return folder


def andi_rows(data: DataDir, table: str = "tpp_bulanan") -> dict[str, tuple]:
    with duckdb.connect(str(data.warehouse), read_only=True) as con:
        rows = con.execute(
            f"select kode_opd, hari_kerja, hari_efektif, hadir, tpp_bruto, pph21, iuran_bpjs, "
            f"tpp_neto from {table} where periode = '2024-10' and nip = ?",
            [ANDI],
        ).fetchall()
    return {r[0]: r[1:] for r in rows}


TRANSFER = {
    "4.01.01": (23, 11, 11, 2_200_000, 110_000, 22_000, 2_068_000),
    "1.02.01": (23, 12, 12, 2_400_000, 120_000, 24_000, 2_256_000),
}


# --- the plan of an export folder (pure) -------------------------------------------------------
def test_plan_sorts_months_into_payroll_reference_and_incomplete():
    found = [
        ("pegawai", "2024-09"),
        ("pegawai", "2024-10"),
        ("absensi", "2024-10"),
        ("kinerja", "2024-10"),
        ("ketidakhadiran", "2024-10"),
        ("absensi", "2024-11"),
        ("kinerja", "2024-11"),
        ("absensi", "2024-12"),
    ]
    plan = plan_months(found)
    assert plan.payroll == ["2024-10"]
    assert plan.reference == ["2024-09"]
    assert plan.incomplete == {"2024-11": ["pegawai"], "2024-12": ["pegawai", "kinerja"]}
    [nov, dec] = plan.incomplete_lines()
    assert nov.startswith("Periode 2024-11 belum lengkap: berkas pegawai_202411 tidak ada")
    assert "berkas kinerja_202412 tidak ada" in dec


def test_plan_counts_files_loaded_before_and_not_rejected_ones():
    # November's master was loaded by an earlier run and has left the folder: still complete
    plan = plan_months(
        [("absensi", "2024-11"), ("kinerja", "2024-11")], loaded=[("pegawai", "2024-11")]
    )
    assert plan.payroll == ["2024-11"]
    # a taps file already rejected, nothing loaded for the month: the month is incomplete
    found = [("pegawai", "2024-11"), ("absensi", "2024-11"), ("kinerja", "2024-11")]
    plan = plan_months(found, rejected=[("absensi", "2024-11")])
    assert plan.payroll == [] and plan.incomplete == {"2024-11": ["absensi"]}
    assert "berkas absensi_202411 ditolak (lihat karantina)" in plan.incomplete_lines()[0]


def test_months_before_the_first_rulebook_version_are_reported_not_run(tmp_path):
    """No rule is in force before the earliest ``berlaku_mulai`` (2024-01 with the default
    rulebook), and Dagster has no partition there: such a month is named with the reason instead
    of failing inside Dagster ("Partition key range start 2023-12 is before ...")."""
    from orchestration.core.months import first_period
    from orchestration.partitions import monthly
    from orchestration.run import RunError, _requested

    assert first_period() == "2024-01" == monthly.get_first_partition_key()
    full = [(k, p) for p in ("2023-12", "2024-01") for k in ("pegawai", "absensi", "kinerja")]
    plan = plan_months(full)
    assert (plan.payroll, plan.reference, plan.before_first) == (["2024-01"], [], ["2023-12"])
    [line] = plan.before_first_lines()
    assert line.startswith("Periode 2023-12 sebelum periode pertama yang dapat dihitung (2024-01")
    assert "aturan_versi.csv" in line
    with pytest.raises(RunError, match="Periode 2023-12 sebelum periode pertama"):
        _requested(plan, "2023-12", tmp_path)
    only_old = plan_months([(k, "2023-11") for k in ("pegawai", "absensi", "kinerja")])
    with pytest.raises(RunError, match="Periode 2023-11 sebelum periode pertama"):
        _requested(only_old, None, tmp_path)


# --- 1. the previous master is always read --------------------------------------------------------
@pytest.fixture(scope="module")
def one_month(tmp_path_factory):
    base = tmp_path_factory.mktemp("transfer")
    exports, data = write_exports(base / "exports"), DataDir.resolve(base / "data")
    result = kinerja(
        "run", "--exports", str(exports), "--data", str(data.root), "--periode", "2024-10"
    )
    return exports, data, result


def test_transfer_is_paid_in_both_departments_when_one_month_is_asked_for(one_month):
    _, data, (rc, _, err) = one_month
    assert rc == 0, err
    assert andi_rows(data) == TRANSFER
    assert (data.raw / "pegawai" / "2024-09.parquet").exists()
    findings = current_snapshot(data).read("temuan")
    assert "SNAPSHOT_SEBELUMNYA_TIDAK_ADA" not in findings["kode"].to_list()


def test_library_warnings_do_not_reach_the_operator(one_month):
    *_, (rc, _, err) = one_month
    assert rc == 0
    assert "BetaWarning" not in err and "Warning:" not in err
    assert "singular test with multiple dependencies" not in err
    # dagster-dbt's notes on its own command are for the run log, not the operator
    for note in ("Running dbt command", "Finished dbt command", "subsetted execution", "Copying"):
        assert note not in err
    log = next((one_month[1].root / "logs").glob("run-*.log")).read_text()
    assert "Running dbt command" in log


def test_progress_lines_carry_the_wita_clock(one_month):
    """The operator's clock is WITA (the log's name too, as the snapshots'), whatever the
    machine's time zone."""
    *_, (rc, _, err) = one_month
    stamps = [line[1:9] for line in err.splitlines() if line[:1] == "[" and line[9:15] == " WITA]"]
    assert stamps, err
    now = dt.datetime.now(WITA)
    first = dt.datetime.combine(now.date(), dt.time.fromisoformat(stamps[0]), WITA)
    off = (now - first).total_seconds() % 86_400  # across midnight too
    assert min(off, 86_400 - off) < 15 * 60  # minutes ago, not the 8 hours of UTC
    log = next((one_month[1].root / "logs").glob("run-*.log"))
    logged = dt.datetime.strptime(log.stem[4:], "%Y%m%d-%H%M%S").replace(tzinfo=WITA)
    assert abs((now - logged).total_seconds()) < 60 * 60


# --- 2. a master-only month blocks nothing; an incomplete month stops no complete month ------------
@pytest.fixture(scope="module")
def whole_folder(tmp_path_factory):
    base = tmp_path_factory.mktemp("folder")
    exports = write_exports(base / "exports", november=True)
    data = DataDir.resolve(base / "data")
    result = kinerja("run", "--exports", str(exports), "--data", str(data.root))
    return exports, data, result


def test_master_only_month_is_reference_data_and_the_complete_month_is_paid(whole_folder):
    _, data, (rc, out, err) = whole_folder
    assert rc == 0, err
    assert current_snapshot(data).periods == ["2024-10"]
    assert andi_rows(data) == TRANSFER
    assert (data.raw / "pegawai" / "2024-09.parquet").exists()
    assert "Periode 2024-09: hanya master pegawai (data referensi untuk periode 2024-10)" in out
    assert "max_retries" not in out + err


def test_incomplete_month_is_reported_in_one_line_and_left_unpublished(whole_folder):
    exports, data, (rc, out, _) = whole_folder
    assert rc == 0
    lines = [line for line in out.splitlines() if "2024-11" in line]
    assert lines == [
        "Periode 2024-11 belum lengkap: berkas pegawai_202411 tidak ada. Periode ini tidak "
        "dihitung dan tidak diterbitkan sampai berkasnya ada."
    ]
    with duckdb.connect(str(data.warehouse), read_only=True) as con:
        assert con.execute(
            "select count(*) from tpp_bulanan where periode = '2024-11'"
        ).fetchone() == (0,)
    # asked for by name, the incomplete month fails with the same reason
    rc, _, err = kinerja(
        "run", "--exports", str(exports), "--data", str(data.root), "--periode", "2024-11"
    )
    assert rc == 1
    assert (
        err.strip()
        .splitlines()[-1]
        .startswith("kinerja: Periode 2024-11 belum lengkap: berkas pegawai_202411 tidak ada.")
    )


def test_the_warehouse_shows_what_was_paid_for_a_locked_month(whole_folder, tmp_path):
    exports, data, _ = whole_folder
    # a copy: the module's data dir stays as it is
    data = DataDir.resolve(tmp_path / "data")
    shutil.copytree(whole_folder[1].root, data.root, symlinks=True)
    assert (
        kinerja("verify", "--data", str(data.root), "--periode", "2024-10", "--oleh", "analis")[0]
        == 0
    )
    assert (
        kinerja("lock", "--data", str(data.root), "--periode", "2024-10", "--oleh", "keuangan")[0]
        == 0
    )
    # a corrected taps file after the lock: Andi has no taps on 1 Oct (one TK day)
    corrected = tmp_path / "exports"
    shutil.copytree(exports, corrected)
    taps = (corrected / "absensi_202410.csv").read_text().splitlines(keepends=True)
    kept = [t for t in taps if f",{ANDI},2024-10-01 " not in t]
    assert len(kept) == len(taps) - 2
    (corrected / "absensi_202410.csv").write_text("".join(kept))
    rc, _, err = kinerja("run", "--exports", str(corrected), "--data", str(data.root))
    assert rc == 0, err
    recomputed = andi_rows(data)
    assert recomputed["4.01.01"][-1] < TRANSFER["4.01.01"][-1]  # the warehouse recomputed it
    # what finance reads from the warehouse: the locked (paid) rows, marked as such
    assert andi_rows(data, "tpp_dibayar") == TRANSFER
    with duckdb.connect(str(data.warehouse), read_only=True) as con:
        statuses = con.execute("select distinct status_bayar from tpp_dibayar").fetchall()
    assert statuses == [("TERKUNCI",)]
    # and the published snapshot keeps them byte for byte
    assert current_snapshot(data).status("2024-10") == "LOCKED"


# --- 3. an ERROR finding blocks its own month, not the run's other months -------------------------
def november(data: DataDir) -> tuple[dict[str, list[tuple]], list[str]]:
    """November's finance rows per person (department, hari_kerja, hari_efektif, bruto, neto)
    and Budi's findings about the previous snapshot."""
    with duckdb.connect(str(data.warehouse), read_only=True) as con:
        rows = con.execute(
            "select nip, kode_opd, hari_kerja, hari_efektif, tpp_bruto, tpp_neto "
            "from tpp_bulanan where periode = '2024-11' order by nip, kode_opd"
        ).fetchall()
        findings = con.execute(
            "select pesan from temuan where periode = '2024-11' and nip = ? "
            "and kode = 'SNAPSHOT_SEBELUMNYA_TIDAK_ADA'",
            [BUDI],
        ).fetchall()
    people: dict[str, list[tuple]] = {}
    for nip, *rest in rows:
        people.setdefault(nip, []).append(tuple(rest))
    return people, [f for (f,) in findings]


def test_a_month_with_an_error_finding_is_left_out_and_the_other_months_are_published(tmp_path):
    """sources.md: two different master rows for one NIP cannot be paid from; "the period is
    blocked by an ERROR finding until the source is corrected". October's master lists Budi
    twice (two departments): October is computed, reported and not published; November (its
    own files clean) is published. Budi moves to Sekretariat Daerah on 18 November: with
    October's rows of him quarantined his previous department is unknown, so November pays him
    from the 18th and says why (a WARN finding, not a silent new hire). The next run reports
    October again (no silent no-op); with the corrected master both months are published,
    Budi's days before the 18th are paid by Dinas Kesehatan, and nobody else's November
    changes."""
    exports = write_exports(tmp_path / "exports", november=True)
    (exports / "pegawai_202411.csv").write_text(
        _master("1.02.01", "2024-10-16", budi=("4.01.01", "2024-11-18"))
    )
    clean = (exports / "pegawai_202410.csv").read_text()
    budi = next(line for line in clean.splitlines() if line.startswith(BUDI))
    conflict = budi.replace("1.02.01,Dinas Kesehatan", "4.01.01,Sekretariat Daerah")
    (exports / "pegawai_202410.csv").write_text(clean + conflict + "\n")
    data = DataDir.resolve(tmp_path / "data")
    run = ("run", "--exports", str(exports), "--data", str(data.root))

    rc, out, err = kinerja(*run)
    assert rc == 1, err
    assert "Selesai: 2 periode (2024-10 s.d. 2024-11)" in out
    [blocked] = [line for line in err.splitlines() if "TIDAK diterbitkan" in line]
    assert blocked.startswith("kinerja: periode 2024-10 TIDAK diterbitkan: 2 temuan ERROR")
    assert "(NIP_GANDA 2x)" in blocked
    assert "Pertama: NIP 19880520 201212 2 002 muncul pada lebih dari satu baris" in blocked
    assert err.strip().splitlines()[-1] == "kinerja: diterbitkan: 2024-11."
    snapshot = current_snapshot(data)
    assert snapshot.periods == ["2024-11"] and snapshot.manifest["diblokir"] == ["2024-10"]
    assert snapshot.totals("2024-11")["rows"] == 3  # Budi too: November's master is clean
    before, [finding] = november(data)
    assert "lebih dari satu baris (NIP_GANDA)" in finding and "2024-11-18" in finding
    [(opd, hari_kerja, from_18th, *_)] = before[BUDI]
    assert opd == "4.01.01" and 0 < from_18th < hari_kerja

    rc, out, err = kinerja(*run)  # nothing changed: still blocked, said again
    assert rc == 1 and "Tidak ada yang baru" not in out
    assert [line for line in err.splitlines() if "TIDAK diterbitkan" in line] == [blocked]

    (exports / "pegawai_202410.csv").write_text(clean)
    rc, _, err = kinerja(*run)
    assert rc == 0, err
    snapshot = current_snapshot(data)
    assert snapshot.periods == ["2024-10", "2024-11"] and snapshot.manifest["diblokir"] == []
    assert andi_rows(data) == TRANSFER
    after, findings = november(data)
    assert findings == []
    assert {nip: after[nip] for nip in (ANDI, CITRA)} == {nip: before[nip] for nip in (ANDI, CITRA)}
    old_department, new_department = after[BUDI]
    assert old_department[:2] == ("1.02.01", hari_kerja)
    assert old_department[2] == hari_kerja - from_18th and new_department == before[BUDI][0]


# --- 4. the reason of a failure reaches the last line ---------------------------------------------
def test_rejected_required_file_names_step_period_and_cause(tmp_path):
    exports = write_exports(tmp_path / "exports")
    (exports / "absensi_202410.csv").write_text("id,waktu\n1,2024-10-01 07:00:00\n")
    data = tmp_path / "data"
    rc, _, err = kinerja(
        "run", "--exports", str(exports), "--data", str(data), "--periode", "2024-10"
    )
    assert rc == 1
    last = err.strip().splitlines()[-1]
    assert last.startswith("kinerja: Langkah ingest_absensi gagal untuk periode 2024-10: ")
    assert "absensi_202410.csv DITOLAK" in last and "Kolom wajib" in last
    assert "max_retries" not in last and "Dagster" not in last
    # deterministic: tried once, not retried
    log = Path(last.rsplit("(log: ", 1)[1].rstrip(")")).read_text()
    assert log.count("STEP_FAILURE") == 1 and "STEP_UP_FOR_RETRY" not in log
    assert "Stack Trace" in log and "DITOLAK" in log
    # without --periode the month is reported as incomplete and nothing fails
    rc, out, _ = kinerja("run", "--exports", str(exports), "--data", str(data))
    assert rc == 0
    assert "Periode 2024-10 belum lengkap: berkas absensi_202410 ditolak (lihat karantina)." in out


def test_unexpected_error_is_retried_once_and_its_own_message_is_shown(tmp_path, monkeypatch):
    import orchestration.assets.ingest as ingest_assets

    def broken(data, exports, kind, periode, *args, **kwargs):
        raise OSError(f"disk penuh saat membaca {kind} {periode}")

    monkeypatch.setattr(ingest_assets, "ingest_period", broken)
    exports = write_exports(tmp_path / "exports")
    rc, _, err = kinerja(
        "run", "--exports", str(exports), "--data", str(tmp_path / "data"), "--periode", "2024-10"
    )
    assert rc == 1
    last = err.strip().splitlines()[-1]
    assert "gagal untuk periode 2024-10: " in last
    assert "disk penuh saat membaca" in last and "max_retries" not in last
    log = Path(last.rsplit("(log: ", 1)[1].rstrip(")")).read_text()
    assert "STEP_UP_FOR_RETRY" in log and "OSError: disk penuh" in log


# --- the landing-folder sensor follows the same plan ----------------------------------------------
def test_sensor_requests_payroll_months_only(tmp_path):
    import dagster as dg

    from orchestration.resources import KinerjaStorage
    from orchestration.sensors import ekspor_baru

    exports = write_exports(tmp_path / "exports", november=True)
    storage = KinerjaStorage(exports_dir=str(exports), data_dir=str(tmp_path / "data"))
    with dg.build_sensor_context(resources={"storage": storage}) as context:
        result = ekspor_baru(context)
        requests = list(result) if not isinstance(result, dg.SkipReason) else []
    # September (master only) and October's own files ask for one run of October, the first
    # payroll month; November (no master) asks for nothing
    [request] = requests
    assert request.partition_key == "2024-10"
    assert [part.split(":")[0] for part in request.run_key.split("+")] == ["2024-09", "2024-10"]
