"""The source simulator: determinism, the export contract, realism and its ground truth."""

from __future__ import annotations

import csv
import importlib.util
import json
import re
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from orchestration.core.contract import FILE_NAME, KINDS, PREDIKAT_MATRIX, SCHEMAS, parse_file_name
from orchestration.core.paths import SEEDS_DIR
from orchestration.tools.simulator import (
    WRITTEN_KINDS,
    SimulationResult,
    people,
    reference,
    simulate,
)
from orchestration.tools.simulator import defects as dfx
from orchestration.tools.simulator import organisation as org
from orchestration.tools.simulator.anomalies import JENIS_ANOMALI, km_between
from orchestration.tools.simulator.evaluations import KODE_SEKDA, NIP_PENILAI_SEKDA
from orchestration.tools.simulator.kalender import Calendar

ARGS = dict(pegawai=600, opd=12, mulai="2025-02", sampai="2025-04", seed=11, progress=False)
MONTHS = ["2025-02", "2025-03", "2025-04"]
KOTOR = 0.02
KELAS_BAND = {
    "JPT": (14, 17),
    "ADMINISTRATOR": (12, 13),
    "PENGAWAS": (9, 11),
    "FUNGSIONAL": (6, 12),
    "PELAKSANA": (1, 7),
}


@pytest.fixture(scope="module")
def clean(tmp_path_factory) -> tuple[Path, SimulationResult]:
    out = tmp_path_factory.mktemp("bersih")
    return out, simulate(out, **ARGS)


@pytest.fixture(scope="module")
def dirty(tmp_path_factory) -> tuple[Path, SimulationResult]:
    out = tmp_path_factory.mktemp("kotor")
    return out, simulate(out, **{**ARGS, "kotor": KOTOR})


def read(out: Path, kind: str, periode: str) -> pl.DataFrame:
    return pl.read_csv(out / f"{kind}_{periode.replace('-', '')}.csv", infer_schema=False)


def nip_ok(nip: str) -> bool:
    if not re.fullmatch(r"[0-9]{18}", nip) or nip[14] not in "12":
        return False
    try:
        datetime.strptime(nip[:8], "%Y%m%d")
        datetime.strptime(nip[8:14] + "01", "%Y%m%d")
    except ValueError:
        return False
    return True


def month_bounds(periode: str) -> tuple[date, date]:
    first = date.fromisoformat(periode + "-01")
    nxt = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return first, nxt - timedelta(days=1)


