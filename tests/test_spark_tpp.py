"""The same dbt project on Spark: one simulated population (~100 employees, February and Ramadan
March 2025, a few dirty lines for the quarantine), built once on DuckDB and once on Spark
(dbt-spark, ``method: session``, local[2]); the finance table must be the same row for row, to
the rupiah, and so must the other marts.

Needs the optional extra (``uv sync --extra spark``; .ci/run installs it) and a Java runtime;
skipped otherwise. The Spark build takes a minute or two (JVM start, ~45 statements).
"""

from __future__ import annotations

import json
import os
import shutil
import time
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

pytest.importorskip("pyspark", reason="the 'spark' extra is not installed (uv sync --extra spark)")
pytest.importorskip(
    "dbt.adapters.spark", reason="the 'spark' extra is not installed (uv sync --extra spark)"
)
if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
    pytest.skip(
        "no Java runtime for Spark (java not on PATH, JAVA_HOME unset)", allow_module_level=True
    )

from tpp_fixtures import AMOUNTS, dbt_build  # noqa: E402

from orchestration.core.paths import TRANSFORMS_DIR, DataDir  # noqa: E402
from orchestration.dbt_project import environment  # noqa: E402
from orchestration.ingest import ingest_all  # noqa: E402
from orchestration.tools.simulator import simulate  # noqa: E402

MULAI, SAMPAI = "2025-02", "2025-03"
WINDOW = {"periode_mulai": MULAI, "periode_sampai": SAMPAI}
KEYS = {
    "tpp_bulanan": ("periode", "nip", "kode_opd"),
    "tpp_harian": ("periode", "nip", "kode_opd", "tanggal"),
    "tpp_opd_bulanan": ("periode", "kode_opd"),
    "karantina": ("kind", "periode", "source_file", "line_no", "kolom", "kode_alasan"),
    "temuan": ("periode", "kode", "source_file", "line_no", "nip", "kode_opd"),
    "realisasi_pagu": ("tahun", "bulan", "kode_opd"),
    # the app's metric marts
    "tpp_opd_indikator": ("periode", "kode_opd"),
    "tpp_opd_hari": ("periode", "kode_opd", "hari_iso"),
    "tpp_opd_jam_datang": ("periode", "kode_opd", "menit", "jam_masuk"),
    "tpp_opd_sebaran": ("periode", "kode_opd", "sebaran", "nilai"),
    "tpp_perlu_perhatian": ("periode", "urutan"),
}
# profile knobs (transforms/profiles.yml) for a short-lived local session on a small, busy
# machine: no Derby metastore, no whole-stage code generation, quick JIT. ~2.5x faster here.
FAST_LOCAL_SPARK = {
    "KINERJA_SPARK_CATALOG": "in-memory",
    "KINERJA_SPARK_CODEGEN": "false",
    "KINERJA_SPARK_JAVA_OPTIONS": "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC",
}


def dbt_spark(data: Path, args: list[str]) -> tuple[bool, float, list[str]]:
    """One in-process dbt command on the ``spark`` target against ``data``."""
    from dbt.cli.main import dbtRunner

    base = [
        "--project-dir",
        str(TRANSFORMS_DIR),
        "--profiles-dir",
        str(TRANSFORMS_DIR),
        "--target",
        "spark",
        "--target-path",
        str(data / "dbt_target_spark"),
        "--log-path",
        str(data / "dbt_logs_spark"),
        "--no-partial-parse",
        "--quiet",
    ]
    started = time.perf_counter()
    with environment({"KINERJA_DATA": str(data), **FAST_LOCAL_SPARK}):
        res = dbtRunner().invoke(args[:1] + base + args[1:])
    failures = [
        f"{r.node.unique_id}: {r.status}: {r.message}"
        for r in (res.result or [])
        if str(r.status).lower() not in ("success", "pass")
    ]
    if res.exception is not None:
        failures.append(repr(res.exception))
    return bool(res.success), time.perf_counter() - started, failures


