"""Leave, sick leave, official trips … (ketidakhadiran_YYYYMM).

Episodes are drawn for the whole range first: long ones (maternity CM three months, CB,
CLTN, TB; some already running when the range starts) and then, month by month, short ones
(CT, CS, CAP, DL, DIKLAT, IZIN) that never overlap another episode of the same person. An
episode is written to every month file its range touches.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from orchestration.tools.simulator import organisation as org
from orchestration.tools.simulator.jobs import FUNGSIONAL, JPT, PENGAWAS, PNS
from orchestration.tools.simulator.kalender import Calendar
from orchestration.tools.simulator.people import DAY, Workforce
from orchestration.tools.simulator.streams import stream

KODE = ("CT", "CS", "CB", "CM", "CAP", "CLTN", "DL", "DIKLAT", "TB", "IZIN")
PENDEK = ("CT", "CS", "CAP", "DL", "DIKLAT", "IZIN")
# Share of short episodes by kind: staff / teachers / structural posts.
BOBOT_PENDEK = {
    "staf": (0.24, 0.13, 0.02, 0.34, 0.07, 0.20),
    "guru": (0.20, 0.22, 0.03, 0.10, 0.12, 0.33),
    "struktural": (0.12, 0.08, 0.01, 0.62, 0.10, 0.07),
}
# Working days: (min, max) for each short kind.
LAMA = {"CT": (1, 6), "CS": (1, 5), "CAP": (1, 3), "DL": (1, 5), "DIKLAT": (2, 10), "IZIN": (1, 1)}
LAMA_MIN = np.array([LAMA[k][0] for k in PENDEK])
LAMA_MAX = np.array([LAMA[k][1] for k in PENDEK])
KLASIFIKASI = {"DL": "094", "DIKLAT": "893"}  # letter classification codes; other kinds 800


def _working_days(cal: Calendar, wf: Workforce) -> np.ndarray:
    return cal.working_days_between(wf.months[0].first - 800 * DAY, wf.months[-1].last + 800 * DAY)


def long_episodes(wf: Workforce, cal: Calendar, seed: int) -> pl.DataFrame:
    """CM, CB, CLTN and TB episodes (at most one per person), some started before the range."""
    rng = stream(seed, "absences-long")
    u = wf.size
    n_m = len(wf.months)
    first = wf.months[0].month
    lahir_m = wf.lahir.astype("datetime64[M]")
    st0 = wf.states[0]
    # month (relative to the first) in which each kind would start; negative: before the range
    start = np.full(u, 10**6)
    kode = np.full(u, "", dtype=object)
    for k, hazard, back in (
        ("CM", 0.0025, 3),
        ("CB", 0.0002, 3),
        ("TB", 0.00012, 24),
        ("CLTN", 0.00005, 12),
    ):
        lo = np.where(wf.rekrut < 0, -back, wf.rekrut)
        s = lo + rng.geometric(hazard, u) - 1
        umur = ((first + s) - lahir_m).astype(np.int64) / 12
        ok = (s < n_m) & (s < start) & ~wf.kepala & (st0.jenis != JPT)
        if k == "CM":
            ok &= ~wf.pria & (umur >= 22) & (umur <= 42)
        else:
            ok &= (st0.status == PNS) & (umur < (45 if k == "TB" else 56))
        start = np.where(ok, s, start)
        kode = np.where(ok, k, kode)
    pid = np.flatnonzero(start < 10**6)
    s, kode = start[pid], kode[pid]
    bulan = first + s
    mulai = bulan.astype("datetime64[D]") + (rng.random(len(pid)) * 25).astype(np.int64) * DAY
    mulai = np.where(np.isin(kode, ["TB", "CLTN"]), bulan.astype("datetime64[D]"), mulai)
    wd = _working_days(cal, wf)
    mulai = wd[np.searchsorted(wd, mulai)]  # starts on a working day
    panjang = np.select(
        [kode == "CM", kode == "CB", kode == "TB"],
        [np.full(len(pid), 3), rng.integers(1, 4, len(pid)), rng.integers(12, 25, len(pid))],
        rng.integers(3, 13, len(pid)),
    )
    selesai = (
        (mulai.astype("datetime64[M]") + panjang).astype("datetime64[D]")
        + (mulai - mulai.astype("datetime64[M]").astype("datetime64[D]"))
        - DAY
    )
    keluar = wf.selesai[pid]
    selesai = np.where(~np.isnat(keluar) & (keluar < selesai), keluar, selesai)
    ok = selesai >= np.maximum(mulai, wf.mulai[pid])
    ok &= selesai >= wf.months[0].first  # touches the range
    return _frame(pid[ok], kode[ok], mulai[ok], selesai[ok], np.full(ok.sum(), "DISETUJUI"))


def _frame(pid, kode, mulai, selesai, status, dl_anomali=None) -> pl.DataFrame:
    n = len(pid)
    return pl.DataFrame(
        {
            "pid": np.asarray(pid, dtype=np.int64),
            "kode": np.asarray(kode, dtype=object).astype(str),
            "mulai": np.asarray(mulai, dtype="datetime64[D]"),
            "selesai": np.asarray(selesai, dtype="datetime64[D]"),
            "status": np.asarray(status, dtype=object).astype(str),
            "anomali": np.zeros(n, bool) if dl_anomali is None else dl_anomali,
        }
    )


def short_episodes(
    wf: Workforce, cal: Calendar, seed: int, long: pl.DataFrame, planted_dl: dict[int, np.ndarray]
) -> pl.DataFrame:
    """CT, CS, CAP, DL, DIKLAT and IZIN, month by month; ``planted_dl[i]`` persons get a DL."""
    wd = _working_days(cal, wf)
    busy = np.full(wf.size, wf.months[0].first - 800 * DAY)  # last day of the latest episode
    parts = []
    for i, m in enumerate(wf.months):
        rng = stream(seed, "absences-short", i)
        st = wf.states[i]
        first, last = wf.aktif(i)
        lp = long.filter((pl.col("mulai") <= m.last) & (pl.col("selesai") >= m.first))[
            "pid"
        ].to_numpy()
        ok = st.hadir & ~np.isin(np.arange(wf.size), lp)
        plant = np.zeros(wf.size, bool)
        plant[planted_dl.get(i, np.array([], dtype=np.int64))] = True
        kat = wf.kategori[st.dept]
        guru = (kat == org.PENDIDIKAN) & (st.jenis == FUNGSIONAL)
        struktural = st.jenis <= PENGAWAS
        u = rng.random(wf.size)
        p1 = np.where(struktural, 0.55, np.where(guru, 0.22, 0.33))
        n_ep = np.where(u < p1 * 0.2, 2, np.where(u < p1, 1, 0))
        n_ep = np.where(ok, np.where(plant, 1, n_ep), 0)
        mid = m.first + 15 * DAY
        for slot in (0, 1):
            who = np.flatnonzero(n_ep > slot)
            if not len(who):
                continue
            two = n_ep[who] == 2
            lo = np.maximum(first[who], busy[who] + DAY)
            lo = np.where(two & (slot == 1), np.maximum(lo, mid), lo)
            hi = np.where(two & (slot == 0), np.minimum(last[who], mid - DAY), last[who])
            a, b = np.searchsorted(wd, lo), np.searchsorted(wd, hi, side="right") - 1
            keep = b >= a
            who, a, b, two = who[keep], a[keep], b[keep], two[keep]
            g = np.where(guru[who], 1, np.where(struktural[who], 2, 0))
            bobot = np.array([BOBOT_PENDEK[k] for k in ("staf", "guru", "struktural")])[g]
            ck = np.cumsum(bobot, axis=1)
            ki = (rng.random(len(who))[:, None] * ck[:, -1:] > ck).sum(axis=1)
            if m.month.astype(int) % 12 == 11:  # December: annual leave before it lapses
                ki = np.where(rng.random(len(who)) < 0.25, PENDEK.index("CT"), ki)
            is_plant = plant[who]
            ki = np.where(is_plant, PENDEK.index("DL"), ki)
            kode = np.array(PENDEK)[ki]
            lo_len, hi_len = LAMA_MIN[ki], LAMA_MAX[ki]
            length = lo_len + np.floor(rng.random(len(who)) ** 1.6 * (hi_len - lo_len + 1)).astype(
                np.int64
            )
            length = np.where(is_plant, rng.integers(3, 6, len(who)), length)
            span = np.where(is_plant, np.maximum(b - a - length + 2, 1), b - a + 1)
            s = a + (rng.random(len(who)) * span).astype(np.int64)
            e = s + length - 1
            keluar = np.where(np.isnat(wf.selesai[who]), wd[-1], wf.selesai[who])
            limit = np.where(two & (slot == 0), b, np.searchsorted(wd, keluar, side="right") - 1)
            e = np.minimum(e, np.where(is_plant, b, limit))
            e = np.maximum(e, s)
            mulai, selesai = wd[s], wd[e]
            v = rng.random(len(who))
            late = (m.last - mulai).astype(np.int64) < 6
            p_pending = np.where(late & (i == len(wf.months) - 1), 0.35, 0.05)
            status = np.where(
                v < p_pending, "DIAJUKAN", np.where(v < p_pending + 0.04, "DITOLAK", "DISETUJUI")
            )
            status = np.where(is_plant, "DISETUJUI", status)
            parts.append(_frame(who, kode, mulai, selesai, status, is_plant))
            busy[who] = np.maximum(busy[who], selesai)
    return pl.concat(parts) if parts else _frame([], [], [], [], [])


def letters(wf: Workforce, episodes: pl.DataFrame, seed: int) -> pl.DataFrame:
    """Add ``nomor_surat`` (``800/123/BKD/2025``) and the trip destination of DL episodes."""
    rng = stream(seed, "absences-letters")
    n = episodes.height
    pid = episodes["pid"].to_numpy()
    kode = episodes["kode"].to_numpy()
    mulai = episodes["mulai"].to_numpy()
    idx = np.clip(
        ((mulai.astype("datetime64[M]") - wf.months[0].month).astype(np.int64)),
        0,
        len(wf.months) - 1,
    )
    dept = np.array([st.dept for st in wf.states])[idx, pid]
    singkatan = np.array([d.singkatan for d in wf.depts], dtype=object)[dept]
    penerbit = np.where(np.isin(kode, ["CB", "CM", "CLTN", "TB"]), "BKD", singkatan)
    klas = np.select(
        [kode == "DL", kode == "DIKLAT"], [KLASIFIKASI["DL"], KLASIFIKASI["DIKLAT"]], "800"
    )
    tahun = mulai.astype("datetime64[Y]").astype(np.int64) + 1970
    status = episodes["status"].to_numpy()
    kosong = ((kode == "IZIN") & (rng.random(n) < 0.4)) | (
        (status == "DIAJUKAN") & (rng.random(n) < 0.6)
    )
    kab = np.array([k[0] for k in org.KABUPATEN], dtype=object)
    tujuan = np.where(kode == "DL", kab[rng.integers(0, len(kab), n)], None)
    tujuan = np.where(episodes["anomali"].to_numpy(), kab[rng.integers(1, len(kab), n)], tujuan)
    frame = episodes.with_columns(
        pl.Series("_penerbit", penerbit.astype(str)),
        pl.Series("_klas", klas.astype(str)),
        pl.Series("_tahun", tahun),
        pl.Series("_kosong", kosong),
        pl.Series("_awal", rng.integers(1, 60, n)),
        pl.Series("tujuan", tujuan.tolist(), dtype=pl.String),
        _i=pl.int_range(pl.len()),
    )
    frame = frame.sort("mulai", "pid", "kode").with_columns(
        _seq=pl.int_range(pl.len()).over("_penerbit", "_tahun") * 3
        + pl.col("_awal").first().over("_penerbit", "_tahun")
    )
    frame = frame.with_columns(
        nomor_surat=pl.when(pl.col("_kosong"))
        .then(None)
        .otherwise(pl.format("{}/{}/{}/{}", "_klas", "_seq", "_penerbit", "_tahun"))
    )
    return frame.sort("_i").drop("_penerbit", "_klas", "_tahun", "_kosong", "_awal", "_seq", "_i")


def generate(
    wf: Workforce, cal: Calendar, seed: int, planted_dl: dict[int, np.ndarray], long: pl.DataFrame
) -> pl.DataFrame:
    episodes = pl.concat([long, short_episodes(wf, cal, seed, long, planted_dl)])
    return letters(wf, episodes, seed)


def for_month(wf: Workforce, episodes: pl.DataFrame, i: int) -> pl.DataFrame:
    """The episodes touching month ``i`` (internal columns kept: pid, tujuan, anomali)."""
    m = wf.months[i]
    return episodes.filter((pl.col("mulai") <= m.last) & (pl.col("selesai") >= m.first)).sort(
        "mulai", "pid", "kode"
    )


def export_frame(wf: Workforce, month_episodes: pl.DataFrame) -> pl.DataFrame:
    """Contract columns of ketidakhadiran_YYYYMM."""
    nip = wf.nip_series.gather(month_episodes["pid"].to_numpy())
    return month_episodes.select(nip, "kode", "mulai", "selesai", "status", "nomor_surat")
