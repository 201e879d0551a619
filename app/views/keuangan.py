"""Keuangan: TPP per period and department, period status, the finance exports."""

import polars as pl
import streamlit as st

from app import charts, ui
from app import format as fmt

ctx = ui.context("keuangan")
d, periode = ctx.data, ctx.periode

ui.title("Keuangan", "TPP per periode dan Perangkat Daerah, status periode, Daftar Nominatif.")

semua = ui.periode_with_status(d)

kiri, kanan = st.columns([3, 2])
with kiri:
    st.subheader("TPP per periode", anchor=False)
    ui.chart(charts.tpp_periode(semua), width="stretch")
with kanan:
    st.subheader("Status periode", anchor=False)
    ui.table(
        semua.sort("periode", descending=True),
        {
            "t_periode": "Periode",
            "t_status": "Status",
            "t_oleh": "Oleh",
            "t_pada": "Pada",
            "error": "Temuan ERROR",
        },
        key="status_periode",
    )

st.divider()
baris = semua.filter(pl.col("periode") == periode).row(0, named=True)
st.subheader(f"Periode {fmt.periode(periode)}", anchor=False)
status = baris["status"]
ui.status_badge(status)
if status == "DRAFT":
    st.warning(
        "Periode ini masih **draf**: angka dapat berubah pada penerbitan berikutnya. Bayarkan "
        "setelah diverifikasi (analis BKD) dan dikunci.",
        icon=":material/edit_note:",
    )
else:
    st.caption(f"{ui.STATUS_LABEL[status]} oleh {baris['t_oleh']} pada {baris['t_pada']}.")
if status != "LOCKED":
    st.page_link(
        "views/periode.py", label="Verifikasi dan kunci di Status Periode", icon=":material/lock:"
    )
if baris["diblokir"]:
    st.error(
        f"{ui.DIBLOKIR} dan tidak boleh dibayar sampai sumber data diperbaiki dan pipeline "
        "dijalankan ulang.",
        icon=":material/block:",
    )
elif baris["error"]:
    st.error(
        f"Ada {fmt.number(baris['error'])} temuan ERROR pada periode ini: periode tidak boleh "
        "dibayar sampai sumber data diperbaiki.",
        icon=":material/report:",
    )

atas, bawah = st.columns(3), st.columns(3)
koreksi_teks = fmt.rupiah(baris["koreksi_neto"])
if baris["koreksi_baris"]:
    koreksi_teks += f" ({fmt.number(baris['koreksi_baris'])} baris)"
for kolom, (judul, nilai) in zip(
    [*atas, *bawah],
    (
        ("Baris TPP", fmt.number(baris["baris"])),
        ("TPP bruto", fmt.rupiah(baris["tpp_bruto"])),
        ("TPP neto", fmt.rupiah(baris["tpp_neto"])),
        ("PPh 21", fmt.rupiah(baris["pph21"])),
        ("Iuran BPJS", fmt.rupiah(baris["iuran_bpjs"])),
        ("Koreksi neto", koreksi_teks),
    ),
    strict=True,
):
    kolom.metric(judul, nilai, border=True)

st.subheader("Per Perangkat Daerah", anchor=False)
opd = d.opd_periode(periode)
total = opd.select(
    pl.lit("").alias("kode_opd"),
    pl.lit("JUMLAH").alias("nama_opd"),
    *[
        pl.col(c).sum()
        for c in (
            "jumlah_pegawai",
            "jumlah_baris",
            "tpp_kinerja",
            "tpp_disiplin",
            "tpp_bruto",
            "pph21",
            "iuran_bpjs",
            "tpp_neto",
        )
    ],
)
ui.table(
    pl.concat([opd.select(total.columns), total], how="vertical_relaxed"),
    {
        "kode_opd": "Kode",
        "nama_opd": "Perangkat Daerah",
        "jumlah_pegawai": "Pegawai",
        "tpp_bruto": "TPP bruto",
        "pph21": "PPh 21",
        "iuran_bpjs": "Iuran BPJS",
        "tpp_neto": "TPP neto",
    },
    uang=("tpp_kinerja", "tpp_disiplin", "tpp_bruto", "pph21", "iuran_bpjs", "tpp_neto"),
    angka=("jumlah_pegawai",),
    key="tabel_keuangan_opd",
)

st.subheader("Unduh", anchor=False)
label = {"": "Semua Perangkat Daerah"} | ui.opd_label(opd.select("kode_opd", "nama_opd"))
kode = st.selectbox("Perangkat Daerah", list(label), format_func=label.get, key="unduh_opd") or None
formats = d.exports_available()
if formats:
    st.caption(
        "Daftar Nominatif dari data terbit: XLSX/PDF satu file per Perangkat Daerah (ditandatangani "
        "bendahara), CSV/Parquet untuk sistem penggajian; setiap paket berisi SHA256SUMS."
    )
    judul = {
        "xlsx": "Daftar Nominatif XLSX",
        "pdf": "Daftar Nominatif PDF",
        "csv": "CSV",
        "parquet": "Parquet",
    }
    baris_tombol = st.container(horizontal=True)
    for f in formats:
        nama, mime = d.export_name(periode, f, kode)
        with baris_tombol:
            ui.download(
                ctx,
                judul.get(f, f.upper()),
                lambda f=f: d.export(periode, f, kode),
                nama,
                objek=f"nominatif_{f}",
                periode=periode,
                kode_opd=kode,
                mime=mime,
                key=f"unduh_{f}",
                primary=f == "xlsx",
            )
else:
    st.caption("Ekspor Daftar Nominatif belum tersedia; unduh tabel TPP sebagai CSV.")
    ui.download(
        ctx,
        "TPP (CSV)",
        lambda: ui.csv_bytes(d.tpp_opd(periode, kode)),
        f"tpp_{periode}{'_' + kode if kode else ''}.csv",
        objek="tpp_bulanan",
        periode=periode,
        kode_opd=kode,
        key="unduh_csv",
        primary=True,
    )

koreksi = d.koreksi(periode, kode)
if not koreksi.is_empty():
    st.subheader("Koreksi periode terkunci yang dibayar bersama periode ini", anchor=False)
    ui.table(
        koreksi.with_columns(fmt.nip_expr(pl.col("nip")).alias("nip")),
        {
            "periode_asal": "Periode asal",
            "kode_opd": "Kode",
            "nip": "NIP",
            "nama": "Nama",
            "selisih_tpp_bruto": "Selisih bruto",
            "selisih_tpp_neto": "Selisih neto",
            "alasan": "Alasan",
        },
        uang=("selisih_tpp_bruto", "selisih_tpp_neto"),
        key="tabel_koreksi",
    )
