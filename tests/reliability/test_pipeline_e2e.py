"""End to end over one month that mixes a valid simulated population with corpus rows and
generated edge-case days (``month.py``): one ``kinerja run`` (step 1 of the scenario).

- every valid employee is in ``tpp_bulanan``; no employee whose master row was quarantined is;
- every bad row is in the published ``karantina`` with file, line, column, code and value, and
  no quarantined line is used by any TPP or day row;
- ``tpp_harian`` agrees, day by day, with the independent reference classifier of tpp-rules §2
  (``reference_classifier.py``) for every employee-day of the month.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from pathlib import Path

import polars as pl
import pytest

from orchestration.core.contract import format_nip
from orchestration.core.paths import DataDir
from orchestration.file_registry import current_files
from orchestration.ingest import ingest_all

from . import reference_classifier as ref
from .month import PERIODE, Plan, build_month, file_name


def test_the_month_ingests_as_planned(tmp_path):
    """Cheap check of the scenario's input (no pipeline): each bad row quarantined as planned."""
    plan = build_month(tmp_path / "ekspor")
    data = DataDir(tmp_path / "data")
    results = {r.kind: r for r in ingest_all(data, tmp_path / "ekspor")}
    assert {k: r.action for k, r in results.items()} == dict.fromkeys(results, "loaded")
    got = set()
    for kind in results:
        q = pl.read_parquet(data.quarantine_file(kind, PERIODE))
        got |= {
            (kind, r["source_file"], r["line_no"], r["kode_alasan"], r["kolom"])
            for r in q.iter_rows(named=True)
        }
    assert got == {k[:5] for k in plan.karantina}
    assert len(plan.klasifikasi) * len(ref.working_days(PERIODE)) >= 300


@pytest.fixture(scope="module")
def published(scenario) -> dict[str, pl.DataFrame]:
    step = scenario["steps"].get("run")
    assert step is not None, scenario["errors"]
    assert step["rc"] == 0, step["stderr_tail"]
    folder = Path(scenario["base"]) / "referensi"
    return {
        table: pl.read_parquet(folder / table / f"{PERIODE}.parquet")
        for table in ("tpp_bulanan", "tpp_harian", "karantina", "temuan")
    }


@pytest.fixture(scope="module")
def data(scenario) -> DataDir:
    return DataDir(Path(scenario["data"]))


def test_every_valid_employee_is_paid_and_no_one_else(published, plan: Plan):
    paid = set(published["tpp_bulanan"]["nip"])
    assert set(plan.expected_nips) - paid == set(), "valid employees missing from tpp_bulanan"
    assert paid - set(plan.expected_nips) == set()


def test_quarantined_master_rows_never_reach_tpp(published, plan: Plan):
    assert set(plan.ghosts) & set(published["tpp_bulanan"]["nip"]) == set()
    assert set(plan.ghosts) & set(published["tpp_harian"]["nip"]) == set()
    found = published["temuan"].filter(pl.col("kode") == "PEGAWAI_DIKARANTINA")
    lines = {k[2] for k in plan.karantina if k[0] == "pegawai"}
    assert set(found["line_no"]) == lines
    # whose row it was, although another column failed (golongan, an Excel date, kelas 18):
    # HR sees who is not paid; the ragged row's columns may be shifted, so it names no one
    named = set(found["nip"].drop_nulls())
    assert set(plan.ghosts[:3]) <= named and plan.ghosts[3] not in named
    karantina = published["karantina"].filter(pl.col("kind") == "pegawai")
    assert set(plan.ghosts[:3]) <= set(karantina["nip"].drop_nulls())


def test_every_bad_row_is_published_in_karantina_with_file_line_and_value(published, plan: Plan):
    karantina = published["karantina"]
    index = {
        (r["kind"], r["source_file"], r["line_no"]): r for r in karantina.iter_rows(named=True)
    }
    for kind, source, line, kode, kolom, sebut in plan.karantina:
        r = index.get((kind, source, line))
        assert r is not None, (kind, source, line, kode)
        assert (r["kode_alasan"], r["kolom"]) == (kode, kolom)
        assert sebut in r["alasan"], (sebut, r["alasan"])
    for kind, source, line in plan.referensial:  # taps etc. of NIPs not in the master
        r = index.get((kind, source, line))
        assert r is not None and r["kode_alasan"] == "NIP_TIDAK_DIKENAL", (kind, line, r)
        assert format_nip(r["nilai"]) in r["alasan"]


