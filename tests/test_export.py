"""Finance exports: totals agree to the rupiah in every format, SHA256SUMS verifies, layout."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import shutil
import subprocess
import zlib
from decimal import Decimal
from pathlib import Path

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from test_publish_support import ANA, OPD, lock_march_and_correct_it

from orchestration.cli import main
from orchestration.core import formatting
from orchestration.core.paths import DataDir
from orchestration.core.published import AMOUNTS, current_snapshot
from orchestration.nominatif import ExportError, export, machine_readable, pdf, sha256sums
from orchestration.nominatif.daftar import Daftar, Row

PERIODE = "2025-04"  # carries the koreksi of the locked March
TANGGAL = dt.date(2026, 11, 29)
MONEY_HEADERS = [
    "TPP Kinerja",
    "TPP Disiplin",
    "TPP Bruto",
    "PPh 21",
    "Iuran BPJS",
    "TPP Neto (Diterima)",
]


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> tuple[DataDir, Path]:
    data = DataDir(tmp_path_factory.mktemp("data"))
    lock_march_and_correct_it(data)
    out = tmp_path_factory.mktemp("ekspor")
    for fmt in ("xlsx", "pdf", "csv", "parquet"):
        export(data, PERIODE, fmt, out, tanggal=TANGGAL)
    return data, out


def published_totals(data: DataDir) -> tuple[dict[str, int], dict[str, int]]:
    snapshot = current_snapshot(data)
    tpp = snapshot.totals(PERIODE)
    koreksi = snapshot.koreksi_totals(PERIODE)
    return {a: tpp[a] for a in AMOUNTS}, {a: koreksi[f"selisih_{a}"] for a in AMOUNTS}


# -- reading back what was written ----------------------------------------------------------


def xlsx_rows(path: Path) -> list[list]:
    sheet = openpyxl.load_workbook(path).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def labelled(rows: list[list], label: str) -> dict[str, int]:
    (row,) = [r for r in rows if r[0] == label]
    return dict(zip(AMOUNTS, row[14:20], strict=True))


def pdf_texts(source: Path | bytes) -> list[str]:
    """Every text shown, in drawing order (fpdf2 writes ``(...) Tj`` in Flate streams)."""
    raw = source.read_bytes() if isinstance(source, Path) else source
    texts = []
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", raw, re.S):
        try:
            content = zlib.decompress(stream)
        except zlib.error:
            continue
        for match in re.findall(rb"\(((?:\\.|[^\\)])*)\) Tj", content):
            texts.append(re.sub(rb"\\(.)", rb"\1", match).decode("latin-1"))
    return texts


def parse_rupiah(text: str) -> int:
    sign = -1 if text.startswith("-") else 1
    return sign * int(text.removeprefix("-").removeprefix("Rp ").replace(".", ""))


def pdf_total(texts: list[str], label: str) -> dict[str, int]:
    at = texts.index(label)
    return dict(zip(AMOUNTS, map(parse_rupiah, texts[at + 1 : at + 7]), strict=True))


def add(a: dict[str, int], b: dict[str, int]) -> dict[str, int]:
    return {k: a.get(k, 0) + b.get(k, 0) for k in AMOUNTS}


# -- tests ----------------------------------------------------------------------------------


def test_totals_agree_to_the_rupiah_in_every_format(exported):
    data, out = exported
    tpp, koreksi = published_totals(data)
    assert koreksi["tpp_neto"] < 0  # the fixture's correction is really there

    xlsx_tpp, xlsx_koreksi, pdf_tpp, pdf_koreksi = {}, {}, {}, {}
    for kode in OPD:
        rows = xlsx_rows(out / f"nominatif_tpp_{PERIODE}_{kode}.xlsx")
        first = next(i for i, r in enumerate(rows) if r[0] == "No") + 1
        last = next(i for i, r in enumerate(rows) if r[0] == "JUMLAH")
        jumlah = labelled(rows, "JUMLAH")
        assert jumlah == {
            a: sum(r[14 + i] for r in rows[first:last]) for i, a in enumerate(AMOUNTS)
        }
        xlsx_tpp = add(xlsx_tpp, jumlah)
        xlsx_koreksi = add(xlsx_koreksi, labelled(rows, "JUMLAH KOREKSI"))
        assert labelled(rows, "JUMLAH DIBAYARKAN (TPP + KOREKSI)") == add(
            jumlah, labelled(rows, "JUMLAH KOREKSI")
        )
        texts = pdf_texts(out / f"nominatif_tpp_{PERIODE}_{kode}.pdf")
        assert pdf_total(texts, "JUMLAH") == jumlah
        pdf_tpp = add(pdf_tpp, pdf_total(texts, "JUMLAH"))
        pdf_koreksi = add(pdf_koreksi, pdf_total(texts, "JUMLAH KOREKSI"))

    with open(out / f"tpp_{PERIODE}.csv", encoding="utf-8", newline="") as handle:
        csv_rows = list(csv.DictReader(handle))
    with open(out / f"tpp_koreksi_{PERIODE}.csv", encoding="utf-8", newline="") as handle:
        csv_koreksi = list(csv.DictReader(handle))
    parquet = pq.read_table(out / f"tpp_{PERIODE}.parquet")
    parquet_koreksi = pq.read_table(out / f"tpp_koreksi_{PERIODE}.parquet")

    assert xlsx_tpp == pdf_tpp == tpp
    assert {a: sum(int(r[a]) for r in csv_rows) for a in AMOUNTS} == tpp
    assert {a: pa.compute.sum(parquet[a]).as_py() for a in AMOUNTS} == tpp
    assert xlsx_koreksi == pdf_koreksi == koreksi
    assert {a: sum(int(r[f"selisih_{a}"]) for r in csv_koreksi) for a in AMOUNTS} == koreksi
    assert {a: pa.compute.sum(parquet_koreksi[f"selisih_{a}"]).as_py() for a in AMOUNTS} == koreksi
    assert len(csv_rows) == parquet.num_rows == current_snapshot(data).totals(PERIODE)["rows"]


def test_sha256sums_lists_every_file_and_verifies(exported):
    _, out = exported
    listed = sha256sums.read(out / "SHA256SUMS")
    written = {p.name for p in out.iterdir() if p.is_file() and p.name != "SHA256SUMS"}
    assert set(listed) == written
    assert sha256sums.check(out) == []
    if shutil.which("sha256sum"):
        check = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=out, capture_output=True)
        assert check.returncode == 0, check.stdout + check.stderr


def test_sha256sums_catches_a_changed_file(exported, tmp_path):
    _, out = exported
    copy = tmp_path / "salinan"
    shutil.copytree(out, copy)
    target = copy / f"tpp_{PERIODE}.csv"
    target.write_text(target.read_text().replace("4324000", "5324000"))
    assert sha256sums.check(copy) == [f"tpp_{PERIODE}.csv"]
    if shutil.which("sha256sum"):
        check = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=copy, capture_output=True)
        assert check.returncode != 0


def test_xlsx_is_a_daftar_nominatif_finance_can_read(exported):
    _, out = exported
    path = out / f"nominatif_tpp_{PERIODE}_4.01.01.xlsx"
    rows = xlsx_rows(path)
    header = next(r for r in rows if r[0] == "No")
    assert header == [
        "No",
        "NIP",
        "Nama",
        "Gol.",
        "Jabatan",
        "Kelas",
        "Hari Kerja",
        "Hari Efektif",
        "TK",
        "TL",
        "PSW",
        "Predikat",
        "% Kinerja",
        "% Disiplin",
        *MONEY_HEADERS,
    ]
    ana = next(r for r in rows if r[1] == "19900815 201601 1 005")
    assert ana[2] == ANA.nama and ana[3] == "III/b" and ana[11] == "Baik"
    assert ana[14:20] == [2_760_000, 1_840_000, 4_600_000, 230_000, 46_000, 4_324_000]
    assert Decimal(str(ana[12])) == 100
    koreksi = next(r for r in rows if r[1] == "19900815 201601 1 005" and r[3] == "Maret 2025")
    assert koreksi[5].startswith("Koreksi periode 2025-03")
    texts = [v for r in rows for v in r if isinstance(v, str)]
    assert "Kupang, 29 Nov 2026" in texts and "Bendahara Pengeluaran" in texts
    assert "Sekretaris Daerah" in texts and "Mengetahui," in texts
    assert any("Periode kinerja: April 2025" in t for t in texts)

    sheet = openpyxl.load_workbook(path).active
    money = next(c for row in sheet.iter_rows() for c in row if c.value == 4_324_000)
    assert "Rp" in money.number_format and "#,##0" in money.number_format


def test_pdf_shows_rupiah_nip_and_signatures(exported):
    data, out = exported
    texts = pdf_texts(out / f"nominatif_tpp_{PERIODE}_4.01.01.pdf")
    assert "Rp 4.324.000" in texts and "19900815 201601 1 005" in texts
    assert "Kupang, 29 Nov 2026" in texts and "Bendahara Pengeluaran" in texts
    assert "JUMLAH DIBAYARKAN (TPP + KOREKSI)" in texts
    locked = pdf_texts(out / f"nominatif_tpp_{PERIODE}_1.01.01.pdf")
    assert "Tidak ada koreksi untuk periode ini." in locked


def test_pdf_of_a_large_department_repeats_the_heading_and_keeps_totals():
    baris = Row(
        ANA.nip,
        "Nama Yang Cukup Panjang Sekali Sampai Harus Dilipat Dua Baris, S.Pd.",
        "III/b",
        "Guru Ahli Pertama Bahasa Indonesia dan Sastra",
        9,
        21,
        21,
        0,
        1,
        0,
        "BAIK",
        Decimal("100.0000"),
        Decimal("99.5000"),
        dict(
            zip(AMOUNTS, (2_760_000, 1_838_000, 4_598_000, 229_900, 45_980, 4_322_120), strict=True)
        ),
    )
    daftar = Daftar(
        PERIODE,
        "1.01.01",
        OPD["1.01.01"],
        "000001-20261129T080000",
        "2026-11-29T08:00:00+08:00",
        {"status": "LOCKED"},
        [baris] * 150,
    )

    texts = pdf_texts(pdf.render(daftar, "Kupang", TANGGAL))
    assert texts.count("TPP Disiplin") >= 4  # heading on every page of the table
    assert pdf_total(texts, "JUMLAH")["tpp_neto"] == 150 * 4_322_120
    assert "Nama Yang Cukup Panjang Sekali" in " ".join(texts)


def test_machine_formats_have_stable_columns_and_plain_integers(exported):
    _, out = exported
    with open(out / f"tpp_{PERIODE}.csv", encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        rows = list(reader)
    assert tuple(header) == machine_readable.KOLOM_TPP
    ana = dict(zip(header, next(r for r in rows if r[3] == ANA.nip), strict=True))
    assert ana["tpp_neto"] == "4324000" and ana["persen_disiplin"] == "100"
    assert {r[-1] for r in rows} == {"DRAFT"}  # status_periode: not yet a basis for payment
    assert not (out / f"tpp_{PERIODE}.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    schema = pq.read_schema(out / f"tpp_{PERIODE}.parquet")
    assert schema.names == list(machine_readable.KOLOM_TPP)
    assert all(schema.field(a).type == pa.int64() for a in AMOUNTS)
    assert schema.field("nip").type == pa.string()
    koreksi = pq.read_schema(out / f"tpp_koreksi_{PERIODE}.parquet")
    assert koreksi.names == list(machine_readable.KOLOM_KOREKSI)


def test_exports_read_only_the_published_snapshot(exported, tmp_path):
    data, _ = exported
    warehouse = data.warehouse
    hidden = warehouse.with_suffix(".disembunyikan")
    warehouse.rename(hidden)  # the warehouse may be busy or gone: exports do not care
    try:
        result = export(data, PERIODE, "csv", tmp_path / "a", opd=["4.01.01"], tanggal=TANGGAL)
    finally:
        hidden.rename(warehouse)
    assert result.files == [
        f"ekspor_{PERIODE}_csv_4.01.01.json",
        f"tpp_{PERIODE}_4.01.01.csv",
        f"tpp_koreksi_{PERIODE}_4.01.01.csv",
    ]
    with pytest.raises(ExportError, match="9.99.99"):
        export(data, PERIODE, "pdf", tmp_path / "b", opd=["9.99.99"])
    with pytest.raises(ExportError, match="belum diterbitkan"):
        export(data, "2024-01", "pdf", tmp_path / "c")
    with pytest.raises(ExportError, match="Belum ada data terbit"):
        export(DataDir(tmp_path / "kosong"), PERIODE, "pdf", tmp_path / "d")


def test_cli_export(exported, tmp_path, capsys):
    data, _ = exported
    args = [
        "export",
        "--data",
        str(data.root),
        "--periode",
        PERIODE,
        "--format",
        "xlsx",
        "--out",
        str(tmp_path),
        "--opd",
        "1.02.01",
        "--tanggal",
        "2026-11-29",
    ]
    assert main(args) == 0
    assert "sha256sum -c SHA256SUMS" in capsys.readouterr().out
    assert (tmp_path / f"nominatif_tpp_{PERIODE}_1.02.01.xlsx").exists()
    assert sha256sums.check(tmp_path) == []
    assert main([*args[:4], "2024-01", *args[5:]]) == 1
    assert "belum diterbitkan" in capsys.readouterr().err


def test_an_export_of_a_blocked_period_is_marked_and_warned(exported, tmp_path, capsys):
    """A run whose new computation of the period had ERROR findings left its earlier version
    published and listed it as ``diblokir``: its files are still written (the meeting, the
    check) but the summary says so and the command warns that it is not to be paid from."""
    import json
    import shutil

    data = DataDir(tmp_path / "data")
    shutil.copytree(exported[0].root, data.root, symlinks=True)
    manifest = current_snapshot(data).path / "manifest.json"
    manifest.write_text(json.dumps(json.loads(manifest.read_text()) | {"diblokir": [PERIODE]}))
    out = tmp_path / "ekspor"
    args = ["export", "--data", str(data.root), "--periode", PERIODE, "--format", "csv"]
    assert main([*args, "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert f"PERINGATAN: periode {PERIODE} diblokir" in err and "tidak boleh dibayar" in err
    info = json.loads((out / f"ekspor_{PERIODE}_csv.json").read_text())
    assert info["diblokir"] is True and sha256sums.check(out) == []
    assert json.loads(next(exported[1].glob("ekspor_*_csv.json")).read_text())["diblokir"] is False
    # the printed lists say it too, above the table (a signed paper travels without the JSON)
    assert main([*args[:-2], "--format", "pdf", "--out", str(out)]) == 0
    for f in out.glob("nominatif_*.pdf"):
        heading = next(t for t in pdf_texts(f) if t.startswith("Status data:"))
        assert "DIBLOKIR: perhitungan terakhirnya punya temuan ERROR" in heading, heading
        assert "bukan dasar pembayaran sampai sumber data diperbaiki" in heading
    for f in exported[1].glob("nominatif_*.pdf"):
        assert not any("DIBLOKIR" in t for t in pdf_texts(f))


def test_text_forms():
    assert formatting.rupiah(4_324_000) == "Rp 4.324.000"
    assert formatting.rupiah(-700_488) == "-Rp 700.488"
    assert formatting.rupiah(0) == "Rp 0"
    assert formatting.nip_tampil("199008152016011005") == "19900815 201601 1 005"
    assert formatting.tanggal(dt.date(2026, 11, 29)) == "29 Nov 2026"
    assert (
        formatting.persen(Decimal("92.5000")) == "92,5"
        and formatting.persen(Decimal("100.0000")) == "100"
    )
    assert formatting.periode_panjang("2025-12") == "Desember 2025"
    assert formatting.periode_bayar("2025-12") == "Januari 2026"
    # a moment for people: WITA, whatever offset it was stored with
    assert formatting.waktu_iso("2026-12-05T16:28:39+08:00") == "5 Des 2026 16:28 WITA"
    assert formatting.waktu_iso("2026-12-05T08:28:39+00:00") == "5 Des 2026 16:28 WITA"
    assert formatting.waktu_iso(None) == "-"
    assert formatting.detik(58.46) == "58,5 detik" and formatting.detik(0.04) == "0,0 detik"
    utc = dt.datetime(2026, 12, 5, 23, 59, 1, tzinfo=dt.UTC)
    assert formatting.jam_wita(utc) == "07:59:01"


def test_an_export_replaces_the_previous_export_of_the_period(exported, tmp_path):
    """A department's list from an earlier snapshot (it no longer pays) must not stay beside the
    new ones, nor keep verifying in SHA256SUMS; other formats' files in the folder stay."""
    data, _ = exported
    export(data, PERIODE, "xlsx", tmp_path, tanggal=TANGGAL)
    export(data, PERIODE, "csv", tmp_path, tanggal=TANGGAL)
    # as an export of an earlier snapshot left it: a list of a department that paid then
    lama = f"nominatif_tpp_{PERIODE}_9.99.99.xlsx"
    (tmp_path / lama).write_bytes(b"daftar lama")
    info_path = tmp_path / f"ekspor_{PERIODE}_xlsx.json"
    info = json.loads(info_path.read_text())
    info["file"][lama] = sha256sums.sha256(b"daftar lama")
    info["file"]["../di_luar.xlsx"] = "0" * 64  # never followed out of the folder
    info_path.write_text(json.dumps(info))
    (tmp_path.parent / "di_luar.xlsx").write_bytes(b"x")
    sha256sums.write(tmp_path, {lama: sha256sums.sha256(b"daftar lama")})

    export(data, PERIODE, "xlsx", tmp_path, tanggal=TANGGAL)
    assert not (tmp_path / lama).exists()
    assert lama not in sha256sums.read(tmp_path / "SHA256SUMS")
    assert (tmp_path.parent / "di_luar.xlsx").exists()
    assert (tmp_path / f"tpp_{PERIODE}.csv").exists()  # the csv export is not touched
    assert f"tpp_{PERIODE}.csv" in sha256sums.read(tmp_path / "SHA256SUMS")
    assert sha256sums.check(tmp_path) == []
