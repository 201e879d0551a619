"""The workforce month by month: the SIMPEG snapshots (pegawai_YYYYMM).

Everyone who ever appears in the simulated range is drawn up front (the "universe": the first
month's staff plus every later recruit), with the dates that end a career (retirement at 58 at
the end of the birthday month, rarer deaths/dismissals). Then each month derives from the
previous one: transfers between departments and new posts inside one (both with ``tmt_opd``
inside the month), CPNS becoming PNS, and rank promotions in April and October.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from functools import cached_property

import numpy as np
import polars as pl

from orchestration.tools.simulator import jobs, names
from orchestration.tools.simulator import organisation as org
from orchestration.tools.simulator.jobs import (
    ADMINISTRATOR,
    CPNS,
    FUNGSIONAL,
    JPT,
    PELAKSANA,
    PENGAWAS,
    PNS,
    PPPK,
)
from orchestration.tools.simulator.kalender import Month
from orchestration.tools.simulator.streams import stream

NAT = np.datetime64("NaT", "D")
DAY = np.timedelta64(1, "D")
P_REKRUT = 0.0018  # recruits per month, share of the initial staff (×3 in July: PPPK batch)
P_BERHENTI = 0.00025  # deaths, dismissals, resignations per person-month
P_MUTASI = 0.003  # transfers to another department, share of all staff per month
P_JABATAN_BARU = 0.0004  # new (supervisory) post inside the same department
USIA_PENSIUN = 58

PENSIUN, BERHENTI = 1, 2
PINDAH_OPD, JABATAN_BARU = 1, 2


@dataclass
class MonthState:
    """Per-person (universe index) state at the end of one month."""

    hadir: np.ndarray  # in this month's snapshot
    dept: np.ndarray
    unit: np.ndarray  # work unit / school, also the attendance device
    jenis: np.ndarray
    kelas: np.ndarray
    status: np.ndarray
    gol: np.ndarray
    jabatan: np.ndarray
    tmt_opd: np.ndarray
    kp_terakhir: np.ndarray  # month of the last rank promotion
    mutasi: np.ndarray  # 0, PINDAH_OPD or JABATAN_BARU this month

    def copy(self) -> MonthState:
        return replace(self, **{k: v.copy() for k, v in self.__dict__.items()})


@dataclass
class Workforce:
    depts: tuple[org.Department, ...]
    months: list[Month]
    nip: np.ndarray
    nama: np.ndarray
    pria: np.ndarray
    lahir: np.ndarray
    tmt_cpns: np.ndarray  # datetime64[M]
    mulai: np.ndarray  # first active day
    selesai: np.ndarray  # last active day (NaT: beyond the range)
    alasan: np.ndarray  # 0, PENSIUN, BERHENTI
    rekrut: np.ndarray  # month index of recruitment, -1 for the initial staff
    pendidikan: np.ndarray
    dasar: np.ndarray  # base name of functional posts
    kepala: np.ndarray  # head of a department
    n_units: np.ndarray  # per department
    states: list[MonthState]

    @cached_property
    def nip_series(self) -> pl.Series:
        return pl.Series("nip", self.nip.tolist(), dtype=pl.String)

    @cached_property
    def nip_rank(self) -> np.ndarray:
        """Position of each NIP in text order."""
        return np.argsort(np.argsort(self.nip.astype(str), kind="stable"), kind="stable")

    @property
    def size(self) -> int:
        return len(self.nip)

    @property
    def kategori(self) -> np.ndarray:
        return np.array([d.kategori for d in self.depts], dtype=object)

    def aktif(self, i: int) -> tuple[np.ndarray, np.ndarray]:
        """(first, last) active day of each person clipped to month ``i`` (NaT when absent)."""
        m = self.months[i]
        first = np.maximum(self.mulai, m.first)
        last = np.where(np.isnat(self.selesai), m.last, np.minimum(self.selesai, m.last))
        return first, last

    def snapshot(self, i: int, pola: np.ndarray | None = None) -> pl.DataFrame:
        """pegawai_YYYYMM rows, in SIMPEG order (department, post type, class, rank, NIP).

        ``pola``: the work pattern of everyone (universe ids; 0 KANTOR, 1 SEKOLAH, 2 SHIFT):
        SIMPEG fills ``pola_kerja`` for teachers and shift staff and leaves it empty for the
        office week (the department's default in the rulebook)."""
        st, m = self.states[i], self.months[i]
        idx = np.flatnonzero(st.hadir)
        keluar = self.selesai[idx]
        sampai = np.where(~np.isnat(keluar) & (keluar <= m.last), keluar, NAT)
        kode = np.array([d.kode for d in self.depts])
        nama_opd = np.array([d.nama for d in self.depts])
        frame = pl.DataFrame(
            {
                "nip": self.nip[idx],
                "nama": self.nama[idx].astype(str),
                "status": jobs.STATUS[st.status[idx]],
                "golongan": jobs.label_golongan(st.status[idx], st.gol[idx]),
                "jenis_jabatan": jobs.JENIS[st.jenis[idx]],
                "nama_jabatan": st.jabatan[idx].astype(str),
                "kelas_jabatan": st.kelas[idx].astype(np.int32),
                "kode_opd": kode[st.dept[idx]],
                "nama_opd": nama_opd[st.dept[idx]],
                "tmt_opd": st.tmt_opd[idx],
                "aktif_sampai": sampai,
                "pola_kerja": pl.Series([None, "SEKOLAH", "SHIFT"], dtype=pl.String).gather(
                    np.zeros(len(idx), np.int64) if pola is None else pola[idx]
                ),
                "_d": st.dept[idx],
                "_j": st.jenis[idx],
                "_g": st.gol[idx],
            }
        )
        return frame.sort(
            ["_d", "_j", "kelas_jabatan", "_g", "nip"], descending=[False, False, True, True, False]
        ).drop("_d", "_j", "_g")


def _days(a: np.ndarray, years: np.ndarray) -> np.ndarray:
    return a - (years * 365.25).astype(np.int64) * DAY


def _male_share(kategori: np.ndarray, kepala: np.ndarray) -> np.ndarray:
    p = np.select([kategori == org.PENDIDIKAN, kategori == org.RUMAH_SAKIT], [0.44, 0.30], 0.58)
    return np.where(kepala, 0.85, p)


def _staff(
    rng, depts, dept, kepala, sekretaris, status, jenis, pend, rendah, lahir, tmt, masa_kerja
):
    """Rank, class, post names and full names for a set of people."""
    kelas_kepala = np.array([d.kelas_kepala for d in depts], dtype=np.int8)[dept]
    gol = jobs.golongan(status, jenis, pend, masa_kerja, rendah)
    kelas = jobs.kelas_jabatan(rng, jenis, status, pend, gol, rendah, kelas_kepala, sekretaris)
    dasar = jobs.jabatan_dasar(rng, depts, dept, jenis, pend)
    jabatan = jobs.nama_jabatan(rng, depts, dept, jenis, kelas, pend, dasar)
    return gol, kelas, dasar, jabatan


@dataclass
class Cohort:
    """Attributes of a group of people (the first month's staff, or the recruits)."""

    dept: np.ndarray
    unit: np.ndarray
    status: np.ndarray
    jenis: np.ndarray
    pend: np.ndarray
    pria: np.ndarray
    lahir: np.ndarray
    tmt: np.ndarray  # TMT CPNS/PPPK, datetime64[M]
    gol: np.ndarray
    kelas: np.ndarray
    dasar: np.ndarray
    jabatan: np.ndarray
    tmt_opd: np.ndarray
    kp: np.ndarray  # month of the last rank promotion
    kepala: np.ndarray
    mulai: np.ndarray  # first active day

    def __add__(self, other: Cohort) -> Cohort:
        return Cohort(
            **{
                f.name: np.concatenate([getattr(self, f.name), getattr(other, f.name)])
                for f in fields(self)
            }
        )


def _n_units(depts, size: np.ndarray) -> np.ndarray:
    """Work units (schools, wards, floors) per department, one attendance device each."""
    kat = np.array([d.kategori for d in depts], dtype=object)
    return np.where(
        kat == org.PENDIDIKAN,
        np.maximum(1, np.round(size / 28)),
        np.where(kat == org.RUMAH_SAKIT, 2 + size // 150, 1 + size // 60),
    ).astype(np.int64)


def _first_staff(rng, depts, months: list[Month], size: np.ndarray, n_units: np.ndarray) -> Cohort:
    """Everyone in post in the first month: one head per department, a secretary, the rest."""
    t0, t0m = months[0].first, months[0].month
    n = int(size.sum())
    kat_opd = np.array([d.kategori for d in depts], dtype=object)
    dept = np.repeat(np.arange(len(depts)), size)
    pos = np.arange(n) - np.repeat(np.cumsum(size) - size, size)
    kepala = pos == 0
    sekretaris = (pos == 1) & (size[dept] >= 6)
    kat = kat_opd[dept]
    jenis = jobs.jenis_jabatan(rng, kat, kepala, sekretaris)
    status = jobs.status_awal(rng, kat, jenis)
    pend = jobs.pendidikan(rng, jenis, kat)
    rendah = (jenis == PELAKSANA) & (pend == names.SMA) & (rng.random(n) < 0.15)
    pria = rng.random(n) < _male_share(kat, kepala)
    umur = np.select(
        [kepala, jenis == ADMINISTRATOR, jenis == PENGAWAS, status == CPNS, status == PPPK],
        [
            rng.uniform(46, 54.5, n),
            38 + 19.9 * rng.beta(2.5, 1.5, n),
            33 + 24.9 * rng.beta(2.2, 1.6, n),
            22 + 13 * rng.beta(1.5, 3, n),
            24 + 31 * rng.beta(2.2, 2.2, n),
        ],
        23 + 35 * rng.beta(2.1, 1.25, n),
    )
    lahir = _days(t0, np.minimum(umur, 57.97))
    # age at appointment by education; PNS have passed their CPNS year
    masuk = np.select(
        [kepala, pend == names.SMA, pend == names.D3, pend == names.S1],
        [
            rng.uniform(24, 30, n),
            rng.uniform(19, 27, n),
            rng.uniform(21, 30, n),
            rng.uniform(23, 35, n),
        ],
        rng.uniform(25, 38, n),
    )
    batas = t0 - 400 * DAY - (rng.uniform(0, 3, n) * 365).astype(np.int64) * DAY
    tmt_pns = np.minimum(lahir + (masuk * 365.25).astype(np.int64) * DAY, batas)
    tmt = np.maximum(tmt_pns, lahir + 6600 * DAY).astype("datetime64[M]")
    tmt = np.where(status == CPNS, t0m - rng.integers(1, 12, n), tmt)  # CPNS: within the last year
    pppk_awal = np.maximum(np.datetime64("2021-03"), (lahir + 7000 * DAY).astype("datetime64[M]"))
    span = np.maximum((t0m - pppk_awal).astype(np.int64), 1)
    tmt = np.where(status == PPPK, pppk_awal + (rng.random(n) * span).astype(np.int64), tmt)
    tmt = np.minimum(tmt, t0m - 1)
    masa_kerja = (t0 - tmt.astype("datetime64[D]")).astype(np.int64) / 365.25
    gol, kelas, dasar, jabatan = _staff(
        rng, depts, dept, kepala, sekretaris, status, jenis, pend, rendah, lahir, tmt, masa_kerja
    )
    unit = (rng.random(n) * n_units[dept]).astype(np.int64)
    unit[kepala | sekretaris] = 0
    # first day in the current department: mostly years ago, many since the 2017 restructuring
    tmt_d = tmt.astype("datetime64[D]")
    a = np.maximum(tmt_d, np.datetime64("2000-01-03"))
    a = np.where(kepala, np.maximum(a, t0 - 5 * 365 * DAY), a)
    b = t0 - 20 * DAY
    tmt_opd = a + (rng.random(n) ** 0.7 * (b - a).astype(np.int64)).astype(np.int64) * DAY
    restruktur = (a <= np.datetime64("2017-01-02")) & (rng.random(n) < 0.25) & ~kepala
    tmt_opd = np.where(restruktur, np.datetime64("2017-01-02"), tmt_opd)
    baru = status != PNS
    tmt_opd = np.where(baru, np.minimum(tmt_d + rng.integers(0, 15, n) * DAY, t0 - DAY), tmt_opd)
    kp = np.maximum(t0m - rng.integers(0, 48, n), tmt)
    mulai = np.minimum(tmt_opd, t0 - DAY)
    return Cohort(
        dept,
        unit,
        status,
        jenis,
        pend,
        pria,
        lahir,
        tmt,
        gol,
        kelas,
        dasar,
        jabatan,
        tmt_opd,
        kp,
        kepala,
        mulai,
    )


def _recruits(rng, depts, months: list[Month], rekrut: np.ndarray, n_units: np.ndarray) -> Cohort:
    """CPNS and PPPK appointed during the range: they start on a day inside their first month."""
    h = len(rekrut)
    kat_opd = np.array([d.kategori for d in depts], dtype=object)
    bobot = np.array([d.bobot for d in depts], dtype=float)
    month = np.array([m.month for m in months], dtype="datetime64[M]")[rekrut]
    dept = rng.choice(len(depts), h, p=bobot / bobot.sum())
    kat = kat_opd[dept]
    status = np.where(rng.random(h) < 0.65, PPPK, CPNS).astype(np.int8)
    p_fungsional = np.where(kat == org.PENDIDIKAN, 0.92, 0.7)
    jenis = np.where(rng.random(h) < p_fungsional, FUNGSIONAL, PELAKSANA).astype(np.int8)
    pend = jobs.pendidikan(rng, jenis, kat)
    no = np.zeros(h, dtype=bool)
    pria = rng.random(h) < _male_share(kat, no)
    first = month.astype("datetime64[D]")
    umur = np.where(status == CPNS, 22 + 11 * rng.beta(1.5, 2.5, h), 25 + 20 * rng.beta(2, 2.5, h))
    lahir = _days(first, umur)
    start = first + rng.integers(0, 20, h) * DAY
    gol, kelas, dasar, jabatan = _staff(
        rng, depts, dept, no, no, status, jenis, pend, no, lahir, month, np.zeros(h)
    )
    unit = (rng.random(h) * n_units[dept]).astype(np.int64)
    return Cohort(
        dept,
        unit,
        status,
        jenis,
        pend,
        pria,
        lahir,
        month,
        gol,
        kelas,
        dasar,
        jabatan,
        start,
        month,
        no,
        start,
    )


def _career_ends(
    rng, months: list[Month], c: Cohort, rekrut: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(last active day or NaT, reason): retirement at the end of the month of turning 58,
    or a rarer death/dismissal on any day (never a head of department)."""
    u = len(rekrut)
    pensiun = (c.lahir.astype("datetime64[M]") + USIA_PENSIUN * 12 + 1).astype(
        "datetime64[D]"
    ) - DAY
    akhir = months[-1].last
    selesai = np.where(pensiun <= akhir, pensiun, NAT)
    alasan = np.where(pensiun <= akhir, PENSIUN, 0).astype(np.int8)
    kejadian = np.maximum(rekrut, 0) + rng.geometric(P_BERHENTI, u) - 1
    ok = (kejadian < len(months)) & ~c.kepala
    kejadian = np.minimum(kejadian, len(months) - 1)
    m_first = np.array([m.first for m in months])[kejadian]
    m_len = np.array([len(m.days) for m in months])[kejadian]
    lo = np.where(rekrut == kejadian, (c.mulai - m_first).astype(np.int64) + 1, 0)
    hari = m_first + (lo + rng.random(u) * (m_len - lo)).astype(np.int64) * DAY
    ok &= (lo < m_len) & (np.isnat(selesai) | (hari < selesai))
    return np.where(ok, hari, selesai), np.where(ok, BERHENTI, alasan).astype(np.int8)


def build(depts: tuple[org.Department, ...], months: list[Month], n: int, seed: int) -> Workforce:
    """Everyone who appears in ``months``; the first snapshot holds exactly ``n`` people."""
    rng = stream(seed, "people")
    per_bulan = [
        rng.binomial(n, P_REKRUT * (3 if m.month.astype(int) % 12 == 6 else 1)) for m in months
    ]
    per_bulan[0] = min(per_bulan[0], n // 100)
    n -= per_bulan[0]
    size = org.sizes(depts, n)
    n_units = _n_units(depts, size)
    rekrut = np.concatenate([np.full(n, -1), np.repeat(np.arange(len(months)), per_bulan)])
    c = _first_staff(rng, depts, months, size, n_units)
    c = c + _recruits(rng, depts, months, rekrut[n:], n_units)
    u = len(rekrut)

    diri = names.nama_diri(rng, c.pria)
    lahir_th = c.lahir.astype("datetime64[Y]").astype(np.int64) + 1970
    post = np.where(c.dasar != "", c.dasar, c.jabatan)
    depan, belakang = names.gelar(rng, c.pend, post, lahir_th, c.pria, c.kelas)
    nama = names.nama_lengkap(depan, diri, belakang)
    nip = make_nips(rng, c.lahir, c.tmt, c.pria)
    selesai, alasan = _career_ends(rng, months, c, rekrut)

    state0 = MonthState(
        hadir=np.zeros(u, bool),
        dept=c.dept.astype(np.int64),
        unit=c.unit.astype(np.int64),
        jenis=c.jenis.astype(np.int8),
        kelas=c.kelas.astype(np.int8),
        status=c.status.astype(np.int8),
        gol=c.gol.astype(np.int8),
        jabatan=c.jabatan,
        tmt_opd=c.tmt_opd,
        kp_terakhir=c.kp,
        mutasi=np.zeros(u, np.int8),
    )
    wf = Workforce(
        depts=depts,
        months=months,
        nip=nip,
        nama=nama,
        pria=c.pria,
        lahir=c.lahir,
        tmt_cpns=c.tmt,
        mulai=c.mulai,
        selesai=selesai,
        alasan=alasan,
        rekrut=rekrut,
        pendidikan=c.pend,
        dasar=c.dasar,
        kepala=c.kepala,
        n_units=n_units,
        states=[],
    )
    _evolve(wf, state0, stream(seed, "people-evolve"))
    return wf


def make_nips(
    rng: np.random.Generator, lahir: np.ndarray, tmt: np.ndarray, pria: np.ndarray
) -> np.ndarray:
    """18-digit NIPs: birth yyyymmdd + TMT yyyymm + sex + sequence, unique by construction."""
    frame = pl.DataFrame(
        {
            "lahir": lahir,
            "tmt": tmt.astype("datetime64[D]"),
            "jk": np.where(pria, "1", "2"),
            "r": rng.random(len(lahir)),
        }
    ).with_columns(
        key=pl.col("lahir").dt.strftime("%Y%m%d")
        + pl.col("tmt").dt.strftime("%Y%m")
        + pl.col("jk"),
        i=pl.int_range(pl.len()),
    )
    keys = frame["key"].unique().sort()
    offset = pl.DataFrame({"key": keys, "off": rng.integers(0, 4, len(keys))})
    frame = frame.join(offset, on="key").with_columns(
        seq=pl.col("r").rank("ordinal").over("key").cast(pl.Int64) + pl.col("off")
    )
    frame = frame.sort("i")
    return (frame["key"] + frame["seq"].cast(pl.String).str.zfill(3)).to_numpy().astype(object)


def _transferable(wf: Workforce, st: MonthState) -> np.ndarray:
    umum = np.isin(wf.dasar, list(org.FUNGSIONAL_UMUM_AHLI + org.FUNGSIONAL_UMUM_TERAMPIL))
    return ~wf.kepala & ((st.jenis != FUNGSIONAL) | umum) & (st.jenis != JPT)


def _evolve(wf: Workforce, st: MonthState, rng: np.random.Generator) -> None:
    k = len(wf.depts)
    bobot = np.array([d.bobot for d in wf.depts], dtype=float)
    bobot = np.where(np.isin(wf.kategori, [org.PENDIDIKAN, org.RUMAH_SAKIT]), bobot * 0.05, bobot)
    lag = rng.integers(12, 19, wf.size)  # months from TMT CPNS to the PNS decree
    for i, m in enumerate(wf.months):
        prev = st
        st = prev.copy()
        st.mutasi[:] = 0
        st.hadir = (wf.mulai <= m.last) & (np.isnat(wf.selesai) | (wf.selesai >= m.first))
        st.status[(st.status == CPNS) & (m.month >= wf.tmt_cpns + lag)] = PNS
        if m.month.astype(int) % 12 in (3, 9):  # April and October promotion rounds
            cap = jobs.golongan(
                st.status, st.jenis, wf.pendidikan, np.full(wf.size, 99.0), np.zeros(wf.size, bool)
            )
            naik = (
                st.hadir
                & (st.status == PNS)
                & (st.gol < cap)
                & ((m.month - st.kp_terakhir).astype(int) >= 48)
            )
            st.gol[naik] += 1
            st.kp_terakhir[naik] = m.month
        wd = m.working_days[1:]
        if i == 0 or len(wd) == 0:
            wf.states.append(st)
            continue
        tetap = (
            prev.hadir
            & st.hadir
            & (wf.mulai < m.first)
            & (np.isnat(wf.selesai) | (wf.selesai > m.last))
        )
        bisa = tetap & _transferable(wf, st)
        p = min(1.0, P_MUTASI * st.hadir.sum() / max(bisa.sum(), 1))
        pindah = bisa & (rng.random(wf.size) < p) if k > 1 else np.zeros(wf.size, bool)
        idx = np.flatnonzero(pindah)
        if len(idx):
            tujuan = rng.choice(k, len(idx), p=bobot / bobot.sum())
            sama = tujuan == st.dept[idx]
            tujuan[sama] = (tujuan[sama] + 1 + rng.integers(0, k - 1, int(sama.sum()))) % k
            st.dept[idx] = tujuan
            st.unit[idx] = (rng.random(len(idx)) * wf.n_units[tujuan]).astype(np.int64)
            st.tmt_opd[idx] = wd[rng.integers(0, len(wd), len(idx))]
            st.jabatan[idx] = jobs.nama_jabatan(
                rng,
                wf.depts,
                tujuan,
                st.jenis[idx],
                st.kelas[idx],
                wf.pendidikan[idx],
                wf.dasar[idx],
            )
            st.mutasi[idx] = PINDAH_OPD
        naik = (
            tetap
            & ~pindah
            & _transferable(wf, st)
            & (st.status == PNS)
            & (st.gol >= 9)
            & (st.kelas >= 6)
            & (wf.pendidikan >= names.D3)
            & np.isin(st.jenis, [FUNGSIONAL, PELAKSANA])
            & (rng.random(wf.size) < P_JABATAN_BARU)
        )
        idx = np.flatnonzero(naik)
        if len(idx):
            st.jenis[idx] = PENGAWAS
            st.kelas[idx] = 9
            st.gol[idx] = np.minimum(st.gol[idx], 12)
            st.jabatan[idx] = jobs.nama_jabatan(
                rng,
                wf.depts,
                st.dept[idx],
                st.jenis[idx],
                st.kelas[idx],
                wf.pendidikan[idx],
                wf.dasar[idx],
            )
            st.tmt_opd[idx] = wd[rng.integers(0, len(wd), len(idx))]
            st.mutasi[idx] = JABATAN_BARU
        wf.states.append(st)