def test_no_quarantined_line_is_used_by_any_tpp_row(published, plan: Plan):
    bad: dict[str, set[int]] = defaultdict(set)
    for kind, _source, line, *_ in plan.karantina:
        bad[kind].add(line)
    for kind, _source, line in plan.referensial:
        bad[kind].add(line)
    harian, bulanan = published["tpp_harian"], published["tpp_bulanan"]
    absensi = harian.filter(pl.col("sumber_absensi") == file_name("absensi"))
    used = set(absensi["baris_datang"].drop_nulls()) | set(absensi["baris_pulang"].drop_nulls())
    assert used & bad["absensi"] == set()
    assert set(harian["baris_ketidakhadiran"].drop_nulls()) & bad["ketidakhadiran"] == set()
    assert set(bulanan["baris_kinerja"].drop_nulls()) & bad["kinerja"] == set()
    assert set(bulanan["baris_pegawai"].drop_nulls()) & bad["pegawai"] == set()


def test_valid_rows_are_all_kept(data: DataDir, plan: Plan):
    files = {r["kind"]: r for r in current_files(data).iter_rows(named=True)}
    for kind, written in plan.rows_written.items():
        f = files[kind]
        planned = sum(1 for k in plan.karantina if k[0] == kind)
        assert f["file_name"] == file_name(kind)
        assert f["n_quarantined"] == planned, kind
        assert f["n_loaded"] + f["n_duplicates"] + f["n_quarantined"] == written, kind
        assert f["n_loaded"] == pl.read_parquet(data.raw_file(kind, PERIODE)).height


def test_windows_1252_name_and_evaluations(published, plan: Plan):
    tpp = {r["nip"]: r for r in published["tpp_bulanan"].iter_rows(named=True)}
    for nip, nama in plan.nama.items():
        assert tpp[nip]["nama"] == nama
    for nip, predikat in plan.predikat.items():
        row = tpp[nip]
        if predikat is None:  # only quarantined or DRAFT evaluations: no FINAL one
            assert row["tanpa_penilaian"] and row["persen_kinerja"] == 0, row
        else:
            assert row["predikat"] == predikat and not row["tanpa_penilaian"], row
    v3 = plan.klasifikasi[2]  # two FINAL evaluations: the later one counts, and a WARN
    ganda = published["temuan"].filter(pl.col("kode") == "PENILAIAN_FINAL_GANDA")
    assert v3 in set(ganda["nip"]) and tpp[v3]["persen_kinerja"] == 25


# --- the day classifier -------------------------------------------------------------------------
@pytest.fixture(scope="module")
def comparison(published, data: DataDir, plan: Plan):
    """Every tpp_harian row next to the reference classification of the same employee-day,
    computed from the taps and absences that were loaded (the raw zone dbt read)."""
    taps: dict[str, list[ref.Tap]] = defaultdict(list)
    for r in pl.read_parquet(data.raw_file("absensi", PERIODE)).iter_rows(named=True):
        taps[r["nip"]].append(ref.Tap(r["waktu"], r["jenis"]))
    absences: dict[str, list[ref.Absen]] = defaultdict(list)
    for r in pl.read_parquet(data.raw_file("ketidakhadiran", PERIODE)).iter_rows(named=True):
        absences[r["nip"]].append(ref.Absen(r["kode"], r["mulai"], r["selesai"], r["status"]))
    rows = []
    for r in published["tpp_harian"].iter_rows(named=True):
        expected = ref.classify(r["tanggal"], taps[r["nip"]], absences[r["nip"]])
        got = ref.Hari(
            r["kode_hari"],
            r["kode_datang"],
            r["kode_pulang"],
            r["menit_terlambat"],
            r["menit_pulang_cepat"],
        )
        rows.append((r, expected, got))
    return rows, taps, absences


def _example(r, taps, absences) -> str:
    day = r["tanggal"]
    on_day = sorted(
        (t.waktu.strftime("%H:%M:%S"), t.jenis) for t in taps[r["nip"]] if t.waktu.date() == day
    )
    covering = [a for a in absences[r["nip"]] if a.mulai <= day <= a.selesai]
    return f"{r['nip']} {day} ({day:%a}) taps={on_day} absen={covering}"


def test_day_classifier_agrees_with_the_reference(comparison, plan: Plan):
    rows, taps, absences = comparison
    wrong = [
        f"{_example(r, taps, absences)}: dbt {got.as_tuple()} != reference {exp.as_tuple()}"
        for r, exp, got in rows
        if got != exp
    ]
    klasifikasi = set(plan.klasifikasi)
    compared = sum(1 for r, *_ in rows if r["nip"] in klasifikasi)
    assert compared >= 300
    assert not wrong, f"{len(wrong)} of {len(rows)} days disagree:\n" + "\n".join(wrong[:15])


def test_generated_employees_have_every_working_day_and_only_those(published, plan: Plan):
    harian = published["tpp_harian"].filter(pl.col("nip").is_in(plan.klasifikasi))
    days = harian.group_by("nip").agg(pl.col("tanggal").sort())
    expected = ref.working_days(PERIODE)
    for nip, tanggal in days.iter_rows():
        assert tanggal == expected, nip
    assert days.height == len(plan.klasifikasi)


