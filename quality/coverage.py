"""Which rule caught each defect the simulator planted (``_groundtruth/cacat.csv``).

Every planted defect must be accounted for by the platform: quarantined (with its reason),
counted once as a duplicate, reported as a finding, or tolerated as the contract says (BOM).
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl

from orchestration.core.paths import DataDir


def defect_coverage(data: DataDir, groundtruth: Path) -> pl.DataFrame:
    """One row per planted defect with ``ditangkap_oleh`` (None = not caught).

    Reads the warehouse marts ``karantina`` and ``temuan`` and the raw zone (for duplicates
    and tolerated lines) with a short read-only connection.
    """
    defects = pl.read_csv(groundtruth / "cacat.csv", schema_overrides={"line": pl.Int32})
    with duckdb.connect(str(data.warehouse), read_only=True) as con:
        con.register("cacat", defects.to_arrow())
        con.execute(f"""
            create temp view raw_lines as
            select source_file, line_no from read_parquet('{data.raw}/*/*.parquet', union_by_name = true)
        """)
        table = con.sql("""
            select
                c.file, c.line, c.jenis_cacat, c.kolom,
                coalesce(
                    (select 'karantina: ' || min(k.kode_alasan) from karantina k
                      where k.source_file = c.file and k.line_no = c.line),
                    (select 'temuan: ' || min(t.kode) from temuan t
                      where t.source_file = c.file and t.line_no = c.line),
                    case when c.jenis_cacat = 'TAP_DUPLIKAT'
                          and not exists (select 1 from raw_lines r
                                          where r.source_file = c.file and r.line_no = c.line)
                         then 'duplikat: dihitung sekali' end,
                    case when c.jenis_cacat = 'BOM'
                          and exists (select 1 from raw_lines r where r.source_file = c.file)
                         then 'ditoleransi: file dimuat' end
                ) as ditangkap_oleh
            from cacat c
            order by c.file, c.line
        """).to_arrow_table()
    return pl.from_arrow(table)


def coverage_summary(coverage: pl.DataFrame) -> pl.DataFrame:
    """Defect kind -> caught by -> count (the table of the data-quality closing note)."""
    return (
        coverage.with_columns(pl.col("ditangkap_oleh").fill_null("TIDAK TERTANGKAP"))
        .group_by("jenis_cacat", "ditangkap_oleh")
        .len("jumlah")
        .sort("jenis_cacat", "ditangkap_oleh")
    )
