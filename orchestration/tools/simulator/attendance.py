"""Attendance taps (absensi_YYYYMM): one month, as employees × days arrays, no row loops."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import polars as pl

from orchestration.tools.simulator.anomalies import JENIS, Plan, km_between
from orchestration.tools.simulator.behaviour import Behaviour
from orchestration.tools.simulator.jadwal import KANTOR, SEKOLAH, SHIFT, Hari, Jadwal, hari
from orchestration.tools.simulator.jadwal import roster as jadwal_rows
from orchestration.tools.simulator.people import PINDAH_OPD, Workforce
from orchestration.tools.simulator.streams import stream

LONG_KODE = ("CM", "CB", "CLTN", "TB")
P_KIRIM_ULANG = 0.0012  # a device re-sends a tap: exact duplicate row
JENIS_TAP = pl.Series("jenis", ["MASUK", "PULANG"])
METODE = pl.Series("metode", ["FINGER", "WAJAH", "MOBILE"])


@dataclass
class Devices:
    """Attendance devices, one per work unit (school, ward, office floor), plus the mobile app."""

    ids: pl.Series  # device ids; index n_fisik + dept is that department's mobile app
    finger: np.ndarray  # True: fingerprint (FINGER), False: face (WAJAH)
    kirim_jenis: np.ndarray  # device asks MASUK/PULANG
    offset: np.ndarray  # first device of each department
    n_fisik: int

    @cached_property
    def rank(self) -> np.ndarray:
        """Position of each device id in text order."""
        return np.argsort(np.argsort(self.ids.to_numpy().astype(str), kind="stable"), kind="stable")


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
class Taps:
    """Tap rows as arrays (universe ids), before they become export rows."""

    pid: np.ndarray
    t: np.ndarray  # epoch seconds, WITA wall clock
    kind: np.ndarray  # 0 MASUK, 1 PULANG
    mob: np.ndarray
    device: np.ndarray
    finger: np.ndarray
    ada_jenis: np.ndarray
    lat: np.ndarray
    lon: np.ndarray

    def take(self, sel: np.ndarray) -> Taps:
        return Taps(**{k: v[sel] for k, v in self.__dict__.items()})

    @classmethod
    def concat(cls, parts: list[Taps]) -> Taps:
        return cls(
            **{k: np.concatenate([getattr(p, k) for p in parts]) for k in cls.__annotations__}
        )

    @classmethod
    def empty(cls) -> Taps:
        z = np.zeros(0, np.int64)
        b = np.zeros(0, bool)
        return cls(z, z, z.astype(np.int8), b, z, b, b, z.astype(float), z.astype(float))


@dataclass
class MonthAttendance:
    taps: pl.DataFrame  # export columns
    carry: Taps  # taps that fall in the next month (a month-end night shift's check-out)
    roster: pl.DataFrame  # jadwal_YYYYMM rows
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


@dataclass
class Grid:
    """One month as employees × calendar days: who is on duty where, and the taps drawn."""

    idx: np.ndarray  # universe ids of the rows
    pos: np.ndarray  # universe id -> row (-1: not in this month's snapshot)
    active: np.ndarray
    duty: np.ndarray  # active on a working day
    before: np.ndarray  # a transfer month, before tmt_opd: still at the old department
    dept: np.ndarray  # department of each day
    dev: np.ndarray  # device of each day
    day0: np.ndarray  # epoch seconds of each day's midnight (WITA wall clock)
    h: Hari  # each day's pattern, roster code and hours
    start: np.ndarray  # (P, D) duty start, seconds after the day's midnight
    end: np.ndarray  # (P, D) duty end (> 86400: a night shift ends the next day)
    # filled in by the steps below
    exc: np.ndarray = None  # approved absence
    plant_dl: np.ndarray = None  # approved DL planted for TAP_SAAT_DL
    tk: np.ndarray = None
    attend: np.ndarray = None
    t_in: np.ndarray = None
    t_out: np.ndarray = None
    has_in: np.ndarray = None
    has_out: np.ndarray = None
    no_out: np.ndarray = None
    wk: np.ndarray = None  # taps on a day without duty
    wk_out: np.ndarray = None
    t_wk_in: np.ndarray = None
    t_wk_out: np.ndarray = None
    mob_in: np.ndarray = None
    mob_out: np.ndarray = None
    far: np.ndarray = None  # MOBILE_JAUH rows, tapping from (far_lat, far_lon)
    far_lat: np.ndarray = None
    far_lon: np.ndarray = None


def _grid(wf: Workforce, i: int, dv: Devices, jd: Jadwal) -> Grid:
    m, st = wf.months[i], wf.states[i]
    prev = wf.states[i - 1] if i else st
    idx = np.flatnonzero(st.hadir)
    pos = np.full(wf.size, -1)
    pos[idx] = np.arange(len(idx))
    first, last = (a[idx] for a in wf.aktif(i))
    active = (m.days >= first[:, None]) & (m.days <= last[:, None])
    before = (st.mutasi[idx] == PINDAH_OPD)[:, None] & (m.days < st.tmt_opd[idx][:, None])
    dept = np.where(before, prev.dept[idx][:, None], st.dept[idx][:, None])
    unit = np.where(before, prev.unit[idx][:, None], st.unit[idx][:, None])
    day0 = m.days.astype("datetime64[s]").astype(np.int64)
    pola_lalu = jd.pola[i - 1] if i else jd.pola[i]
    pola = np.where(before, pola_lalu[idx][:, None], jd.pola[i][idx][:, None]).astype(np.int8)
    h = hari(jd.aturan[i], m, jd.libur[i], pola, active, jd.shift_besok(wf, i, idx), jd.offset[idx])
    return Grid(
        idx,
        pos,
        active,
        active & h.kerja,
        before,
        dept,
        dv.offset[dept] + unit,
        day0,
        h,
        h.masuk,
        h.pulang,
    )


def _absences(g: Grid, ep: pl.DataFrame, m, rng: np.random.Generator) -> tuple[np.ndarray, ...]:
    """Approved absences onto the grid; returns (unapproved-absence days, long leave, DL)."""
    shape = g.duty.shape
    d0 = np.maximum((ep["mulai"].to_numpy() - m.first).astype(np.int64), 0)
    d1 = np.minimum((ep["selesai"].to_numpy() - m.first).astype(np.int64), shape[1] - 1)
    ok = ep["status"].to_numpy() == "DISETUJUI"
    kode = ep["kode"].to_numpy()
    r = ep["r"].to_numpy()
    masks = {}
    for name, sel in (
        ("exc", ok),
        ("long", ok & np.isin(kode, LONG_KODE)),
        ("dl", ok & (kode == "DL")),
        ("plant", ok & ep["anomali"].to_numpy()),
    ):
        masks[name] = np.zeros(shape, bool)
        rr, dd = _expand(r[sel], d0[sel], d1[sel])
        masks[name][rr, dd] = True
    g.exc, g.plant_dl = masks["exc"], masks["plant"] & g.duty
    # unapproved requests: mostly absent anyway when still pending, sometimes when rejected
    pending = ep["status"].to_numpy() == "DIAJUKAN"
    gone = ~ok & (rng.random(len(r)) < np.where(pending, 0.8, 0.35))
    informal = np.zeros(shape, bool)
    rr, dd = _expand(r[gone], d0[gone], d1[gone])
    informal[rr, dd] = True
    return informal, masks["long"], masks["dl"]


def _habits(g: Grid, b: Behaviour, m, informal, exc_long, exc_dl, rng: np.random.Generator) -> None:
    """Ordinary days: arrivals and departures around the duty hours, misses, weekend taps."""
    shape = g.duty.shape
    g.tk = g.duty & ~g.exc & ((rng.random(shape) < b.p_tk[:, None]) | informal)
    g.attend = g.duty & ~g.exc & ~g.tk
    pola = g.h.pola
    shift = pola == SHIFT
    tail = (rng.random(shape) < 0.03) * rng.exponential(40, shape)
    arr = b.datang[:, None] + b.datang_sd[:, None] * rng.standard_normal(shape)
    arr += 3 * ((m.weekday == 0) & ~shift) + tail  # Mondays are slower (at the office)
    dep = b.pulang[:, None] + b.pulang_sd[:, None] * rng.standard_normal(shape)
    dep -= 8 * ((m.weekday == 4) & (pola == KANTOR))  # Fridays end early, in practice
    g.t_in = g.day0 + g.start + (arr * 60).astype(np.int64) + rng.integers(0, 60, shape)
    # nobody comes in more than two hours early (the office: not before 05:30)
    g.t_in = np.maximum(g.t_in, g.day0 + np.where(pola == KANTOR, 5 * 3600 + 1800, g.start - 7200))
    t_out = g.day0 + g.end + (dep * 60).astype(np.int64) + rng.integers(0, 60, shape)
    t_out = np.maximum(t_out, g.t_in + 1800 + rng.integers(0, 1800, shape))
    # the last one out leaves by 22:00; a shift at most three hours after its end
    g.t_out = np.minimum(t_out, g.day0 + np.where(shift, g.end + 3 * 3600, 22 * 3600))
    no_in = rng.random(shape) < b.p_tanpa_masuk[:, None]
    g.no_out = (rng.random(shape) < b.p_tanpa_pulang[:, None]) & ~no_in
    g.has_in, g.has_out = g.attend & ~no_in, g.attend & ~g.no_out
    # approved absence, but a morning tap anyway (before leaving on a trip, say)
    p_anyway = np.where(exc_dl, 0.08, 0.02)
    g.has_in |= g.duty & g.exc & ~exc_long & (rng.random(shape) < p_anyway)
    g.wk = g.active & ~g.h.kerja & (rng.random(shape) < b.p_akhir_pekan[:, None])
    # a day off: late morning, or from noon after a night shift's morning (its window)
    g.t_wk_in = g.day0 + np.where(shift, 12, 8) * 3600 + rng.integers(0, 3 * 3600, shape)
    g.t_wk_out = g.t_wk_in + rng.integers(5400, 5 * 3600, shape)
    g.wk_out = g.wk & (rng.random(shape) < 0.85)
    g.mob_in = rng.random(shape) < b.p_mobile[:, None]
    g.mob_out = rng.random(shape) < b.p_mobile[:, None]
    g.far = np.zeros(shape[0], bool)
    g.far_lat, g.far_lon = np.zeros(shape[0]), np.zeros(shape[0])


@dataclass
class Planted:
    rows: dict[str, np.ndarray]  # kind -> grid rows
    menit: np.ndarray  # JAM_MASUK_IDENTIK: the fixed arrival minute (after midnight)
    buddy: np.ndarray  # TITIP_ABSEN: grid rows of the colleagues whose taps are copied
    copy: np.ndarray  # TITIP_ABSEN: the days that were copied


def _plant(g: Grid, plan: Plan, m, jd: Jadwal, rng: np.random.Generator) -> Planted:
    """Overwrite the taps of this month's anomalous employees (see anomalies.JENIS_ANOMALI)."""
    rows = {k: g.pos[plan.pid[plan.of(k)]] for k in JENIS}
    d_n = g.duty.shape[1]

    rj = rows["JAM_MASUK_IDENTIK"]
    # a few minutes before the pattern's usual start (the rulebook's Monday, outside Ramadan)
    awal = jd.aturan[m.index].masuk[np.minimum(g.h.pola[rj, -1], SEKOLAH), 0, 1] // 60
    menit = awal - rng.integers(3, 26, len(rj))
    g.t_in[rj] = g.day0 + (menit * 60)[:, None] + rng.integers(0, 60, (len(rj), d_n))
    ok_days = g.duty[rj] & ~g.exc[rj]
    g.has_in[rj] = ok_days
    g.has_out[rj] = ok_days & ~g.no_out[rj]
    g.tk[rj] = False
    g.attend[rj] = ok_days

    rd = rows["TAP_SAAT_DL"]
    g.has_in[rd] |= g.plant_dl[rd]
    g.has_out[rd] |= g.plant_dl[rd]
    g.mob_in[rd] &= ~g.plant_dl[rd]
    g.mob_out[rd] &= ~g.plant_dl[rd]

    rw = rows["TAP_AKHIR_PEKAN"]
    g.wk[rw] = g.active[rw] & ~g.h.kerja[rw] & (rng.random((len(rw), d_n)) < 0.85)
    g.wk_out[rw] = g.wk[rw]

    rm = rows["MOBILE_JAUH"]
    g.far[rm] = True
    g.far_lat[rm], g.far_lon[rm] = (
        plan.lat[plan.of("MOBILE_JAUH")],
        plan.lon[plan.of("MOBILE_JAUH")],
    )

    rb = rows["TITIP_ABSEN"]
    ra = g.pos[plan.partner[plan.of("TITIP_ABSEN")]]
    copy = g.duty[rb] & ~g.exc[rb]
    g.has_in[rb] = copy & g.has_in[ra]
    g.has_out[rb] = copy & g.has_out[ra]
    g.t_in[rb] = g.t_in[ra] + rng.integers(3, 21, (len(rb), d_n))
    g.t_out[rb] = g.t_out[ra] + rng.integers(3, 21, (len(rb), d_n))
    g.dev[rb] = g.dev[ra]
    g.tk[rb] = copy & ~(g.has_in[rb] | g.has_out[rb])
    g.attend[rb] = copy & (g.has_in[rb] | g.has_out[rb])
    g.wk[rb] = g.wk_out[rb] = False
    for rr in (ra, rb):
        g.mob_in[rr] = g.mob_out[rr] = False
    g.mob_in = (g.mob_in | g.far[:, None]) & ~g.before
    g.mob_out = (g.mob_out | g.far[:, None]) & ~g.before
    return Planted(rows, menit, ra, copy)