def test_generated_taps_reached_the_raw_zone_unchanged(comparison, plan: Plan):
    _rows, taps, _absences = comparison
    for nip, generated in plan.generated_taps.items():
        loaded = {(t.waktu.strftime("%Y-%m-%d %H:%M:%S"), t.jenis) for t in taps[nip]}
        assert loaded == {(w, j) for w, j in generated}, nip


def test_overlapping_absences_are_counted_and_reported(comparison, published, plan: Plan):
    rows, _taps, absences = comparison
    klasifikasi = set(plan.klasifikasi)
    overlap = set()
    for r, *_ in rows:
        if r["nip"] not in klasifikasi:
            continue
        day = r["tanggal"]
        approved = [
            a for a in absences[r["nip"]] if a.status == "DISETUJUI" and a.mulai <= day <= a.selesai
        ]
        assert r["jumlah_absen"] == len(approved), (r["nip"], day)
        if len(approved) > 1:
            overlap.add(r["nip"])
    warned = set(published["temuan"].filter(pl.col("kode") == "ABSEN_TUMPANG_TINDIH")["nip"])
    assert overlap <= warned
    assert overlap, "the generated days should contain overlapping approved absences"


def test_reference_classifier_on_the_worked_edges():
    """tpp-rules §2 examples: 07:30:59 on time, 08:00:59 is 30 late, 08:01:00 is 31."""
    day = dt.date(2026, 2, 2)  # a Monday outside Ramadan: 07:30-16:00

    def at(hms: str, jenis=None):
        return ref.Tap(dt.datetime.combine(day, dt.time.fromisoformat(hms)), jenis)

    assert ref.classify(day, [at("07:30:59"), at("16:00:00")], []).as_tuple() == (
        "HADIR",
        None,
        None,
        0,
        0,
    )
    assert ref.classify(day, [at("08:00:59")], []).as_tuple() == ("HADIR", "TL1", "PSW4", 30, None)
    assert ref.classify(day, [at("08:01:00"), at("12:00:00")], []).kode_datang == "TL2"
    assert ref.classify(day, [at("13:00:00", "MASUK")], []).kode_datang == "TL4"
    assert (
        ref.classify(day, [], [ref.Absen("DL", day, day), ref.Absen("CS", day, day)]).kode_hari
        == "CS"
    )
    assert ref.classify(day, [], []).kode_hari == "TK"


# The hand-written edge days (month.EDGE_DAYS), checked by hand against tpp-rules §2, not by the
# reference implementation: (kode_hari, kode_datang, kode_pulang, late, early) per date.
EDGE_EXPECTED = {
    "2026-02-02": ("HADIR", None, None, 0, 0),  # 07:30:59 is on time
    "2026-02-03": ("HADIR", "TL1", "PSW4", 30, None),  # 08:00:59 is 30 late; no check-out
    "2026-02-04": ("HADIR", "TL2", None, 31, 0),  # 08:01:00 is 31; 59 s early is 0 minutes
    "2026-02-05": ("HADIR", "TL4", "PSW4", 269, None),  # 11:59:59 without jenis: an arrival
    "2026-02-06": ("HADIR", "TL4", "PSW4", None, 270),  # 12:00:00 without jenis: a departure
    "2026-02-09": ("HADIR", "TL4", "PSW4", 269, 240),
    "2026-02-10": ("HADIR", "TL4", "PSW4", 330, 420),  # MASUK 13:00 and PULANG 09:00
    "2026-02-11": ("HADIR", None, None, 0, 0),  # a repeated tap
    "2026-02-12": ("HADIR", "TL3", "PSW3", 90, 90),  # earliest arrival, latest departure
    "2026-02-13": ("HADIR", "TL4", None, None, 0),  # Friday ends 16:30
    "2026-02-18": ("HADIR", "TL1", None, 1, 0),
    "2026-02-19": ("HADIR", None, None, 0, 0),  # Ramadan 08:00-15:00
    "2026-02-20": ("HADIR", "TL1", "PSW1", 30, 1),  # Ramadan Friday ends 15:30
    "2026-02-23": ("HADIR", "TL4", "PSW3", 91, 90),
    "2026-02-24": ("HADIR", "TL3", "PSW4", 90, None),
    "2026-02-25": ("TK", None, None, None, None),
    "2026-02-26": ("TK", None, None, None, None),
    "2026-02-27": ("TK", None, None, None, None),
}  # weekend 14th and holiday 17th taps: no day row


def test_hand_checked_edge_days(published, plan: Plan):
    nip = plan.klasifikasi[5]
    rows = published["tpp_harian"].filter(pl.col("nip") == nip).sort("tanggal")
    got = {
        r["tanggal"].isoformat(): (
            r["kode_hari"],
            r["kode_datang"],
            r["kode_pulang"],
            r["menit_terlambat"],
            r["menit_pulang_cepat"],
        )
        for r in rows.iter_rows(named=True)
    }
    assert got == EDGE_EXPECTED