# --- determinism ---------------------------------------------------------------------------------
def _tree(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def test_same_seed_same_bytes_other_seed_other_data(tmp_path):
    small = dict(
        pegawai=150, opd=5, mulai="2025-03", sampai="2025-04", kotor=0.02, xlsx=True, progress=False
    )
    a = _tree((tmp_path / "a", simulate(tmp_path / "a", seed=5, **small))[0])
    b = _tree((tmp_path / "b", simulate(tmp_path / "b", seed=5, **small))[0])
    c = _tree((tmp_path / "c", simulate(tmp_path / "c", seed=6, **small))[0])
    assert a == b
    assert a.keys() == c.keys()
    for name in ("absensi_202503.csv", "pegawai_202503.xlsx", "_groundtruth/cacat.csv"):
        assert a[name] != c[name], name


def test_defects_and_xlsx_leave_the_clean_data_alone(clean, dirty, tmp_path):
    """Streams are independent: kotor only adds what cacat.csv lists, xlsx only changes format."""
    (out, _), (kout, _) = clean, dirty
    cacat = pl.read_csv(kout / "_groundtruth" / "cacat.csv", infer_schema=False)
    for periode in MONTHS:
        for kind in WRITTEN_KINDS:
            name = f"{kind}_{periode.replace('-', '')}.csv"
            marked = cacat.filter(pl.col("file") == name)
            inserted = {
                int(x) for x in marked.filter(pl.col("jenis_cacat").is_in(dfx.SISIPAN))["line"]
            }
            changed = {int(x) for x in marked["line"]} - inserted - {1}
            good = (out / name).read_text(encoding="utf-8").split("\n")
            bad = (kout / name).read_text(encoding="utf-8-sig").split("\n")
            kept = [line for no, line in enumerate(bad, start=1) if no not in inserted]
            assert len(kept) == len(good), name
            diff = {no for no, (x, y) in enumerate(zip(good, kept, strict=True), start=1) if x != y}
            renumbered = {no - sum(i < no for i in inserted) for no in changed}
            assert diff == renumbered, name
    simulate(tmp_path, **{**ARGS, "xlsx": True})
    for name in ("absensi_202503.csv", "ketidakhadiran_202504.csv", "aktivitas_202502.csv"):
        assert (out / name).read_bytes() == (tmp_path / name).read_bytes()


# --- the contract ----------------------------------------------------------------------------------
def test_files_names_headers_encoding(clean):
    out, result = clean
    names = sorted(p.name for p in out.iterdir() if p.is_file())
    assert names == sorted(f"{k}_{m.replace('-', '')}.csv" for k in WRITTEN_KINDS for m in MONTHS)
    assert [p.name for p in result.files] == [
        f"{k}_{m.replace('-', '')}.csv" for m in MONTHS for k in WRITTEN_KINDS
    ]
    assert WRITTEN_KINDS == KINDS  # the roster too: RSUD and Satpol PP are among the 12 OPD
    for p in result.files:
        assert FILE_NAME.match(p.name) and parse_file_name(p.name)[0] in KINDS
        raw = p.read_bytes()
        assert not raw.startswith(b"\xef\xbb\xbf") and b"\r" not in raw and raw.endswith(b"\n")
        header = raw.decode("utf-8").split("\n", 1)[0].split(",")
        assert header == [c.name for c in SCHEMAS[parse_file_name(p.name)[0]]]
        assert result.rows[p.name] == raw.count(b"\n") - 1 > 0
    for p in (out / "_groundtruth").iterdir():
        assert parse_file_name(p.name) is None
    summary = json.loads((out / "_groundtruth" / "ringkasan.json").read_text())
    assert summary["parameter"]["seed"] == 11 and summary["baris"] == result.rows
    assert set(summary["jenis_cacat"]) == set(dfx.JENIS_CACAT)


def test_nips_valid_unique_and_known(clean):
    out, _ = clean
    for periode in MONTHS:
        peg = read(out, "pegawai", periode)
        assert peg.height == peg["nip"].n_unique()
        assert all(nip_ok(n) for n in peg["nip"])
        master = set(peg["nip"])
        for kind in ("absensi", "ketidakhadiran", "kinerja", "aktivitas", "jadwal"):
            assert set(read(out, kind, periode)["nip"]) <= master, (kind, periode)
        penilai = set(read(out, "kinerja", periode)["nip_penilai"])
        assert penilai - master == {NIP_PENILAI_SEKDA}
    assert read(out, "pegawai", MONTHS[0]).height == ARGS["pegawai"]


def test_nip_encodes_birth_hire_and_sex():
    cal = Calendar.load()
    months = cal.months("2025-01", "2025-06")
    wf = people.build(org.DEPARTMENTS, months, 3000, seed=3)
    nip = wf.nip.astype(str)
    assert len(set(nip)) == len(nip)
    lahir = np.array([n[:8] for n in nip])
    assert (lahir == pl.Series(wf.lahir).dt.strftime("%Y%m%d").to_numpy()).all()
    assert (
        np.array([n[8:14] for n in nip])
        == pl.Series(wf.tmt_cpns.astype("datetime64[D]")).dt.strftime("%Y%m").to_numpy()
    ).all()
    assert (np.array([n[14] for n in nip]) == np.where(wf.pria, "1", "2")).all()
    umur = (months[0].first - wf.lahir).astype(int) / 365.25
    assert umur.min() >= 20 and umur[wf.rekrut < 0].max() < 58
    assert ((wf.tmt_cpns.astype("datetime64[D]") - wf.lahir).astype(int) / 365.25 >= 18).all()
    assert (np.array([int(n[15:]) for n in nip]) < 900).all()  # 9xx is kept for unknown NIPs


def test_every_row_belongs_to_its_month(clean):
    out, _ = clean
    for periode in MONTHS:
        first, last = month_bounds(periode)
        waktu = read(out, "absensi", periode)["waktu"].str.to_datetime(
            "%Y-%m-%d %H:%M:%S", strict=True
        )
        assert waktu.dt.date().min() >= first and waktu.dt.date().max() <= last
        for kind in ("aktivitas", "jadwal"):
            tgl = read(out, kind, periode)["tanggal"].str.to_date("%Y-%m-%d", strict=True)
            assert tgl.min() >= first and tgl.max() <= last
        ab = read(out, "ketidakhadiran", periode).with_columns(
            pl.col("mulai", "selesai").str.to_date()
        )
        assert ab.filter(
            (pl.col("mulai") > last)
            | (pl.col("selesai") < first)
            | (pl.col("selesai") < pl.col("mulai"))
        ).is_empty()
        assert set(read(out, "kinerja", periode)["periode"]) == {periode}


def test_values_follow_the_contract(clean):
    out, _ = clean
    for periode in MONTHS:
        for kind in WRITTEN_KINDS:
            frame = read(out, kind, periode)
            for col in SCHEMAS[kind]:
                s = frame[col.name]
                assert col.nullable or s.null_count() == 0, (kind, col.name)
                s = s.drop_nulls()
                if col.kind == "enum":
                    assert set(s) <= set(col.values), (kind, col.name, set(s) - set(col.values))
                elif col.kind == "int":
                    assert s.cast(pl.Int64).is_between(col.min, col.max).all(), (kind, col.name)
                elif col.kind == "date":
                    s.str.to_date("%Y-%m-%d", strict=True)
                elif col.kind == "decimal":
                    assert s.cast(pl.Float64).is_between(col.min, col.max).all()


def test_posts_classes_ranks_and_heads(clean):
    out, _ = clean
    kode = [d.kode for d in org.departments(ARGS["opd"])]
    for periode in MONTHS:
        peg = read(out, "pegawai", periode).with_columns(pl.col("kelas_jabatan").cast(pl.Int64))
        for jenis, (lo, hi) in KELAS_BAND.items():
            assert (
                peg.filter(pl.col("jenis_jabatan") == jenis)["kelas_jabatan"]
                .is_between(lo, hi)
                .all()
            ), jenis
        pppk = peg.filter(pl.col("status") == "PPPK")
        assert set(pppk["jenis_jabatan"]) <= {"FUNGSIONAL", "PELAKSANA"}
        assert not any("/" in g for g in pppk["golongan"])
        assert all("/" in g for g in peg.filter(pl.col("status") != "PPPK")["golongan"])
        heads = peg.filter(pl.col("jenis_jabatan") == "JPT")
        assert sorted(heads["kode_opd"]) == sorted(kode)  # one head per department
        assert heads.filter(pl.col("kode_opd") == KODE_SEKDA)["nama_jabatan"].to_list() == [
            "Sekretaris Daerah"
        ]
        assert set(peg["kode_opd"]) == set(kode)
        sizes = peg.group_by("kode_opd").len().sort("len")
        assert sizes["kode_opd"][-1] == "1.01.01"  # education dwarfs everything
        assert peg["tmt_opd"].null_count() == 0


def test_status_mix_and_department_skew():
    months = Calendar.load().months("2025-01", "2025-01")
    wf = people.build(org.DEPARTMENTS, months, 15794, seed=42)
    snap = wf.snapshot(0)
    share = snap["status"].value_counts(normalize=True)
    share = dict(zip(share["status"], share["proportion"], strict=True))
    assert 0.65 < share["PNS"] < 0.76 and 0.2 < share["PPPK"] < 0.3 and 0.02 < share["CPNS"] < 0.08
    sizes = snap.group_by("kode_opd").len()
    sizes = dict(zip(sizes["kode_opd"], sizes["len"], strict=True))
    assert sizes["1.01.01"] > 0.45 * snap.height and sizes["1.02.02"] > 1000
    assert min(sizes.values()) < 80
    cpns = snap.filter(pl.col("status") == "CPNS")["nip"].str.slice(8, 6)
    assert cpns.min() >= "202401"  # CPNS: TMT within the last year


def test_transfers_hires_and_leavers_are_consistent(clean):
    out, _ = clean
    summary = json.loads((out / "_groundtruth" / "ringkasan.json").read_text())
    assert summary["kejadian"]["pindah_opd"] > 0 and summary["kejadian"]["rekrutmen"] > 0
    assert summary["kejadian"]["pensiun"] + summary["kejadian"]["berhenti"] > 0
    seen_transfer = seen_hire = seen_leaver = 0
    for prev_p, cur_p in zip(MONTHS, MONTHS[1:], strict=False):
        first, last = month_bounds(cur_p)
        pf, pl_ = month_bounds(prev_p)
        prev = read(out, "pegawai", prev_p).with_columns(
            pl.col("tmt_opd", "aktif_sampai").str.to_date()
        )
        cur = read(out, "pegawai", cur_p).with_columns(
            pl.col("tmt_opd", "aktif_sampai").str.to_date()
        )
        both = cur.join(prev, on="nip", suffix="_prev")
        moved = both.filter(pl.col("kode_opd") != pl.col("kode_opd_prev"))
        assert moved["tmt_opd"].is_between(first, last).all()
        changed = both.filter(pl.col("tmt_opd") != pl.col("tmt_opd_prev"))
        assert changed["tmt_opd"].is_between(first, last).all()
        assert both.filter(
            pl.col("aktif_sampai_prev").is_not_null()
        ).is_empty()  # gone after leaving
        new = cur.join(prev, on="nip", how="anti")
        assert new["tmt_opd"].is_between(first, last).all()
        gone = prev.join(cur, on="nip", how="anti")
        assert gone["aktif_sampai"].is_between(pf, pl_).all()
        seen_transfer += moved.height
        seen_hire += new.height
        seen_leaver += gone.height
        assert cur["aktif_sampai"].drop_nulls().is_between(first, last).all()
    assert seen_transfer and seen_hire and seen_leaver


def test_evaluations_follow_matrix_and_hierarchy(clean):
    out, _ = clean
    for periode in MONTHS:
        kin = read(out, "kinerja", periode)
        peg = read(out, "pegawai", periode)
        assert kin["nip"].n_unique() == kin.height
        final = kin.filter(pl.col("status") == "FINAL")
        assert 0.88 < final.height / peg.height < 0.98
        filled = kin.filter(pl.col("predikat").is_not_null())
        assert 0.9 < filled.height / kin.height < 1.0
        for h, p, pred in filled.select("hasil_kerja", "perilaku", "predikat").iter_rows():
            assert PREDIKAT_MATRIX[(h, p)] == pred
        opd = dict(zip(peg["nip"], peg["kode_opd"], strict=True))
        jenis = dict(zip(peg["nip"], peg["jenis_jabatan"], strict=True))
        for n, penilai in kin.select("nip", "nip_penilai").iter_rows():
            assert n != penilai
            if jenis[n] == "JPT":
                assert (
                    penilai == NIP_PENILAI_SEKDA
                    if opd[n] == KODE_SEKDA
                    else opd[penilai] == KODE_SEKDA
                )
            else:
                assert opd[penilai] == opd[n] and jenis[penilai] != "PELAKSANA"
        first, last = month_bounds(periode)
        tgl = kin["tanggal_penilaian"].str.to_date()
        assert tgl.is_between(last - timedelta(days=5), last + timedelta(days=12)).all()


def test_attendance_follows_working_hours_and_calendar(clean):
    """The office week of the KANTOR staff (the master leaves their pola_kerja empty); teachers
    and shift staff have their own tests below."""
    out, _ = clean
    cal = Calendar.load()
    kantor = pl.concat(
        [read(out, "pegawai", p).filter(pl.col("pola_kerja").is_null()) for p in MONTHS]
    )["nip"].unique()
    taps = pl.concat([read(out, "absensi", p) for p in MONTHS]).with_columns(
        pl.col("waktu").str.to_datetime()
    )
    assert set(taps["metode"]) == {"FINGER", "WAJAH", "MOBILE"}
    taps = taps.filter(pl.col("nip").is_in(kantor.implode()))
    taps = taps.with_columns(
        tgl=pl.col("waktu").dt.date(),
        menit=pl.col("waktu").dt.hour().cast(pl.Int32) * 60 + pl.col("waktu").dt.minute(),
    )
    days = np.array(sorted(set(taps["tgl"])), dtype="datetime64[D]")
    kerja = dict(zip(days.astype(str), cal.is_working(days), strict=True))
    ramadan = dict(zip(days.astype(str), cal.is_ramadan(days), strict=True))
    taps = taps.with_columns(
        kerja=pl.col("tgl").cast(pl.String).replace_strict(kerja),
        ramadan=pl.col("tgl").cast(pl.String).replace_strict(ramadan),
    )
    per_day = taps.group_by("tgl", "kerja").len()
    assert (
        per_day.filter(~pl.col("kerja"))["len"].max()
        < 0.2 * per_day.filter(pl.col("kerja"))["len"].median()
    )
    arrivals = taps.filter(
        pl.col("kerja") & (pl.col("menit") < 12 * 60) & pl.col("jenis").ne_missing("PULANG")
    )
    normal = arrivals.filter(~pl.col("ramadan"))["menit"].median()
    puasa = arrivals.filter(pl.col("ramadan"))["menit"].median()
    assert 7 * 60 <= normal < 7 * 60 + 30 and puasa - normal >= 15  # Ramadan starts at 08:00
    mobile = taps.filter(pl.col("metode") == "MOBILE")
    assert (
        mobile["lat"].null_count() == 0
        and taps.filter(pl.col("metode") != "MOBILE")["lat"].null_count()
        == taps.filter(pl.col("metode") != "MOBILE").height
    )
    finger = taps.filter(pl.col("metode") == "FINGER")
    assert finger["jenis"].null_count() / finger.height > 0.3  # often empty on fingerprint devices
    assert taps.filter(pl.col("metode") != "FINGER")["jenis"].null_count() == 0
    assert taps.is_duplicated().any()  # devices re-send now and then


def test_absences_are_plausible(clean):
    out, _ = clean
    ab = pl.concat([read(out, "ketidakhadiran", p) for p in MONTHS]).unique()
    assert {"CT", "CS", "DL", "IZIN"} <= set(ab["kode"])
    assert set(ab["status"]) == {"DISETUJUI", "DITOLAK", "DIAJUKAN"}
    assert (ab["status"] == "DISETUJUI").mean() > 0.8
    assert ab.filter(pl.col("kode") == "CM")["nip"].str.slice(14, 1).to_list() in (
        [],
        ["2"] * ab.filter(pl.col("kode") == "CM").height,
    )
    assert (
        ab["nomor_surat"].drop_nulls().str.contains(r"^\d{3}(\.\d+)*/\d+/[A-Z0-9-]+/\d{4}$").all()
    )
    # on approved leave days people (almost) never tap
    taps = read(out, "absensi", "2025-03").with_columns(
        tgl=pl.col("waktu").str.slice(0, 10).str.to_date()
    )
    leave = (
        read(out, "ketidakhadiran", "2025-03")
        .filter(pl.col("status") == "DISETUJUI", pl.col("kode").is_in(["CT", "CS", "CM", "TB"]))
        .with_columns(
            tgl=pl.date_ranges(pl.col("mulai").str.to_date(), pl.col("selesai").str.to_date())
        )
        .explode("tgl")
    )
    with_taps = leave.join(taps.select("nip", "tgl").unique(), on=["nip", "tgl"], how="semi")
    assert leave.height > 20 and with_taps.height / leave.height < 0.1


def test_activity_log(clean):
    out, _ = clean
    akt = read(out, "aktivitas", "2025-03").with_columns(pl.col("durasi_menit").cast(pl.Int64))
    assert akt["durasi_menit"].is_between(15, 480).all()
    assert (akt["status"] == "DISETUJUI").mean() > 0.75
    per_day = akt.group_by("nip", "tanggal").agg(
        pl.len(), pl.col("durasi_menit").sum(), pl.col("uraian").n_unique()
    )
    assert per_day["len"].min() >= 2 and (per_day["len"] == per_day["uraian"]).all()
    assert 0.03 < akt["nip"].n_unique() / read(out, "pegawai", "2025-03").height < 0.3


def test_opd_subset_and_parameter_errors(tmp_path):
    with pytest.raises(ValueError):
        simulate(tmp_path, pegawai=100, opd=40, progress=False)
    with pytest.raises(ValueError):
        simulate(tmp_path, pegawai=100, opd=5, mulai="2025-05", sampai="2025-04", progress=False)
    with pytest.raises(ValueError):
        simulate(tmp_path, pegawai=100, opd=5, kotor=0.9, progress=False)
    with pytest.raises(ValueError):
        simulate(tmp_path, pegawai=10, opd=5, progress=False)
    assert not list(tmp_path.iterdir())


def test_progress_bar_goes_to_stderr(tmp_path, capsys):
    simulate(tmp_path, pegawai=60, opd=3, mulai="2025-01", sampai="2025-01", progress=True)
    captured = capsys.readouterr()
    assert "simulasi" in captured.err and captured.out == ""


# --- XLSX --------------------------------------------------------------------------------------------
def test_xlsx_variant(tmp_path):
    simulate(tmp_path, **{**ARGS, "mulai": "2025-03", "sampai": "2025-03", "xlsx": True})
    assert (
        not (tmp_path / "pegawai_202503.csv").exists()
        and not (tmp_path / "kinerja_202503.csv").exists()
    )
    for kind in ("pegawai", "kinerja"):
        path = tmp_path / f"{kind}_202503.xlsx"
        assert parse_file_name(path.name) == (kind, "2025-03", "xlsx")
        title = pl.read_excel(path, has_header=False, read_options={"n_rows": 1})
        assert "NUSA TENGGARA TIMUR" in title.item(0, 0)
        frame = pl.read_excel(path, read_options={"header_row": 3})
        assert frame.columns == [c.name for c in SCHEMAS[kind]]
        assert frame.schema["nip"] == pl.String and frame["nip"].str.contains(r"^[0-9]{18}$").all()
    # the contract content is the same as the CSV of an identical run
    simulate(tmp_path / "csv", **{**ARGS, "mulai": "2025-03", "sampai": "2025-03"})
    for kind in ("pegawai", "kinerja"):
        xl = pl.read_excel(tmp_path / f"{kind}_202503.xlsx", read_options={"header_row": 3})
        xl = xl.select(pl.all().cast(pl.String))
        cs = read(tmp_path / "csv", kind, "2025-03")
        assert xl.equals(cs), kind


# --- kotor ---------------------------------------------------------------------------------------------
def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8-sig").split("\n")


def _defective(
    jenis: str,
    kind: str,
    kolom: str,
    row: dict,
    line: str,
    prev_line: str,
    periode: str,
    master: set,
) -> bool:
    first, last = month_bounds(periode)
    col = {c.name: c for c in SCHEMAS[kind]}
    value = row.get(kolom)
    if jenis in dfx.NIP_CACAT:
        return not nip_ok(row["nip"])
    if jenis == "NIP_TIDAK_DIKENAL":
        return nip_ok(row["nip"]) and row["nip"] not in master
    if jenis == "TAP_DUPLIKAT":
        return line == prev_line
    if jenis == "WAKTU_RUSAK":
        return not re.fullmatch(r"\d{4}-\d{2}-\d{2} ([01]\d|2[0-3]):[0-5]\d:[0-5]\d", value)
    if jenis == "TANGGAL_RUSAK":
        try:
            date.fromisoformat(value) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) else 1 / 0
        except (ValueError, ZeroDivisionError):
            return True
        return False
    if jenis == "KODE_TIDAK_DIKENAL":
        return value not in col[kolom].values
    if jenis == "NILAI_DI_LUAR_RENTANG":
        return not col[kolom].min <= int(value) <= col[kolom].max
    if jenis == "BULAN_LAIN":
        if kind == "ketidakhadiran":
            return (
                date.fromisoformat(row["selesai"]) < first
                or date.fromisoformat(row["mulai"]) > last
            )
        return not first <= date.fromisoformat(value[:10]) <= last
    if jenis == "PERIODE_LAIN":
        return value != periode
    if jenis == "PREDIKAT_BERTENTANGAN":
        return value != PREDIKAT_MATRIX[(row["hasil_kerja"], row["perilaku"])]
    if jenis == "KODE_SHIFT_TIDAK_DIKENAL":
        return value not in dfx.KODE_SHIFT
    if jenis == "JADWAL_GANDA":  # the line before: the same NIP and day with another code
        before = next(csv.reader([prev_line]))
        return before[:2] == [row["nip"], row["tanggal"]] and before[2] != row["kode_shift"]
    raise AssertionError(jenis)


