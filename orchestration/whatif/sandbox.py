"""The what-if's dbt builds in a sandbox: the full path (``+tpp_bulanan`` from the raw zone)
and the fast path (amounts only: ``whatif_tpp_cepat`` over the published rows)."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from orchestration.core.paths import TRANSFORMS_DIR, DataDir
from orchestration.whatif.candidate import (
    AturanUsulan,
    WhatIfError,
    candidate_rows,
    read_seed,
    write_candidate_seeds,
)

_COPY_IGNORE = shutil.ignore_patterns(
    "target", "target*", "logs", "dbt_packages", "__pycache__", ".user.yml", "*.duckdb"
)


def _dbt_executable() -> str:
    here = Path(sys.executable).parent / "dbt"
    return str(here) if here.exists() else (shutil.which("dbt") or "dbt")


@dataclass
class SandboxRun:
    tpp: pl.DataFrame  # the candidate's tpp_bulanan for the window (or the fast path's amounts)
    seconds: float
    log: str


@contextmanager
def _sandbox_folder(tetap: Path | None) -> Iterator[Path]:
    """A temp folder, or the fixed folder ``tetap`` held under an exclusive lock (one build at a
    time) whose ``target`` survives: dbt then re-parses only what changed (partial parsing
    needs the same project path, profile and vars), seconds instead of a full parse. The
    published rows and the warehouse written there are removed after each build."""
    if tetap is None:
        with tempfile.TemporaryDirectory(prefix="kinerja-whatif-") as tmp:
            yield Path(tmp)
        return
    tetap.mkdir(mode=0o700, parents=True, exist_ok=True)
    with open(tetap / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            for sub in ("transforms", "data", "logs"):
                shutil.rmtree(tetap / sub, ignore_errors=True)
            yield tetap
        finally:
            for sub in ("data", "logs"):
                shutil.rmtree(tetap / sub, ignore_errors=True)
            (tetap / "tpp_terbit.parquet").unlink(missing_ok=True)


def _dbt_sandbox(
    aturan: AturanUsulan,
    select: str,
    vars_: dict[str, Any],
    table: str,
    raw: Path | None = None,
    fakta: pl.DataFrame | None = None,
    where: tuple[str, list[Any]] = ("true", []),
    threads: int = 2,
    tetap: Path | None = None,
) -> SandboxRun:
    """ONE ``dbt build --select <select>`` of a temp copy of the dbt project whose rulebook
    seeds hold the candidate version, into a fresh warehouse in a temp data folder (``raw`` a
    symlink to the given raw zone, only read; ``fakta`` written as the published rows of the
    what-if source, KINERJA_WHATIF_FAKTA; KINERJA_WHATIF_VERSI = the candidate version);
    returns ``table`` of that warehouse. ``tetap``: see ``_sandbox_folder``."""
    with _sandbox_folder(tetap) as tmp:
        project = tmp / "transforms"
        shutil.copytree(TRANSFORMS_DIR, project, ignore=_COPY_IGNORE)
        write_candidate_seeds(aturan, project / "seeds")
        sandbox = tmp / "data"
        sandbox.mkdir()
        env = os.environ | {
            "KINERJA_DATA": str(sandbox),
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
            "KINERJA_WHATIF_VERSI": aturan.nama,
        }
        env.pop("KINERJA_WHATIF_FAKTA", None)
        if raw is not None:
            (sandbox / "raw").symlink_to(raw.resolve(), target_is_directory=True)
        if fakta is not None:
            fakta.write_parquet(tmp / "tpp_terbit.parquet")
            env["KINERJA_WHATIF_FAKTA"] = str(tmp / "tpp_terbit.parquet")
        args = [
            _dbt_executable(),
            "build",
            "--project-dir",
            str(project),
            "--profiles-dir",
            str(project),
            "--target-path",
            str(tmp / "target"),
            "--log-path",
            str(tmp / "logs"),
            "--select",
            select,
            "--exclude-resource-type",
            "unit_test",
            "--indirect-selection",
            "cautious",
            "--threads",
            str(threads),
            "--vars",
            json.dumps(vars_),
            "--quiet",
        ]
        started = time.perf_counter()
        proc = subprocess.run(args, env=env, capture_output=True, text=True, cwd=tmp)
        seconds = time.perf_counter() - started
        log = proc.stdout + proc.stderr
        if proc.returncode != 0:
            lines = [ln for ln in log.splitlines() if ln.strip()]
            raise WhatIfError("dbt build sandbox gagal: " + " | ".join(lines[-8:]))
        import duckdb

        with duckdb.connect(str(sandbox / "warehouse.duckdb"), read_only=True) as con:
            frame = con.sql(f"select * from {table} where {where[0]}", params=where[1]).pl()
    return SandboxRun(frame, seconds, log)


def run_sandbox(
    data: DataDir, aturan: AturanUsulan, mulai: str, sampai: str, threads: int = 2
) -> SandboxRun:
    """One ``dbt build --select +tpp_bulanan`` with the candidate version, in a temp folder."""
    if not data.raw.is_dir():
        raise WhatIfError(f"Zona raw {data.raw} tidak ada: jalankan pipeline terlebih dahulu.")
    vars_ = {"periode_mulai": mulai, "periode_sampai": sampai, "aturan_versi": aturan.nama}
    return _dbt_sandbox(
        aturan,
        "+tpp_bulanan",
        vars_,
        "tpp_bulanan",
        raw=data.raw,
        where=("periode between ? and ?", [mulai, sampai]),
        threads=threads,
    )


def _rows_without_versi(rows: list[dict[str, str]]) -> list[tuple]:
    return sorted(tuple(sorted((k, v) for k, v in r.items() if k != "versi")) for r in rows)


def fast_path_reason(
    aturan: AturanUsulan, versions: set[str], seeds: Path | None = None
) -> str | None:
    """Why the fast path cannot be used (None = it can): it keeps the published day facts
    (hari_kerja, hari_efektif, persen_disiplin, predikat), so the candidate must have the same
    working hours, shifts, department patterns, deduction bands and tap split as every version
    the published rows were computed with."""
    seeds = seeds or TRANSFORMS_DIR / "seeds"
    cand = candidate_rows(aturan, seeds)
    for table in ("aturan_jam_kerja", "aturan_shift", "aturan_pola_opd", "aturan_potongan"):
        _, rows = read_seed(seeds / f"{table}.csv")
        for v in versions:
            if _rows_without_versi([r for r in rows if r["versi"] == v]) != _rows_without_versi(
                cand[table]
            ):
                return f"{table} usulan berbeda dari versi {v} (hari dan poin harus dihitung ulang)"
    _, rows = read_seed(seeds / "aturan_versi.csv")
    for v in versions:
        base = [r for r in rows if r["versi"] == v]
        if not base or base[0]["jam_pemisah_tap"] != cand["aturan_versi"][0]["jam_pemisah_tap"]:
            return f"jam_pemisah_tap usulan berbeda dari versi {v}"
    return None


# The fast path's build folder: fixed (per user), so dbt parses only what changed (~1 s, not ~7 s)
CEPAT_FOLDER = Path(tempfile.gettempdir()) / f"kinerja-whatif-cepat-{os.getuid()}"
FAKTA = [
    "periode",
    "nip",
    "kode_opd",
    "status",
    "golongan",
    "kelas_jabatan",
    "predikat",
    "hari_kerja",
    "hari_efektif",
    "persen_disiplin",
]


def recompute_amounts(lama: pl.DataFrame, aturan: AturanUsulan, threads: int = 2) -> pl.DataFrame:
    """The amounts of the published rows ``lama`` under the candidate rulebook: the dbt model
    ``whatif_tpp_cepat`` (the money formula of int_tpp_bulanan, macros/jumlah_tpp.sql) over
    the published day facts, built in a sandbox (``dbt build --select +whatif_tpp_cepat``)."""
    run = _dbt_sandbox(
        aturan,
        "+whatif_tpp_cepat",
        {},
        "whatif_tpp_cepat",
        fakta=lama.select(FAKTA),
        threads=threads,
        tetap=CEPAT_FOLDER,
    )
    return run.tpp
