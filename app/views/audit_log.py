"""Log Audit: downloads, logins and refused accesses (newest first)."""

import polars as pl
import streamlit as st

from app import audit, ui
from app import format as fmt
from app.users import NAMA_PERAN

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
        log.with_columns(
            fmt.waktu_iso_expr(pl.col("waktu")).alias("waktu"),  # 5 Des 2026 07:17 WITA
            pl.col("peran").replace_strict(NAMA_PERAN, default=pl.col("peran")),
            fmt.periode_expr(pl.col("periode")),
        ),
        {
            "waktu": "Waktu",
            "aksi": "Aksi",
            "pengguna": "Pengguna",
            "peran": "Peran",
            "objek": "Objek",
            "periode": "Periode",
            "kode_opd": "OPD",
        },
        key="tabel_audit",
    )
