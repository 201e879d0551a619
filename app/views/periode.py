"""Status Periode: the period lifecycle (Draf -> Terverifikasi -> Terkunci) with who and when.

Analysts verify a period, finance locks it (``app.lifecycle``: the rules of ``kinerja verify`` /
``kinerja lock``), each after an explicit confirmation; every step is audited.
"""

import polars as pl
import streamlit as st

from app import format as fmt
from app import lifecycle, ui
from app.data import AccessDenied
from app.users import ANALIS, KEUANGAN
from orchestration.periods import DRAFT, LOCKED, VERIFIED

ctx = ui.context("periode")
d, periode = ctx.data, ctx.periode
ui.title(
    "Status Periode",
    "Draf → Terverifikasi (oleh analis BKD) → Terkunci (oleh Badan Keuangan). Hanya periode "
    "terkunci yang menjadi dasar pembayaran; periode terkunci tidak berubah lagi.",
)

if pesan := st.session_state.pop("_periode_pesan", None):
    st.success(pesan, icon=":material/check_circle:")

semua = ui.periode_with_status(d)
ui.table(
    semua.sort("periode", descending=True),
    {
        "t_periode": "Periode",
        "t_status": "Status",
        "t_oleh": "Oleh",
        "t_pada": "Pada",
        "error": "Temuan ERROR",
        "tpp_neto": "TPP neto",
    },
    uang=("tpp_neto",),
    angka=("error",),
    key="tabel_status_periode",
)

st.divider()
baris = semua.filter(pl.col("periode") == periode).row(0, named=True)
status = baris["status"]
st.subheader(f"Periode {fmt.periode(periode)}", anchor=False)
ui.status_badge(status)
if status != DRAFT:
    st.caption(f"{ui.STATUS_LABEL[status]} oleh {baris['t_oleh']} pada {baris['t_pada']}.")
st.caption(
    f"{fmt.number(baris['baris'])} baris TPP · bruto {fmt.rupiah(baris['tpp_bruto'])} · neto "
    f"{fmt.rupiah(baris['tpp_neto'])}."
)


def _run(ke: str) -> None:
    try:
        hasil = lifecycle.run(ctx.dir, ctx.sesi.username, ctx.sesi.role, periode, ke)
    except AccessDenied as e:
        ui.refuse(ctx, e, objek=f"periode {ke}")
    except lifecycle.LifecycleFailed as e:
        st.error(str(e), icon=":material/error:")
        return
    st.session_state["_periode_pesan"] = (
        f"Periode {fmt.periode(periode)} {ui.STATUS_LABEL[hasil.status].lower()} oleh "
        f"{hasil.oleh} pada {fmt.waktu_iso(hasil.pada)}."
    )
    st.rerun()


peran = ctx.sesi.role
diblokir = baris["diblokir"]
if diblokir:  # kinerja run: its latest computation has ERROR findings (not published)
    st.error(
        f"{ui.DIBLOKIR}. Periode ini tidak dapat diverifikasi atau dikunci sampai sumber data "
        "diperbaiki dan pipeline dijalankan ulang.",
        icon=":material/block:",
    )
if status == LOCKED:
    st.info(
        "Periode ini sudah dikunci: dasar pembayaran, tidak berubah lagi. Perbedaan yang "
        "muncul kemudian dibayar sebagai koreksi pada periode terbuka berikutnya.",
        icon=":material/lock:",
    )
elif diblokir:
    pass  # said above; verify and lock refuse it (orchestration.lifecycle)
elif peran == ANALIS:
    if baris["error"]:
        st.error(
            f"Ada {fmt.number(baris['error'])} temuan ERROR: periode belum dapat "
            "diverifikasi sampai sumber data diperbaiki dan pipeline dijalankan ulang.",
            icon=":material/report:",
        )
    else:
        ulang = " ulang" if status == VERIFIED else ""
        with st.form("form_verifikasi", border=True):
            st.markdown(f"**Verifikasi{ulang} {fmt.periode(periode)}**")
            yakin = st.checkbox(
                "Saya telah memeriksa angka TPP periode ini (per Perangkat Daerah, temuan "
                "kualitas data) dan menyatakannya benar.",
                key="yakin_verifikasi",
            )
            kirim = st.form_submit_button(
                f"Verifikasi{ulang} periode", type="primary", icon=":material/verified:"
            )
        if kirim:
            if yakin:
                with st.spinner("Memverifikasi dan menerbitkan status…"):
                    _run(VERIFIED)
            else:
                st.warning("Centang pernyataan pemeriksaan terlebih dahulu.")
elif peran == KEUANGAN:
    if status == DRAFT:
        st.warning(
            "Periode ini masih draf: menunggu verifikasi analis BKD sebelum dapat dikunci.",
            icon=":material/edit_note:",
        )
    else:
        with st.form("form_kunci", border=True):
            st.markdown(f"**Kunci {fmt.periode(periode)}**")
            st.caption(
                "Setelah dikunci, periode ini menjadi dasar pembayaran dan tidak dapat "
                "dibuka kembali."
            )
            yakin = st.checkbox(
                f"Saya menyetujui pembayaran TPP {fmt.periode(periode)} sebesar "
                f"{fmt.rupiah(baris['tpp_neto'])} (neto) dan mengunci periode ini.",
                key="yakin_kunci",
            )
            kirim = st.form_submit_button("Kunci periode", type="primary", icon=":material/lock:")
        if kirim:
            if yakin:
                with st.spinner("Mengunci dan menerbitkan status…"):
                    _run(LOCKED)
            else:
                st.warning("Centang persetujuan terlebih dahulu.")

riwayat = d.period_history(periode)
st.markdown("**Riwayat status**")
if riwayat.is_empty():
    st.caption("Belum ada perubahan status: periode ini draf sejak diterbitkan.")
else:
    ui.table(
        riwayat.with_columns(
            pl.col("dari").replace_strict(ui.STATUS_LABEL, default=pl.col("dari")),
            pl.col("ke").replace_strict(ui.STATUS_LABEL, default=pl.col("ke")),
            fmt.waktu_iso_expr(pl.col("pada")).alias("t_pada"),
            # the publication's number, as in the sidebar (not its full id with a timestamp)
            pl.col("snapshot").str.slice(0, 6),
        ).reverse(),
        {"dari": "Dari", "ke": "Ke", "oleh": "Oleh", "t_pada": "Pada", "snapshot": "Terbitan"},
        key="tabel_riwayat_periode",
    )
