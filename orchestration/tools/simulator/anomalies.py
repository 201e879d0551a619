"""Planted anomalies: the ground truth an anomaly detector is scored against (anomali.csv).

A few employees (``AKTOR_P``) have a fraudulent habit and act on it in most months
(``P_BULAN``), which makes about 1–2 % of employee-months anomalous.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from orchestration.tools.simulator import organisation as org
from orchestration.tools.simulator.jadwal import SHIFT
from orchestration.tools.simulator.people import Workforce
from orchestration.tools.simulator.streams import stable_hash, stream

JENIS_ANOMALI = {
    "TITIP_ABSEN": "buddy punching: B's taps follow A's on the same device a few seconds later, day after day",
    "JAM_MASUK_IDENTIK": "the same arrival minute (HH:MM) on every working day: a faked record",
    "MOBILE_JAUH": "MOBILE taps more than 5 km from the office on most days",
    "TAP_SAAT_DL": "full office taps on the days of an approved DL (official trip) to another regency",
    "TAP_AKHIR_PEKAN": "taps on most of the month's days without duty: weekends and holidays, "
    "a shift worker's rostered days off (LIBUR)",
}
JENIS = tuple(JENIS_ANOMALI)
TANPA_SHIFT = ("TITIP_ABSEN", "JAM_MASUK_IDENTIK")
JENIS_P = np.array([0.30, 0.20, 0.20, 0.15, 0.15])
AKTOR_P = 0.022
P_BULAN = 0.65


@dataclass
class Plan:
    """Anomalies of one month: universe ids, kinds and their parameters."""

    pid: np.ndarray
    jenis: np.ndarray  # index into JENIS
    partner: np.ndarray  # TITIP_ABSEN: the colleague whose taps are copied (-1 otherwise)
    lat: np.ndarray  # MOBILE_JAUH: where the taps come from
    lon: np.ndarray

    def of(self, kind: str) -> np.ndarray:
        return self.jenis == JENIS.index(kind)


def actors(wf: Workforce, seed: int, pola: np.ndarray | None = None) -> np.ndarray:
    """Kind index per person, -1 for the honest majority.

    ``pola``: the first month's work patterns (jadwal.KANTOR/SEKOLAH/SHIFT). Shift staff neither
    keep one arrival minute (their start moves with the roster) nor punch for a colleague on
    another rotation: theirs is tapping on their days off."""
    rng = stream(seed, "anomaly-actors")
    kind = np.where(rng.random(wf.size) < AKTOR_P, rng.choice(len(JENIS), wf.size, p=JENIS_P), -1)
    edu = wf.kategori[wf.states[0].dept] == org.PENDIDIKAN
    kind[edu & (kind == JENIS.index("MOBILE_JAUH"))] = JENIS.index("JAM_MASUK_IDENTIK")
    if pola is not None:
        shift = (pola == SHIFT) & np.isin(kind, [JENIS.index(k) for k in TANPA_SHIFT])
        kind[shift] = JENIS.index("TAP_AKHIR_PEKAN")
    kind[wf.kepala] = -1
    return kind


def plan(
    wf: Workforce,
    seed: int,
    kind: np.ndarray,
    long: pl.DataFrame,
    polas: list[np.ndarray] | None = None,
) -> list[Plan]:
    """Who acts on their habit in which month; ``polas``: each month's work patterns (a kind
    of ``TANPA_SHIFT`` pauses while its actor is on shifts; a buddy keeps the same pattern)."""
    plans = []
    for i, m in enumerate(wf.months):
        rng = stream(seed, "anomaly-plan", i)
        st = wf.states[i]
        lp = long.filter((pl.col("mulai") <= m.last) & (pl.col("selesai") >= m.first))[
            "pid"
        ].to_numpy()
        steady = (
            st.hadir
            & (wf.mulai < m.first)
            & (np.isnat(wf.selesai) | (wf.selesai > m.last))
            & (st.mutasi == 0)
            & ~np.isin(np.arange(wf.size), lp)
        )
        pola = polas[i] if polas is not None else np.zeros(wf.size, np.int8)
        act = steady & (kind >= 0) & (rng.random(wf.size) < P_BULAN)
        act &= ~((pola == SHIFT) & np.isin(kind, [JENIS.index(k) for k in TANPA_SHIFT]))
        pid = np.flatnonzero(act)
        jenis = kind[pid]
        partner = np.full(len(pid), -1)
        t = jenis == JENIS.index("TITIP_ABSEN")
        if t.any():
            cand = np.flatnonzero(steady & (kind < 0))
            group = (pola.astype(np.int64) * 1000 + st.dept) * 100_000 + st.unit
            order = np.lexsort((stable_hash(cand), group[cand]))  # same buddy month after month
            ck, ci = group[cand][order], cand[order]
            who = pid[t]
            lo = np.searchsorted(ck, group[who], "left")
            cnt = np.searchsorted(ck, group[who], "right") - lo
            pick = lo + (stable_hash(who) % np.maximum(cnt, 1)).astype(np.int64)
            partner[t] = np.where(cnt > 0, ci[np.minimum(pick, len(ci) - 1)], -1)
        keep = ~t | (partner >= 0)
        pid, jenis, partner = pid[keep], jenis[keep], partner[keep]
        # MOBILE_JAUH: a regency seat, or somewhere 6–30 km out of town
        office = np.array([(d.lat, d.lon) for d in wf.depts])[st.dept[pid]]
        kab = np.array([(k[1], k[2]) for k in org.KABUPATEN])[
            rng.integers(0, len(org.KABUPATEN), len(pid))
        ]
        km = rng.uniform(6, 30, len(pid))
        arah = rng.uniform(0, 2 * np.pi, len(pid))
        dekat = office + np.c_[np.sin(arah), np.cos(arah)] * (km / 111.0)[:, None]
        where = np.where((rng.random(len(pid)) < 0.5)[:, None], kab, dekat)
        plans.append(Plan(pid, jenis, partner, where[:, 0], where[:, 1]))
    return plans


def planted_dl(plans: list[Plan]) -> dict[int, np.ndarray]:
    """Persons who get an approved DL in month i because they will tap through it."""
    return {i: p.pid[p.of("TAP_SAAT_DL")] for i, p in enumerate(plans)}


def km_between(lat1, lon1, lat2, lon2) -> np.ndarray:
    """Great-circle distance in km."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(np.asarray(lon2) - np.asarray(lon1))
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 6371.0 * 2 * np.arcsin(np.sqrt(a))
