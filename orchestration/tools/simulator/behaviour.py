"""Stable attendance habits per employee, with a little month-to-month drift.

Offsets are in minutes relative to the duty start (arrival) and duty end (departure) of
tpp-rules §1, so the same habit follows the Ramadan hours.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from orchestration.tools.simulator import organisation as org
from orchestration.tools.simulator.people import Workforce
from orchestration.tools.simulator.streams import stream

PROFIL = ("TEPAT_WAKTU", "SERING_TERLAMBAT", "PULANG_CEPAT", "SERING_MANGKIR", "PENGGUNA_MOBILE")
TEPAT_WAKTU, SERING_TERLAMBAT, PULANG_CEPAT, SERING_MANGKIR, PENGGUNA_MOBILE = range(5)
PROFIL_P = np.array([0.70, 0.11, 0.07, 0.04, 0.08])

# profile -> (arrival mean, mean sd, arrival sd lo/hi, departure mean, mean sd, departure sd lo/hi,
#             P(TK) lo/hi, P(no check-in), P(no check-out))
PARAMS = {
    TEPAT_WAKTU: (-22, 8, 5, 10, 20, 10, 5, 12, 0.002, 0.007, 0.008, 0.012),
    SERING_TERLAMBAT: (18, 10, 12, 22, 5, 10, 8, 15, 0.008, 0.02, 0.015, 0.02),
    PULANG_CEPAT: (-10, 8, 6, 12, -55, 25, 15, 30, 0.008, 0.02, 0.01, 0.05),
    SERING_MANGKIR: (5, 15, 15, 25, -15, 20, 10, 25, 0.06, 0.15, 0.03, 0.05),
    PENGGUNA_MOBILE: (-12, 10, 6, 14, 8, 10, 6, 14, 0.004, 0.01, 0.01, 0.015),
}


@dataclass
class Behaviour:
    profil: np.ndarray
    datang: np.ndarray  # mean arrival offset (min)
    datang_sd: np.ndarray
    pulang: np.ndarray  # mean departure offset (min)
    pulang_sd: np.ndarray
    p_tk: np.ndarray  # chance of a working day with no taps at all
    p_tanpa_masuk: np.ndarray
    p_tanpa_pulang: np.ndarray
    p_ganda: np.ndarray  # double tap
    p_mobile: np.ndarray
    p_akhir_pekan: np.ndarray  # chance of tapping on a day without duty
    mutu: np.ndarray  # latent quality of work, ~N(0, 1)
    log_aktivitas: np.ndarray  # fills the daily activity log

    def take(self, idx: np.ndarray) -> Behaviour:
        return Behaviour(**{f.name: getattr(self, f.name)[idx] for f in fields(self)})


def assign(wf: Workforce, seed: int) -> Behaviour:
    rng = stream(seed, "behaviour")
    n = wf.size
    kat = wf.kategori[wf.states[0].dept]
    edu = kat == org.PENDIDIKAN
    profil = rng.choice(len(PROFIL), n, p=PROFIL_P).astype(np.int8)
    profil[edu & (profil == PENGGUNA_MOBILE)] = TEPAT_WAKTU  # teachers tap at school devices
    p = np.array([PARAMS[int(k)] for k in range(len(PROFIL))], dtype=float)[profil]
    datang = rng.normal(p[:, 0], p[:, 1])
    pulang = rng.normal(p[:, 4], p[:, 5])
    p_mobile = np.where(
        profil == PENGGUNA_MOBILE, rng.uniform(0.7, 0.95, n), np.where(edu, 0.0, 0.02)
    )
    rs = kat == org.RUMAH_SAKIT
    akhir_pekan = rng.random(n) < np.where(rs, 0.25, 0.06)
    mutu = rng.normal(0, 1, n) - np.select(
        [profil == SERING_MANGKIR, profil == SERING_TERLAMBAT], [0.9, 0.3], 0
    )
    return Behaviour(
        profil=profil,
        datang=np.clip(datang, -55, 75),
        datang_sd=rng.uniform(p[:, 2], p[:, 3]),
        pulang=np.clip(pulang, -180, 75),
        pulang_sd=rng.uniform(p[:, 6], p[:, 7]),
        p_tk=rng.uniform(p[:, 8], p[:, 9]),
        p_tanpa_masuk=p[:, 10] * rng.uniform(0.5, 1.5, n),
        p_tanpa_pulang=p[:, 11] * rng.uniform(0.5, 1.5, n),
        p_ganda=rng.uniform(0, 0.06, n),
        p_mobile=p_mobile,
        p_akhir_pekan=np.where(akhir_pekan, rng.uniform(0.03, 0.15, n), 0.0),
        mutu=mutu,
        log_aktivitas=rng.random(n) < np.where(edu, 0.03, 0.14),
    )


def for_month(b: Behaviour, seed: int, i: int) -> Behaviour:
    """The habits of month ``i``: the same people, slightly different this month."""
    rng = stream(seed, "behaviour-month", i)
    n = len(b.profil)
    out = b.take(np.arange(n))
    out.datang = b.datang + rng.normal(0, 3, n)
    out.pulang = b.pulang + rng.normal(0, 4, n)
    out.p_tk = np.clip(b.p_tk * rng.lognormal(0, 0.35, n), 0, 0.5)
    return out
