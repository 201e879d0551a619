"""Monthly performance evaluations (kinerja_YYYYMM, SI-KINERJA, PermenPANRB 6/2022).

Ratings follow behaviour: whoever skipped days or came late often this month is more likely
rated DI_BAWAH on behaviour (perilaku); results (hasil_kerja) follow a stable latent quality.
The evaluator is the direct superior in the same department at the month's end: the school's
principal or a PENGAWAS for staff, an ADMINISTRATOR for PENGAWAS, the head for administrators,
the Sekretaris Daerah for heads; the Sekda is evaluated by the Governor (``NIP_PENILAI_SEKDA``,
not in the provincial master).
"""

from __future__ import annotations

import numpy as np
import polars as pl

from orchestration.core.contract import PREDIKAT_MATRIX
from orchestration.tools.simulator import organisation as org
from orchestration.tools.simulator.attendance import MonthAttendance
from orchestration.tools.simulator.behaviour import Behaviour
from orchestration.tools.simulator.jobs import ADMINISTRATOR, FUNGSIONAL, JPT, PENGAWAS
from orchestration.tools.simulator.people import DAY, Workforce
from orchestration.tools.simulator.streams import stable_hash, stream

NIP_PENILAI_SEKDA = "196805121990031007"
KODE_SEKDA = "4.01.01"
P_FINAL, P_DRAFT = 0.935, 0.035  # the rest has no evaluation row
P_PREDIKAT_KOSONG = 0.04
RATING = np.array(["DI_ATAS", "SESUAI", "DI_BAWAH"])


def _pick(
    who: np.ndarray, who_key: np.ndarray, cand: np.ndarray, cand_key: np.ndarray, salt: int
) -> np.ndarray:
    """For each requester, a stable choice among candidates with the same key (-1: none)."""
    if not len(cand):
        return np.full(len(who), -1)
    order = np.lexsort((cand, cand_key))
    ck, ci = cand_key[order], cand[order]
    lo = np.searchsorted(ck, who_key, "left")
    cnt = np.searchsorted(ck, who_key, "right") - lo
    at = lo + stable_hash(who, salt) % np.maximum(cnt, 1)
    return np.where(cnt > 0, ci[np.minimum(at, len(ci) - 1)], -1)


def evaluators(wf: Workforce, i: int) -> np.ndarray:
    """Evaluator (universe id, -1 = the Governor) for everyone in month ``i``'s snapshot."""
    m, st = wf.months[i], wf.states[i]
    idx = np.flatnonzero(st.hadir)
    still = st.hadir & (np.isnat(wf.selesai) | (wf.selesai > m.last))
    unit_key = st.dept * 100_000 + st.unit
    edu = wf.kategori[st.dept] == org.PENDIDIKAN
    # a principal per school: the most senior teacher still in post
    guru = np.flatnonzero(still & edu & (st.jenis == FUNGSIONAL) & (wf.dasar == "Guru"))
    order = np.lexsort((wf.nip[guru].astype(str), -st.kelas[guru], unit_key[guru]))
    _, first = np.unique(unit_key[guru][order], return_index=True)
    kepsek = np.zeros(wf.size, bool)
    kepsek[guru[order][first]] = True
    level = np.select(
        [st.jenis == JPT, st.jenis == ADMINISTRATOR, (st.jenis == PENGAWAS) | kepsek], [0, 1, 2], 3
    )
    out = np.full(len(idx), -1)
    lv = level[idx]
    cand = {lvl: np.flatnonzero(still & (level == lvl)) for lvl in (0, 1, 2)}
    chain = {
        3: [(2, "unit"), (2, "dept"), (1, "dept"), (0, "dept")],
        2: [(1, "dept"), (0, "dept")],
        1: [(0, "dept")],
    }
    for lvl, steps in chain.items():
        need = lv == lvl
        for c_lvl, scope in steps:
            todo = need & (out < 0)
            if not todo.any():
                break
            who = idx[todo]
            c = cand[c_lvl]
            if lvl == 3 and c_lvl == 2 and scope == "unit":  # principals first for teachers
                c = c[kepsek[c] | ~edu[c]]
            key = unit_key if scope == "unit" else st.dept
            out[todo] = _pick(who, key[who], c, key[c], salt=i)
    # heads: the Sekretaris Daerah (when simulated and in post), who is evaluated by the Governor
    kode = np.array([d.kode for d in wf.depts])
    sekda = np.flatnonzero(still & (st.jenis == JPT) & (kode[st.dept] == KODE_SEKDA))
    if len(sekda):
        out[(lv == 0) & (idx != sekda[0])] = sekda[0]
    return out


def generate(
    wf: Workforce, i: int, att: MonthAttendance, b_all: Behaviour, seed: int
) -> pl.DataFrame:
    m = wf.months[i]
    rng = stream(seed, "evaluations", i)
    idx = att.idx
    n = len(idx)
    b = b_all.take(idx)
    hk = np.maximum(att.hari_kerja, 1)
    # discipline penalty: days without notice weigh most, habitual lateness/leaving early next
    pen = att.tk**1.3 + 2.5 * np.maximum((att.telat + att.cepat) / hk - 0.8, 0)
    z = 0.5 * b.mutu + rng.normal(0, 0.8, n) - 0.45 * pen
    perilaku = np.where(z > 1.25, 0, np.where(z < -1.9, 2, 1))
    q = b.mutu + rng.normal(0, 0.6, n) - 0.1 * att.tk
    hasil = np.where(q > 1.2, 0, np.where(q < -1.9, 2, 1))
    predikat = _matrix(RATING[hasil], RATING[perilaku])
    kosong = rng.random(n) < P_PREDIKAT_KOSONG
    # who has what: new arrivals and leavers less often complete
    keluar = ~np.isnat(wf.selesai[idx]) & (wf.selesai[idx] <= m.last)
    baru = wf.rekrut[idx] == i
    p_final = np.where(baru, 0.6, np.where(keluar, 0.8, P_FINAL))
    v = rng.random(n)
    status = np.where(v < p_final, "FINAL", np.where(v < p_final + P_DRAFT, "DRAFT", None))
    penilai = evaluators(wf, i)
    nip_penilai = np.where(
        penilai >= 0, wf.nip[np.maximum(penilai, 0)].astype(str), NIP_PENILAI_SEKDA
    )
    # dated at the end of the month or in the first days of the next
    akhir = m.last - rng.integers(0, 3, n) * DAY
    awal = m.last + rng.integers(1, 11, n) * DAY
    tanggal = np.where(rng.random(n) < 0.3, akhir, awal)
    frame = pl.DataFrame(
        {
            "nip": wf.nip[idx].astype(str),
            "periode": m.periode,
            "hasil_kerja": RATING[hasil],
            "perilaku": RATING[perilaku],
            "predikat": np.where(kosong, None, predikat).tolist(),
            "status": status.tolist(),
            "nip_penilai": nip_penilai,
            "tanggal_penilaian": tanggal,
            "_d": wf.states[i].dept[idx],
        },
        schema_overrides={"predikat": pl.String, "status": pl.String},
    )
    return frame.filter(pl.col("status").is_not_null()).sort("_d", "nip").drop("_d")


def _matrix(hasil: np.ndarray, perilaku: np.ndarray) -> np.ndarray:
    """PermenPANRB 6/2022 predikat, vectorised over the 3×3 matrix."""
    out = np.empty(len(hasil), dtype=object)
    for (h, p), v in PREDIKAT_MATRIX.items():
        out[(hasil == h) & (perilaku == p)] = v
    return out
