"""Source simulator: realistic monthly export files for the NTT provincial workforce.

``simulate()`` writes, per month, ``pegawai_``, ``absensi_``, ``ketidakhadiran_``, ``kinerja_``,
``aktivitas_`` and ``jadwal_YYYYMM`` files exactly as ``sources.md`` specifies, plus the ground
truth in ``_groundtruth/`` (injected defects, planted anomalies, a summary). The same arguments
always give byte-identical files. Teachers keep the school week (``pola_kerja`` SEKOLAH), the
hospital's ward staff and part of Satpol PP work rostered shifts (SHIFT, with the roster
``jadwal_YYYYMM``); ``jadwal=False`` gives everyone office hours and writes no roster.

Modules: ``kalender`` (working days and hours), ``organisation`` (departments), ``names``,
``jobs`` (posts, classes, ranks), ``people`` (the monthly SIMPEG snapshots), ``jadwal`` (work
patterns, the shift roster, each day's hours from the rulebook seeds), ``behaviour``
(attendance habits), ``absences``, ``anomalies``, ``attendance`` (taps), ``evaluations``,
``activities``, ``defects`` (``kotor``), ``writer`` and ``reference`` (ref_opd.csv).
"""

from __future__ import annotations

import sys
import time
import warnings
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl
from tqdm import tqdm

from orchestration.core.contract import KINDS, XLSX_KINDS
from orchestration.tools.simulator import (
    absences,
    activities,
    anomalies,
    attendance,
    behaviour,
    defects,
    evaluations,
    people,
    writer,
)
from orchestration.tools.simulator import jadwal as sched
from orchestration.tools.simulator import organisation as org
from orchestration.tools.simulator.kalender import Calendar
from orchestration.tools.simulator.streams import stream

__all__ = ["WRITTEN_KINDS", "SimulationResult", "simulate"]
VERSI = "2"
KOTOR_BAWAAN = 0.01  # share of defective rows when ``kotor=True``
# The export kinds written every month. The roster (jadwal) is optional: it is written only for
# a month with SHIFT employees (without them, e.g. ``opd`` without the hospital and Satpol PP,
# or ``jadwal=False``, no file is what the pipeline expects: a header-only file would be
# rejected as BERKAS_TANPA_DATA every month).
WRITTEN_KINDS = KINDS
OPTIONAL_KINDS = ("jadwal",)


@dataclass
class SimulationResult:
    files: list[Path] = field(default_factory=list)  # export files written, in writing order
    rows: dict[str, int] = field(default_factory=dict)  # file name -> data rows
    seconds: float = 0.0
    defects: int = 0  # lines in _groundtruth/cacat.csv
    anomalies: int = 0  # lines in _groundtruth/anomali.csv