def _taps(
    wf: Workforce, g: Grid, b: Behaviour, dv: Devices, p: Planted, rng, carry: Taps
) -> tuple[pl.DataFrame, Taps]:
    """The absensi rows: check-in/out, double taps, weekend taps, re-sent duplicates.

    ``carry``: last month's taps that fall in this month (the check-out of a night shift that
    started on its last day); returns this month's rows and the taps that fall in the next."""
    shape = g.duty.shape
    dbl_in = g.has_in & (rng.random(shape) < b.p_ganda[:, None])
    dbl_out = g.has_out & (rng.random(shape) < b.p_ganda[:, None])
    rb = p.rows["TITIP_ABSEN"]
    dbl_in[rb] = dbl_out[rb] = False
    parts = []
    for mask, t, kind, mob in (
        (g.has_in, g.t_in, 0, g.mob_in),
        (g.has_out, g.t_out, 1, g.mob_out),
        (dbl_in, g.t_in + rng.integers(2, 90, shape), 0, g.mob_in),
        (dbl_out, g.t_out + rng.integers(2, 90, shape), 1, g.mob_out),
        (g.wk, g.t_wk_in, 0, g.far[:, None] & g.wk),
        (g.wk_out, g.t_wk_out, 1, g.far[:, None] & g.wk_out),
    ):
        rr, dd = np.nonzero(mask)
        parts.append((rr, dd, t[rr, dd], np.full(len(rr), kind, np.int8), mob[rr, dd]))
    rr, dd, t, kind, mob = (np.concatenate(x) for x in zip(*parts, strict=True))
    resend = rng.random(len(rr)) < P_KIRIM_ULANG
    sel = np.concatenate([np.arange(len(rr)), np.flatnonzero(resend)])
    rr, dd, t, kind, mob = rr[sel], dd[sel], t[sel], kind[sel], mob[sel]

    d_tap = g.dept[rr, dd]
    device = np.where(mob, dv.n_fisik + d_tap, g.dev[rr, dd])
    fisik = np.minimum(device, dv.n_fisik - 1)
    finger = ~mob & dv.finger[fisik]
    ada_jenis = mob | ~finger | dv.kirim_jenis[fisik]
    office = _offices(wf)
    jitter = rng.normal(0, 0.0012, (len(rr), 2))
    far = g.far[rr]
    lat = np.where(far, g.far_lat[rr] + 3 * jitter[:, 0], office[d_tap, 0] + jitter[:, 0])
    lon = np.where(far, g.far_lon[rr] + 3 * jitter[:, 1], office[d_tap, 1] + jitter[:, 1])
    made = Taps(g.idx[rr], t, kind, mob, device, finger, ada_jenis, lat, lon)
    later = t >= g.day0[-1] + 86400
    now = Taps.concat([carry, made.take(~later)]) if len(carry.t) else made.take(~later)
    return _frame(wf, dv, now), made.take(later)