def test_every_listed_defect_is_really_there(dirty):
    out, result = dirty
    cacat = pl.read_csv(out / "_groundtruth" / "cacat.csv", infer_schema=False)
    assert result.defects == cacat.height > 0
    assert set(cacat["jenis_cacat"]) <= set(dfx.JENIS_CACAT)
    assert cacat.select("file", "line").is_unique().all()
    for periode in MONTHS:
        master = set(read(out, "pegawai", periode)["nip"])  # defective NIPs are simply not in it
        for kind in WRITTEN_KINDS:
            name = f"{kind}_{periode.replace('-', '')}.csv"
            lines = _lines(out / name)
            header = lines[0].split(",")
            marked = cacat.filter(pl.col("file") == name)
            bom = (out / name).read_bytes().startswith(b"\xef\xbb\xbf")
            assert bom == ("BOM" in marked["jenis_cacat"].to_list())
            for jenis, kolom, no in (
                marked.filter(pl.col("jenis_cacat") != "BOM")
                .select("jenis_cacat", "kolom", "line")
                .iter_rows()
            ):
                no = int(no)
                row = dict(zip(header, next(csv.reader([lines[no - 1]])), strict=True))
                row = {k: (v or None) for k, v in row.items()}
                assert _defective(
                    jenis, kind, kolom, row, lines[no - 1], lines[no - 2], periode, master
                ), (name, no, jenis)
    rows = sum(result.rows.values())
    share = cacat.filter(pl.col("jenis_cacat") != "BOM").height / rows
    assert 0.7 * KOTOR < share < 1.3 * KOTOR
    assert cacat.filter(pl.col("jenis_cacat") != "BOM")["jenis_cacat"].n_unique() >= 10


