"""Log Audit: downloads, logins and refused accesses (newest first)."""

import polars as pl
import streamlit as st

from app import audit, ui

ctx = ui.context("audit", perlu_data=False)
ui.title(
    "Log Audit",
    "Setiap unduhan, login, logout, sesi berakhir, akses yang ditolak, verifikasi dan penguncian "
    "periode, dan keputusan analis atas temuan anomali.",
)

log = ctx.data.audit(limit=2000)
aksi = st.segmented_control("Aksi", list(audit.AKSI), selection_mode="multi", key="audit_aksi")
if aksi:
    log = log.filter(pl.col("aksi").is_in(aksi))
if log.is_empty():
    st.info("Belum ada catatan.")
else:
    ui.table(
        log,
        {
            "waktu": "Waktu (WITA)",
            "aksi": "Aksi",
            "pengguna": "Pengguna",
            "peran": "Peran",
            "objek": "Objek",
            "periode": "Periode",
            "kode_opd": "OPD",
        },
        key="tabel_audit",
    )