def _frame(wf: Workforce, dv: Devices, x: Taps) -> pl.DataFrame:
    # the export's order: time, device, NIP, MASUK before PULANG before empty (numpy lexsort
    # on integer ranks is much faster than a multi-column string sort)
    jenis_key = np.where(x.ada_jenis, x.kind, 2)
    x = x.take(np.lexsort((jenis_key, wf.nip_rank[x.pid], dv.rank[x.device], x.t)))
    taps = pl.DataFrame(
        {
            "id_mesin": dv.ids.gather(x.device),
            "nip": wf.nip_series.gather(x.pid),
            "waktu": pl.from_epoch(pl.Series(x.t), time_unit="s"),
            "jenis": JENIS_TAP.gather(x.kind),
            "metode": METODE.gather(np.where(x.mob, 2, np.where(x.finger, 0, 1))),
            "lat": np.round(x.lat, 6),
            "lon": np.round(x.lon, 6),
            "_ada_jenis": x.ada_jenis,
            "_mob": x.mob,
        }
    ).with_columns(
        jenis=pl.when("_ada_jenis").then("jenis"),
        lat=pl.when("_mob").then("lat"),
        lon=pl.when("_mob").then("lon"),
    )
    return taps.drop("_ada_jenis", "_mob")


def _offices(wf: Workforce) -> np.ndarray:
    return np.array([(d.lat, d.lon) for d in wf.depts])


