"""Work schedules (jadwal.md): who keeps which pattern, the shift roster and each day's hours.

- ``SEKOLAH``: the teachers (``Guru``) of the education department follow the school week;
- ``SHIFT``: the ward staff of the provincial hospital (clinical functional posts, and the
  PELAKSANA up to class 6: porters, guards, drivers, ward clerks), and the Polisi Pamong Praja and
  the support staff (up to class 3) of Satpol PP work a rotation ``ROTASI`` (PAGI, PAGI, SIANG, SIANG, MALAM, MALAM, LIBUR, LIBUR)
  with a start staggered per person, whatever the calendar says;
- everyone else keeps the office week (``KANTOR``; the master leaves ``pola_kerja`` empty: the
  rulebook's department default).

Hours are rulebook data: the weekly patterns come from ``aturan_jam_kerja.csv`` and the shift
codes from ``aturan_shift.csv`` of the version in force (``aturan_versi.csv``), so a change of
school hours is a change of the seed, not of this code. All arrays, no row loops.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from orchestration.core.paths import SEEDS_DIR
from orchestration.tools.simulator import organisation as org
from orchestration.tools.simulator.jobs import FUNGSIONAL, PELAKSANA
from orchestration.tools.simulator.kalender import Month
from orchestration.tools.simulator.people import PINDAH_OPD, Workforce
from orchestration.tools.simulator.streams import stream

KANTOR, SEKOLAH, SHIFT = 0, 1, 2
POLA = ("KANTOR", "SEKOLAH", "SHIFT")
# roster codes: the shift codes of the rulebook, then LIBUR (the day off)
KODE = ("PAGI", "SIANG", "MALAM", "LIBUR")
PAGI, SIANG, MALAM, LIBUR = range(4)
ROTASI = np.array([PAGI, PAGI, SIANG, SIANG, MALAM, MALAM, LIBUR, LIBUR], dtype=np.int8)
KODE_SATPOL = "1.05.01"
# Functional posts of the hospital that are rostered around the clock.
SHIFT_RS = (
    "Perawat",
    "Bidan",
    "Dokter",
    "Penata Anestesi",
    "Radiografer",
    "Pranata Laboratorium Kesehatan",
    "Tenaga Teknis Kefarmasian",
    "Apoteker",
    "Teknisi Elektromedis",
    "Nutrisionis",
    "Perekam Medis",
)
KELAS_PENDUKUNG = 3  # PELAKSANA up to this class: Pramu Bakti, Petugas Keamanan, Pengemudi
KELAS_BANGSAL = 6  # hospital PELAKSANA up to this class also work on the wards
DAY_S = 86400


def _detik(text: pl.Expr) -> pl.Expr:
    t = text.str.to_time("%H:%M:%S")
    return (
        t.dt.hour().cast(pl.Int64) * 3600
        + t.dt.minute().cast(pl.Int64) * 60
        + t.dt.second().cast(pl.Int64)
    )


@dataclass(frozen=True)
class Aturan:
    """The schedule rows of one rulebook version."""

    versi: str
    # [pola (KANTOR, SEKOLAH), ramadan, ISO weekday 0..7] -> working day / start / end (seconds)
    kerja: np.ndarray
    masuk: np.ndarray
    pulang: np.ndarray
    shift_masuk: np.ndarray  # per KODE (LIBUR: 0)
    shift_pulang: np.ndarray  # end, + one day when the shift crosses midnight

    @classmethod
    def load(cls, month: np.datetime64) -> Aturan:
        """The version in force on the first day of ``month`` (latest ``berlaku_mulai``)."""
        first = month.astype("datetime64[D]").astype(object)
        versi = (
            pl.read_csv(
                SEEDS_DIR / "aturan_versi.csv",
                schema_overrides={"berlaku_mulai": pl.Date, "berlaku_sampai": pl.Date},
            )
            .filter(
                pl.col("berlaku_mulai").is_not_null() & (pl.col("berlaku_mulai") <= first),
                pl.col("berlaku_sampai").is_null() | (pl.col("berlaku_sampai") >= first),
            )
            .sort("berlaku_mulai")
        )
        if versi.is_empty():
            raise ValueError(f"aturan_versi.csv: tidak ada versi yang berlaku pada {first}")
        v = versi["versi"][-1]
        jam = pl.read_csv(SEEDS_DIR / "aturan_jam_kerja.csv", infer_schema=False).filter(
            pl.col("versi") == v, pl.col("pola").is_in(POLA[:2])
        )
        jam = jam.select(
            p=pl.col("pola").replace_strict({"KANTOR": KANTOR, "SEKOLAH": SEKOLAH}),
            r=(pl.col("ramadan").str.to_lowercase() == "true").cast(pl.Int64),
            h=pl.col("hari").cast(pl.Int64),
            a=_detik(pl.col("jam_masuk")),
            b=_detik(pl.col("jam_pulang")),
        )
        kerja = np.zeros((2, 2, 8), bool)
        masuk, pulang = np.zeros((2, 2, 8), np.int64), np.zeros((2, 2, 8), np.int64)
        p, r, h = (jam[c].to_numpy() for c in ("p", "r", "h"))
        kerja[p, r, h] = True
        masuk[p, r, h], pulang[p, r, h] = jam["a"].to_numpy(), jam["b"].to_numpy()
        sh = pl.read_csv(SEEDS_DIR / "aturan_shift.csv", infer_schema=False).filter(
            pl.col("versi") == v
        )
        sh = sh.select("kode_shift", a=_detik(pl.col("jam_masuk")), b=_detik(pl.col("jam_pulang")))
        known = dict(zip(sh["kode_shift"], zip(sh["a"], sh["b"], strict=True), strict=True))
        if missing := [k for k in KODE[:LIBUR] if k not in known]:
            raise ValueError(f"aturan_shift.csv versi {v}: kode {missing} tidak ada")
        a = np.array([known[k][0] for k in KODE[:LIBUR]] + [0], np.int64)
        b = np.array([known[k][1] for k in KODE[:LIBUR]] + [0], np.int64)
        b = np.where(b <= a, b + DAY_S, b)
        b[LIBUR] = 0
        return cls(v, kerja, masuk, pulang, a, b)

    def minggu(self, m: Month, libur: np.ndarray) -> tuple[np.ndarray, ...]:
        """(working, start, end) of KANTOR and SEKOLAH for each day of ``m``: arrays (2, D).
        National holidays and cuti bersama (``libur``) are no working days of either."""
        iso = m.weekday.astype(np.int64) + 1
        r = m.ramadan.astype(np.int64)
        kerja = self.kerja[:, r, iso] & ~libur[None, :]
        return kerja, self.masuk[:, r, iso], self.pulang[:, r, iso]


def pola(wf: Workforce, i: int) -> np.ndarray:
    """Pattern (KANTOR, SEKOLAH, SHIFT) of everyone (universe ids) in month ``i``'s snapshot."""
    st = wf.states[i]
    kat = wf.kategori[st.dept]
    kode = np.array([d.kode for d in wf.depts])[st.dept]
    out = np.full(wf.size, KANTOR, np.int8)
    fungsional = st.jenis == FUNGSIONAL
    out[(kat == org.PENDIDIKAN) & fungsional & (wf.dasar == "Guru")] = SEKOLAH
    pelaksana = st.jenis == PELAKSANA
    rs = (kat == org.RUMAH_SAKIT) & (
        (fungsional & np.isin(wf.dasar, SHIFT_RS)) | (pelaksana & (st.kelas <= KELAS_BANGSAL))
    )
    satpol = (kode == KODE_SATPOL) & (
        (fungsional & (wf.dasar == "Polisi Pamong Praja"))
        | (pelaksana & (st.kelas <= KELAS_PENDUKUNG))
    )
    out[rs | satpol] = SHIFT
    return out


