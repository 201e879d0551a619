"""What-if: recompute the TPP of some months under a candidate rulebook, in a sandbox, and
compare it with the published TPP.

``kinerja whatif --data DIR --aturan FILE --mulai YYYY-MM --sampai YYYY-MM [--out DIR]``

The candidate rulebook is a YAML file (example: ``transforms/whatif/contoh_aturan.yaml``): a
base version (``dasar``, default ``default-2024``) and overrides of it. Its rows are written as
a NEW version (``nama``) next to the shipped ones in a sandbox copy of the dbt project's seeds;
the shipped seeds are never edited.

Sandbox (nothing of DIR is written; published and locked data and DIR/warehouse.duckdb are
never opened for writing):

- a temp folder with a copy of ``transforms/`` (models, macros, tests, seeds + candidate rows);
- a temp data folder whose ``raw`` is a symlink to ``DIR/raw`` (only read by the staging views)
  and a fresh ``warehouse.duckdb``;
- ONE ``dbt build --select +tpp_bulanan --vars {periode_mulai, periode_sampai, aturan_versi}``
  (data tests of the selected nodes included, dbt unit tests excluded: they do not depend on
  the data).

Then the new ``tpp_bulanan`` is compared with the published one (snapshot ``current``) row by
row on (periode, nip, kode_opd): per department and in total old and new bruto and neto, the
difference, who gains and who loses and by how much (quantiles and bins over the employees'
sums for the window), a summary in Bahasa Indonesia and an XLSX for the meeting.

Speed: the dbt path recomputes everything from taps (the day grid, discipline, evaluations), so
a full year of 15,794 people takes what a pipeline build takes (see the report printed by the
command). When a candidate only changes weights, predikat percentages, status share, basis, PPh
21 or BPJS rates, the fast path (``recompute_amounts``) builds only the dbt model
``whatif_tpp_cepat`` over the published rows (hari_efektif, persen_kinerja, persen_disiplin,
kelas, status, golongan are all in ``tpp_bulanan``) with the same money formula as the pipeline
(``transforms/macros/jumlah_tpp.sql``): no pay rule is written in this module.
"""

from __future__ import annotations

import csv
import datetime as dt
import fcntl
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import polars as pl

from orchestration.months import months_between
from orchestration.paths import TRANSFORMS_DIR, DataDir
from orchestration.selisih import selisih_baris

KEY = ["periode", "nip", "kode_opd"]
AMOUNTS = ("tpp_bruto", "tpp_neto")
SEED_TABLES = (
    "aturan_versi",
    "aturan_jam_kerja",
    "aturan_potongan",
    "aturan_predikat",
    "aturan_status",
    "aturan_pph21",
    "aturan_basis",
    "aturan_pola_opd",
    "aturan_shift",
)
_COPY_IGNORE = shutil.ignore_patterns(
    "target", "target*", "logs", "dbt_packages", "__pycache__", ".user.yml", "*.duckdb"
)


class WhatIfError(RuntimeError):
    """The candidate rulebook or the run is not usable; the message says why (Bahasa Indonesia)."""


# ----------------------------------------------------------------------------------------------
# candidate rulebook


