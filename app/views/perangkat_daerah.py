"""Perangkat Daerah: one department in one period, and who needs attention."""

import polars as pl
import streamlit as st

from app import charts, ui
from app import format as fmt
from app.data import AccessDenied

ctx = ui.context("opd")
d, periode = ctx.data, ctx.periode

daftar = d.opd_list()
label = ui.opd_label(daftar)
if not label:
    ui.not_available("Tidak ada Perangkat Daerah di data terbit.")
    st.stop()

# ?opd= and the widget value are requests, not permissions: the data layer decides
diminta = st.query_params.get("opd")
for asal, nilai in (("URL", diminta), ("pilihan", st.session_state.get("opd"))):
    if nilai:
        try:
            d.scope.opd(nilai)
        except AccessDenied as error:
            ui.refuse(ctx, error, objek=f"opd {nilai} ({asal})")
if st.session_state.get("opd") not in label:
    st.session_state["opd"] = diminta if diminta in label else next(iter(label))

if d.scope.all_opd:
    kode = st.selectbox(
        "Perangkat Daerah",
        list(label),
        key="opd",
        format_func=label.get,
        label_visibility="collapsed",
    )
else:  # a department head has exactly one department: nothing to choose
    kode = st.session_state["opd"]
try:
    kode = d.scope.opd(kode)
except AccessDenied as error:
    ui.refuse(ctx, error, objek=f"opd {kode}")
st.query_params["opd"] = kode

kpi = d.kpi_per_periode(kode)
nama = label[kode].split(" · ", 1)[1]
ui.title(nama, f"{kode} · {fmt.periode(periode)}")
now = ui.kpi_card(kpi, periode)
if now is None:
    st.info(f"Tidak ada baris TPP {nama} pada {fmt.periode(periode)}.")
    st.stop()

# work patterns of its people this month (jadwal.md §1)
pola = dict(d.pola_kerja(periode, kode).iter_rows())
st.markdown("**Pola kerja pegawai** · hari dan jam kerja menurut pola masing-masing")
c = st.columns(3)
for kolom, (kunci, bantuan) in zip(
    c,
    (
        ("KANTOR", "Senin–Jumat, jam kantor."),
        ("SEKOLAH", "Senin–Sabtu, jam sekolah (guru)."),
        ("SHIFT", "Hari dan jam dari jadwal dinas: PAGI, SIANG, MALAM (berakhir esok pagi)."),
    ),
    strict=True,
):
    kolom.metric(
        f"Pola {fmt.pola_kerja(kunci).lower()}",
        fmt.number(pola.get(kunci, 0)),
        border=True,
        help=bantuan,
    )
ada_shift = pola.get("SHIFT", 0) > 0

kiri, kanan = st.columns([3, 2])
with kiri:
    st.subheader("Sebaran persen disiplin", anchor=False)
    ui.chart(charts.disiplin_histogram(d.disiplin_distribution(periode, kode)), width="stretch")
with kanan:
    st.subheader("Predikat kinerja", anchor=False)
    ui.chart(charts.predikat(d.predikat_distribution(periode, kode)), width="stretch")

kiri, kanan = st.columns(2)
with kiri:
    st.subheader("Pelanggaran per hari", anchor=False)
    st.caption("Hari dengan kode TL, PSW dan TK per 100 hari kerja, menurut hari dalam minggu.")
    ui.chart(charts.per_weekday(d.per_weekday(periode, kode)), width="stretch")
with kanan:
    st.subheader("Jam kedatangan", anchor=False)
    st.caption(
        "Tap datang per 5 menit; garis merah = jam masuk."
        + (
            " Hanya pola kantor dan sekolah: pegawai shift ada di jadwal dinas di bawah."
            if ada_shift
            else ""
        )
    )
    ui.chart(charts.arrival_histogram(d.arrival_times(periode, kode)), width="stretch")

st.subheader("TPP", anchor=False)
ui.tpp_breakdown(now)

