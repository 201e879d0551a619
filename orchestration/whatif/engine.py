"""``kinerja whatif``: recompute some published months under a candidate rulebook and compare."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import polars as pl

from orchestration.core.formatting import WITA
from orchestration.core.months import months_between
from orchestration.core.paths import DataDir
from orchestration.whatif.candidate import AturanUsulan, WhatIfError
from orchestration.whatif.comparison import Perbandingan, compare, dampak_pagu, ringkasan_pagu
from orchestration.whatif.sandbox import fast_path_reason, recompute_amounts, run_sandbox
from orchestration.whatif.workbook import write_xlsx

METODE = ("otomatis", "cepat", "dbt")


def whatif(
    data: DataDir,
    aturan: AturanUsulan | Path,
    mulai: str,
    sampai: str,
    out: Path | None = None,
    metode: str = "otomatis",
) -> Perbandingan:
    """Recompute ``mulai``..``sampai`` under ``aturan`` and compare with published.

    ``metode``: ``dbt`` = the sandbox dbt build (everything from the taps); ``cepat`` = amounts
    only over the published rows (refused when the candidate changes hours, bands or the tap
    split); ``otomatis`` = ``cepat`` when allowed, else ``dbt``."""
    from orchestration.core.published import require_current

    started = time.perf_counter()
    if mulai > sampai:
        raise WhatIfError(f"--mulai {mulai} sesudah --sampai {sampai}.")
    if not isinstance(aturan, AturanUsulan):
        aturan = AturanUsulan.load(Path(aturan))
    snapshot = require_current(data)
    periods = [p for p in months_between(mulai, sampai) if p in snapshot.periods]
    if not periods:
        raise WhatIfError(
            f"Tidak ada periode terbit antara {mulai} dan {sampai} "
            f"(terbit: {', '.join(snapshot.periods) or '-'})."
        )
    if metode not in METODE:
        raise WhatIfError(f"metode {metode!r} tidak dikenal: {', '.join(METODE)}.")
    lama = snapshot.read("tpp_bulanan", periods)
    alasan = fast_path_reason(aturan, set(lama["aturan_versi"].unique().to_list()))
    if metode == "cepat" and alasan:
        raise WhatIfError(f"Jalur cepat tidak bisa dipakai: {alasan}. Pakai --metode dbt.")
    cepat = metode == "cepat" or (metode == "otomatis" and alasan is None)
    t0 = time.perf_counter()
    if cepat:
        baru = recompute_amounts(lama, aturan)
    else:
        baru = run_sandbox(data, aturan, periods[0], periods[-1]).tpp
        baru = baru.filter(pl.col("periode").is_in(periods))
    nama = dict(lama.select("kode_opd", "nama_opd").unique("kode_opd").iter_rows())
    result = compare(lama, baru, nama, aturan.nama, periods)
    result.metode = "cepat" if cepat else "dbt"
    result.detik_dbt = time.perf_counter() - t0
    result.pagu = dampak_pagu(lama, baru)
    if result.pagu is not None and result.pagu.height:
        result.ringkasan += "\n" + ringkasan_pagu(result.pagu)
    if out is not None:
        stamp = dt.datetime.now(WITA).strftime("%Y%m%d-%H%M%S")  # the file names WITA time
        result.xlsx = write_xlsx(
            result, Path(out) / f"whatif_{aturan.nama}_{periods[0]}_{periods[-1]}_{stamp}.xlsx"
        )
    result.detik_total = time.perf_counter() - started
    return result