@dataclass
class AturanUsulan:
    """A candidate rulebook: base version + overrides (see transforms/whatif/contoh_aturan.yaml)."""

    nama: str
    dasar: str = "default-2024"
    keterangan: str = ""
    versi: dict[str, Any] = field(default_factory=dict)  # aturan_versi columns
    predikat: dict[str, Any] = field(default_factory=dict)  # predikat -> persen_kinerja
    status: dict[str, Any] = field(default_factory=dict)  # status -> persen_basis
    pph21: list[dict[str, Any]] = field(default_factory=list)  # {kelompok, golongan, tarif}
    basis: list[dict[str, Any]] = field(default_factory=list)  # {kode_opd, kelas_jabatan, basis}
    basis_skala: list[dict[str, Any]] = field(
        default_factory=list
    )  # {kelas_dari, kelas_sampai, persen[, kode_opd]}

    @classmethod
    def from_mapping(cls, raw: dict[str, Any], nama: str | None = None) -> AturanUsulan:
        allowed = set(cls.__dataclass_fields__)
        unknown = set(raw) - allowed
        if unknown:
            raise WhatIfError(
                f"Kunci tidak dikenal di aturan usulan: {', '.join(sorted(unknown))}; "
                f"yang dikenal: {', '.join(sorted(allowed))}."
            )
        raw = dict(raw)
        digest = hashlib.sha256(json.dumps(raw, sort_keys=True, default=str).encode()).hexdigest()
        raw["nama"] = nama or raw.get("nama") or f"whatif-{digest[:8]}"
        return cls(**raw)

    @classmethod
    def load(cls, path: Path) -> AturanUsulan:
        import yaml

        path = Path(path)
        if not path.is_file():
            raise WhatIfError(f"Berkas aturan usulan {path} tidak ada.")
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as error:
            raise WhatIfError(f"Berkas aturan usulan {path} bukan YAML yang sah: {error}") from None
        if not isinstance(raw, dict):
            raise WhatIfError(f"Berkas aturan usulan {path} harus berisi pemetaan (kunci: nilai).")
        return cls.from_mapping(raw)


def _num(value: Any) -> str:
    """A rule number as the seeds write it (at most 4 decimals, no trailing zeros)."""
    d = Decimal(str(value))
    if d != d.quantize(Decimal("0.0001")):
        raise WhatIfError(f"Angka aturan {value} punya lebih dari 4 desimal.")
    text = format(d.normalize(), "f")
    return text


def _read_seed(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def candidate_rows(aturan: AturanUsulan, seeds: Path) -> dict[str, list[dict[str, str]]]:
    """The candidate version's rows of every rulebook seed (base rows, overrides applied)."""
    out: dict[str, list[dict[str, str]]] = {}
    for table in SEED_TABLES:
        _, rows = _read_seed(seeds / f"{table}.csv")
        if any(r["versi"] == aturan.nama for r in rows):
            raise WhatIfError(f"Versi {aturan.nama!r} sudah ada di {table}.csv: pilih nama lain.")
        base = [dict(r, versi=aturan.nama) for r in rows if r["versi"] == aturan.dasar]
        if not base:
            raise WhatIfError(f"Versi dasar {aturan.dasar!r} tidak ada di {table}.csv.")
        out[table] = base

    (versi,) = out["aturan_versi"]
    versi.update(
        berlaku_mulai="",
        berlaku_sampai="",
        keterangan=aturan.keterangan or f"Usulan what-if dari {aturan.dasar}",
    )
    for col, value in aturan.versi.items():
        if col not in versi or col in ("versi", "berlaku_mulai", "berlaku_sampai"):
            raise WhatIfError(f"Kolom aturan_versi {col!r} tidak bisa diubah.")
        versi[col] = value if col in ("dasar_potongan", "jam_pemisah_tap") else _num(value)

    def by_key(table: str, key: str, col: str, changes: dict[str, Any]) -> None:
        rows = {r[key]: r for r in out[table]}
        for k, value in changes.items():
            if k not in rows:
                raise WhatIfError(f"{table}: {key} {k!r} tidak ada di versi {aturan.dasar}.")
            rows[k][col] = _num(value)

    by_key("aturan_predikat", "predikat", "persen_kinerja", aturan.predikat)
    by_key("aturan_status", "status", "persen_basis", aturan.status)
    for change in aturan.pph21:
        hit = [
            r
            for r in out["aturan_pph21"]
            if r["kelompok"] == str(change["kelompok"]) and r["golongan"] == str(change["golongan"])
        ]
        if not hit:
            raise WhatIfError(f"aturan_pph21: {change} tidak cocok dengan baris mana pun.")
        for r in hit:
            r["tarif"] = _num(change["tarif"])
    basis = out["aturan_basis"]
    for skala in aturan.basis_skala:
        lo, hi = int(skala["kelas_dari"]), int(skala["kelas_sampai"])
        persen = Decimal(str(skala["persen"]))
        opd = skala.get("kode_opd")
        for r in basis:
            if lo <= int(r["kelas_jabatan"]) <= hi and (opd is None or r["kode_opd"] == opd):
                r["basis"] = str(
                    (Decimal(r["basis"]) * persen / 100).quantize(Decimal(1), ROUND_HALF_UP)
                )
    for change in aturan.basis:
        kode, kelas = str(change.get("kode_opd", "*")), str(int(change["kelas_jabatan"]))
        hit = [r for r in basis if r["kode_opd"] == kode and r["kelas_jabatan"] == kelas]
        if hit:
            hit[0]["basis"] = _num(change["basis"])
        else:
            basis.append(
                {
                    "versi": aturan.nama,
                    "kode_opd": kode,
                    "kelas_jabatan": kelas,
                    "basis": _num(change["basis"]),
                }
            )
    return out


def base_rows(
    versi: str = "default-2024", seeds: Path | None = None
) -> dict[str, list[dict[str, str]]]:
    """The rows of one shipped rulebook version (defaults for the app's widgets)."""
    seeds = seeds or TRANSFORMS_DIR / "seeds"
    return {
        t: [r for r in _read_seed(seeds / f"{t}.csv")[1] if r["versi"] == versi]
        for t in SEED_TABLES
    }


def write_candidate_seeds(aturan: AturanUsulan, seeds: Path) -> dict[str, list[dict[str, str]]]:
    """Append the candidate version's rows to the rulebook seeds in ``seeds`` (a sandbox copy)."""
    rows = candidate_rows(aturan, seeds)
    for table, new in rows.items():
        path = seeds / f"{table}.csv"
        header, _ = _read_seed(path)
        text = path.read_text(encoding="utf-8")
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=header, lineterminator="\n")
        writer.writerows(new)
        path.write_text(
            text + ("" if text.endswith("\n") else "\n") + buffer.getvalue(), encoding="utf-8"
        )
    return rows