st.subheader("Perlu perhatian", anchor=False)
perhatian = d.needs_attention(periode, kode)
if perhatian.is_empty():
    st.success("Tidak ada pegawai dengan TK, disiplin di bawah 95% atau penilaian kurang.")
else:
    st.caption(
        "Pegawai dengan hari TK, disiplin di bawah 95%, tanpa penilaian atau predikat di bawah "
        f"Baik; urutan: {d.URUTAN_PERHATIAN}. Pilih baris untuk membuka rincian pegawai."
    )
    tampil = perhatian.with_columns(
        fmt.predikat_expr(pl.col("predikat")).alias("t_predikat"),
        fmt.pola_kerja_expr(pl.col("pola_kerja")).alias("t_pola"),
    )
    dipilih = ui.choose_pegawai(
        tampil,
        "perhatian",
        {
            "nama": "Nama",
            "nip_format": "NIP",
            "nama_jabatan": "Jabatan",
            "t_pola": "Pola kerja",
            "persen_disiplin": "% disiplin",
            "tk": "TK",
            "terlambat": "TL",
            "pulang_cepat": "PSW",
            "izin": "Izin",
            "t_predikat": "Predikat",
            "tpp_neto": "TPP neto",
        },
        uang=("tpp_neto",),
        persen=("persen_disiplin",),
    )
    if dipilih:
        ui.open_pegawai(dipilih, periode)

if ada_shift:
    st.subheader("Jadwal dinas shift", anchor=False)
    jumlah = pola["SHIFT"]
    PER_HALAMAN = 60
    mulai = 0
    if jumlah > PER_HALAMAN:
        pilihan = list(range(0, jumlah, PER_HALAMAN))
        mulai = st.selectbox(
            "Pegawai shift (urut nama)",
            pilihan,
            key=f"jadwal_halaman_{kode}",
            format_func=lambda m: (
                f"{fmt.number(m + 1)}–{fmt.number(min(m + PER_HALAMAN, jumlah))} dari {fmt.number(jumlah)}"
            ),
        )
    st.caption(
        f"{fmt.number(jumlah)} pegawai shift pada {fmt.periode(periode)}; satu baris per pegawai, "
        "satu kolom per tanggal. Warna = shift, kosong = libur (LIBUR); tanda merah = tanpa "
        "keterangan (TK), tanda putih = ada potongan. Arahkan penunjuk ke kotak untuk jam jadwal, "
        "tap dan kode. Jam WITA."
    )
    ui.chart(
        charts.roster(d.roster(periode, kode, mulai, PER_HALAMAN), periode),
        width="content",
    )

st.subheader("Tren", anchor=False)
kiri, kanan = st.columns(2)
with kiri:
    ui.chart(
        charts.trend(kpi, {"persen_disiplin": "% disiplin", "persen_kinerja": "% kinerja"}),
        width="stretch",
    )
with kanan:
    ui.chart(charts.tpp_periode(kpi), width="stretch")

rows_count = now["baris"]
tombol = st.container(horizontal=True)
with tombol:
    ui.download(
        ctx,
        f"TPP {kode} {fmt.periode(periode)} (CSV, {fmt.number(rows_count)} baris)",
        lambda: ui.csv_bytes(d.tpp_opd(periode, kode)),
        f"tpp_{kode}_{periode}.csv",
        objek="tpp_bulanan",
        periode=periode,
        kode_opd=kode,
        baris=rows_count,
        key="unduh_opd",
    )
    if "xlsx" in d.exports_available():
        nama_file, mime = d.export_name(periode, "xlsx", kode)
        ui.download(
            ctx,
            "Daftar Nominatif (XLSX)",
            lambda: d.export(periode, "xlsx", kode),
            nama_file,
            objek="nominatif_xlsx",
            periode=periode,
            kode_opd=kode,
            baris=rows_count,
            mime=mime,
            key="unduh_nominatif_opd",
        )