# --- the contract validator -----------------------------------------------------------------------------
_HAS_VALIDATOR = importlib.util.find_spec("orchestration.validation") is not None and (
    importlib.util.find_spec("orchestration.readers") is not None
)


def _validate_all(out: Path):
    from orchestration.readers import read_export
    from orchestration.validation import validate

    for path in sorted(out.glob("*_*.*")):
        parsed = parse_file_name(path.name)
        if parsed is None:
            continue
        read_result = read_export(path)
        assert read_result.ok, (path.name, read_result.rejection)
        yield path.name, validate(parsed[0], parsed[1], read_result.frame, path.name)


@pytest.mark.skipif(not _HAS_VALIDATOR, reason="orchestration.validation is not there yet")
def test_clean_output_passes_the_validator(clean):
    out, result = clean
    for name, res in _validate_all(out):
        assert res.quarantine.height == 0, (name, res.quarantine.head(5))
        assert not res.errors and not res.file_rejected
        assert res.valid.height + res.duplicates.height == result.rows[name]


@pytest.mark.skipif(not _HAS_VALIDATOR, reason="orchestration.validation is not there yet")
def test_validator_catches_every_injected_defect(dirty):
    out, _ = dirty
    cacat = pl.read_csv(out / "_groundtruth" / "cacat.csv", infer_schema=False)
    treatment = {k: t for k, (_, t) in dfx.JENIS_CACAT.items()}
    for name, res in _validate_all(out):
        marked = cacat.filter(pl.col("file") == name).with_columns(pl.col("line").cast(pl.Int32))
        by = {
            t: set(marked.filter(pl.col("jenis_cacat").replace_strict(treatment) == t)["line"])
            for t in set(treatment.values())
        }
        quarantined = set(res.quarantine["line_no"])
        assert by[dfx.KARANTINA] == quarantined, name  # exactly the defects, nothing else
        assert by[dfx.DUPLIKAT] <= set(res.duplicates["line_no"])
        assert (
            not (by[dfx.TEMUAN] | by[dfx.KARANTINA_MASTER] | by[dfx.KARANTINA_JADWAL]) & quarantined
        )