def generate(
    wf: Workforce,
    i: int,
    b_all: Behaviour,
    episodes: pl.DataFrame,
    plan: Plan,
    dv: Devices,
    seed: int,
    jd: Jadwal,
    carry: Taps | None = None,
) -> MonthAttendance:
    """Taps of month ``i`` plus the per-employee day counts the evaluations are drawn from.

    ``carry``: the taps of month ``i - 1`` that fall in this month (``MonthAttendance.carry``).
    """
    m = wf.months[i]
    rng = stream(seed, "attendance", i)
    g = _grid(wf, i, dv, jd)
    b = b_all.take(g.idx)
    ep = episodes.with_columns(r=pl.Series(g.pos[episodes["pid"].to_numpy()]))
    ep = ep.filter(pl.col("r") >= 0)
    informal, exc_long, exc_dl = _absences(g, ep, m, rng)
    _habits(g, b, m, informal, exc_long, exc_dl, rng)
    planted = _plant(g, plan, m, jd, rng)
    taps, later = _taps(wf, g, b, dv, planted, rng, Taps.empty() if carry is None else carry)
    hadir = g.attend & (g.has_in | g.has_out)
    telat = (hadir & g.has_in & (g.t_in - (g.day0 + g.start) >= 60)).sum(1)
    cepat = (hadir & g.has_out & (g.day0 + g.end - g.t_out >= 60)).sum(1)
    truth = _truth(wf, i, g, dv, planted, ep)
    roster = jadwal_rows(wf, m, g.idx, g.h, g.active)
    return MonthAttendance(
        taps, later, roster, g.idx, hadir, g.duty.sum(1), g.tk.sum(1), telat, cepat, truth
    )


