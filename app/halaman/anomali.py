"""Anomali: attendance anomaly scores of the models, once they exist."""

import polars as pl
import streamlit as st

from app import format as fmt
from app import ui
from app.data import BelumTersedia

ctx = ui.konteks("anomali")
d, periode = ctx.data, ctx.periode
ui.judul("Anomali", f"{fmt.periode(periode)} · pola kehadiran yang tidak biasa menurut model.")

try:
    skor = d.anomali(periode)
except BelumTersedia as error:
    ui.belum_tersedia(error)
    st.caption(
        "Halaman ini akan menampilkan skor anomali kehadiran per pegawai (mis. tap di luar pola, "
        "titik tap MOBILE yang janggal) setelah model di folder `models/` dijalankan."
    )
    st.stop()

if skor.is_empty():
    st.success("Tidak ada skor anomali untuk periode ini.")
    st.stop()
kolom_skor = next((c for c in ("skor", "score", "skor_anomali") if c in skor.columns), None)
if kolom_skor:
    skor = skor.sort(kolom_skor, descending=True)
if "nip" in skor.columns:
    skor = skor.with_columns(pl.col("nip").map_elements(fmt.nip, return_dtype=pl.String))
st.dataframe(skor.head(500), hide_index=True, width="stretch")
