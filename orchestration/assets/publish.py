"""``published_tpp``: the marts of the run's periods published for finance, atomically."""

import dagster as dg

from orchestration.core.published import MART_TABLES
from orchestration.partitions import monthly
from orchestration.resources import KinerjaStorage


@dg.asset(
    name="published_tpp",
    group_name="publish",
    partitions_def=monthly,
    backfill_policy=dg.BackfillPolicy.single_run(),
    deps=[dg.AssetKey([mart]) for mart in MART_TABLES],
    kinds={"parquet"},
    description=(
        "Snapshot terbit (published/current) untuk keuangan: mart per periode sebagai Parquet "
        "deterministik, dialihkan secara atomik; periode TERKUNCI tidak berubah, selisihnya "
        "menjadi koreksi di periode terbuka berikutnya."
    ),
)
def published_tpp(
    context: dg.AssetExecutionContext, storage: KinerjaStorage
) -> dg.MaterializeResult:
    from orchestration.publish import publish

    result = publish(storage.data, list(context.partition_keys))
    if result.locked:
        context.log.warning(
            f"Periode {', '.join(result.locked)} TERKUNCI: file terbitnya tidak diubah; selisih "
            "hasil hitung ulang dicatat sebagai koreksi (tpp_koreksi) di periode terbuka berikutnya."
        )
    if result.blocked:
        context.log.warning(
            f"Periode {', '.join(result.blocked)} DIBLOKIR oleh temuan ERROR: tidak diterbitkan "
            "(cek tanpa_temuan_error); perbaiki sumbernya lalu jalankan ulang."
        )
    rows = []
    for periode in context.partition_keys:
        totals = result.totals.get(periode, {})
        rows.append(
            dg.TableRecord(
                {
                    "periode": periode,
                    "aksi": _action(periode, result),
                    "baris": int(totals.get("rows", 0)),
                    "tpp_bruto": int(totals.get("tpp_bruto", 0)),
                    "tpp_neto": int(totals.get("tpp_neto", 0)),
                    "koreksi_baris": int(result.koreksi.get(periode, {}).get("rows", 0)),
                    "koreksi_neto": int(result.koreksi.get(periode, {}).get("selisih_tpp_neto", 0)),
                }
            )
        )
    selected = [result.totals[p] for p in context.partition_keys if p in result.totals]
    context.log.info(
        f"Snapshot {result.snapshot} terbit: {len(result.written)} periode ditulis, "
        f"{len(result.carried)} dibawa, {len(result.locked)} terkunci."
    )
    return dg.MaterializeResult(
        metadata={
            "snapshot": result.snapshot,
            "path": dg.MetadataValue.path(str(result.path)),
            "rows": sum(int(t["rows"]) for t in selected),
            "tpp_bruto": sum(int(t["tpp_bruto"]) for t in selected),
            "tpp_neto": sum(int(t["tpp_neto"]) for t in selected),
            "rows_per_table": dg.MetadataValue.json(result.rows),
            "periods": dg.MetadataValue.table(rows),
            "pruned": dg.MetadataValue.json(result.pruned),
        }
    )


def _action(periode: str, result) -> str:
    if periode in result.blocked:
        return "diblokir"
    return "terkunci" if periode in result.locked else "terbit"
