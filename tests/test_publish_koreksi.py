"""A LOCKED period never changes; what a recomputation would change is paid as koreksi once."""

from __future__ import annotations

import json
import shutil

import polars as pl
import pytest
from test_publish_support import (
    AMOUNTS,
    ANA,
    PEOPLE,
    Pegawai,
    build_warehouse,
    change,
    lock_march_and_correct_it,
    scenario,
    tpp_row,
)

from orchestration import lifecycle
from orchestration.core.paths import DataDir
from orchestration.core.published import current_snapshot
from orchestration.publish import PublishError, next_open, publish


@pytest.fixture
def data(tmp_path) -> DataDir:
    return DataDir(tmp_path / "data")


def files_of(snapshot, periode: str) -> dict[str, str]:
    """name -> sha256 in the manifest, and the bytes on disk agree."""
    out = {}
    for name, entry in snapshot.manifest["files"].items():
        if entry["periode"] == periode:
            out[name] = entry["sha256"]
            assert (snapshot.path / name).read_bytes() is not None
    return out


def selisih(before: Pegawai, after: Pegawai, periode: str) -> dict[str, int]:
    old, new = tpp_row(periode, before), tpp_row(periode, after)
    return {f"selisih_{a}": new[a] - old[a] for a in AMOUNTS}


def test_locked_period_is_untouched_and_its_correction_is_paid_once(data):
    plan = scenario("2025-02", "2025-03", "2025-04")
    build_warehouse(data, plan)
    publish(data, list(plan))
    lifecycle.verify(data, "2025-03", "Budi")
    lifecycle.lock(data, "2025-03", "Maria")
    locked = current_snapshot(data)
    march = files_of(locked, "2025-03")
    march_bytes = {n: (locked.path / n).read_bytes() for n in march}

    corrected = dict(plan)
    corrected["2025-03"] = change(plan["2025-03"], ANA.nip, tk=1)
    build_warehouse(data, corrected, {"2025-03": "absensi_202503_v2.csv"})
    result = publish(data, ["2025-03", "2025-04"])  # the pipeline reruns March

    assert result.locked == ["2025-03"] and result.written == ["2025-04"]
    snapshot = current_snapshot(data)
    assert files_of(snapshot, "2025-03") == march
    assert {n: (snapshot.path / n).read_bytes() for n in march} == march_bytes
    assert snapshot.period("2025-03")["status"] == "LOCKED"

    koreksi = snapshot.read("tpp_koreksi")
    assert koreksi.height == 1
    row = koreksi.row(0, named=True)
    assert (row["periode_bayar"], row["periode_asal"], row["nip"]) == (
        "2025-04",
        "2025-03",
        ANA.nip,
    )
    fixed = corrected["2025-03"][0]
    assert {k: row[k] for k in selisih(ANA, fixed, "2025-03")} == selisih(ANA, fixed, "2025-03")
    assert row["selisih_tpp_neto"] < 0  # one TK day costs 3 discipline points
    assert row["alasan"].startswith("Koreksi periode 2025-03: data absensi dikoreksi")
    assert "absensi_202503_v2.csv" in row["alasan"] and "TPP Disiplin" in row["alasan"]
    assert "TPP Kinerja" not in row["alasan"]  # only what changed is named
    assert snapshot.koreksi_totals("2025-04")["selisih_tpp_neto"] == row["selisih_tpp_neto"]

    # the pipeline reruns again (twice, once with March alone): no duplicate, same bytes
    april_koreksi = snapshot.file_entry("tpp_koreksi", "2025-04")["sha256"]
    publish(data, ["2025-03", "2025-04"])
    publish(data, ["2025-03"])
    again = current_snapshot(data)
    assert again.read("tpp_koreksi").height == 1
    assert again.file_entry("tpp_koreksi", "2025-04")["sha256"] == april_koreksi
    assert files_of(again, "2025-03") == march
    # April's own TPP table is not touched by the koreksi: it is a separate table
    assert again.totals("2025-04") == snapshot.totals("2025-04")