# --- anomalies -----------------------------------------------------------------------------------------
def test_planted_anomalies_exist(clean):
    out, result = clean
    truth = pl.read_csv(out / "_groundtruth" / "anomali.csv", infer_schema=False)
    assert result.anomalies == truth.height > 0
    assert (
        set(truth["jenis_anomali"]) <= set(JENIS_ANOMALI) and truth["jenis_anomali"].n_unique() >= 3
    )
    months = sum(read(out, "pegawai", p).height for p in MONTHS)
    assert 0.005 < truth.height / months < 0.04
    ref = pl.read_csv(SEEDS_DIR / "ref_opd.csv", infer_schema=False)
    office = {
        k: (float(a), float(b)) for k, a, b in ref.select("kode_opd", "lat", "lon").iter_rows()
    }
    cal = Calendar.load()
    for periode, nip, jenis, detail in truth.iter_rows():
        taps = read(out, "absensi", periode).with_columns(pl.col("waktu").str.to_datetime())
        own = taps.filter(pl.col("nip") == nip).sort("waktu")
        assert own.height > 0, (nip, jenis)
        days = np.array(own["waktu"].dt.date().unique().sort(), dtype="datetime64[D]")
        if jenis == "TITIP_ABSEN":
            buddy, mesin = re.search(r"setelah (\d{18}) di (\S+)", detail).groups()
            other = (
                taps.filter(pl.col("nip") == buddy)
                .sort("waktu")
                .rename({"waktu": "w_a", "nip": "nip_a"})
            )
            pair = own.join_asof(
                other,
                left_on="waktu",
                right_on="w_a",
                by="id_mesin",
                strategy="backward",
                check_sortedness=False,
            )
            gap = (pair["waktu"] - pair["w_a"]).dt.total_seconds()
            assert gap.is_between(3, 20).mean() > 0.9 and (pair["id_mesin"] == mesin).any()
        elif jenis == "JAM_MASUK_IDENTIK":
            jam = re.search(r"selalu (\d\d:\d\d)", detail).group(1)
            # the first tap of each day (a teacher may leave before noon)
            masuk = own.group_by(pl.col("waktu").dt.date()).agg(pl.col("waktu").min().alias("w"))
            masuk = masuk["w"].dt.strftime("%H:%M")
            assert (masuk == jam).sum() >= 5 and (masuk == jam).mean() > 0.8
        elif jenis == "MOBILE_JAUH":
            kode = read(out, "pegawai", periode).filter(pl.col("nip") == nip)["kode_opd"].item()
            mob = own.filter(pl.col("metode") == "MOBILE").with_columns(
                pl.col("lat", "lon").cast(pl.Float64)
            )
            km = km_between(
                office[kode][0], office[kode][1], mob["lat"].to_numpy(), mob["lon"].to_numpy()
            )
            assert mob.height >= 3 and (km > 5).all()
        elif jenis == "TAP_SAAT_DL":
            dl = read(out, "ketidakhadiran", periode).filter(
                pl.col("nip") == nip, pl.col("kode") == "DL", pl.col("status") == "DISETUJUI"
            )
            assert dl.height >= 1
            a, b = (np.datetime64(x) for x in dl.select("mulai", "selesai").row(0))
            assert ((days >= a) & (days <= b)).sum() >= 2
        elif jenis == "TAP_AKHIR_PEKAN":
            assert (~cal.is_working(days)).sum() >= 3