def simulate(
    out: Path,
    pegawai: int = 15794,
    opd: int = 39,
    mulai: str = "2025-01",
    sampai: str = "2025-12",
    seed: int = 42,
    kotor: float = 0.0,
    xlsx: bool = False,
    progress: bool = True,
    jadwal: bool = True,
) -> SimulationResult:
    """Write the export files of ``mulai``..``sampai`` into ``out`` (see the module doc).

    ``jadwal=False``: everyone keeps office hours, no roster (the simulator before schedules).
    """
    pakai_jadwal = bool(jadwal)
    t0 = time.perf_counter()
    if kotor is True:  # "dirty, please": the default rate
        kotor = KOTOR_BAWAAN
    if not 0.0 <= kotor <= 0.5:
        raise ValueError(f"kotor harus 0..0.5, bukan {kotor}")
    out = Path(out)
    cal = Calendar.load()
    months = cal.months(mulai, sampai)
    known = set(cal.holidays.astype("datetime64[Y]").astype(int) + 1970)
    if missing := sorted({int(str(m.month)[:4]) for m in months} - known):
        warnings.warn(
            f"kalender_libur.csv tidak memuat tahun {missing}: hanya akhir pekan yang libur",
            stacklevel=2,
        )
    wf = people.build(org.departments(opd), months, pegawai, seed)
    jd = sched.siapkan(wf, cal.holidays, seed, pakai_jadwal)
    long = absences.long_episodes(wf, cal, seed)
    plans = anomalies.plan(wf, seed, anomalies.actors(wf, seed, jd.pola[0]), long, jd.pola)
    episodes = absences.generate(wf, cal, seed, anomalies.planted_dl(plans), long)
    habits = behaviour.assign(wf, seed)
    devices = attendance.devices(wf, seed)

    truth = out / "_groundtruth"
    truth.mkdir(parents=True, exist_ok=True)
    result = SimulationResult()
    cacat, anomali = [], []
    carry = None
    for i, m in enumerate(
        tqdm(months, desc="simulasi", unit="bulan", file=sys.stderr, disable=not progress)
    ):
        month_ep = absences.for_month(wf, episodes, i)
        att = attendance.generate(
            wf,
            i,
            behaviour.for_month(habits, seed, i),
            month_ep,
            plans[i],
            devices,
            seed,
            jd,
            carry,
        )
        carry = att.carry  # the last month's are simply not written (next month's file)
        frames = {
            "pegawai": wf.snapshot(i, jd.pola[i]),
            "absensi": att.taps,
            "ketidakhadiran": absences.export_frame(wf, month_ep),
            "kinerja": evaluations.generate(wf, i, att, habits, seed),
            "aktivitas": activities.generate(wf, i, att, habits, seed),
            "jadwal": att.roster,
        }
        anomali.append(att.anomalies)
        for k, kind in enumerate(KINDS):  # k seeds the defect stream: KINDS order, not written
            if kind not in WRITTEN_KINDS or (kind in OPTIONAL_KINDS and frames[kind].is_empty()):
                continue
            as_xlsx = xlsx and kind in XLSX_KINDS
            ext, other = ("xlsx", "csv") if as_xlsx else ("csv", "xlsx")
            name = f"{kind}_{m.yyyymm}.{ext}"
            text = writer.to_text(frames[kind], kind)
            bom = False
            if kotor > 0:
                inj = defects.inject(
                    kind, text, kotor, stream(seed, "defects", i, k), name, m.periode, as_xlsx
                )
                text, bom = inj.frame, inj.bom
                cacat.append(inj.cacat)
            path = out / name
            if as_xlsx:
                writer.write_xlsx(text, path, kind, m.periode)
            else:
                writer.write_csv(text, path, bom=bom)
            (out / f"{kind}_{m.yyyymm}.{other}").unlink(missing_ok=True)  # a stale twin would clash
            result.files.append(path)
            result.rows[name] = text.height

    cacat_df = pl.concat(cacat) if cacat else pl.DataFrame(schema=defects.CACAT_SCHEMA)
    anomali_df = pl.concat(anomali)
    writer.write_csv(cacat_df, truth / "cacat.csv")
    writer.write_csv(anomali_df, truth / "anomali.csv")
    result.defects, result.anomalies = cacat_df.height, anomali_df.height
    writer.write_json(_summary(wf, locals()), truth / "ringkasan.json")
    result.seconds = time.perf_counter() - t0
    return result


def _summary(wf: people.Workforce, ctx: dict) -> dict:
    """ringkasan.json: parameters, counts, and the documented defect and anomaly kinds."""
    result: SimulationResult = ctx["result"]
    months = wf.months
    in_range = (wf.selesai >= months[0].first) & (wf.selesai <= months[-1].last)
    mutasi = Counter()
    for st in wf.states:
        mutasi["pindah_opd"] += int((st.mutasi == people.PINDAH_OPD).sum())
        mutasi["jabatan_baru"] += int((st.mutasi == people.JABATAN_BARU).sum())
    return {
        "versi_simulator": VERSI,
        "parameter": {
            k: ctx[k]
            for k in ("pegawai", "opd", "mulai", "sampai", "seed", "kotor", "xlsx", "jadwal")
        },
        "bulan": [m.periode for m in months],
        "pegawai_per_bulan": {
            m.periode: int(st.hadir.sum()) for m, st in zip(months, wf.states, strict=True)
        },
        "pola_kerja_per_bulan": {
            m.periode: {
                sched.POLA[k]: int(((p == k) & st.hadir).sum()) for k in range(len(sched.POLA))
            }
            for m, st, p in zip(months, wf.states, ctx["jd"].pola, strict=True)
        },
        "kejadian": {
            "rekrutmen": int((wf.rekrut >= 0).sum()),
            "pensiun": int((in_range & (wf.alasan == people.PENSIUN)).sum()),
            "berhenti": int((in_range & (wf.alasan == people.BERHENTI)).sum()),
            **mutasi,
        },
        "baris": result.rows,
        "cacat": dict(sorted(Counter(ctx["cacat_df"]["jenis_cacat"].to_list()).items())),
        "anomali": dict(sorted(Counter(ctx["anomali_df"]["jenis_anomali"].to_list()).items())),
        "jenis_cacat": {
            k: {"keterangan": d, "dikarantina": q} for k, (d, q) in defects.JENIS_CACAT.items()
        },
        "jenis_anomali": anomalies.JENIS_ANOMALI,
    }