def test_a_correction_already_paid_in_a_locked_period_is_not_paid_again(data):
    plan, corrected = lock_march_and_correct_it(data)
    assert current_snapshot(data).read("tpp_koreksi", "2025-04").height == 1
    lifecycle.verify(data, "2025-04", "Budi")
    lifecycle.lock(data, "2025-04", "Maria")  # the koreksi is paid with April

    corrected["2025-05"] = list(PEOPLE)
    build_warehouse(data, corrected, {"2025-03": "absensi_202503_v2.csv"})
    publish(data, ["2025-03", "2025-04", "2025-05"])
    snapshot = current_snapshot(data)
    assert snapshot.read("tpp_koreksi", "2025-05").is_empty()
    assert snapshot.read("tpp_koreksi", "2025-04").height == 1  # frozen with April

    # a second correction of March: only the new difference goes to May
    twice = dict(corrected)
    twice["2025-03"] = change(plan["2025-03"], ANA.nip, tk=2)
    build_warehouse(data, twice, {"2025-03": "absensi_202503_v3.csv"})
    publish(data, ["2025-03", "2025-05"])
    may = current_snapshot(data).read("tpp_koreksi", "2025-05")
    assert may.height == 1
    once, now = corrected["2025-03"][0], twice["2025-03"][0]
    assert {k: may.row(0, named=True)[k] for k in selisih(once, now, "2025-03")} == selisih(
        once, now, "2025-03"
    )
    assert "setelah koreksi yang sudah dibayar" in may["alasan"][0]
    all_koreksi = current_snapshot(data).read("tpp_koreksi")
    total = all_koreksi.filter(pl.col("nip") == ANA.nip)["selisih_tpp_neto"].sum()
    assert total == tpp_row("2025-03", now)["tpp_neto"] - tpp_row("2025-03", ANA)["tpp_neto"]


def test_rows_added_or_removed_in_a_locked_period_become_koreksi(data):
    plan = scenario("2025-03", "2025-04")
    build_warehouse(data, plan)
    publish(data, list(plan))
    lifecycle.verify(data, "2025-03", "Budi")
    lifecycle.lock(data, "2025-03", "Maria")
    newcomer = Pegawai(
        "199811112023022001", "Elisabet Manek", "1.02.01", "PPPK", "IX", 7, "Perawat Ahli Pertama"
    )
    gone = PEOPLE[-1]
    recomputed = dict(plan)
    recomputed["2025-03"] = [p for p in plan["2025-03"] if p != gone] + [newcomer]
    build_warehouse(data, recomputed)
    publish(data, ["2025-03"])
    koreksi = current_snapshot(data).read("tpp_koreksi", "2025-04")
    by_nip = {r["nip"]: r for r in koreksi.iter_rows(named=True)}
    assert set(by_nip) == {newcomer.nip, gone.nip}
    assert by_nip[newcomer.nip]["selisih_tpp_neto"] == tpp_row("2025-03", newcomer)["tpp_neto"]
    assert by_nip[gone.nip]["selisih_tpp_neto"] == -tpp_row("2025-03", gone)["tpp_neto"]
    assert "baris baru" in by_nip[newcomer.nip]["alasan"]
    assert "tidak ada lagi" in by_nip[gone.nip]["alasan"]

    # April (with those koreksi) is paid and locked; then March is recomputed as it was at
    # first: both koreksi are reversed in May, the newcomer's although March never had the row
    lifecycle.verify(data, "2025-04", "Budi")
    lifecycle.lock(data, "2025-04", "Maria")
    build_warehouse(data, plan | {"2025-05": list(PEOPLE)})
    publish(data, ["2025-03", "2025-05"])
    may = current_snapshot(data).read("tpp_koreksi", "2025-05")
    by_nip = {r["nip"]: r for r in may.iter_rows(named=True)}
    assert by_nip[newcomer.nip]["selisih_tpp_neto"] == -tpp_row("2025-03", newcomer)["tpp_neto"]
    assert by_nip[gone.nip]["selisih_tpp_neto"] == tpp_row("2025-03", gone)["tpp_neto"]
    assert "sudah dikoreksi tidak ada lagi" in by_nip[newcomer.nip]["alasan"]
    assert current_snapshot(data).read("tpp_koreksi")["selisih_tpp_neto"].sum() == 0


def test_koreksi_goes_to_the_next_period_that_is_not_locked():
    assert next_open("2025-03", {"2025-03"}) == "2025-04"
    assert next_open("2025-03", {"2025-03", "2025-04", "2025-05"}) == "2025-06"
    assert next_open("2025-12", {"2025-12"}) == "2026-01"


def test_locked_data_is_never_rebuilt_from_the_warehouse(data):
    lock_march_and_correct_it(data)
    manifest = json.loads((current_snapshot(data).path / "manifest.json").read_text())
    assert manifest["periods"]["2025-03"]["status"] == "LOCKED"
    shutil.rmtree(data.published)  # published data lost: refuse rather than recompute
    with pytest.raises(PublishError, match="terkunci 2025-03"):
        publish(data, ["2025-03", "2025-04"])