def offsets(wf: Workforce, seed: int) -> np.ndarray:
    """Where each person (universe id) starts in ``ROTASI``: staggered, stable for the range."""
    return stream(seed, "jadwal-rotasi").integers(0, len(ROTASI), wf.size).astype(np.int64)


@dataclass
class Hari:
    """The schedule of one month's grid (employees × days)."""

    pola: np.ndarray  # (P, D) pattern of each day (a transfer month: the old one before tmt_opd)
    kode: np.ndarray  # (P, D) roster code of SHIFT days (index into KODE), -1 on other days
    kerja: np.ndarray  # (P, D) a working day of the schedule (active or not)
    masuk: np.ndarray  # (P, D) seconds after the day's midnight
    pulang: np.ndarray  # (P, D) seconds after the day's midnight (> 86400: the next day)


@dataclass
class Jadwal:
    """What the months' schedules are drawn from."""

    aturan: list[Aturan]  # per month: the rulebook version in force
    libur: list[np.ndarray]  # per month: national holiday or cuti bersama, per day
    pola: list[np.ndarray]  # per month: pattern of everyone (universe ids)
    offset: np.ndarray  # per person: start in ROTASI

    def shift_besok(self, wf: Workforce, i: int, idx: np.ndarray) -> np.ndarray:
        """Rows ``idx`` still on SHIFT the day after month ``i`` (its first day is still in the
        old department after a transfer: tmt_opd is never a month's first working day)."""
        m = wf.months[i]
        sel = wf.selesai[idx]
        lanjut = np.isnat(sel) | (sel > m.last)
        if i + 1 < len(self.pola):
            pindah = wf.states[i + 1].mutasi == PINDAH_OPD
            nxt = np.where(pindah, self.pola[i], self.pola[i + 1])
        else:
            nxt = self.pola[i]
        return lanjut & (nxt[idx] == SHIFT)