# ----------------------------------------------------------------------------------------------
# sandbox run


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


# ----------------------------------------------------------------------------------------------
# fast path: amounts only, over the published rows


def _rows_without_versi(rows: list[dict[str, str]]) -> list[tuple]:
    return sorted(tuple(sorted((k, v) for k, v in r.items() if k != "versi")) for r in rows)


def fast_path_reason(
    aturan: AturanUsulan, versions: set[str], seeds: Path | None = None
) -> str | None:
    """Why the fast path cannot be used (None = it can): it keeps the published day facts
    (hari_efektif, persen_disiplin, predikat), so the candidate must have the same working hours,
    deduction bands and tap split as every version the published rows were computed with."""
    seeds = seeds or TRANSFORMS_DIR / "seeds"
    cand = candidate_rows(aturan, seeds)
    for table in ("aturan_jam_kerja", "aturan_potongan"):
        _, rows = _read_seed(seeds / f"{table}.csv")
        for v in versions:
            if _rows_without_versi([r for r in rows if r["versi"] == v]) != _rows_without_versi(
                cand[table]
            ):
                return f"{table} usulan berbeda dari versi {v} (hari dan poin harus dihitung ulang)"
    _, rows = _read_seed(seeds / "aturan_versi.csv")
    for v in versions:
        base = [r for r in rows if r["versi"] == v]
        if not base or base[0]["jam_pemisah_tap"] != cand["aturan_versi"][0]["jam_pemisah_tap"]:
            return f"jam_pemisah_tap usulan berbeda dari versi {v}"
    return None


