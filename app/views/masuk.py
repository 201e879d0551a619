"""Login page (the only page before a session exists)."""

import streamlit as st

from app import auth
from app.ui import APP_DIR
from app.users import NAMA_PERAN, demo_hint
from orchestration.core.paths import DataDir

data_dir = DataDir.resolve()

_, tengah, _ = st.columns([1, 1.3, 1])
with tengah:
    st.markdown("")
    st.image(str(APP_DIR / "assets" / "logo.svg"), width=300)
    st.caption(
        "Tambahan Penghasilan Pegawai (TPP) ASN Pemerintah Provinsi Nusa Tenggara Timur: "
        "disiplin, kinerja dan pembayaran, sampai ke hari dan tap."
    )
    if pesan := auth.take_message():
        st.info(pesan, icon=":material/info:")
    with st.form("masuk", border=True):
        username = st.text_input("Nama pengguna", key="masuk_username", autocomplete="username")
        password = st.text_input(
            "Kata sandi", type="password", key="masuk_password", autocomplete="current-password"
        )
        kirim = st.form_submit_button(
            "Masuk", type="primary", icon=":material/login:", width="stretch"
        )
    if kirim:
        sesi, salah = auth.login(data_dir, username, password)
        if sesi is not None:
            st.rerun()
        st.error(salah, icon=":material/error:")

    demo = demo_hint(data_dir)
    if demo:
        with st.expander(
            "Pengguna demo (dibuat otomatis pada start pertama)", icon=":material/key:"
        ):
            st.markdown(
                "\n".join(f"- `{u}` / `{p}` — {NAMA_PERAN[r]}" for u, p, r in demo)
                + "\n\nGanti kata sandi ini sebelum dipakai sungguhan: "
                "`uv run python -m app.users tambah --username analis --peran ANALIS --ganti`."
            )
    st.caption(
        f"Sesi berakhir setelah {auth.IDLE_SECONDS // 60} menit tanpa aktivitas. "
        "Setiap unduhan dicatat di log audit."
    )