# --- reference data ------------------------------------------------------------------------------------
def test_ref_opd_seed_matches_the_simulator():
    seed_file = pl.read_csv(SEEDS_DIR / "ref_opd.csv")
    assert seed_file.columns == ["kode_opd", "nama_opd", "lat", "lon", "pagu_tpp_tahunan"]
    assert seed_file.height == 39 and seed_file["kode_opd"].is_unique().all()
    assert seed_file["kode_opd"].str.contains(r"^\d\.\d{2}\.\d{2}$").all()
    assert (
        seed_file["lat"].is_between(-10.20, -10.16).all()
        and seed_file["lon"].is_between(123.57, 123.67).all()
    )
    assert seed_file.equals(reference.build())
    pagu = dict(zip(seed_file["kode_opd"], seed_file["pagu_tpp_tahunan"], strict=True))
    assert pagu["1.01.01"] > pagu["1.02.02"] > pagu["4.01.04"] > 0


@pytest.mark.skipif(not _HAS_VALIDATOR, reason="orchestration.validation is not there yet")
def test_validator_finds_xlsx_defects_on_their_sheet_rows(tmp_path):
    simulate(
        tmp_path,
        pegawai=200,
        opd=6,
        mulai="2025-05",
        sampai="2025-05",
        seed=2,
        kotor=0.04,
        xlsx=True,
        progress=False,
    )
    cacat = pl.read_csv(tmp_path / "_groundtruth" / "cacat.csv", infer_schema=False)
    karantina = [k for k, (_, t) in dfx.JENIS_CACAT.items() if t == dfx.KARANTINA]
    for name, res in _validate_all(tmp_path):
        expected = cacat.filter(pl.col("file") == name, pl.col("jenis_cacat").is_in(karantina))
        assert set(expected["line"].cast(pl.Int32)) == set(res.quarantine["line_no"]), name
        if name.endswith(".xlsx"):
            assert expected.height > 0 and expected["line"].cast(pl.Int32).min() > 4


def test_ratings_follow_discipline(clean):
    """Who skips working days without notice is rated DI_BAWAH on behaviour far more often
    (each employee's own working days: the office or school week, the roster)."""
    out, _ = clean
    rows = []
    for periode in MONTHS:
        first, last = month_bounds(periode)
        peg = read(out, "pegawai", periode).filter(pl.col("aktif_sampai").is_null())
        peg = peg.filter(pl.col("tmt_opd").str.to_date() < first)
        taps = read(out, "absensi", periode).select(
            "nip", tgl=pl.col("waktu").str.slice(0, 10).str.to_date()
        )
        excused = (
            read(out, "ketidakhadiran", periode)
            .with_columns(
                tgl=pl.date_ranges(pl.col("mulai").str.to_date(), pl.col("selesai").str.to_date())
            )
            .explode("tgl")
            .select("nip", "tgl")
        )
        grid = _hari_kerja(out, periode).join(peg, on="nip", how="semi")
        missing = grid.join(taps.unique(), on=["nip", "tgl"], how="anti").join(
            excused, on=["nip", "tgl"], how="anti"
        )
        tk = (
            peg.select("nip").join(missing.group_by("nip").len(), on="nip", how="left").fill_null(0)
        )
        kin = read(out, "kinerja", periode).join(tk, on="nip")
        rows.append(kin.select("len", bawah=pl.col("perilaku") == "DI_BAWAH"))
    data = pl.concat(rows)
    often = data.filter(pl.col("len") >= 3)["bawah"].mean()
    never = data.filter(pl.col("len") == 0)["bawah"].mean()
    assert data.filter(pl.col("len") >= 3).height >= 10
    assert often > 0.25 and never < 0.06 and often > 4 * never


