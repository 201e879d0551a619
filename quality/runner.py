"""Evaluate every check of one asset over some periods, reading the data directory.

This is what the Dagster asset checks call (``orchestration.checks``) and what a command or a
test can call without Dagster. A check that cannot run (table or file missing, crash) is a
failed outcome, never silently skipped.
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass

import polars as pl

from orchestration.core.contract import KINDS
from orchestration.core.months import previous_month
from orchestration.core.paths import DataDir
from quality import crosssource, drift, payroll
from quality.catalog import CHECKS
from quality.config import DriftThresholds
from quality.loaders import read_raw, warehouse
from quality.outcome import ERROR, CheckOutcome, not_run
from quality.suites import REQUIRED_KINDS, check_name, suite_for, suite_severities
from quality.validate import run_suite

MARTS = ("tpp_bulanan", "tpp_opd_bulanan", "tpp_harian", "temuan", "karantina")
ASSETS = (*(f"raw/{k}" for k in KINDS), *MARTS)


@dataclass(frozen=True)
class Spec:
    """One check of an asset, as Dagster declares it."""

    name: str
    asset: str
    severity: str
    judul: str
    reads: tuple[str, ...] = ()
    per_periode: bool = False  # blocks only the periods it fails (``CheckInfo.per_periode``)

    @property
    def blocks_run(self) -> bool:
        """A failure stops everything downstream of the asset in the run."""
        return self.severity == ERROR and not self.per_periode


def _suite_name(asset: str) -> str:
    return asset.replace("/", "_")


def specs_for(asset: str) -> list[Spec]:
    specs = []
    for severity in suite_severities(asset):
        label = "aturan wajib" if severity == ERROR else "aturan peringatan"
        specs.append(
            Spec(
                check_name(_suite_name(asset), severity),
                asset,
                severity,
                f"Suite Great Expectations {asset}: {label} (skema, domain nilai, rentang).",
            )
        )
    specs += [
        Spec(c.name, c.asset, c.severity, c.judul, c.reads, c.per_periode)
        for c in CHECKS.values()
        if c.asset == asset
    ]
    return specs


def all_specs() -> list[Spec]:
    return [s for asset in ASSETS for s in specs_for(asset)]


# --- per-asset evaluation ---------------------------------------------------------------------


def _gx(asset: str, periode: str, frame: pl.DataFrame | None) -> list[CheckOutcome]:
    if frame is None:
        return [
            not_run(check_name(_suite_name(asset), s), asset, s, periode, f"data {asset} tidak ada")
            for s in suite_severities(asset)
        ]
    return run_suite(suite_for(asset, periode), frame)


def _skipped(asset: str, periode: str, reason: str) -> list[CheckOutcome]:
    """Passed outcomes for an optional source that has no file this period."""
    return [
        CheckOutcome(s.name, asset, s.severity, periode, True, 0, reason, {"dilewati": True})
        for s in specs_for(asset)
    ]


def _raw(kind: str, data: DataDir, periode: str) -> list[CheckOutcome]:
    asset = f"raw/{kind}"
    frame = read_raw(data, kind, periode)
    if frame is None and kind not in REQUIRED_KINDS:
        return _skipped(asset, periode, f"Tidak ada berkas {kind} periode {periode} (opsional).")
    out = _gx(asset, periode, frame)
    if frame is None:
        return out + [
            not_run(c.name, c.asset, c.severity, periode, f"data {asset} tidak ada")
            for c in CHECKS.values()
            if c.asset == asset
        ]
    pegawai = read_raw(data, "pegawai", periode)
    if kind == "absensi":
        if pegawai is None:
            info = CHECKS["pegawai_aktif_tanpa_absensi"]
            out.append(not_run(info.name, asset, info.severity, periode, "data pegawai tidak ada"))
        else:
            absen = read_raw(data, "ketidakhadiran", periode)
            out.append(crosssource.check_active_without_taps(pegawai, frame, absen, periode))
    elif kind == "kinerja":
        out.append(crosssource.check_self_evaluation(frame, periode, pegawai))
        out.append(crosssource.check_predikat_matrix(frame, periode, pegawai))
    return out


def _marts(asset: str, data: DataDir, periods: list[str]) -> list[CheckOutcome]:
    out: list[CheckOutcome] = []
    with warehouse(data) as wh:
        if wh is None or not wh.has(asset):
            where = "gudang data belum ada" if wh is None else f"tabel {asset} tidak ada di gudang"
            return [
                not_run(s.name, asset, s.severity, p, where)
                for p in periods
                for s in specs_for(asset)
            ]
        wanted = sorted({*periods, *(previous_month(p) for p in periods)})
        # the day table (a year: 4M rows) is read one period at a time, the others at once
        per_period = asset == "tpp_harian"
        frame = (
            None if per_period else wh.table(asset, wanted if asset == "tpp_bulanan" else periods)
        )
        extra = {}
        if asset == "tpp_bulanan":
            extra["temuan"] = wh.table("temuan", periods)
        if asset == "tpp_opd_bulanan":
            extra["tpp_bulanan"] = wh.table("tpp_bulanan", periods)
        thresholds = DriftThresholds.load() if asset == "tpp_bulanan" else None
        for periode in periods:
            try:
                rows = wh.table(asset, [periode]) if per_period else frame
                out += _mart_period(asset, data, periode, rows, extra, thresholds)
            except Exception as exc:  # noqa: BLE001 - a crashing check is a failed check
                out += _crashed(asset, periode, exc)
    return out


def _rows(frame: pl.DataFrame, periode: str) -> pl.DataFrame:
    if "periode" not in frame.columns:
        return frame
    return frame.filter(pl.col("periode").cast(pl.String) == periode)


def _mart_period(
    asset: str,
    data: DataDir,
    periode: str,
    frame: pl.DataFrame,
    extra: dict[str, pl.DataFrame | None],
    thresholds: DriftThresholds | None,
) -> list[CheckOutcome]:
    rows = _rows(frame, periode)
    out = _gx(asset, periode, rows)
    if asset == "tpp_bulanan":
        out.append(payroll.check_bruto_within_basis(rows, periode))
        temuan = extra.get("temuan")
        if temuan is None:
            info = CHECKS["tanpa_temuan_error"]
            out.append(not_run(info.name, asset, info.severity, periode, "tabel temuan tidak ada"))
        else:
            out.append(payroll.check_no_error_findings(temuan, periode))
        previous = _rows(frame, previous_month(periode))
        out += drift.check_drift(rows, previous, periode, thresholds)
    elif asset == "tpp_opd_bulanan":
        tpp = extra.get("tpp_bulanan")
        if tpp is None:
            info = CHECKS["total_opd_sesuai_rincian"]
            out.append(not_run(info.name, asset, info.severity, periode, "tpp_bulanan tidak ada"))
        else:
            out.append(payroll.check_department_totals(tpp, rows, periode))
    elif asset == "karantina":
        out.append(crosssource.check_unknown_nip(rows, periode))
    return out


def _crashed(asset: str, periode: str, exc: Exception) -> list[CheckOutcome]:
    reason = f"{type(exc).__name__}: {exc}"[:300]
    tail = traceback.format_exc(limit=3)[-1500:]
    return [
        CheckOutcome(
            s.name,
            asset,
            s.severity,
            periode,
            False,
            0,
            f"Cek tidak dapat dijalankan untuk periode {periode}: {reason}",
            {"tidak_dijalankan": True, "alasan": reason, "jejak": tail},
        )
        for s in specs_for(asset)
    ]


def evaluate(asset: str, data: DataDir, periods: list[str]) -> list[CheckOutcome]:
    """Every check of ``asset`` for every period; exactly one outcome per (spec, period)."""
    if asset.startswith("raw/"):
        kind = asset.removeprefix("raw/")
        out: list[CheckOutcome] = []
        for periode in periods:
            try:
                out += _raw(kind, data, periode)
            except Exception as exc:  # noqa: BLE001 - a crashing check is a failed check
                out += _crashed(asset, periode, exc)
    elif asset in MARTS:
        try:
            out = _marts(asset, data, periods)
        except Exception as exc:  # noqa: BLE001
            out = [o for p in periods for o in _crashed(asset, p, exc)]
    else:
        raise ValueError(f"aset tidak dikenal: {asset}")
    return _complete(asset, periods, out)


def _complete(asset: str, periods: list[str], out: list[CheckOutcome]) -> list[CheckOutcome]:
    """Guarantee one outcome per (spec, period): a missing one is a failure, not a pass."""
    have = {(o.check, o.periode) for o in out}
    for periode in periods:
        for s in specs_for(asset):
            if (s.name, periode) not in have:
                out.append(not_run(s.name, asset, s.severity, periode, "hasil cek tidak ada"))
    return out


def evaluate_all(data: DataDir, periods: list[str]) -> list[CheckOutcome]:
    return [o for asset in ASSETS for o in evaluate(asset, data, periods)]
