"""Si-Kinerja Analytics: the Streamlit app (entry point of ``streamlit run app/main.py``).

The data directory is ``$KINERJA_DATA`` (default ``./data``); the app reads only what the
pipeline published there (``published/``), the quality history and its own users / audit files.
"""

from __future__ import annotations

import streamlit as st

from app import auth, ui
from app import format as fmt
from app.data import Data, Scope
from app.users import ANALIS, DEMO_OPD_FALLBACK, NAMA_PERAN, ensure_demo_users
from orchestration.core.paths import DataDir

# no built-in CSV download / copy of tables and charts even in a bare `streamlit run` (the
# server sets it from the start, app.launch.SETTINGS): exports go through audited buttons only
st.set_option("client.disableDataExport", True)
st.set_page_config(
    page_title="Si-Kinerja Analytics",
    page_icon=":material/insights:",
    layout="wide",
    initial_sidebar_state="expanded",
    menu_items={"About": "Si-Kinerja Analytics · TPP ASN Pemerintah Provinsi Nusa Tenggara Timur"},
)

st.html(
    "<style>[data-testid='stMainBlockContainer']{padding-top:2.5rem}"
    "[data-testid='stMetricValue']{font-size:2rem}</style>"
)
st.html(ui.language_script(), unsafe_allow_javascript=True)
data_dir = DataDir.resolve()


def _pengguna_demo(data: DataDir) -> None:
    """First start (no users file): demo users, the department head of a real department."""
    from app.users import users_path

    if users_path(data).exists():
        return
    kode = DEMO_OPD_FALLBACK
    try:
        daftar = Data(data, Scope("sistem", ANALIS)).opd_list()["kode_opd"].to_list()
        if daftar and kode not in daftar:
            kode = daftar[0]
    except Exception:  # nothing published yet: the fallback department
        pass
    ensure_demo_users(data, kode)


_pengguna_demo(data_dir)
sesi = auth.active_session(data_dir)

if sesi is None:
    if st.session_state.pop(auth.HAPUS_COOKIE_KEY, None):  # just logged out
        st.html(auth.delete_cookie_script(), unsafe_allow_javascript=True)
    # every page's URL shows the login form, so a bookmark or a reload of /pegawai?nip=... lands
    # on that page (with its query) right after logging in, without a "page not found" detour
    halaman_masuk = "views/masuk.py"
    masuk = st.navigation(
        [
            st.Page(
                halaman_masuk,
                title="Masuk",
                icon=":material/login:",
                url_path="masuk",
                default=True,
            )
        ]
        + [st.Page(halaman_masuk, title=h.judul, url_path=h.kunci) for h in ui.HALAMAN],
        position="hidden",
    )
    with ui.turn():
        masuk.run()
    st.stop()

if token := st.session_state.pop(auth.TUKAR_KEY, None):  # just logged in: the session cookie
    st.html(auth.cookie_script(token), unsafe_allow_javascript=True)

data = Data(data_dir, sesi.scope)

# --- the period every page shows (sidebar), from ?periode= on the first run --------------------
periode = None
if data.exists:
    pilihan = list(reversed(data.periods))
    diminta = st.query_params.get("periode")
    if st.session_state.get("periode") not in pilihan:
        st.session_state["periode"] = diminta if diminta in pilihan else pilihan[0]

halaman = ui.pages_for(sesi.role)
bagian: dict[str, list] = {}
for h in ui.HALAMAN:
    # the pages of other roles are registered too, hidden: opening one by URL runs its guard,
    # which refuses and writes the refusal to the audit log (instead of a silent redirect)
    beranda = h.kunci == ui.BERANDA[sesi.role]
    bagian.setdefault(h.bagian, []).append(
        st.Page(
            h.file,
            title=h.judul,
            icon=h.ikon,
            # the home page is served at "/": its own path is only its key in Streamlit
            url_path=f"{h.kunci}-beranda" if beranda else h.kunci,
            default=beranda,
            visibility="visible" if h in halaman else "hidden",
        )
    )
    if beranda:
        # /ringkasan, /opd?opd=..., /keuangan (a bookmark, or the URL the login form was on)
        # open the home page too, instead of Streamlit's English "Page not found"
        bagian[h.bagian].append(
            st.Page(h.file, title=h.judul, icon=h.ikon, url_path=h.kunci, visibility="hidden")
        )
nav = st.navigation(bagian)

st.logo(
    str(ui.APP_DIR / "assets" / "logo.svg"),
    size="large",
    icon_image=str(ui.APP_DIR / "assets" / "ikon.svg"),
)
with st.sidebar:
    if data.exists:
        periode = st.selectbox(
            "Periode",
            pilihan,
            key="periode",
            format_func=fmt.periode,
            help="Bulan kerja TPP (dibayar pada bulan berikutnya).",
        )
        st.query_params["periode"] = periode
        ui.status_badge(data.status(periode)["status"])
        if periode in data.snapshot.blocked:  # every page: these are an earlier version's numbers
            st.badge("Diblokir", icon=":material/block:", color="red")
            st.caption(f"{ui.DIBLOKIR}.")
    st.divider()
    with st.container(border=True):
        st.markdown(f":material/account_circle: **{sesi.nama}**")
        opd = f" · {sesi.kode_opd}" if sesi.kode_opd else ""
        st.caption(f"{NAMA_PERAN[sesi.role]}{opd}")
        st.button(
            "Keluar", icon=":material/logout:", on_click=auth.logout, args=(data_dir,), key="keluar"
        )
    if data.snapshot is not None:
        st.caption(
            f"Data terbit {fmt.waktu_iso(data.snapshot.created_at)} · terbitan "
            f"{data.snapshot.id[:6]}"
        )

ui.set_ctx(ui.Ctx(data_dir, sesi, data, periode))
with ui.turn(), data.one_connection():
    nav.run()