# --- work schedules (jadwal.md) --------------------------------------------------------------------
KODE_SHIFT = {"PAGI": (7, 14), "SIANG": (14, 21), "MALAM": (21, 31)}  # aturan_shift.csv, hours


def _taps(out: Path, periode: str) -> pl.DataFrame:
    return read(out, "absensi", periode).with_columns(pl.col("waktu").str.to_datetime())


def _hari_kerja(out: Path, periode: str) -> pl.DataFrame:
    """(nip, tgl) of every employee's own working days: KANTOR Mon–Fri, SEKOLAH Mon–Sat (not on
    holidays), SHIFT the rostered days that are not LIBUR."""
    cal = Calendar.load()
    first, last = month_bounds(periode)
    days = np.arange(np.datetime64(first), np.datetime64(last) + 1)
    libur = np.isin(days, cal.holidays)
    weekday = (days.astype(np.int64) + 3) % 7
    minggu = pl.DataFrame(
        {"tgl": days, "KANTOR": (weekday < 5) & ~libur, "SEKOLAH": (weekday < 6) & ~libur}
    ).with_columns(pl.col("tgl").cast(pl.Date))
    peg = read(out, "pegawai", periode).select("nip", pola=pl.col("pola_kerja").fill_null("KANTOR"))
    weekly = (
        peg.filter(pl.col("pola") != "SHIFT")
        .join(minggu, how="cross")
        .filter(pl.when(pl.col("pola") == "KANTOR").then("KANTOR").otherwise("SEKOLAH"))
        .select("nip", "tgl")
    )
    rostered = read(out, "jadwal", periode).filter(pl.col("kode_shift") != "LIBUR")
    rostered = rostered.join(peg.filter(pl.col("pola") == "SHIFT"), on="nip", how="semi")
    return pl.concat([weekly, rostered.select("nip", tgl=pl.col("tanggal").str.to_date())])


def test_teachers_keep_the_school_week(clean):
    out, _ = clean
    cal = Calendar.load()
    per_day = []
    for periode in MONTHS:
        peg = read(out, "pegawai", periode)
        guru = peg.filter(pl.col("pola_kerja") == "SEKOLAH")
        assert (
            set(guru["kode_opd"]) == {"1.01.01"}
            and guru["nama_jabatan"].str.starts_with("Guru ").all()
        )
        edu = peg.filter(pl.col("kode_opd") == "1.01.01")
        assert 0.7 < guru.height / edu.height < 0.9  # most of the department teaches
        taps = _taps(out, periode).join(guru.select("nip"), on="nip", how="semi")
        per_day.append(taps.group_by(tgl=pl.col("waktu").dt.date()).agg(pl.len(), pl.col("waktu")))
    days = pl.concat(per_day).with_columns(wd=pl.col("tgl").dt.weekday())
    tgl = np.array(days["tgl"].to_list(), dtype="datetime64[D]")
    days = days.with_columns(libur=pl.Series(np.isin(tgl, cal.holidays)))
    biasa = days.filter(~pl.col("libur"))
    weekday = biasa.filter(pl.col("wd") <= 5)["len"].median()
    saturday = biasa.filter(pl.col("wd") == 6)["len"].median()
    sunday = days.filter(pl.col("wd") == 7)["len"].max()
    assert saturday > 0.85 * weekday  # Saturday is a school day
    assert sunday < 0.03 * saturday  # Sundays: the odd stray tap only (a weekend habit)
    # arrivals around 07:00 (07:30 in Ramadan), departures around 13:00 (Friday 11:00)
    taps = pl.concat(
        [
            _taps(out, p).join(
                read(out, "pegawai", p).filter(pl.col("pola_kerja") == "SEKOLAH"),
                on="nip",
                how="semi",
            )
            for p in MONTHS
        ]
    )
    hari = taps.group_by("nip", tgl=pl.col("waktu").dt.date()).agg(
        a=pl.col("waktu").min(), b=pl.col("waktu").max()
    )
    tgl = np.array(hari["tgl"].to_list(), dtype="datetime64[D]")
    hari = hari.with_columns(
        ramadan=pl.Series(cal.is_ramadan(tgl)),
        jumat=pl.col("tgl").dt.weekday() == 5,
        a=pl.col("a").dt.hour().cast(pl.Int32) * 60 + pl.col("a").dt.minute(),
        b=pl.col("b").dt.hour().cast(pl.Int32) * 60 + pl.col("b").dt.minute(),
    ).filter(pl.col("tgl").dt.weekday() <= 6)
    biasa, puasa = hari.filter(~pl.col("ramadan")), hari.filter(pl.col("ramadan"))
    normal = biasa["a"].median()
    assert 6 * 60 + 30 <= normal < 7 * 60 and puasa["a"].median() - normal >= 15
    assert 12 * 60 + 40 <= biasa.filter(~pl.col("jumat"))["b"].median() < 13 * 60 + 40
    assert 10 * 60 + 40 <= biasa.filter(pl.col("jumat"))["b"].median() < 11 * 60 + 40


