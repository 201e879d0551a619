"""The one diff engine of TPP rows: an old and a new frame of ``tpp_bulanan`` rows compared row
by row, shared by the corrections of locked periods (``publish.koreksi_rows``: locked rows vs
the recomputation) and the what-if (``whatif.compare``: published rows vs the candidate).

It computes no pay rule: the amounts come from dbt (``int_tpp_bulanan`` /
``whatif_tpp_cepat``, one formula, ``transforms/macros/jumlah_tpp.sql``); it only subtracts.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl


def selisih_baris(
    lama: pl.DataFrame,
    baru: pl.DataFrame,
    key: Sequence[str],
    amounts: Sequence[str],
    fields: Sequence[str] = (),
    fields_baru: Sequence[str] = (),
    sudah: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Full outer join of ``lama`` and ``baru`` on ``key`` with the difference of every amount.

    Columns of the result:

    - ``key`` (coalesced);
    - ``<c>`` = old value and ``<c>_baru`` = new value, for every amount and every column of
      ``fields`` (null where the row is missing on that side), plus ``<c>_baru`` for the
      columns of ``fields_baru`` (read from ``baru`` only);
    - ``_lama`` / ``_baru``: True when the row exists on that side, else null;
    - ``selisih_<a>`` = baru - lama - sudah (missing = 0), Int64, for every amount;
    - with ``sudah`` (rows of key + ``selisih_<a>`` already paid, summed per key): ``_sudah``,
      True when some of them is not zero; rows only in ``sudah`` are kept.

    Row order: unspecified (sort it where it matters).
    """
    key, amounts = list(key), list(amounts)
    old = lama.select(*key, *fields, *amounts).with_columns(_lama=pl.lit(True))
    new = baru.select(*key, *fields, *fields_baru, *amounts)
    new = new.rename({c: f"{c}_baru" for c in new.columns if c not in key})
    new = new.with_columns(_baru=pl.lit(True))
    joined = old.join(new, on=key, how="full", coalesce=True)
    if sudah is not None and sudah.height:
        already = sudah.group_by(key).agg(
            [pl.col(f"selisih_{a}").sum().alias(f"_sudah_{a}") for a in amounts]
        )
        joined = joined.join(already, on=key, how="full", coalesce=True)
    else:
        joined = joined.with_columns([pl.lit(0, pl.Int64).alias(f"_sudah_{a}") for a in amounts])
    return joined.with_columns(
        [
            (
                pl.col(f"{a}_baru").fill_null(0).cast(pl.Int64)
                - pl.col(a).fill_null(0).cast(pl.Int64)
                - pl.col(f"_sudah_{a}").fill_null(0).cast(pl.Int64)
            ).alias(f"selisih_{a}")
            for a in amounts
        ]
        + [
            pl.any_horizontal([pl.col(f"_sudah_{a}").fill_null(0) != 0 for a in amounts]).alias(
                "_sudah"
            )
        ]
    )
