"""Corrections of LOCKED months against the independent oracle (``oracle_tpp``).

A simulated province (120 employees, 6 departments, office staff, teachers and rostered hospital
staff with night shifts on the last day of January and of February), January to March 2025, as
the files arrive in a real year:

A. January's files only. ``kinerja run``; January's last-day night shifts have no check-out yet
   (jadwal.md §4: ``PULANG_BELUM_TERSEDIA``). January is verified and LOCKED.
B. February's files arrive; its absensi holds the mornings of January 31's night shifts (one
   nurse's check-out is missing). The run computes February and January again: the difference
   for January is a correction in February. February (with that correction) is LOCKED.
C. Replacement files for the locked months: January's ketidakhadiran (an approved IZIN on a clean
   day, an approved CT over a TK day, a rejected CT: no effect), February's absensi (one day's
   taps removed, one day's morning taps removed) and kinerja (one predikat lowered through the
   matrix; one stated predikat changed where the matrix gives the same: no effect); March's files
   arrive with February 28's night-shift check-out (early). Corrections of both go to March.
D. The same folder again (a no-op), forced (``--paksa``), then March LOCKED and forced again:
   nothing is paid twice.

Checked after every run, against the oracle computed from the same raw zone:
- a LOCKED month's published files (and its ``terkunci`` copy, what was paid) keep their bytes;
- per LOCKED month P and (nip, kode_opd), every amount column: the correction rows of P still
  open (paid in the next open month) = oracle(P recomputed) - paid(P) - corrections of P already
  paid in LOCKED months; no other row (nothing where nothing changed, nothing twice);
- every open month's ``tpp_bulanan`` equals the oracle row for row.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections import defaultdict
from pathlib import Path

import polars as pl
import pytest
from oracle_tpp import Oracle, diff
from test_publish_support import frozen

from orchestration.core.paths import DataDir
from orchestration.core.published import AMOUNTS, current_snapshot
from tests.support.cli import kinerja as run_kinerja

JAN, FEB, MAR, APR = "2025-01", "2025-02", "2025-03", "2025-04"
KINDS = ("pegawai", "absensi", "ketidakhadiran", "kinerja", "aktivitas", "jadwal")


def kinerja(*args: str) -> str:
    """``kinerja *args``, which must succeed: its stdout."""
    rc, out, err = run_kinerja(*args)
    assert rc == 0, err[-3000:]
    return out


def yyyymm(periode: str) -> str:
    return periode.replace("-", "")


def read(path: Path) -> pl.DataFrame:
    return pl.read_csv(path, infer_schema_length=0)  # every column as text, as written


def write(frame: pl.DataFrame, path: Path) -> None:
    frame.write_csv(path)


def copy_month(sim: Path, exports: Path, periode: str) -> None:
    for kind in KINDS:
        name = f"{kind}_{yyyymm(periode)}.csv"
        if (sim / name).exists():
            shutil.copy2(sim / name, exports / name)


# ----------------------------------------------------------------------------------------------
# What is published, what the oracle expects


def by_key(rows, prefix: str = "") -> dict[tuple[str, str], dict[str, int]]:
    out: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: dict.fromkeys(AMOUNTS, 0))
    for r in rows:
        k = out[(r["nip"], r["kode_opd"])]
        for a in AMOUNTS:
            k[a] += int(r[prefix + a])
    return dict(out)


def minus(a: dict, b: dict) -> dict[tuple[str, str], dict[str, int]]:
    out = {}
    for k in set(a) | set(b):
        d = {c: a.get(k, {}).get(c, 0) - b.get(k, {}).get(c, 0) for c in AMOUNTS}
        if any(d.values()):
            out[k] = d
    return out


def check_month(data: DataDir, oracle_rows: list[dict], periode: str) -> list[str]:
    published = current_snapshot(data).read("tpp_bulanan", periode).to_dicts()
    return diff(published, [r for r in oracle_rows if r["periode"] == periode])


def expected_open_koreksi(data: DataDir, oracle_rows: list[dict], periode: str) -> dict:
    """oracle(recomputed) - paid - corrections of ``periode`` paid in LOCKED months."""
    snapshot = current_snapshot(data)
    locked = {p for p in snapshot.periods if snapshot.status(p) == "LOCKED"}
    paid = pl.read_parquet(data.locked / f"{periode}.parquet").to_dicts()
    koreksi = snapshot.read("tpp_koreksi")
    already = [
        r
        for r in koreksi.to_dicts()
        if r["periode_asal"] == periode and r["periode_bayar"] in locked
    ]
    recomputed = by_key(r for r in oracle_rows if r["periode"] == periode)
    return minus(minus(recomputed, by_key(paid)), by_key(already, "selisih_"))


def open_koreksi(data: DataDir, periode: str) -> tuple[set[str], dict]:
    """(periode_bayar of the open correction rows of ``periode``, their amounts by key)."""
    snapshot = current_snapshot(data)
    locked = {p for p in snapshot.periods if snapshot.status(p) == "LOCKED"}
    rows = [
        r
        for r in snapshot.read("tpp_koreksi").to_dicts()
        if r["periode_asal"] == periode and r["periode_bayar"] not in locked
    ]
    keys = [(r["nip"], r["kode_opd"]) for r in rows]
    assert len(keys) == len(set(keys)), f"two open correction rows for one key: {keys}"
    return {r["periode_bayar"] for r in rows}, by_key(rows, "selisih_")


# ----------------------------------------------------------------------------------------------
# The story


def day_of(rows: list[dict], nip: str, tanggal: dt.date):
    for r in rows:
        if r["nip"] == nip:
            for d in r["_days"]:
                if d.tanggal == tanggal:
                    return d
    return None


def clean_days(rows: list[dict], pola: tuple[str, ...]) -> list[tuple[str, dt.date]]:
    """(nip, date) of HADIR days without a TL/PSW code, one-department rows of ``pola``."""
    count = defaultdict(int)
    for r in rows:
        count[r["nip"]] += 1
    return [
        (r["nip"], d.tanggal)
        for r in sorted(rows, key=lambda r: r["nip"])
        if r["pola_kerja"] in pola and count[r["nip"]] == 1
        for d in r["_days"]
        if d.kode == "HADIR" and not d.tl and not d.psw and d.checkin and d.checkout
    ]


def night_of_last_day(sim: Path, periode: str) -> list[str]:
    roster = read(sim / f"jadwal_{yyyymm(periode)}.csv")
    last = roster["tanggal"].max()
    return sorted(
        roster.filter((pl.col("tanggal") == last) & (pl.col("kode_shift") == "MALAM"))["nip"]
    )


@pytest.fixture(scope="module")
def story(tmp_path_factory):
    from orchestration.tools.simulator import simulate

    base = tmp_path_factory.mktemp("koreksi")
    sim, exports = base / "sim", base / "exports"
    data = DataDir.resolve(base / "data")
    exports.mkdir()
    simulate(sim, pegawai=120, opd=6, mulai=JAN, sampai=MAR, seed=7, progress=False)
    run = ("run", "--exports", str(exports), "--data", str(data.root))
    out: dict = {"data": data, "scenario": {}}

    def lock(periode: str) -> None:
        kinerja("verify", "--data", str(data.root), "--periode", periode, "--oleh", "Budi")
        kinerja("lock", "--data", str(data.root), "--periode", periode, "--oleh", "Maria")
        out.setdefault("frozen", {})[periode] = frozen(data, periode)

    def observe(step: str, locked: list[str], open_: list[str]) -> None:
        rows = Oracle(data.raw).compute(sorted({*locked, *open_}))
        seen = {"rows": rows, "diff": {}, "koreksi": {}, "expected": {}, "frozen": {}}
        for p in open_:
            seen["diff"][p] = check_month(data, rows, p)
        for p in locked:
            seen["frozen"][p] = frozen(data, p) == out["frozen"][p]
            seen["koreksi"][p] = open_koreksi(data, p)
            seen["expected"][p] = expected_open_koreksi(data, rows, p)
        seen["koreksi_table"] = current_snapshot(data).read("tpp_koreksi")
        out[step] = seen

    with pytest.MonkeyPatch.context() as mp:  # the run points Dagster and dbt at these folders
        for name in ("KINERJA_DATA", "KINERJA_EXPORTS", "DAGSTER_HOME"):
            mp.setenv(name, "")

        # A. January alone; its last-day night shifts wait for February's absensi
        copy_month(sim, exports, JAN)
        kinerja(*run)
        observe("A", [], [JAN])
        jan_a = out["A"]["rows"]
        lock(JAN)

        # B. February arrives; one January 31 night shift has no check-out in it
        nights = night_of_last_day(sim, JAN)
        last_night = {n: day_of(jan_a, n, dt.date(2025, 1, 31)) for n in nights}
        nurse = next(n for n, d in last_night.items() if d is not None and d.checkin)
        copy_month(sim, exports, FEB)
        taps = read(exports / f"absensi_{yyyymm(FEB)}.csv")
        morning = (
            (pl.col("nip") == nurse)
            & (pl.col("waktu") < "2025-02-01 11:00:00")
            & (pl.col("jenis").fill_null("") != "MASUK")
        )
        assert taps.filter(morning).height > 0
        write(taps.filter(~morning), exports / f"absensi_{yyyymm(FEB)}.csv")
        out["scenario"]["malam_31_jan_tanpa_pulang"] = (JAN, nurse)
        out["scenario"]["malam_31_jan_lain"] = (JAN, [n for n in nights if n != nurse])
        kinerja(*run)
        observe("B", [JAN], [FEB])
        feb_b = out["B"]["rows"]
        lock(FEB)

        # C. replacement files for January and February; March arrives
        jan_rows = [r for r in out["B"]["rows"] if r["periode"] == JAN]
        feb_rows = [r for r in feb_b if r["periode"] == FEB]
        absen = read(exports / f"ketidakhadiran_{yyyymm(JAN)}.csv")
        kantor = clean_days(jan_rows, ("KANTOR",))
        izin = kantor[len(kantor) // 3]
        tk = sorted(
            (r["nip"], d.tanggal)
            for r in jan_rows
            for d in r["_days"]
            if d.kode == "TK" and sum(x["nip"] == r["nip"] for x in jan_rows) == 1
        )
        assert len({n for n, _ in tk}) >= 2, "no TK days in January to excuse"
        ct, ditolak = tk[0], next(x for x in tk if x[0] != tk[0][0])
        extra = [
            (izin, "IZIN", "DISETUJUI"),
            (ct, "CT", "DISETUJUI"),
            (ditolak, "CT", "DITOLAK"),
        ]
        absen = pl.concat(
            [
                absen,
                pl.DataFrame(
                    [
                        {
                            "nip": nip,
                            "kode": kode,
                            "mulai": str(d),
                            "selesai": str(d),
                            "status": status,
                            "nomor_surat": f"851/{i}/BKD/2025",
                        }
                        for i, ((nip, d), kode, status) in enumerate(extra, 900)
                    ]
                ).select(absen.columns),
            ]
        )
        write(absen, exports / f"ketidakhadiran_{yyyymm(JAN)}.csv")
        out["scenario"]["izin_disetujui"] = (JAN, izin[0])
        out["scenario"]["ct_atas_tk"] = (JAN, ct[0])
        out["scenario"]["ct_ditolak"] = (JAN, ditolak[0])

        # February's absensi again: the device re-sent the nurse's check-out of 31 January
        # (the correction paid with February is taken back), and two days lost taps
        taps = read(sim / f"absensi_{yyyymm(FEB)}.csv")
        feb_clean = clean_days(feb_rows, ("KANTOR",))
        (hilang_nip, hilang_d), (pagi_nip, pagi_d) = feb_clean[5], feb_clean[-5]
        assert hilang_nip != pagi_nip
        day = pl.col("waktu").str.slice(0, 10)
        gone = (pl.col("nip") == hilang_nip) & (day == str(hilang_d))
        gone |= (
            (pl.col("nip") == pagi_nip)
            & (day == str(pagi_d))
            & (pl.col("waktu").str.slice(11) < "12:00:00")
        )
        write(taps.filter(~gone), exports / f"absensi_{yyyymm(FEB)}.csv")
        out["scenario"]["tap_sehari_hilang"] = (FEB, hilang_nip)
        out["scenario"]["tap_pagi_hilang"] = (FEB, pagi_nip)

        nilai = read(exports / f"kinerja_{yyyymm(FEB)}.csv")
        final = nilai.filter(pl.col("status") == "FINAL")
        single = final.group_by("nip").len().filter(pl.col("len") == 1)["nip"]
        baik = final.filter(
            pl.col("nip").is_in(single.implode())
            & (pl.col("hasil_kerja") == "SESUAI")
            & (pl.col("perilaku") == "SESUAI")
        )["nip"].sort()
        turun, sebut = baik[0], baik[1]
        nilai = nilai.with_columns(
            perilaku=pl.when(pl.col("nip") == turun)
            .then(pl.lit("DI_BAWAH"))
            .otherwise(pl.col("perilaku")),
            predikat=pl.when(pl.col("nip") == turun)
            .then(pl.lit("KURANG"))
            .when(pl.col("nip") == sebut)
            .then(pl.lit("SANGAT_BAIK"))
            .otherwise(pl.col("predikat")),
        )
        write(nilai, exports / f"kinerja_{yyyymm(FEB)}.csv")
        out["scenario"]["predikat_turun"] = (FEB, turun)
        out["scenario"]["predikat_tertulis_saja"] = (FEB, sebut)
        # January's evaluations exported again with CRLF line ends: new bytes, same rows
        name = f"kinerja_{yyyymm(JAN)}.csv"
        (exports / name).write_bytes((sim / name).read_bytes().replace(b"\n", b"\r\n"))

        # January's master corrected in SIMPEG: a class, a department, a late hire, a removal
        master = read(exports / f"pegawai_{yyyymm(JAN)}.csv")
        feb_master = read(exports / f"pegawai_{yyyymm(FEB)}.csv")
        settled = set(feb_master.filter(pl.col("tmt_opd") < "2025-02-01")["nip"])
        settled &= set(master.filter(pl.col("kelas_jabatan").cast(pl.Int64) < 17)["nip"])
        used = {izin[0], ct[0], ditolak[0]}
        kantor_nips = sorted({n for n, _ in kantor if n in settled and n not in used})
        kelas_nip, opd_nip, keluar_nip = (
            kantor_nips[1],
            kantor_nips[-2],
            kantor_nips[len(kantor_nips) // 2],
        )
        opd_now = master.filter(pl.col("nip") == opd_nip)["kode_opd"][0]
        other = master.filter((pl.col("kode_opd") != opd_now) & pl.col("pola_kerja").is_null()).row(
            0, named=True
        )
        baru = {c: None for c in master.columns} | {
            "nip": "199501012020011999",
            "nama": "Yuliana Bano, S.E.",
            "status": "PNS",
            "golongan": "III/a",
            "jenis_jabatan": "PELAKSANA",
            "nama_jabatan": "Analis Keuangan",
            "kelas_jabatan": "7",
            "kode_opd": "4.01.01",
            "nama_opd": "Sekretariat Daerah",
            "tmt_opd": "2020-01-01",
        }
        master = pl.concat(
            [
                master.filter(pl.col("nip") != keluar_nip).with_columns(
                    kelas_jabatan=pl.when(pl.col("nip") == kelas_nip)
                    .then((pl.col("kelas_jabatan").cast(pl.Int64) + 1).cast(pl.String))
                    .otherwise(pl.col("kelas_jabatan")),
                    kode_opd=pl.when(pl.col("nip") == opd_nip)
                    .then(pl.lit(other["kode_opd"]))
                    .otherwise(pl.col("kode_opd")),
                    nama_opd=pl.when(pl.col("nip") == opd_nip)
                    .then(pl.lit(other["nama_opd"]))
                    .otherwise(pl.col("nama_opd")),
                ),
                pl.DataFrame([baru], schema=master.schema),
            ]
        )
        write(master, exports / f"pegawai_{yyyymm(JAN)}.csv")
        out["scenario"]["kelas_naik"] = (JAN, kelas_nip)
        out["scenario"]["opd_dikoreksi"] = (JAN, opd_nip)
        out["scenario"]["pegawai_baru"] = (JAN, baru["nip"])
        out["scenario"]["pegawai_keluar"] = (JAN, keluar_nip)

        copy_month(sim, exports, MAR)
        [malam] = night_of_last_day(sim, FEB)[:1]
        taps = read(exports / f"absensi_{yyyymm(MAR)}.csv")
        pulang = (
            (pl.col("nip") == malam)
            & (pl.col("waktu") < "2025-03-01 11:00:00")
            & (pl.col("jenis").fill_null("") != "MASUK")
        )
        # the nurse's check-out of 28 February's night, 06:05 (55 minutes early: PSW2)
        mesin = taps.filter(pl.col("nip") == malam).row(0, named=True)
        pagi = {**mesin, "waktu": "2025-03-01 06:05:00", "jenis": None, "lat": None, "lon": None}
        taps = pl.concat([taps.filter(~pulang), pl.DataFrame([pagi], schema=taps.schema)])
        write(taps, exports / f"absensi_{yyyymm(MAR)}.csv")
        out["scenario"]["malam_28_feb_pulang_cepat"] = (FEB, malam)
        kinerja(*run)
        observe("C", [JAN, FEB], [MAR])

        # D. again: a no-op, then forced: the open corrections are rebuilt, not added to
        out["noop"] = kinerja(*run)
        observe("D1", [JAN, FEB], [MAR])
        kinerja(*run, "--paksa")
        observe("D2", [JAN, FEB], [MAR])
        lock(MAR)

        # E. March (with the corrections) LOCKED; January's absensi corrected once more and
        # the run asked for January alone: only the new difference, not what February and
        # March paid, and it waits for April (no files yet), the first month not LOCKED
        jan_rows = [r for r in out["D2"]["rows"] if r["periode"] == JAN]
        taken = {nip for _, nip in out["scenario"].values() if isinstance(nip, str)}
        tk_nip, tk_d = next(x for x in clean_days(jan_rows, ("KANTOR",)) if x[0] not in taken)
        taps = read(exports / f"absensi_{yyyymm(JAN)}.csv")
        gone = (pl.col("nip") == tk_nip) & (pl.col("waktu").str.slice(0, 10) == str(tk_d))
        write(taps.filter(~gone), exports / f"absensi_{yyyymm(JAN)}.csv")
        out["scenario"]["tap_januari_hilang"] = (JAN, tk_nip)
        kinerja(*run, "--periode", JAN)
        observe("E", [JAN, FEB, MAR], [])
    return out


STEPS = ("A", "B", "C", "D1", "D2", "E")


def test_open_months_equal_the_oracle(story):
    problems = [
        f"{step} {p}: {line}"
        for step in STEPS
        for p, lines in story[step]["diff"].items()
        for line in lines
    ]
    assert not problems, f"{len(problems)} differences:\n" + "\n".join(problems[:40])


def test_locked_months_keep_their_bytes(story):
    bad = [(step, p) for step in STEPS for p, same in story[step]["frozen"].items() if not same]
    assert not bad, f"LOCKED files changed: {bad}"
    for p, files in story["frozen"].items():  # what was paid is what was published
        assert files["terkunci"] == files[f"tpp_bulanan/{p}.parquet"]


def test_corrections_are_the_oracles_difference_paid_once_in_the_next_open_month(story):
    problems = []
    for step in STEPS:
        seen = story[step]
        locked = set(seen["frozen"])
        for p in seen["expected"]:
            bayar, got = seen["koreksi"][p]
            want = seen["expected"][p]
            later = sorted(q for q in (FEB, MAR, APR) if q > p and q not in locked)
            if got and bayar != {later[0]}:
                problems.append(f"{step} {p}: paid in {bayar}, next open is {later[0]}")
            for k in sorted(set(got) | set(want)):
                if got.get(k) != want.get(k):
                    problems.append(
                        f"{step} {p} {k}: platform {got.get(k)} != oracle {want.get(k)}"
                    )
    assert not problems, f"{len(problems)} differences:\n" + "\n".join(problems[:40])


def test_the_scenarios_change_what_they_should(story):
    """The comparison is only as good as what the story exercises (a check of the test)."""
    sc = {name: nip for name, (_, nip) in story["scenario"].items()}
    first = {k[0] for k in story["B"]["expected"][JAN]}
    assert sc["malam_31_jan_tanpa_pulang"] in first
    assert first <= {sc["malam_31_jan_tanpa_pulang"], *sc["malam_31_jan_lain"]}
    # the nurse's check-out re-sent: what February paid for her is taken back in March
    assert {k[0] for k in story["C"]["expected"][JAN]} == {
        sc["izin_disetujui"],
        sc["ct_atas_tk"],
        sc["malam_31_jan_tanpa_pulang"],
        sc["kelas_naik"],
        sc["opd_dikoreksi"],
        sc["pegawai_baru"],
        sc["pegawai_keluar"],
    }
    moved = {k for k in story["C"]["expected"][JAN] if k[0] == sc["opd_dikoreksi"]}
    assert len(moved) == 2  # taken back from one department, paid by the other
    assert {k[0] for k in story["C"]["expected"][FEB]} == {
        sc["tap_sehari_hilang"],
        sc["tap_pagi_hilang"],
        sc["predikat_turun"],
        sc["malam_28_feb_pulang_cepat"],
    }
    assert "Tidak ada yang baru" in story["noop"]
    assert story["D2"]["expected"] == story["C"]["expected"]
    # March LOCKED with the corrections: January's new difference only, to April
    assert {k[0] for k in story["E"]["expected"][JAN]} == {sc["tap_januari_hilang"]}
    assert not story["E"]["expected"][FEB] and not story["E"]["expected"][MAR]
    assert set(story["E"]["koreksi_table"]["periode_bayar"]) == {FEB, MAR, APR}


def test_a_night_shift_correction_names_the_file_that_brought_the_check_out(story):
    """jadwal.md §4: "When M+1's file arrives, M is computed again; if M is LOCKED by then, the
    difference is a correction row in the next open period, as for any correction." Any other
    correction's ``alasan`` names the file it came from (test_publish_koreksi): February's
    night shift of the 28th, locked, gets its early check-out (06:05) from March's file, and the
    reason names that file (it named February's files, which did not change)."""
    sc = story["scenario"]
    koreksi = story["C"]["koreksi_table"]
    nip = sc["malam_28_feb_pulang_cepat"][1]
    mine = koreksi.filter((pl.col("nip") == nip) & (pl.col("periode_asal") == FEB))
    assert mine.height and "absensi_202503.csv" in " ".join(mine["alasan"]), mine["alasan"]


def test_a_missing_night_shift_check_out_names_the_next_months_file(story):
    """31 January's night shift, locked while February's file was not loaded (no PSW yet);
    February's file arrives without the nurse's check-out: PSW4, a correction in February whose
    reason should name absensi_202502.csv (the file that settled it)."""
    sc = story["scenario"]
    koreksi = story["B"]["koreksi_table"]
    nip = sc["malam_31_jan_tanpa_pulang"][1]
    mine = koreksi.filter((pl.col("nip") == nip) & (pl.col("periode_asal") == JAN))
    assert mine.height and "absensi_202502.csv" in " ".join(mine["alasan"]), mine["alasan"]