def test_shift_staff_have_a_roster_for_every_day(clean):
    out, _ = clean
    prev = None
    for periode in MONTHS:
        first, last = month_bounds(periode)
        peg = read(out, "pegawai", periode).with_columns(pl.col("tmt_opd").str.to_date())
        shift = peg.filter(pl.col("pola_kerja") == "SHIFT")
        assert set(shift["kode_opd"]) == {"1.02.02", "1.05.01"}
        rs = peg.filter(pl.col("kode_opd") == "1.02.02")
        assert (rs["pola_kerja"] == "SHIFT").mean() > 0.5  # most of the hospital
        jad = read(out, "jadwal", periode).with_columns(pl.col("tanggal").str.to_date())
        assert set(jad["kode_shift"]) == {"PAGI", "SIANG", "MALAM", "LIBUR"}
        assert jad.select("nip", "tanggal").is_unique().all()
        # rostered: this month's SHIFT staff, and last month's in a transfer month
        allowed = set(shift["nip"]) | (set(prev["nip"]) if prev is not None else set())
        assert set(jad["nip"]) <= allowed and set(shift["nip"]) <= set(jad["nip"])
        full = shift.filter(pl.col("tmt_opd") < first, pl.col("aktif_sampai").is_null())
        days = jad.join(full, on="nip", how="semi").group_by("nip").len()
        assert full.height > 10 and (days["len"] == (last - first).days + 1).all()
        # a rotation: two nights then two days off; never a morning straight after a night
        seq = jad.sort("nip", "tanggal").with_columns(
            kemarin=pl.col("kode_shift").shift(1).over("nip")
        )
        assert seq.filter(pl.col("kemarin") == "MALAM", pl.col("kode_shift") == "PAGI").is_empty()
        kerja = jad.filter(pl.col("kode_shift") != "LIBUR")
        assert 0.65 < kerja.height / jad.height < 0.85
        assert kerja.filter(pl.col("tanggal").dt.weekday() >= 6).height > 0  # weekends too
        # taps follow the shifts: an arrival near the start, a night shift leaves next morning
        taps = _taps(out, periode).join(shift.select("nip"), on="nip", how="semi")
        start = kerja.with_columns(
            s=pl.col("tanggal").cast(pl.Datetime("us"))
            + pl.duration(
                hours=pl.col("kode_shift").replace_strict(
                    {k: v[0] for k, v in KODE_SHIFT.items()}, return_dtype=pl.Int64
                )
            ),
            e=pl.col("tanggal").cast(pl.Datetime("us"))
            + pl.duration(
                hours=pl.col("kode_shift").replace_strict(
                    {k: v[1] for k, v in KODE_SHIFT.items()}, return_dtype=pl.Int64
                )
            ),
        )
        masuk = taps.filter(pl.col("jenis") == "MASUK").join(start, on="nip")
        masuk = masuk.filter(
            (pl.col("waktu") >= pl.col("s") - pl.duration(hours=4))
            & (pl.col("waktu") < pl.col("s") + pl.duration(hours=4))
        )
        telat = (masuk["waktu"] - masuk["s"]).dt.total_minutes()
        assert masuk.height > 100 and -40 < telat.median() < 10
        pulang = taps.filter(pl.col("jenis") == "PULANG").join(
            start.filter(pl.col("kode_shift") == "MALAM"), on="nip"
        )
        pulang = pulang.filter(
            (pl.col("waktu") >= pl.col("e") - pl.duration(hours=4))
            & (pl.col("waktu") < pl.col("e") + pl.duration(hours=4))
        )
        assert pulang.height > 20
        assert (pulang["waktu"].dt.date() > pulang["tanggal"]).all()  # the next morning
        prev = shift


def test_month_end_night_shift_checks_out_next_month(clean):
    out, _ = clean
    seen = 0
    for periode, nxt in zip(MONTHS, MONTHS[1:], strict=False):
        _, last = month_bounds(periode)
        malam = read(out, "jadwal", periode).filter(
            pl.col("tanggal") == str(last), pl.col("kode_shift") == "MALAM"
        )
        pagi = f"{last + timedelta(days=1)} 11:00:00"
        later = read(out, "absensi", nxt).filter(
            pl.col("nip").is_in(malam["nip"].implode()), pl.col("waktu") < pagi
        )
        same = read(out, "absensi", periode).filter(
            pl.col("nip").is_in(malam["nip"].implode()), pl.col("waktu") >= f"{last} 21:00:00"
        )
        # most nights have their check-out in next month's file (a few are missed, or on leave)
        assert later["nip"].n_unique() >= 0.7 * malam.height
        assert same["waktu"].str.slice(0, 10).max() <= str(last)
        seen += malam.height
    assert seen >= 3
    # the last simulated month's month-end check-outs are simply not written (no next file)
    assert not (out / "absensi_202505.csv").exists()


def test_roster_defects_at_their_rate(dirty):
    out, result = dirty
    cacat = pl.read_csv(out / "_groundtruth" / "cacat.csv", infer_schema=False)
    jad = cacat.filter(pl.col("file").str.starts_with("jadwal_"), pl.col("jenis_cacat") != "BOM")
    rows = sum(n for name, n in result.rows.items() if name.startswith("jadwal_"))
    assert 0.6 * KOTOR < jad.height / rows < 1.4 * KOTOR
    kinds = set(jad["jenis_cacat"])
    assert {"JADWAL_GANDA", "KODE_SHIFT_TIDAK_DIKENAL", "NIP_TIDAK_DIKENAL"} <= kinds
    assert kinds <= set(dfx.BERLAKU["jadwal"])
    # the pipeline, not the file validator, quarantines the two rulebook-level defects
    treatment = {k: t for k, (_, t) in dfx.JENIS_CACAT.items()}
    assert (
        treatment["JADWAL_GANDA"] == treatment["KODE_SHIFT_TIDAK_DIKENAL"] == dfx.KARANTINA_JADWAL
    )


def test_without_schedules_everyone_keeps_office_hours(tmp_path):
    simulate(tmp_path, **{**ARGS, "mulai": "2025-03", "sampai": "2025-03", "jadwal": False})
    assert not list(tmp_path.glob("jadwal_*"))
    assert read(tmp_path, "pegawai", "2025-03")["pola_kerja"].null_count() == ARGS["pegawai"]
    taps = _taps(tmp_path, "2025-03")
    assert taps.filter(pl.col("waktu").dt.weekday() == 6).height < 0.05 * taps.height