# The fast path's build folder: fixed (per user), so dbt parses only what changed (~1 s, not ~7 s)
CEPAT_FOLDER = Path(tempfile.gettempdir()) / f"kinerja-whatif-cepat-{os.getuid()}"
FAKTA = [
    *KEY,
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


# ----------------------------------------------------------------------------------------------
# comparison


def rupiah(amount: int | float) -> str:
    """4324000 -> 'Rp 4.324.000'; negative: '-Rp 700.488'."""
    amount = int(round(amount))
    return ("-" if amount < 0 else "") + "Rp " + f"{abs(amount):,}".replace(",", ".")


def _ribu(n: int) -> str:
    return f"{int(n):,}".replace(",", ".")


def _selisih_rp(amount: int) -> str:
    return ("+" if amount > 0 else "") + rupiah(amount)


BINS = (-1_000_000, -500_000, -100_000, 0, 100_000, 500_000, 1_000_000)


@dataclass
class Perbandingan:
    per_opd: pl.DataFrame
    total: dict[str, int]
    per_pegawai: pl.DataFrame
    distribusi: pl.DataFrame  # quantiles of the change per employee (bruto)
    sebaran: pl.DataFrame  # bins
    ringkasan: str
    periods: list[str]
    aturan: str
    metode: str = "dbt"
    pagu: pl.DataFrame | None = None  # per budget year and department: pagu, forecast old / new
    detik_dbt: float = 0.0  # time of the recomputation (dbt build or the fast query)
    detik_total: float = 0.0
    xlsx: Path | None = None


def compare(
    lama: pl.DataFrame,
    baru: pl.DataFrame,
    nama_opd: dict[str, str] | None = None,
    aturan: str = "",
    periods: list[str] | None = None,
) -> Perbandingan:
    """Row-by-row comparison of two tpp_bulanan frames (old = published, new = candidate), with
    the diff engine of the corrections (``selisih.selisih_baris``). An employee's department in
    ``per_pegawai`` is the one of the latest period (in a transfer month the UTAMA row)."""
    diff = selisih_baris(lama, baru, KEY, AMOUNTS)
    rows = diff.select(
        *KEY,
        *[
            pl.col(c).fill_null(0).cast(pl.Int64).alias(f"{a}_{s}")
            for a in AMOUNTS
            for c, s in ((a, "lama"), (f"{a}_baru", "baru"))
        ],
        *[pl.col(f"selisih_{a}").alias(f"selisih_{a.removeprefix('tpp_')}") for a in AMOUNTS],
    )
    segmen = (
        lama.select(*KEY, "segmen")
        if "segmen" in lama.columns
        else lama.select(KEY).with_columns(segmen=pl.lit(None, pl.String))
    )
    rows = (
        rows.join(segmen, on=KEY, how="left")
        .sort("periode", "nip", pl.col("segmen") == "UTAMA", "kode_opd", nulls_last=False)
        .drop("segmen")
    )
    sums = [
        pl.col(c).sum()
        for c in (
            "tpp_bruto_lama",
            "tpp_bruto_baru",
            "selisih_bruto",
            "tpp_neto_lama",
            "tpp_neto_baru",
            "selisih_neto",
        )
    ]
    pegawai = (
        rows.group_by("nip", maintain_order=True)
        .agg(*sums, pl.col("kode_opd").last())
        .sort("selisih_bruto", "nip")
    )
    per_opd = (
        rows.group_by("kode_opd")
        .agg(*sums)
        .join(
            pegawai.group_by("kode_opd").agg(
                (pl.col("selisih_bruto") > 0).sum().alias("pegawai_naik"),
                (pl.col("selisih_bruto") < 0).sum().alias("pegawai_turun"),
                (pl.col("selisih_bruto") == 0).sum().alias("pegawai_tetap"),
            ),
            on="kode_opd",
            how="left",
        )
        .with_columns(
            pl.col("kode_opd").replace_strict(nama_opd or {}, default=None).alias("nama_opd"),
            pl.when(pl.col("tpp_bruto_lama") > 0)
            .then((100 * pl.col("selisih_bruto") / pl.col("tpp_bruto_lama")).round(2))
            .alias("persen_selisih_bruto"),
        )
        .sort("kode_opd")
    )
    total = {
        c: int(rows[c].sum())
        for c in (
            "tpp_bruto_lama",
            "tpp_bruto_baru",
            "selisih_bruto",
            "tpp_neto_lama",
            "tpp_neto_baru",
            "selisih_neto",
        )
    }
    d = pegawai["selisih_bruto"]
    total |= {
        "pegawai": pegawai.height,
        "pegawai_naik": int((d > 0).sum()),
        "pegawai_turun": int((d < 0).sum()),
        "pegawai_tetap": int((d == 0).sum()),
    }
    qs = (0.0, 0.05, 0.25, 0.5, 0.75, 0.95, 1.0)
    distribusi = pl.DataFrame(
        {
            "kuantil": [
                f"p{int(q * 100)}" if 0 < q < 1 else ("min" if q == 0 else "maks") for q in qs
            ],
            "selisih_bruto_per_pegawai": [
                int(d.quantile(q, "nearest") or 0) if d.len() else 0 for q in qs
            ],
        }
    )
    edges = list(BINS)
    labels = (
        [f"< {rupiah(edges[0])}"]
        + [f"{rupiah(a)} s.d. < {rupiah(b)}" for a, b in zip(edges, edges[1:], strict=False)]
        + [f">= {rupiah(edges[-1])}"]
    )
    sebaran = (
        pegawai.filter(pl.col("selisih_bruto") != 0)
        .with_columns(
            pl.sum_horizontal([(pl.col("selisih_bruto") >= e).cast(pl.Int32) for e in edges])
            .map_elements(labels.__getitem__, return_dtype=pl.String)
            .alias("rentang")
        )
        .group_by("rentang")
        .agg(pl.len().alias("pegawai"))
    )
    sebaran = (
        pl.DataFrame({"rentang": labels})
        .join(sebaran, on="rentang", how="left")
        .with_columns(pl.col("pegawai").fill_null(0))
    )
    periods = periods or sorted(set(rows["periode"].to_list()))
    result = Perbandingan(per_opd, total, pegawai, distribusi, sebaran, "", periods, aturan)
    result.ringkasan = ringkasan(result)
    return result


def _periode_teks(periods: list[str]) -> str:
    if not periods:
        return "-"
    return periods[0] if len(periods) == 1 else f"{periods[0]} s.d. {periods[-1]}"


def ringkasan(p: Perbandingan) -> str:
    """Plain-language summary in Bahasa Indonesia."""
    t = p.total
    arah = (
        "naik"
        if t["selisih_bruto"] > 0
        else ("turun" if t["selisih_bruto"] < 0 else "tidak berubah")
    )
    persen = (100 * t["selisih_bruto"] / t["tpp_bruto_lama"]) if t["tpp_bruto_lama"] else 0.0
    if t["selisih_bruto"] == 0:
        awal = (
            f"Dengan aturan usulan {p.aturan}, TPP bruto periode {_periode_teks(p.periods)} "
            f"tidak berubah: {rupiah(t['tpp_bruto_lama'])}."
        )
    else:
        awal = (
            f"Dengan aturan usulan {p.aturan}, TPP bruto periode {_periode_teks(p.periods)} "
            f"{arah} dari {rupiah(t['tpp_bruto_lama'])} menjadi {rupiah(t['tpp_bruto_baru'])} "
            f"(selisih {_selisih_rp(t['selisih_bruto'])}, {f'{persen:+.2f}'.replace('.', ',')} %)."
        )
    lines = [
        awal,
        f"TPP neto (yang diterima pegawai) {rupiah(t['tpp_neto_lama'])} menjadi "
        f"{rupiah(t['tpp_neto_baru'])} (selisih {_selisih_rp(t['selisih_neto'])}).",
        f"Dari {_ribu(t['pegawai'])} pegawai, {_ribu(t['pegawai_naik'])} naik, "
        f"{_ribu(t['pegawai_turun'])} turun dan {_ribu(t['pegawai_tetap'])} tetap.",
    ]
    if p.per_pegawai.height and t["pegawai_naik"]:
        naik = p.per_pegawai.filter(pl.col("selisih_bruto") > 0)["selisih_bruto"]
        lines.append(
            f"Kenaikan per pegawai: median {rupiah(naik.median())}, terbesar {rupiah(naik.max())}."
        )
    if p.per_pegawai.height and t["pegawai_turun"]:
        turun = p.per_pegawai.filter(pl.col("selisih_bruto") < 0)["selisih_bruto"]
        lines.append(
            f"Penurunan per pegawai: median {rupiah(-turun.median())}, terbesar "
            f"{rupiah(-turun.min())}."
        )
    if p.per_opd.height and t["selisih_bruto"]:
        top = p.per_opd.sort(pl.col("selisih_bruto").abs(), descending=True).row(0, named=True)
        lines.append(
            f"Dampak terbesar di {top['nama_opd'] or top['kode_opd']} "
            f"({_selisih_rp(top['selisih_bruto'])})."
        )
    return "\n".join(lines)


def dampak_pagu(lama: pl.DataFrame, baru: pl.DataFrame) -> pl.DataFrame | None:
    """Run-rate forecast against the budget (seed pagu_tpp) before and after, per budget year and
    department, from the months of the window only (quality.budget.hitung_realisasi)."""
    from quality.budget import hitung_realisasi, terakhir_per_tahun

    cols = ["periode", "kode_opd", "nip", "tpp_bruto", "tpp_neto"]
    try:
        old = terakhir_per_tahun(hitung_realisasi(lama.select(cols)))
        new = terakhir_per_tahun(hitung_realisasi(baru.select(cols)))
    except Exception:  # noqa: BLE001 - the budget is an extra, never the reason a what-if fails
        return None
    keep = ["tahun", "kode_opd", "pagu", "bulan_terbayar", "proyeksi_akhir_tahun", "melebihi_pagu"]
    return (
        old.select(keep)
        .rename({"proyeksi_akhir_tahun": "proyeksi_lama", "melebihi_pagu": "melebihi_lama"})
        .join(
            new.select(
                "tahun",
                "kode_opd",
                pl.col("proyeksi_akhir_tahun").alias("proyeksi_baru"),
                pl.col("melebihi_pagu").alias("melebihi_baru"),
            ),
            on=["tahun", "kode_opd"],
            how="full",
            coalesce=True,
        )
        .filter(pl.col("pagu").is_not_null())
        .sort("tahun", "kode_opd")
    )


def ringkasan_pagu(pagu: pl.DataFrame) -> str:
    lines = []
    for (tahun,), rows in pagu.group_by("tahun", maintain_order=True):
        baru = rows.filter(pl.col("melebihi_baru").fill_null(False))
        lama = rows.filter(pl.col("melebihi_lama").fill_null(False))
        total_baru, total_pagu = (
            int(rows["proyeksi_baru"].fill_null(0).sum()),
            int(rows["pagu"].sum()),
        )
        n = int(rows["bulan_terbayar"].max() or 0)
        teks = (
            f"Proyeksi realisasi tahun anggaran {tahun} (run rate dari {n} bulan bayar): "
            f"{rupiah(total_baru)} dari pagu {rupiah(total_pagu)}; "
        )
        if baru.height:
            teks += (
                f"{baru.height} OPD melebihi pagu ({', '.join(baru['kode_opd'].to_list()[:8])}"
                f"{', …' if baru.height > 8 else ''}), sebelumnya {lama.height}."
            )
        else:
            teks += "semua OPD dalam pagu."
        lines.append(teks)
    return "\n".join(lines)


# ----------------------------------------------------------------------------------------------
# XLSX


def write_xlsx(p: Perbandingan, path: Path) -> Path:
    """The meeting workbook; write-only mode (streams rows: a year of 16k people in ~1-2 s)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    rp = '"Rp" #,##0;[Red]-"Rp" #,##0'
    bold = Font(bold=True)
    wb = Workbook(write_only=True)

    def cell(ws, value, fmt: str | None = None, font: Font | None = None):
        c = WriteOnlyCell(ws, value=value)
        if fmt:
            c.number_format = fmt
        if font:
            c.font = font
        return c

    ws = wb.create_sheet("Ringkasan")
    ws.column_dimensions["A"].width = 28
    ws.column_dimensions["B"].width = 22
    ws.append([cell(ws, "What-if TPP: aturan usulan", font=Font(bold=True, size=13)), p.aturan])
    ws.append(["Periode", _periode_teks(p.periods)])
    ws.append([])
    for line in p.ringkasan.splitlines():
        ws.append([line])
    ws.append([])
    for label, key in (
        ("TPP bruto lama", "tpp_bruto_lama"),
        ("TPP bruto baru", "tpp_bruto_baru"),
        ("Selisih bruto", "selisih_bruto"),
        ("TPP neto lama", "tpp_neto_lama"),
        ("TPP neto baru", "tpp_neto_baru"),
        ("Selisih neto", "selisih_neto"),
    ):
        ws.append([label, cell(ws, p.total[key], rp)])
    for label, key in (
        ("Pegawai", "pegawai"),
        ("Naik", "pegawai_naik"),
        ("Turun", "pegawai_turun"),
        ("Tetap", "pegawai_tetap"),
    ):
        ws.append([label, p.total[key]])

    def sheet(title: str, frame: pl.DataFrame, money: set[str]) -> None:
        s = wb.create_sheet(title)
        s.freeze_panes = "A2"
        for j, col in enumerate(frame.columns):
            letter = chr(ord("A") + j)
            s.column_dimensions[letter].width = max(12, min(40, len(col) + 4))
        s.append([cell(s, c, font=bold) for c in frame.columns])
        is_money = [c in money for c in frame.columns]
        for row in frame.iter_rows():
            out = []
            for value, m in zip(row, is_money, strict=True):
                if m:
                    c = WriteOnlyCell(s, value=value)
                    c.number_format = rp
                    out.append(c)
                else:
                    out.append(value)
            s.append(out)

    money = {
        "tpp_bruto_lama",
        "tpp_bruto_baru",
        "selisih_bruto",
        "tpp_neto_lama",
        "tpp_neto_baru",
        "selisih_neto",
        "selisih_bruto_per_pegawai",
    }
    opd_cols = [
        "kode_opd",
        "nama_opd",
        "tpp_bruto_lama",
        "tpp_bruto_baru",
        "selisih_bruto",
        "persen_selisih_bruto",
        "tpp_neto_lama",
        "tpp_neto_baru",
        "selisih_neto",
        "pegawai_naik",
        "pegawai_turun",
        "pegawai_tetap",
    ]
    sheet("Per OPD", p.per_opd.select(opd_cols), money)
    sheet("Distribusi", p.distribusi, money)
    sheet("Sebaran", p.sebaran, money)
    if p.pagu is not None:
        sheet("Pagu", p.pagu, money | {"pagu", "proyeksi_lama", "proyeksi_baru"})
    sheet(
        "Per Pegawai",
        p.per_pegawai.select(
            "nip",
            "kode_opd",
            "tpp_bruto_lama",
            "tpp_bruto_baru",
            "selisih_bruto",
            "tpp_neto_lama",
            "tpp_neto_baru",
            "selisih_neto",
        ),
        money,
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def xlsx_bytes(p: Perbandingan) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        return write_xlsx(p, Path(tmp) / "whatif.xlsx").read_bytes()


# ----------------------------------------------------------------------------------------------
# entry point


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
    from orchestration.published import require_current

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
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        result.xlsx = write_xlsx(
            result, Path(out) / f"whatif_{aturan.nama}_{periods[0]}_{periods[-1]}_{stamp}.xlsx"
        )
    result.detik_total = time.perf_counter() - started
    return result
