"""Attendance taps (absensi_YYYYMM): one month, as employees × days arrays, no row loops."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from orchestration.simulator.anomalies import Plan, km_between
from orchestration.simulator.behaviour import Behaviour
from orchestration.simulator.people import PINDAH_OPD, Workforce
from orchestration.simulator.streams import stream

LONG_KODE = ("CM", "CB", "CLTN", "TB")
P_KIRIM_ULANG = 0.0012  # a device re-sends a tap: exact duplicate row


@dataclass(frozen=True)
class Devices:
    """Attendance devices, one per work unit (school, ward, office floor), plus the mobile app."""

    ids: pl.Series  # device ids; index n_fisik + dept is that department's mobile app
    finger: np.ndarray  # True: fingerprint (FINGER), False: face (WAJAH)
    kirim_jenis: np.ndarray  # device asks MASUK/PULANG
    offset: np.ndarray  # first device of each department
    n_fisik: int


def devices(wf: Workforce, seed: int) -> Devices:
    rng = stream(seed, "devices")
    kode = [d.kode for d in wf.depts]
    n = wf.n_units
    offset = np.concatenate([[0], np.cumsum(n)[:-1]])
    finger = rng.random(int(n.sum())) < 0.7
    dept = np.repeat(np.arange(len(kode)), n)
    unit = np.arange(int(n.sum())) - offset[dept]
    prefix = np.where(finger, "FP-", "FR-")
    width = np.where(n[dept] >= 100, 3, 2)
    nomor = pl.Series(unit + 1).cast(pl.String).str.zfill(2)
    nomor = pl.Series(np.where(width == 3, nomor.str.zfill(3).to_numpy(), nomor.to_numpy()))
    ids = pl.Series(prefix) + pl.Series(np.array(kode)[dept]) + "-" + nomor
    ids = pl.concat([ids, pl.Series([f"MOB-{k}" for k in kode])])
    kirim = ~finger | (rng.random(len(finger)) < 0.3)
    return Devices(ids.alias("id_mesin"), finger, kirim, offset, int(n.sum()))


@dataclass
class MonthAttendance:
    taps: pl.DataFrame  # export columns
    idx: np.ndarray  # universe ids of the month's staff (row order of the arrays below)
    hadir: np.ndarray  # (P, D) present and tapped
    hari_kerja: np.ndarray
    tk: np.ndarray
    telat: np.ndarray
    cepat: np.ndarray
    anomalies: pl.DataFrame  # periode, nip, jenis_anomali, detail


def _expand(rows: np.ndarray, d0: np.ndarray, d1: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """All (row, day) cells of inclusive day ranges, vectorised."""
    lens = np.maximum(d1 - d0 + 1, 0)
    r = np.repeat(rows, lens)
    start = np.repeat(d0 - np.concatenate([[0], np.cumsum(lens)[:-1]]), lens)
    return r, start + np.arange(lens.sum())


def generate(
    wf: Workforce,
    i: int,
    b_all: Behaviour,
    episodes: pl.DataFrame,
    plan: Plan,
    dv: Devices,
    seed: int,
) -> MonthAttendance:
    m, st = wf.months[i], wf.states[i]
    prev = wf.states[i - 1] if i else st
    rng = stream(seed, "attendance", i)
    idx = np.flatnonzero(st.hadir)
    p_n, d_n = len(idx), len(m.days)
    b = b_all.take(idx)
    pos = np.full(wf.size, -1)
    pos[idx] = np.arange(p_n)
    first, last = (a[idx] for a in wf.aktif(i))
    days = m.days
    active = (days >= first[:, None]) & (days <= last[:, None])
    duty = active & m.working
    before = (st.mutasi[idx] == PINDAH_OPD)[:, None] & (days < st.tmt_opd[idx][:, None])
    dept_day = np.where(before, prev.dept[idx][:, None], st.dept[idx][:, None])
    dev = dv.offset[dept_day] + np.where(before, prev.unit[idx][:, None], st.unit[idx][:, None])

    # --- absences ---
    ep = episodes.with_columns(r=pl.Series(pos[episodes["pid"].to_numpy()])).filter(
        pl.col("r") >= 0
    )
    d0 = np.maximum((ep["mulai"].to_numpy() - m.first).astype(np.int64), 0)
    d1 = np.minimum((ep["selesai"].to_numpy() - m.first).astype(np.int64), d_n - 1)
    ok = ep["status"].to_numpy() == "DISETUJUI"
    kode = ep["kode"].to_numpy()
    exc, exc_long, exc_dl, plant_dl, informal = (np.zeros((p_n, d_n), bool) for _ in range(5))
    r = ep["r"].to_numpy()
    for mask, sel in (
        (exc, ok),
        (exc_long, ok & np.isin(kode, LONG_KODE)),
        (exc_dl, ok & (kode == "DL")),
        (plant_dl, ok & ep["anomali"].to_numpy()),
    ):
        rr, dd = _expand(r[sel], d0[sel], d1[sel])
        mask[rr, dd] = True
    plant_dl &= duty
    # unapproved requests: mostly absent anyway when still pending, sometimes when rejected
    gone = ~ok & (rng.random(len(r)) < np.where(ep["status"].to_numpy() == "DIAJUKAN", 0.8, 0.35))
    rr, dd = _expand(r[gone], d0[gone], d1[gone])
    informal[rr, dd] = True

    # --- ordinary days ---
    tk = duty & ~exc & ((rng.random((p_n, d_n)) < b.p_tk[:, None]) | informal)
    attend = duty & ~exc & ~tk
    weekday = m.weekday
    tail = (rng.random((p_n, d_n)) < 0.03) * rng.exponential(40, (p_n, d_n))
    arr = (
        b.datang[:, None]
        + b.datang_sd[:, None] * rng.standard_normal((p_n, d_n))
        + 3 * (weekday == 0)
        + tail
    )
    dep = (
        b.pulang[:, None]
        + b.pulang_sd[:, None] * rng.standard_normal((p_n, d_n))
        - 8 * (weekday == 4)
    )
    day0 = days.astype("datetime64[s]").astype(np.int64)
    t_in = day0 + m.start_sec + (arr * 60).astype(np.int64) + rng.integers(0, 60, (p_n, d_n))
    t_in = np.maximum(t_in, day0 + 5 * 3600 + 1800)
    t_out = day0 + m.end_sec + (dep * 60).astype(np.int64) + rng.integers(0, 60, (p_n, d_n))
    t_out = np.minimum(
        np.maximum(t_out, t_in + 1800 + rng.integers(0, 1800, (p_n, d_n))), day0 + 22 * 3600
    )
    no_in = rng.random((p_n, d_n)) < b.p_tanpa_masuk[:, None]
    no_out = (rng.random((p_n, d_n)) < b.p_tanpa_pulang[:, None]) & ~no_in
    has_in, has_out = attend & ~no_in, attend & ~no_out
    # approved absence, but a morning tap anyway (before leaving on a trip, say)
    has_in |= duty & exc & ~exc_long & (rng.random((p_n, d_n)) < np.where(exc_dl, 0.08, 0.02))
    wk = active & ~m.working & (rng.random((p_n, d_n)) < b.p_akhir_pekan[:, None])
    t_wk_in = day0 + 8 * 3600 + rng.integers(0, 3 * 3600, (p_n, d_n))
    t_wk_out = t_wk_in + rng.integers(5400, 5 * 3600, (p_n, d_n))
    wk_out = wk & (rng.random((p_n, d_n)) < 0.85)
    mob_in = rng.random((p_n, d_n)) < b.p_mobile[:, None]
    mob_out = rng.random((p_n, d_n)) < b.p_mobile[:, None]

    # --- planted anomalies ---
    rows = {
        k: pos[plan.pid[plan.of(k)]]
        for k in (
            "TITIP_ABSEN",
            "JAM_MASUK_IDENTIK",
            "MOBILE_JAUH",
            "TAP_SAAT_DL",
            "TAP_AKHIR_PEKAN",
        )
    }
    far = np.zeros(p_n, bool)
    far_lat, far_lon = np.zeros(p_n), np.zeros(p_n)

    rj = rows["JAM_MASUK_IDENTIK"]
    menit = 7 * 60 + 30 - rng.integers(3, 26, len(rj))
    fixed = day0 + (menit * 60)[:, None] + rng.integers(0, 60, (len(rj), d_n))
    ok_days = duty[rj] & ~exc[rj]
    t_in[rj] = fixed
    has_in[rj] = ok_days
    has_out[rj] = ok_days & ~no_out[rj]
    tk[rj] = False
    attend[rj] = ok_days

    rd = rows["TAP_SAAT_DL"]
    has_in[rd] |= plant_dl[rd]
    has_out[rd] |= plant_dl[rd]
    mob_in[rd] &= ~plant_dl[rd]
    mob_out[rd] &= ~plant_dl[rd]

    rw = rows["TAP_AKHIR_PEKAN"]
    wk[rw] = active[rw] & ~m.working & (rng.random((len(rw), d_n)) < 0.85)
    wk_out[rw] = wk[rw]

    rm = rows["MOBILE_JAUH"]
    far[rm] = True
    far_lat[rm], far_lon[rm] = plan.lat[plan.of("MOBILE_JAUH")], plan.lon[plan.of("MOBILE_JAUH")]

    rb = rows["TITIP_ABSEN"]
    ra = pos[plan.partner[plan.of("TITIP_ABSEN")]]
    copy = duty[rb] & ~exc[rb]
    has_in[rb] = copy & has_in[ra]
    has_out[rb] = copy & has_out[ra]
    t_in[rb] = t_in[ra] + rng.integers(3, 21, (len(rb), d_n))
    t_out[rb] = t_out[ra] + rng.integers(3, 21, (len(rb), d_n))
    dev[rb] = dev[ra]
    tk[rb] = copy & ~(has_in[rb] | has_out[rb])
    attend[rb] = copy & (has_in[rb] | has_out[rb])
    wk[rb] = wk_out[rb] = False
    for rr in (ra, rb):
        mob_in[rr] = mob_out[rr] = False

    mob_in = (mob_in | far[:, None]) & ~before
    mob_out = (mob_out | far[:, None]) & ~before
    dbl_in = has_in & (rng.random((p_n, d_n)) < b.p_ganda[:, None])
    dbl_out = has_out & (rng.random((p_n, d_n)) < b.p_ganda[:, None])
    dbl_in[rb] = dbl_out[rb] = False

    # --- assemble taps ---
    parts = []
    for mask, t, kind, mob in (
        (has_in, t_in, 0, mob_in),
        (has_out, t_out, 1, mob_out),
        (dbl_in, t_in + rng.integers(2, 90, (p_n, d_n)), 0, mob_in),
        (dbl_out, t_out + rng.integers(2, 90, (p_n, d_n)), 1, mob_out),
        (wk, t_wk_in, 0, far[:, None] & wk),
        (wk_out, t_wk_out, 1, far[:, None] & wk_out),
    ):
        rr, dd = np.nonzero(mask)
        parts.append((rr, dd, t[rr, dd], np.full(len(rr), kind, np.int8), mob[rr, dd]))
    rr, dd, t, kind, mob = (np.concatenate(x) for x in zip(*parts, strict=True))
    resend = rng.random(len(rr)) < P_KIRIM_ULANG
    sel = np.concatenate([np.arange(len(rr)), np.flatnonzero(resend)])
    rr, dd, t, kind, mob = rr[sel], dd[sel], t[sel], kind[sel], mob[sel]

    d_tap = dept_day[rr, dd]
    device = np.where(mob, dv.n_fisik + d_tap, dev[rr, dd])
    fisik = np.minimum(device, dv.n_fisik - 1)
    finger = ~mob & dv.finger[fisik]
    ada_jenis = mob | ~finger | dv.kirim_jenis[fisik]
    office = np.array([(d.lat, d.lon) for d in wf.depts])
    jitter = rng.normal(0, 0.0012, (len(rr), 2))
    lat = np.where(far[rr], far_lat[rr] + 3 * jitter[:, 0], office[d_tap, 0] + jitter[:, 0])
    lon = np.where(far[rr], far_lon[rr] + 3 * jitter[:, 1], office[d_tap, 1] + jitter[:, 1])
    nip = pl.Series(wf.nip.astype(str))
    taps = pl.DataFrame(
        {
            "id_mesin": dv.ids.gather(device),
            "nip": nip.gather(idx[rr]),
            "waktu": pl.from_epoch(pl.Series(t), time_unit="s"),
            "jenis": pl.Series(np.where(kind == 0, "MASUK", "PULANG")),
            "metode": pl.Series(np.where(mob, "MOBILE", np.where(finger, "FINGER", "WAJAH"))),
            "lat": np.round(lat, 6),
            "lon": np.round(lon, 6),
            "_ada_jenis": ada_jenis,
            "_mob": mob,
        }
    ).with_columns(
        jenis=pl.when("_ada_jenis").then("jenis"),
        lat=pl.when("_mob").then("lat"),
        lon=pl.when("_mob").then("lon"),
    )
    taps = taps.drop("_ada_jenis", "_mob").sort(
        "waktu", "id_mesin", "nip", "jenis", nulls_last=True, maintain_order=True
    )

    start_abs = day0 + m.start_sec
    end_abs = day0 + m.end_sec
    hadir = attend & (has_in | has_out)
    telat = (hadir & has_in & (t_in - start_abs >= 60)).sum(1)
    cepat = (hadir & has_out & (end_abs - t_out >= 60)).sum(1)
    seen = has_in | has_out
    mob_day = (mob_in & has_in) | (mob_out & has_out)
    office_far = office[st.dept[idx], :]
    tabel = []
    nips = wf.nip.astype(str)
    if len(rb):
        first_day = np.argmax(copy & has_in[ra], axis=1)
        tabel.append(
            pl.DataFrame(
                {
                    "r": rb,
                    "jenis_anomali": "TITIP_ABSEN",
                    "k": (copy & seen[ra]).sum(1),
                    "a": nips[idx[ra]],
                    "b": dv.ids.gather(dev[ra, first_day]),
                }
            ).with_columns(
                detail=pl.format("tap 3-20 detik setelah {} di {} pada {} hari", "a", "b", "k")
            )
        )
    if len(rj):
        jam = (
            pl.Series(menit // 60).cast(pl.String).str.zfill(2)
            + ":"
            + pl.Series(menit % 60).cast(pl.String).str.zfill(2)
        )
        tabel.append(
            pl.DataFrame(
                {"r": rj, "jenis_anomali": "JAM_MASUK_IDENTIK", "k": has_in[rj].sum(1), "a": jam}
            ).with_columns(detail=pl.format("jam masuk selalu {} pada {} hari kerja", "a", "k"))
        )
    if len(rm):
        km = km_between(office_far[rm, 0], office_far[rm, 1], far_lat[rm], far_lon[rm])
        tabel.append(
            pl.DataFrame(
                {
                    "r": rm,
                    "jenis_anomali": "MOBILE_JAUH",
                    "k": mob_day[rm].sum(1),
                    "a": np.round(km, 1),
                }
            ).with_columns(
                detail=pl.format("tap MOBILE sekitar {} km dari kantor pada {} hari", "a", "k")
            )
        )
    if len(rd):
        trip = ep.filter(pl.col("anomali")).select("r", "nomor_surat", "tujuan", "mulai", "selesai")
        tabel.append(
            pl.DataFrame(
                {"r": rd, "jenis_anomali": "TAP_SAAT_DL", "k": (plant_dl[rd] & seen[rd]).sum(1)}
            )
            .join(trip, on="r", how="left")
            .with_columns(
                detail=pl.format(
                    "tap kantor pada {} hari selama DL {} ke {} ({} s.d. {})",
                    "k",
                    "nomor_surat",
                    "tujuan",
                    "mulai",
                    "selesai",
                )
            )
        )
    if len(rw):
        tabel.append(
            pl.DataFrame(
                {"r": rw, "jenis_anomali": "TAP_AKHIR_PEKAN", "k": wk[rw].sum(1)}
            ).with_columns(detail=pl.format("tap pada {} hari libur atau akhir pekan", "k"))
        )
    truth = (
        pl.concat([t.select("r", "jenis_anomali", "k", "detail") for t in tabel])
        if tabel
        else pl.DataFrame(
            schema={"r": pl.Int64, "jenis_anomali": pl.String, "k": pl.Int64, "detail": pl.String}
        )
    )
    truth = truth.filter(pl.col("k") > 0)
    truth = truth.select(
        periode=pl.lit(m.periode),
        nip=pl.Series(nips[idx[truth["r"].to_numpy()]], dtype=pl.String),
        jenis_anomali="jenis_anomali",
        detail="detail",
    ).sort("jenis_anomali", "nip")
    return MonthAttendance(taps, idx, hadir, duty.sum(1), tk.sum(1), telat, cepat, truth)