@pytest.fixture(scope="session")
def engines(tmp_path_factory):
    """Both warehouses over the same raw zone, each built once."""
    base = tmp_path_factory.mktemp("spark_tpp")
    exports, data = base / "exports", DataDir.resolve(base / "data")
    simulate(
        out=exports,
        pegawai=100,
        opd=5,
        mulai=MULAI,
        sampai=SAMPAI,
        seed=23,
        kotor=0.01,
        xlsx=False,
        progress=False,
    )
    ingest_all(data, exports)

    duck = dbt_build(data.root, vars=WINDOW, extra=["--exclude-resource-type", "unit_test"])
    assert duck.success, "\n".join(duck.failures)
    # seeds + models (contract enforced); the data and unit tests run on DuckDB above (they
    # also pass on Spark, docs/scale.md, but cost another minute or more)
    ok, seconds, failures = dbt_spark(
        data.root,
        ["build", "--vars", json.dumps(WINDOW), "--exclude-resource-type", "test", "unit_test"],
    )
    assert ok, "\n".join(failures)
    print(f"\nDuckDB build {duck.seconds:.1f} s, Spark build {seconds:.1f} s")

    from pyspark.sql import SparkSession

    spark = SparkSession.builder.getOrCreate()  # the session dbt-spark started
    yield data.root, spark
    spark.stop()


def _norm(v):
    # exact comparison, scale included: Decimal('1.50') and Decimal('1.5000') differ here
    return ("decimal", str(v)) if isinstance(v, Decimal) else v


def duckdb_rows(data: Path, table: str):
    with duckdb.connect(str(data / "warehouse.duckdb"), read_only=True) as con:
        cols = [r[0] for r in con.execute(f"describe {table}").fetchall()]
        rows = con.execute(f"select {', '.join(cols)} from {table}").fetchall()
    return cols, rows


def spark_rows(spark, table: str, cols: list[str]):
    return [tuple(r) for r in spark.table(f"kinerja.{table}").select(*cols).collect()]


def _sorted(rows, cols, key):
    idx = [cols.index(k) for k in key]
    return sorted(
        (tuple(_norm(v) for v in r) for r in rows),
        key=lambda r: tuple((r[i] is None, r[i] if r[i] is not None else "") for i in idx),
    )


def assert_same(data: Path, spark, table: str) -> int:
    cols, duck = duckdb_rows(data, table)
    on_spark = spark_rows(spark, table, cols)
    a, b = _sorted(duck, cols, KEYS[table]), _sorted(on_spark, cols, KEYS[table])
    assert len(a) == len(b), f"{table}: DuckDB {len(a)} rows, Spark {len(b)}"
    key = [cols.index(k) for k in KEYS[table]]
    diffs = [
        (cols[i], x[i], y[i], [x[k] for k in key])
        for x, y in zip(a, b, strict=True)
        for i in range(len(cols))
        if x[i] != y[i]
    ]
    assert not diffs, f"{table}: {len(diffs)} differing cells, e.g. {diffs[:5]}"
    return len(a)


def test_tpp_bulanan_sama_di_spark_sampai_rupiah(engines):
    data, spark = engines
    n = assert_same(data, spark, "tpp_bulanan")
    assert n >= 150  # ~100 people x 2 months, less the quarantined / inactive ones
    with duckdb.connect(str(data / "warehouse.duckdb"), read_only=True) as con:
        total = con.execute(
            "select sum(tpp_neto), count(distinct periode) from tpp_bulanan"
        ).fetchone()
    assert total[0] > 0 and total[1] == 2
    spark_total = spark.sql("select sum(tpp_neto) from kinerja.tpp_bulanan").collect()[0][0]
    assert spark_total == total[0]


def test_the_compared_population_has_schools_and_shifts(engines):
    """The equality above covers every work pattern (jadwal.md): teachers, office workers and
    rostered shifts, night shifts crossing midnight included."""
    data, _ = engines
    with duckdb.connect(str(data / "warehouse.duckdb"), read_only=True) as con:
        patterns = {
            r[0] for r in con.execute("select distinct pola_kerja from tpp_bulanan").fetchall()
        }
        malam = con.execute(
            "select count(*) from tpp_harian where kode_shift = 'MALAM' and waktu_pulang is not null"
            " and cast(waktu_pulang as date) > tanggal"
        ).fetchone()[0]
    assert patterns == {"KANTOR", "SEKOLAH", "SHIFT"}
    assert malam > 0