def siapkan(wf: Workforce, libur_nasional: np.ndarray, seed: int, aktif: bool = True) -> Jadwal:
    """The schedules of the range; ``aktif=False``: everyone keeps office hours (no roster)."""
    aturan, libur, polas = [], [], []
    for i, m in enumerate(wf.months):
        aturan.append(Aturan.load(m.month))
        libur.append(np.isin(m.days, libur_nasional))
        polas.append(pola(wf, i) if aktif else np.full(wf.size, KANTOR, np.int8))
    return Jadwal(aturan, libur, polas, offsets(wf, seed))


def hari(
    aturan: Aturan,
    m: Month,
    libur: np.ndarray,
    pola_hari: np.ndarray,
    active: np.ndarray,
    shift_besok: np.ndarray,
    offset: np.ndarray,
) -> Hari:
    """Each grid day's pattern, roster code, working flag and hours.

    ``shift_besok``: still a SHIFT day the day after the month (a MALAM on the last day ends
    there). A MALAM shift whose next morning is not a SHIFT day of the same person (last active day,
    transfer) is rostered PAGI instead: its check-out would otherwise land outside the person's
    rostered days.
    """
    n = m.days.astype(np.int64)
    kode = ROTASI[(n[None, :] + offset[:, None]) % len(ROTASI)]
    shift = (pola_hari == SHIFT) & active
    besok = np.concatenate([shift[:, 1:], (shift[:, -1] & shift_besok)[:, None]], axis=1)
    kode = np.where((kode == MALAM) & ~besok, PAGI, kode).astype(np.int8)
    kerja_w, masuk_w, pulang_w = aturan.minggu(m, libur)
    w = np.minimum(pola_hari, SEKOLAH)
    d = np.arange(len(m.days))[None, :]
    is_shift = pola_hari == SHIFT
    return Hari(
        pola=pola_hari,
        kode=np.where(is_shift, kode, -1).astype(np.int8),
        kerja=np.where(is_shift, kode != LIBUR, kerja_w[w, d]),
        masuk=np.where(is_shift, aturan.shift_masuk[kode], masuk_w[w, d]),
        pulang=np.where(is_shift, aturan.shift_pulang[kode], pulang_w[w, d]),
    )


def roster(wf: Workforce, m: Month, idx: np.ndarray, h: Hari, active: np.ndarray) -> pl.DataFrame:
    """jadwal_YYYYMM rows: every active SHIFT day of the month, by NIP then date."""
    rr, dd = np.nonzero((h.pola == SHIFT) & active)
    order = np.lexsort((dd, wf.nip_rank[idx[rr]]))
    rr, dd = rr[order], dd[order]
    return pl.DataFrame(
        {
            "nip": wf.nip_series.gather(idx[rr]),
            "tanggal": pl.Series(m.days[dd]),
            "kode_shift": pl.Series(KODE).gather(h.kode[rr, dd]),
        }
    )