def test_app_marts_are_outside_the_fingerprint_and_added_once_to_a_locked_period(data):
    """A period locked before the app's metric marts existed gets them at the next publish that
    recomputes it, once; nothing published changes, nor the fingerprint verify and lock judge.
    A changed app mart (a redefined metric) changes no fingerprint either."""
    import duckdb

    from orchestration import publish as publish_module
    from orchestration.core.published import APP_TABLES, MART_TABLES

    plan = scenario("2025-02", "2025-03")
    build_warehouse(data, plan)
    before_app = tuple(t for t in MART_TABLES if t not in APP_TABLES)
    with pytest.MonkeyPatch.context() as mp:  # the publisher of before the app marts
        mp.setattr(publish_module, "MART_TABLES", before_app)
        publish(data, list(plan))
    lifecycle.verify(data, "2025-02", "Budi")
    lifecycle.lock(data, "2025-02", "Maria")
    old = current_snapshot(data)
    assert not old.files("tpp_opd_indikator", ["2025-02"])
    feb, sidik = files_of(old, "2025-02"), old.period("2025-02")["sidik"]

    publish(data, list(plan))  # the pipeline recomputes every period after the upgrade
    new = current_snapshot(data)
    added = {f"{t}/2025-02.parquet" for t in APP_TABLES}
    assert set(files_of(new, "2025-02")) == set(feb) | added
    assert {n: s for n, s in files_of(new, "2025-02").items() if n in feb} == feb
    assert new.period("2025-02")["sidik"] == sidik and new.period("2025-02")["status"] == "LOCKED"
    assert new.read("tpp_opd_indikator", "2025-02").height == len(
        {p.kode_opd for p in plan["2025-02"]}
    )
    assert new.read("tpp_koreksi").is_empty()

    # added once: later recomputations of the locked period leave them as they are
    with duckdb.connect(str(data.warehouse)) as con:
        con.execute("update main.tpp_opd_indikator set jumlah_baris = 99")
    sidik_maret = new.period("2025-03")["sidik"]
    publish(data, list(plan))
    last = current_snapshot(data)
    assert files_of(last, "2025-02") == files_of(new, "2025-02")
    # an open period's app mart is rewritten, and its fingerprint does not move
    name = "tpp_opd_indikator/2025-03.parquet"
    assert last.manifest["files"][name]["sha256"] != new.manifest["files"][name]["sha256"]
    assert last.period("2025-03")["sidik"] == sidik_maret


def test_a_roster_file_is_a_reason_only_for_a_shift_workers_row():
    """After the lock both an absence file and a roster file of March were loaded again: an
    office worker's correction names the absence file (which holds its days), a nurse's names
    the roster too; a row locked before rows carried their pattern may be either."""
    from orchestration.core.published import AMOUNTS
    from orchestration.publish import koreksi_rows

    def frame(rows: list[tuple[str, str, int, int]], pola: bool = True) -> pl.DataFrame:
        return pl.DataFrame(
            [
                {
                    "nip": nip,
                    "kode_opd": "1.01.01",
                    "nama": f"Pegawai {nip}",
                    "tk": tk,
                    **({"pola_kerja": p} if pola else {}),
                    **dict.fromkeys(AMOUNTS, amount),
                }
                for nip, p, tk, amount in rows
            ]
        )

    lama = [("1", "KANTOR", 0, 1000), ("2", "SHIFT", 0, 1000)]
    baru = [("1", "KANTOR", 2, 900), ("2", "SHIFT", 2, 900)]
    paid = pl.DataFrame(
        schema={
            "nip": pl.String,
            "kode_opd": pl.String,
            **{f"selisih_{a}": pl.Int64 for a in AMOUNTS},
        }
    )
    absen = {"ketidakhadiran_202503.csv"}
    days = ({(n, "1.01.01"): absen for n in "12"}, {})
    since_lock = {"ketidakhadiran_202503.csv", "jadwal_202503.csv"}

    def alasan(pola_lama: bool) -> dict[str, str]:
        rows = koreksi_rows(
            "2025-03", "2025-04", frame(lama, pola_lama), frame(baru), paid, days, since_lock
        )
        return dict(pl.from_arrow(rows).select("nip", "alasan").iter_rows())

    now = alasan(pola_lama=True)
    assert "(file ketidakhadiran_202503.csv)" in now["1"] and "jadwal_" not in now["1"]
    assert "(file jadwal_202503.csv, ketidakhadiran_202503.csv)" in now["2"]
    before = alasan(pola_lama=False)  # locked before pola_kerja existed: both may be the cause
    assert all("(file jadwal_202503.csv, ketidakhadiran_202503.csv)" in t for t in before.values())
