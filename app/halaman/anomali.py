"""Anomali: attendance anomaly scores and the performance early warning of ``models/``."""

import polars as pl
import streamlit as st

from app import charts, ui
from app import format as fmt
from app.data import BelumTersedia

ctx = ui.konteks("anomali")
d, periode = ctx.data, ctx.periode
ui.judul(
    "Anomali",
    f"{fmt.periode(periode)} · daftar untuk diperiksa manusia: model tidak memutuskan apa pun "
    "tentang TPP, setiap baris menyebut alasannya.",
)

ALASAN = {
    "titip": "Tap beruntun dengan rekan (titip absen)",
    "jam": "Jam datang terlalu seragam",
    "mobile": "Tap MOBILE jauh dari kantor",
    "dl": "Tap saat dinas luar",
    "libur": "Tap pada hari libur",
}


tab_anomali, tab_peringatan = st.tabs(
    [":material/fingerprint: Anomali kehadiran", ":material/warning: Peringatan dini kinerja"]
)

with tab_anomali:
    try:
        skor = d.skor_model("anomali", periode)
    except BelumTersedia as error:
        ui.belum_tersedia(error)
        skor = None
    if skor is not None and skor.is_empty():
        st.info(f"Tidak ada skor anomali untuk {fmt.periode(periode)}.")
    elif skor is not None:
        tanda = skor.filter(pl.col("ditandai")).sort("peringkat")
        c = st.columns(3)
        c[0].metric("Pegawai diskor", fmt.angka(skor.height), border=True)
        c[1].metric(
            "Ditandai untuk diperiksa",
            fmt.angka(tanda.height),
            border=True,
            help="Pola paling tidak lazim pada periode ini (anggaran pemeriksaan model).",
        )
        versi = skor["model_versi"][0] if "model_versi" in skor.columns else None
        c[2].metric("Versi model", versi or fmt.KOSONG, border=True)
        if not tanda.is_empty() and "alasan_utama" in tanda.columns:
            per_alasan = (
                tanda.with_columns(
                    pl.col("alasan_utama")
                    .replace_strict(ALASAN, default="Kombinasi pola")
                    .alias("jenis")
                )
                .group_by("jenis")
                .len()
            )
            ui.grafik(
                charts.batang_hitung(per_alasan, "jenis", "len", "jenis", "Pegawai ditandai"),
                width="stretch",
            )
        st.markdown("**Ditandai** · pilih baris untuk membuka hari dan tap pegawai itu")
        dipilih = ui.pilih_pegawai(
            tanda,
            "anomali_tanda",
            {"peringkat": "#", "nama": "Nama", "nip_format": "NIP", "nama_opd": "Perangkat Daerah",
             "skor": "Skor", "alasan": "Alasan"},
            desimal=("skor",),
        )  # fmt: skip
        if dipilih:
            ui.buka_pegawai(dipilih, periode)

with tab_peringatan:
    try:
        risiko = d.skor_model("peringatan", periode)
    except BelumTersedia as error:
        ui.belum_tersedia(error)
        risiko = None
    if risiko is not None and risiko.is_empty():
        st.info(f"Tidak ada skor peringatan dini untuk {fmt.periode(periode)}.")
    elif risiko is not None:
        target = risiko["periode_target"][0] if "periode_target" in risiko.columns else None
        st.caption(
            "Peluang predikat bulan berikutnya"
            + (f" ({fmt.periode(target)})" if target else "")
            + " Butuh Perbaikan atau lebih rendah."
        )
        tingkat = (
            dict(risiko.group_by("tingkat").len().iter_rows())
            if "tingkat" in risiko.columns
            else {}
        )
        c = st.columns(3)
        for kolom, t in zip(c, ("TINGGI", "SEDANG", "RENDAH"), strict=True):
            kolom.metric(f"Risiko {t.lower()}", fmt.angka(tingkat.get(t, 0)), border=True)
        teratas = (
            risiko.sort("skor", descending=True)
            .head(200)
            .with_columns((pl.col("skor") * 100).alias("peluang"))
        )
        dipilih = ui.pilih_pegawai(
            teratas,
            "peringatan_teratas",
            {"nama": "Nama", "nip_format": "NIP", "nama_opd": "Perangkat Daerah", "tingkat": "Risiko",
             "peluang": "Peluang", "alasan": "Alasan"},
            persen=("peluang",),
        )  # fmt: skip
        if dipilih:
            ui.buka_pegawai(dipilih, periode)
