"""Payment lists at the edges: a department that pays only corrections in a period.

README (``export``): per department a Daftar Nominatif TPP with its corrections; ``assemble``
makes one for every department "paying TPP or koreksi in the period". A department whose staff
all left after a LOCKED month (a merger, a transfer of everyone) still has that month's
correction to pay or take back: its list has no TPP rows, only the koreksi section.
"""

from __future__ import annotations

import datetime as dt

import openpyxl
from test_export import pdf_texts, pdf_total
from test_publish_support import PEOPLE, build_warehouse, change, scenario, tpp_row

from orchestration import lifecycle
from orchestration.core.paths import DataDir
from orchestration.core.published import AMOUNTS
from orchestration.nominatif import export, sha256sums
from orchestration.publish import publish

KESEHATAN = "1.02.01"
SAMUEL = PEOPLE[7]  # 1.02.01


def test_a_department_paying_only_corrections_gets_its_list_in_every_format(tmp_path):
    data = DataDir(tmp_path / "data")
    plan = scenario("2025-03", "2025-04")
    plan["2025-04"] = [p for p in PEOPLE if p.kode_opd != KESEHATAN]  # nobody left in April
    build_warehouse(data, plan)
    publish(data, list(plan))
    lifecycle.verify(data, "2025-03", "Budi")
    lifecycle.lock(data, "2025-03", "Maria")
    corrected = dict(plan)
    corrected["2025-03"] = change(plan["2025-03"], SAMUEL.nip, tk=3)
    build_warehouse(data, corrected)
    publish(data, list(plan))

    fixed = next(p for p in corrected["2025-03"] if p.nip == SAMUEL.nip)
    selisih = {a: tpp_row("2025-03", fixed)[a] - tpp_row("2025-03", SAMUEL)[a] for a in AMOUNTS}
    out = tmp_path / "nominatif"
    for fmt in ("xlsx", "pdf", "csv", "parquet"):
        result = export(data, "2025-04", fmt, out, opd=[KESEHATAN], tanggal=dt.date(2025, 5, 2))
        assert result.jumlah == dict.fromkeys(AMOUNTS, 0)
        assert result.jumlah_koreksi == selisih
    assert sha256sums.check(out) == []

    sheet = openpyxl.load_workbook(out / f"nominatif_tpp_2025-04_{KESEHATAN}.xlsx").active
    rows = {r[0]: r for r in sheet.iter_rows(values_only=True) if r[0]}
    assert dict(zip(AMOUNTS, rows["JUMLAH DIBAYARKAN (TPP + KOREKSI)"][14:20], strict=True)) == (
        selisih
    )
    texts = pdf_texts(out / f"nominatif_tpp_2025-04_{KESEHATAN}.pdf")
    assert pdf_total(texts, "JUMLAH DIBAYARKAN (TPP + KOREKSI)") == selisih


def test_payroll_files_of_a_locked_month_are_the_same_after_a_correction(tmp_path):
    """The payroll system's CSV/Parquet and the signed lists (XLSX, PDF) of a LOCKED month
    exported again after a correction of that month (carried into the next open month), and
    after April is verified (each a new snapshot), have the same bytes: what was paid."""
    data = DataDir(tmp_path / "data")
    plan = scenario("2025-03", "2025-04")
    build_warehouse(data, plan)
    publish(data, list(plan))
    lifecycle.verify(data, "2025-03", "Budi")
    lifecycle.lock(data, "2025-03", "Maria")

    def exported(folder: str) -> dict[str, bytes]:
        for fmt in ("csv", "parquet", "xlsx", "pdf"):
            export(data, "2025-03", fmt, tmp_path / folder, tanggal=dt.date(2025, 4, 2))
        files = sorted((tmp_path / folder).glob("*.*"))
        # the JSON summary says when it was made (and SHA256SUMS its hash): the rest is data
        return {f.name: f.read_bytes() for f in files if f.suffix != ".json"}

    paid = exported("dibayar")
    names = ["tpp_2025-03.csv", "tpp_koreksi_2025-03.csv", "tpp_2025-03.parquet"]
    assert set(names) < set(paid) and sum(n.startswith("nominatif_") for n in paid) >= 4
    assert exported("dibayar_lagi") == paid  # twice from the same snapshot
    tpp_csv = paid["tpp_2025-03.csv"].decode().splitlines()
    assert tpp_csv[0].endswith(",status_periode")
    assert {line.rsplit(",", 1)[1] for line in tpp_csv[1:]} == {"LOCKED"}
    corrected = dict(plan)
    corrected["2025-03"] = change(plan["2025-03"], SAMUEL.nip, tk=0, predikat="BAIK")
    build_warehouse(data, corrected)
    publish(data, list(plan))
    assert exported("lagi") == paid
    assert export(data, "2025-04", "csv", tmp_path / "april").jumlah_koreksi["tpp_neto"] > 0
    koreksi = (tmp_path / "april" / "tpp_koreksi_2025-04.csv").read_text().splitlines()
    assert len(koreksi) > 1 and all(line.endswith(",DRAFT") for line in koreksi[1:])
    lifecycle.verify(data, "2025-04", "Budi")  # another month's transition: a new snapshot
    assert exported("sesudah_verifikasi_april") == paid
