"""Kualitas Data: findings, quarantine, check results and alert history."""

import altair as alt
import polars as pl
import streamlit as st

from app import charts, ui
from app import format as fmt
from app.data import BelumTersedia

ctx = ui.konteks("kualitas")
d, periode = ctx.data, ctx.periode

ui.judul("Kualitas Data", f"{fmt.periode(periode)} · temuan, karantina, hasil cek dan alert.")

temuan = d.temuan(periode)
karantina = d.karantina(periode)
try:
    cek = d.hasil_cek(periode)
except BelumTersedia as error:
    cek = None
    cek_pesan = str(error)

n_error = temuan.filter(pl.col("tingkat") == "ERROR").height if not temuan.is_empty() else 0
n_warn = temuan.filter(pl.col("tingkat") == "WARN").height if not temuan.is_empty() else 0
c = st.columns(4)
c[0].metric(
    "Temuan ERROR",
    fmt.angka(n_error),
    border=True,
    help="ERROR menahan pembayaran periode sampai sumber diperbaiki.",
)
c[1].metric(
    "Temuan WARN", fmt.angka(n_warn), border=True, help="Untuk ditinjau; tidak menahan pembayaran."
)
c[2].metric(
    "Baris dikarantina",
    fmt.angka(karantina.height),
    border=True,
    help="Baris ekspor yang melanggar kontrak dan tidak masuk perhitungan TPP.",
)
if cek is not None and not cek.is_empty():
    gagal = cek.filter(~pl.col("passed")).height
    c[3].metric("Cek gagal", f"{fmt.angka(gagal)} dari {fmt.angka(cek.height)}", border=True)
else:
    c[3].metric("Cek gagal", fmt.KOSONG, border=True)

tab_temuan, tab_karantina, tab_cek, tab_alert = st.tabs(
    [":material/report: Temuan", ":material/block: Karantina", ":material/fact_check: Hasil cek",
     ":material/notifications: Riwayat alert"]
)  # fmt: skip

with tab_temuan:
    if temuan.is_empty():
        st.success("Tidak ada temuan pada periode ini.")
    else:
        per_kode = temuan.group_by("tingkat", "kode").len().sort("len", descending=True)
        ui.grafik(
            charts.batang_hitung(per_kode, "kode", "len", "tingkat", "Temuan", ["ERROR", "WARN"],
                                 [charts.MERAH, charts.KUNING]),
            width="stretch",
        )  # fmt: skip
        tingkat = st.segmented_control("Tingkat", ["ERROR", "WARN"], selection_mode="multi",
                                       default=["ERROR", "WARN"], key="temuan_tingkat")  # fmt: skip
        tampil = (
            temuan.filter(pl.col("tingkat").is_in(tingkat or []))
            .with_columns(fmt.nip_expr(pl.col("nip")).alias("nip"))
            .head(2000)
        )
        ui.tabel(
            tampil,
            {"tingkat": "Tingkat", "kode": "Kode", "nip": "NIP", "kode_opd": "OPD",
             "source_file": "File", "line_no": "Baris", "pesan": "Pesan"},
            key="tabel_temuan",
        )  # fmt: skip
        if temuan.height > 2000:
            st.caption(f"Menampilkan 2.000 dari {fmt.angka(temuan.height)} temuan.")

with tab_karantina:
    if karantina.is_empty():
        st.success("Tidak ada baris dikarantina pada periode ini.")
    else:
        per_alasan = karantina.group_by("kind", "kode_alasan").len().sort("len", descending=True)
        ui.grafik(
            charts.batang_hitung(per_alasan, "kode_alasan", "len", "kind", "Baris"), width="stretch"
        )
        ui.tabel(
            karantina.head(2000),
            {"kind": "Jenis", "source_file": "File", "line_no": "Baris", "kolom": "Kolom",
             "nilai": "Nilai", "kode_alasan": "Kode alasan", "alasan": "Alasan"},
            key="tabel_karantina",
        )  # fmt: skip

with tab_cek:
    if cek is None:
        ui.belum_tersedia(cek_pesan)
    elif cek.is_empty():
        ui.belum_tersedia("Belum ada hasil cek kualitas data untuk periode ini.")
    else:
        tampil = cek.with_columns(
            pl.when(pl.col("passed")).then(pl.lit("Lulus")).otherwise(pl.lit("GAGAL")).alias("hasil"),
            fmt.waktu_expr(pl.col("checked_at"), berzona=True).alias("waktu"),
        ).sort("passed", "severity", "check_name")  # fmt: skip
        ui.tabel(
            tampil,
            {"hasil": "Hasil", "severity": "Tingkat", "check_name": "Cek", "asset": "Aset",
             "n_failed": "Baris gagal", "description": "Keterangan", "kode_opd": "OPD", "waktu": "Waktu"},
            angka=("n_failed",), key="tabel_cek",
        )  # fmt: skip
        riwayat = d.riwayat_cek()
        if riwayat.height:
            per_run = (
                riwayat.filter(pl.col("periode") == periode)
                .group_by("checked_at")
                .agg((~pl.col("passed")).sum().alias("gagal"), pl.len().alias("cek"))
                .sort("checked_at")
            )
            if per_run.height > 1:
                st.caption("Cek gagal per run pada periode ini")
                st.altair_chart(
                    alt.Chart(per_run).mark_line(point=True, color=charts.MERAH).encode(
                        x=alt.X("checked_at:T", title=None), y=alt.Y("gagal:Q", title="Cek gagal"),
                    ).properties(height=200).configure(locale=charts.LOCALE), width="stretch",
                )  # fmt: skip

with tab_alert:
    try:
        alert = d.riwayat_alert()
    except BelumTersedia as error:
        ui.belum_tersedia(error)
    else:
        if alert.is_empty():
            st.success("Belum ada alert.")
        else:
            ui.tabel(
                alert.with_columns(fmt.waktu_expr(pl.col("dibuat"), berzona=True).alias("waktu")),
                {"waktu": "Waktu", "status": "Status", "tingkat": "Tingkat", "periode": "Periode",
                 "judul": "Judul", "kanal": "Kanal", "n_failed": "Baris gagal", "galat": "Galat"},
                key="tabel_alert",
            )  # fmt: skip