def _truth(
    wf: Workforce, i: int, g: Grid, dv: Devices, p: Planted, ep: pl.DataFrame
) -> pl.DataFrame:
    """anomali.csv rows for what was actually planted this month (at least one day)."""
    nips = wf.nip.astype(str)
    seen = g.has_in | g.has_out
    tabel = []
    rb, ra = p.rows["TITIP_ABSEN"], p.buddy
    if len(rb):
        first_day = np.argmax(p.copy & g.has_in[ra], axis=1)
        tabel.append(
            pl.DataFrame(
                {
                    "r": rb,
                    "k": (p.copy & seen[ra]).sum(1),
                    "a": nips[g.idx[ra]],
                    "b": dv.ids.gather(g.dev[ra, first_day]),
                }
            ).with_columns(
                jenis_anomali=pl.lit("TITIP_ABSEN"),
                detail=pl.format("tap 3-20 detik setelah {} di {} pada {} hari", "a", "b", "k"),
            )
        )
    rj = p.rows["JAM_MASUK_IDENTIK"]
    if len(rj):
        jam = (
            pl.Series(p.menit // 60).cast(pl.String).str.zfill(2)
            + ":"
            + pl.Series(p.menit % 60).cast(pl.String).str.zfill(2)
        )
        tabel.append(
            pl.DataFrame({"r": rj, "k": g.has_in[rj].sum(1), "a": jam}).with_columns(
                jenis_anomali=pl.lit("JAM_MASUK_IDENTIK"),
                detail=pl.format("jam masuk selalu {} pada {} hari kerja", "a", "k"),
            )
        )
    rm = p.rows["MOBILE_JAUH"]
    if len(rm):
        office = _offices(wf)[wf.states[i].dept[g.idx[rm]]]
        km = km_between(office[:, 0], office[:, 1], g.far_lat[rm], g.far_lon[rm])
        mob_day = (g.mob_in & g.has_in) | (g.mob_out & g.has_out)
        tabel.append(
            pl.DataFrame({"r": rm, "k": mob_day[rm].sum(1), "a": np.round(km, 1)}).with_columns(
                jenis_anomali=pl.lit("MOBILE_JAUH"),
                detail=pl.format("tap MOBILE sekitar {} km dari kantor pada {} hari", "a", "k"),
            )
        )
    rd = p.rows["TAP_SAAT_DL"]
    if len(rd):
        trip = ep.filter(pl.col("anomali")).select("r", "nomor_surat", "tujuan", "mulai", "selesai")
        tabel.append(
            pl.DataFrame({"r": rd, "k": (g.plant_dl[rd] & seen[rd]).sum(1)})
            .join(trip, on="r", how="left")
            .with_columns(
                jenis_anomali=pl.lit("TAP_SAAT_DL"),
                detail=pl.format(
                    "tap kantor pada {} hari selama DL {} ke {} ({} s.d. {})",
                    "k",
                    "nomor_surat",
                    "tujuan",
                    "mulai",
                    "selesai",
                ),
            )
        )
    rw = p.rows["TAP_AKHIR_PEKAN"]
    if len(rw):
        tabel.append(
            pl.DataFrame({"r": rw, "k": g.wk[rw].sum(1)}).with_columns(
                jenis_anomali=pl.lit("TAP_AKHIR_PEKAN"),
                detail=pl.format("tap pada {} hari libur atau akhir pekan", "k"),
            )
        )
    schema = {"r": pl.Int64, "k": pl.Int64, "jenis_anomali": pl.String, "detail": pl.String}
    truth = (
        pl.concat([t.select(list(schema)).cast(schema) for t in tabel])
        if tabel
        else pl.DataFrame(schema=schema)
    )
    truth = truth.filter(pl.col("k") > 0)
    return truth.select(
        periode=pl.lit(wf.months[i].periode),
        nip=pl.Series(nips[g.idx[truth["r"].to_numpy()]], dtype=pl.String),
        jenis_anomali="jenis_anomali",
        detail="detail",
    ).sort("jenis_anomali", "nip")
