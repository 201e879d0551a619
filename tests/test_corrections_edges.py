"""Corrections of LOCKED periods at the edges finance worries about (README "verify / lock": a
locked period never changes; the difference is ``tpp_koreksi`` in the next open period):

- two consecutive locked months corrected at once, with a transfer between departments, while
  the months after them are locked too;
- a correction whose next open period has no data yet (the month after the last one loaded);
- a correction undone before it was paid.

The invariant checked everywhere: for every locked period P and every (nip, kode_opd), the
koreksi rows of P (paid or still open) add up to recomputed - locked, for every amount column,
to the rupiah; the locked files (published and ``terkunci``) keep their bytes.
"""

from __future__ import annotations

import polars as pl
import pytest
from test_publish_support import (
    AMOUNTS,
    ANA,
    PEOPLE,
    build_warehouse,
    change,
    frozen,
    scenario,
    tpp_row,
)

from orchestration import lifecycle
from orchestration.core.paths import DataDir
from orchestration.core.published import current_snapshot
from orchestration.nominatif import ExportError, export
from orchestration.publish import publish

YOHANES = PEOPLE[1]  # 4.01.01, moves to 1.02.01 in the corrected master


@pytest.fixture
def data(tmp_path) -> DataDir:
    return DataDir(tmp_path / "data")


def lock(data: DataDir, *periods: str) -> None:
    for p in periods:
        lifecycle.verify(data, p, "Budi")
        lifecycle.lock(data, p, "Maria")


def expected_selisih(plan_old, plan_new, periode: str) -> dict[tuple[str, str], dict[str, int]]:
    """(nip, kode_opd) -> recomputed - locked for every amount, rows on one side only counted."""
    out: dict[tuple[str, str], dict[str, int]] = {}
    for sign, people in ((-1, plan_old[periode]), (1, plan_new[periode])):
        for p in people:
            row = tpp_row(periode, p)
            k = out.setdefault((p.nip, p.kode_opd), dict.fromkeys(AMOUNTS, 0))
            for a in AMOUNTS:
                k[a] += sign * row[a]
    return {k: v for k, v in out.items() if any(v.values())}


def koreksi_of(data: DataDir, periode_asal: str) -> dict[tuple[str, str], dict[str, int]]:
    """(nip, kode_opd) -> the koreksi of ``periode_asal`` summed over every periode_bayar."""
    rows = current_snapshot(data).read("tpp_koreksi").filter(pl.col("periode_asal") == periode_asal)
    out: dict[tuple[str, str], dict[str, int]] = {}
    for r in rows.iter_rows(named=True):
        k = out.setdefault((r["nip"], r["kode_opd"]), dict.fromkeys(AMOUNTS, 0))
        for a in AMOUNTS:
            k[a] += r[f"selisih_{a}"]
    return {k: v for k, v in out.items() if any(v.values())}


def test_two_locked_months_corrected_at_once_go_to_the_first_open_month(data):
    """Feb, Mar and Apr are LOCKED; Feb's attendance and Mar's master (a transfer) are corrected
    in one run: both corrections go to May, per person and department, every amount exact; the
    locked months keep their bytes; a second identical run pays nothing more."""
    plan = scenario("2025-02", "2025-03", "2025-04", "2025-05")
    build_warehouse(data, plan)
    publish(data, list(plan))
    lock(data, "2025-02", "2025-03", "2025-04")
    before = {p: frozen(data, p) for p in ("2025-02", "2025-03", "2025-04")}

    corrected = dict(plan)
    corrected["2025-02"] = change(plan["2025-02"], ANA.nip, tk=2)
    corrected["2025-03"] = change(plan["2025-03"], YOHANES.nip, kode_opd="1.02.01")
    build_warehouse(data, corrected, {"2025-02": "absensi_202502_v2.csv"})
    publish(data, list(plan))
    publish(data, list(plan))  # the same correction applied twice

    snapshot = current_snapshot(data)
    for p in ("2025-02", "2025-03", "2025-04"):
        assert frozen(data, p) == before[p]
        assert snapshot.status(p) == "LOCKED"
    koreksi = snapshot.read("tpp_koreksi")
    assert set(koreksi["periode_bayar"]) == {"2025-05"}
    for p in ("2025-02", "2025-03"):
        assert koreksi_of(data, p) == expected_selisih(plan, corrected, p)
    # the transfer: taken back from the old department, paid by the new one
    march = koreksi.filter(pl.col("periode_asal") == "2025-03")
    assert sorted(zip(march["kode_opd"], march["selisih_tpp_neto"], strict=True)) == sorted(
        [
            ("4.01.01", -tpp_row("2025-03", YOHANES)["tpp_neto"]),
            ("1.02.01", tpp_row("2025-03", corrected["2025-03"][1])["tpp_neto"]),
        ]
    )
    assert koreksi.height == 3
    assert snapshot.koreksi_totals("2025-05")["selisih_tpp_bruto"] == sum(
        v["tpp_bruto"]
        for p in ("2025-02", "2025-03")
        for v in expected_selisih(plan, corrected, p).values()
    )


def test_correction_before_the_next_month_is_loaded_waits_for_it(data, tmp_path):
    """March is the last month loaded and LOCKED; its correction belongs to April, which has no
    data yet: it is kept (not lost, not paid in a locked month) and is on April's payment list
    once April is loaded, only once."""
    plan = scenario("2025-02", "2025-03")
    build_warehouse(data, plan)
    publish(data, list(plan))
    lock(data, "2025-03")
    corrected = dict(plan)
    corrected["2025-03"] = change(plan["2025-03"], ANA.nip, predikat="KURANG")
    build_warehouse(data, corrected)
    publish(data, ["2025-03"])
    want = expected_selisih(plan, corrected, "2025-03")
    assert koreksi_of(data, "2025-03") == want
    assert set(current_snapshot(data).read("tpp_koreksi")["periode_bayar"]) == {"2025-04"}
    with pytest.raises(ExportError, match="belum diterbitkan"):  # no April list without April
        export(data, "2025-04", "csv", tmp_path / "dini")

    april = corrected | {"2025-04": list(PEOPLE)}
    build_warehouse(data, april)
    publish(data, ["2025-04"])  # April's files arrive; March is not recomputed
    assert koreksi_of(data, "2025-03") == want
    publish(data, ["2025-03", "2025-04"])  # and when it is, nothing is added
    assert koreksi_of(data, "2025-03") == want
    result = export(data, "2025-04", "csv", tmp_path / "april")
    assert result.jumlah_koreksi == {a: sum(v[a] for v in want.values()) for a in AMOUNTS}
    assert result.jumlah["tpp_neto"] == sum(tpp_row("2025-04", p)["tpp_neto"] for p in PEOPLE)


def test_a_correction_undone_before_it_is_paid_leaves_nothing_to_pay(data):
    """A correction of locked March sits in open April; the source is put back as it was
    before April is locked: April's koreksi is empty again (not a stale row paid anyway)."""
    plan = scenario("2025-03", "2025-04")
    build_warehouse(data, plan)
    publish(data, list(plan))
    lock(data, "2025-03")
    corrected = dict(plan)
    corrected["2025-03"] = change(plan["2025-03"], ANA.nip, cltn=5)
    build_warehouse(data, corrected)
    publish(data, list(plan))
    assert current_snapshot(data).read("tpp_koreksi", "2025-04").height == 1

    build_warehouse(data, plan)
    publish(data, list(plan))
    snapshot = current_snapshot(data)
    assert snapshot.read("tpp_koreksi", "2025-04").is_empty()
    assert snapshot.koreksi_totals("2025-04")["rows"] == 0