@pytest.mark.parametrize(
    "table",
    [
        "tpp_harian",
        "tpp_opd_bulanan",
        "karantina",
        "temuan",
        "realisasi_pagu",
        "tpp_opd_indikator",
        "tpp_opd_hari",
        "tpp_opd_jam_datang",
        "tpp_opd_sebaran",
        "tpp_perlu_perhatian",
    ],
)
def test_mart_lain_sama_di_spark(engines, table):
    data, spark = engines
    assert assert_same(data, spark, table) > 0


def test_kontrak_tipe_di_spark(engines):
    _, spark = engines
    types = dict(spark.table("kinerja.tpp_bulanan").dtypes)
    assert types["periode"] == types["nip"] == "string"
    for c in AMOUNTS:
        assert types[c] == "bigint", c
    assert types["persen_kinerja"] == "decimal(9,4)" and types["basis_efektif"] == "decimal(38,10)"


def test_jalan_ulang_satu_bulan_mengganti_partisi_itu_saja(engines):
    """The incremental per-period path on Spark (Parquet: drop the window's partitions, append):
    rebuilding March of a mart leaves February alone and March without duplicates."""
    data, spark = engines
    before = spark.sql(
        "select periode, count(*) n from kinerja.tpp_opd_bulanan group by periode order by periode"
    ).collect()
    ok, _, failures = dbt_spark(
        data,
        [
            "run",
            "--select",
            "tpp_opd_bulanan",
            "--vars",
            json.dumps({"periode_mulai": SAMPAI, "periode_sampai": SAMPAI}),
        ],
    )
    assert ok, "\n".join(failures)
    spark.catalog.refreshTable("kinerja.tpp_opd_bulanan")
    after = spark.sql(
        "select periode, count(*) n from kinerja.tpp_opd_bulanan group by periode order by periode"
    ).collect()
    assert [tuple(r) for r in after] == [tuple(r) for r in before]
    assert_same(data, spark, "tpp_opd_bulanan")


def test_pembulatan_setengah_naik_eksak_di_spark(engines):
    """bulat_setengah_naik as dbt compiles it for Spark, on 33-digit numerators (the size of
    basis x hari x four ppm factors) and exact .5 ties, equals Fraction arithmetic."""
    from fractions import Fraction

    from dbt.cli.main import dbtRunner

    data, spark = engines
    cases = [
        (10**33 + 5 * 10**24, 10**25),  # ...0.5 exactly -> up
        (10**33 + 5 * 10**24 - 1, 10**25),  # just below .5 -> down
        (987654321987654321987654321012345, 23 * 10**24),
        (123456789 * 10**24 + 11 * 10**24 // 2, 11 * 10**24),
        (7, 2),
        (0, 3),
    ]
    select = " union all ".join(
        f"select {i} as i, {{{{ bulat_setengah_naik('cast({n} as decimal(38,0))', "
        f"'cast({d} as decimal(38,0))') }}}} as r"
        for i, (n, d) in enumerate(cases)
    )
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("KINERJA_DATA", str(data))
        res = dbtRunner().invoke(
            [
                "compile",
                "--project-dir",
                str(TRANSFORMS_DIR),
                "--profiles-dir",
                str(TRANSFORMS_DIR),
                "--target",
                "spark",
                "--target-path",
                str(data / "dbt_target_inline"),
                "--log-path",
                str(data / "dbt_logs_spark"),
                "--quiet",
                "--inline",
                select,
            ]
        )
    assert res.success, res.exception
    sql = res.result.results[0].node.compiled_code
    got = {r["i"]: r["r"] for r in spark.sql(sql).collect()}
    for i, (n, d) in enumerate(cases):
        x = Fraction(n, d)
        assert got[i] == (2 * x.numerator + x.denominator) // (2 * x.denominator), (n, d, got[i])
