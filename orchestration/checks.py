"""Dagster asset checks: thin wrappers around ``quality.runner`` (the logic is pure functions).

One ``multi_asset_check`` per judged asset reads the data once and reports every check of that
asset over the run's period range (``context.partition_key_range``). ERROR checks are
``blocking=True``: when one fails, nothing downstream of that asset is built in the run and the
run fails; except a per-period one (``tanpa_temuan_error``, ``Spec.blocks_run``): it fails
only its periods, which publish leaves out, and the run's other periods are published. Every
result also goes to the check history (``DATA/quality.sqlite``) for the app.

Asset keys judged:
- ``raw/<kind>`` for every source kind (the ingest assets, ``dg.AssetKey(["raw", kind])``);
- the marts ``tpp_bulanan``, ``tpp_opd_bulanan``, ``tpp_harian``, ``temuan``, ``karantina``
  (dbt models keep their model name as key, e.g. ``dg.AssetKey(["tpp_bulanan"])``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import dagster as dg

from orchestration.core.paths import DataDir
from orchestration.partitions import monthly
from quality.alerts import places_of
from quality.history import record_outcomes
from quality.outcome import ERROR, CheckOutcome, fingerprint_of, json_safe
from quality.runner import ASSETS, Spec, evaluate, specs_for

MAX_DETAIL_ROWS = 10


def asset_key(asset: str) -> dg.AssetKey:
    """``"raw/pegawai"`` -> ``AssetKey(["raw", "pegawai"])``; ``"tpp_bulanan"`` -> one part."""
    return dg.AssetKey(asset.split("/"))


def run_periods(context: dg.AssetCheckExecutionContext, data: DataDir) -> list[str]:
    """The periods of the run: its partition range, or every period of the raw zone."""
    if context.has_partition_key_range:
        return list(monthly.get_partition_keys_in_range(context.partition_key_range))
    if context.has_partition_key:
        return [context.partition_key]
    folder = data.raw / "pegawai"
    return sorted(p.stem for p in folder.glob("*.parquet") if not p.stem.startswith("_"))


def _run_started(context) -> dt.datetime | None:
    """One timestamp per run for every result it records (the app groups results by it)."""
    try:
        record = context.instance.get_run_record_by_id(context.run.run_id)
    except Exception:  # noqa: BLE001 - the history then uses the time of writing
        return None
    if record is None or not record.start_time:
        return None
    return dt.datetime.fromtimestamp(record.start_time, dt.UTC)


def to_result(spec: Spec, outcomes: list[CheckOutcome]) -> dg.AssetCheckResult:
    """All periods of one check -> one Dagster result (failed if any period failed)."""
    outcomes = sorted(outcomes, key=lambda o: o.periode)
    failed = [o for o in outcomes if not o.passed]
    if not outcomes:
        description = "Tidak ada periode yang diperiksa."
    elif len(outcomes) == 1:
        description = outcomes[0].description
    elif failed:
        description = " ".join(o.description for o in failed)
    else:
        periods = ", ".join(o.periode for o in outcomes)
        description = f"Lulus untuk {len(outcomes)} periode ({periods})."
    opd = sorted({k for o in failed for k in o.kode_opd})
    places = [p for o in failed for p in places_of(o.details)]
    details = {
        o.periode: {
            "lulus": o.passed,
            "n_gagal": o.n_failed,
            "keterangan": o.description,
            "rincian": _trim(o.details),
        }
        for o in outcomes
    }
    return dg.AssetCheckResult(
        asset_key=asset_key(spec.asset),
        check_name=spec.name,
        passed=not failed,
        severity=dg.AssetCheckSeverity.ERROR
        if spec.severity == ERROR
        else dg.AssetCheckSeverity.WARN,
        description=description[:4000],
        metadata={
            "periode": ", ".join(o.periode for o in outcomes),
            "periode_gagal": ", ".join(o.periode for o in failed),
            "n_gagal": sum(o.n_failed for o in failed),
            "kode_opd": ", ".join(opd),
            "sidik_jari": fingerprint_of([o.fingerprint for o in failed]) if failed else "",
            "lokasi": "\n".join(dict.fromkeys(places))[:4000],
            "tingkat": spec.severity,
            "rincian": dg.MetadataValue.json(json_safe(details)),
        },
    )


def _trim(details: dict) -> dict:
    """Keep metadata small: a few sample rows per list."""
    out = {}
    for key, value in details.items():
        if isinstance(value, list):
            out[key] = [_trim(v) if isinstance(v, dict) else v for v in value[:MAX_DETAIL_ROWS]]
        elif isinstance(value, dict):
            out[key] = _trim(value)
        else:
            out[key] = value
    return out


def _check_for(asset: str) -> dg.AssetChecksDefinition:
    specs = specs_for(asset)
    dagster_specs = [
        dg.AssetCheckSpec(
            s.name,
            asset=asset_key(asset),
            description=s.judul,
            blocking=s.blocks_run,
            additional_deps=[asset_key(r) for r in s.reads] or None,
            metadata={"tingkat": s.severity},
        )
        for s in specs
    ]

    @dg.multi_asset_check(
        specs=dagster_specs,
        name=f"cek_{asset.replace('/', '_')}",
        description=f"Cek mutu data {asset} (Great Expectations dan aturan TPP).",
        required_resource_keys={"storage"},
    )
    def _checks(context):  # annotation left out: Dagster checks it at runtime
        data: DataDir = context.resources.storage.data
        periods = run_periods(context, data)
        context.log.info(f"Cek mutu {asset} untuk periode {', '.join(periods) or '-'}")
        outcomes = evaluate(asset, data, periods)
        record_outcomes(data, context.run.run_id, outcomes, checked_at=_run_started(context))
        grouped: dict[str, list[CheckOutcome]] = defaultdict(list)
        for o in outcomes:
            grouped[o.check].append(o)
        for spec in specs:
            result = to_result(spec, grouped.get(spec.name, []))
            if not result.passed:
                context.log.warning(f"{spec.severity} {spec.name}: {result.description}")
            yield result

    return _checks


def build_asset_checks(assets: tuple[str, ...] = ASSETS) -> list[dg.AssetChecksDefinition]:
    """Every data-quality asset check of the platform (see ``quality.runner.all_specs``)."""
    return [_check_for(asset) for asset in assets]
