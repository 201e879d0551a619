"""Shared pieces of the pages: page registry per role, page context, KPI cards, downloads."""

from __future__ import annotations

import functools
import os
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import polars as pl
import polars.selectors as cs
import streamlit as st

from app import audit, auth, media_owner
from app import format as fmt
from app import sessions as store
from app.auth import Session
from app.data import AccessDenied, Data, NotAvailable
from app.users import ANALIS, KEPALA_OPD, KEUANGAN
from orchestration import periods
from orchestration.core.paths import DataDir

APP_DIR = Path(__file__).resolve().parent
CTX_KEY = "_sik_ctx"

# How many page runs execute at once in this server process; the others wait their turn (their
# thread blocks without holding the GIL). Tens of page runs interleaving on two cores made every
# one of them slow (GIL hand-offs, Polars' and DuckDB's thread pools oversubscribed).
SERENTAK = int(os.environ.get("KINERJA_APP_HALAMAN_SERENTAK", "3"))
_GILIRAN = threading.BoundedSemaphore(SERENTAK)


@contextmanager
def turn():
    """Run a page when a slot is free (``SERENTAK`` at once)."""
    with _GILIRAN:
        yield


@dataclass(frozen=True)
class PageSpec:
    kunci: str
    judul: str
    ikon: str
    file: str
    peran: frozenset[str]
    bagian: str


HALAMAN = (
    PageSpec(
        "ringkasan",
        "Ringkasan Provinsi",
        ":material/dashboard:",
        "views/ringkasan.py",
        frozenset({ANALIS, KEUANGAN}),
        "Analitik",
    ),
    PageSpec(
        "opd",
        "Perangkat Daerah",
        ":material/apartment:",
        "views/perangkat_daerah.py",
        frozenset({ANALIS, KEPALA_OPD}),
        "Analitik",
    ),
    PageSpec(
        "pegawai",
        "Pegawai",
        ":material/badge:",
        "views/pegawai.py",
        frozenset({ANALIS, KEPALA_OPD, KEUANGAN}),
        "Analitik",
    ),
    PageSpec(
        "anomali",
        "Anomali",
        ":material/troubleshoot:",
        "views/anomali.py",
        frozenset({ANALIS, KEPALA_OPD}),
        "Analitik",
    ),
    PageSpec(
        "whatif",
        "Simulasi Aturan",
        ":material/science:",
        "views/whatif.py",
        frozenset({ANALIS}),
        "Analitik",
    ),
    PageSpec(
        "keuangan",
        "Keuangan",
        ":material/payments:",
        "views/keuangan.py",
        frozenset({KEUANGAN}),
        "Pembayaran",
    ),
    PageSpec(
        "periode",
        "Status Periode",
        ":material/verified:",
        "views/periode.py",
        frozenset({ANALIS, KEUANGAN}),
        "Pembayaran",
    ),
    PageSpec(
        "kualitas",
        "Kualitas Data",
        ":material/fact_check:",
        "views/kualitas.py",
        frozenset({ANALIS}),
        "Data",
    ),
    PageSpec(
        "audit",
        "Log Audit",
        ":material/history:",
        "views/audit_log.py",
        frozenset({ANALIS}),
        "Data",
    ),
)
HALAMAN_PER_KUNCI = {h.kunci: h for h in HALAMAN}
BERANDA = {ANALIS: "ringkasan", KEPALA_OPD: "opd", KEUANGAN: "keuangan"}


def pages_for(role: str) -> list[PageSpec]:
    return [h for h in HALAMAN if role in h.peran]


@dataclass
class Ctx:
    """What a page run needs: the data dir, the session, the scoped data and the period."""

    dir: DataDir
    sesi: Session
    data: Data
    periode: str | None


def set_ctx(ctx: Ctx) -> None:
    st.session_state[CTX_KEY] = ctx


def context(kunci: str, perlu_data: bool = True) -> Ctx:
    """The page's context after checking the role may open page ``kunci`` (else stop).

    With ``perlu_data`` a page without published data says so and stops.
    """
    ctx = st.session_state.get(CTX_KEY)
    if not isinstance(ctx, Ctx):
        st.error("Silakan masuk terlebih dahulu.")
        st.stop()
    if ctx.sesi.role not in HALAMAN_PER_KUNCI[kunci].peran:
        refuse(
            ctx,
            AccessDenied("Halaman ini tidak tersedia untuk peran Anda."),
            objek=f"halaman {kunci}",
            ke_beranda=True,
        )
    if perlu_data and (not ctx.data.exists or ctx.periode is None):
        title(HALAMAN_PER_KUNCI[kunci].judul)
        not_available(
            "Belum ada data terbit: jalankan pipeline (`uv run kinerja run`) terlebih dahulu."
        )
        st.stop()
    return ctx


def refuse(
    ctx: Ctx, error: AccessDenied, objek: str | None = None, ke_beranda: bool = False
) -> None:
    """Show a refusal, audit it, and stop the page (nothing more is rendered)."""
    audit.write(
        ctx.dir,
        audit.AKSES_DITOLAK,
        ctx.sesi.username,
        ctx.sesi.role,
        objek=objek,
        kode_opd=ctx.sesi.kode_opd,
        pesan=str(error),
    )
    st.error(f"Akses ditolak. {error}", icon=":material/block:")
    if ke_beranda:
        beranda = HALAMAN_PER_KUNCI[BERANDA[ctx.sesi.role]]
        st.page_link(beranda.file, label=f"Ke {beranda.judul}", icon=":material/home:")
    else:
        st.button("Kembali ke data saya", icon=":material/undo:", on_click=_restore, key="pulihkan")
    st.stop()


def _restore() -> None:
    """Drop what was asked for in the URL or a widget (the period stays)."""
    periode = st.query_params.get("periode")
    st.query_params.clear()
    if periode:
        st.query_params["periode"] = periode
    st.session_state.pop("opd", None)


def not_available(error: NotAvailable | str) -> None:
    st.info(f"Belum tersedia. {error}", icon=":material/hourglass_empty:")


def title(teks: str, sub: str | None = None) -> None:
    st.title(teks, anchor=False)
    if sub:
        st.caption(sub)


STATUS_WARNA = {"DRAFT": "orange", "VERIFIED": "blue", "LOCKED": "green"}
# a period the latest run left unpublished (``Snapshot.blocked``): each page adds what it means
DIBLOKIR = f"Periode ini diblokir: {periods.DIBLOKIR}"
STATUS_LABEL = {"DRAFT": "Draf", "VERIFIED": "Terverifikasi", "LOCKED": "Terkunci"}


def periode_with_status(d: Data) -> pl.DataFrame:
    """The published periods with their status, who and when (display columns ``t_*``), the
    number of ERROR findings (``error``) and whether the latest computation was blocked by
    ERROR findings (``diblokir``: the published version is an earlier one; its status reads
    "… · diblokir"): the status tables of Keuangan and Status Periode."""
    temuan = d.temuan_per_periode()
    error = dict(
        temuan.filter(pl.col("tingkat") == "ERROR").select("periode", "jumlah").iter_rows()
    )
    diblokir = pl.col("periode").is_in(d.snapshot.blocked if d.snapshot else [])
    status = pl.col("status").replace_strict(STATUS_LABEL, default=pl.col("status"))
    return d.finance_periods().with_columns(
        pl.when(diblokir).then(status + " · diblokir").otherwise(status).alias("t_status"),
        diblokir.alias("diblokir"),
        fmt.periode_expr(pl.col("periode")).alias("t_periode"),
        pl.col("oleh").fill_null(fmt.KOSONG).alias("t_oleh"),
        fmt.waktu_iso_expr(pl.col("pada")).alias("t_pada"),
        pl.col("periode").replace_strict(error, default=0, return_dtype=pl.Int64).alias("error"),
    )


STATUS_IKON = {
    "DRAFT": ":material/edit_note:",
    "VERIFIED": ":material/verified:",
    "LOCKED": ":material/lock:",
}


def status_badge(status: str) -> None:
    st.badge(
        STATUS_LABEL.get(status, status),
        icon=STATUS_IKON.get(status),
        color=STATUS_WARNA.get(status, "gray"),
    )


def card(
    kolom,
    label: str,
    nilai: str,
    delta: str | None = None,
    bantuan: str | None = None,
    delta_color: str = "normal",
    tren: list[float] | None = None,
) -> None:
    """A KPI card; ``tren`` (the value per month up to now) draws a sparkline in it."""
    kolom.metric(
        label,
        nilai,
        delta=delta,
        help=bantuan,
        border=True,
        delta_color=delta_color,
        height="stretch",
        chart_data=tren if tren and len(tren) > 1 else None,
        chart_type="area",
        delta_description="dari bulan lalu" if delta else None,
    )


def delta_percent(now: float | None, before: float | None, satuan: str = " poin") -> str | None:
    if now is None or before is None or round(now - before, 1) == 0:
        return None
    d = now - before
    return f"{'+' if d >= 0 else ''}{fmt.number(d, 1)}{satuan}"


def delta_rupiah(now: float | None, before: float | None) -> str | None:
    if now is None or before is None or now == before:
        return None
    d = now - before
    return ("+" if d >= 0 else "-") + fmt.rupiah_short(abs(d))


def periode_row(frame: pl.DataFrame, periode: str) -> tuple[dict | None, dict | None]:
    """(row of ``periode``, row of the period before it) of a per-period frame."""
    rows = frame.sort("periode").to_dicts()
    for i, row in enumerate(rows):
        if row["periode"] == periode:
            return row, rows[i - 1] if i else None
    return None, None


def kpi_card(kpi: pl.DataFrame, periode: str) -> dict | None:
    """The six headline numbers of ``periode`` in two rows, each with its change from the month
    before and a sparkline of the months up to it; returns the period's row (None if absent)."""
    now, prev = periode_row(kpi, periode)
    if now is None:
        return None
    upto = (  # the sparklines: the numbers up to this period, in one select
        kpi.filter(pl.col("periode") <= periode)
        .sort("periode")
        .select(cs.numeric().cast(pl.Float64).fill_null(0))
    )

    def trend(col: str) -> list[float]:
        return upto[col].to_list()

    p = prev or {}
    atas = st.columns(3)
    card(
        atas[0],
        "Pegawai",
        fmt.number(now["pegawai"]),
        delta_percent(now["pegawai"], p.get("pegawai"), " orang") if prev else None,
        bantuan="Pegawai dengan baris TPP pada periode ini.",
        tren=trend("pegawai"),
    )
    card(
        atas[1],
        "TPP bruto",
        fmt.rupiah_short(now["tpp_bruto"]),
        delta_rupiah(now["tpp_bruto"], p.get("tpp_bruto")),
        bantuan=fmt.rupiah(now["tpp_bruto"]),
        tren=trend("tpp_bruto"),
    )
    card(
        atas[2],
        "TPP neto",
        fmt.rupiah_short(now["tpp_neto"]),
        delta_rupiah(now["tpp_neto"], p.get("tpp_neto")),
        bantuan=f"{fmt.rupiah(now['tpp_neto'])} setelah PPh 21 {fmt.rupiah(now['pph21'])} "
        f"dan BPJS {fmt.rupiah(now['iuran_bpjs'])}.",
        tren=trend("tpp_neto"),
    )
    bawah = st.columns(3)
    card(
        bawah[0],
        "Rata-rata disiplin",
        fmt.percent(now["persen_disiplin"], 2),
        delta_percent(now["persen_disiplin"], p.get("persen_disiplin")),
        bantuan="Rata-rata persen disiplin (100 dikurangi poin TL, PSW, TK dan izin).",
        tren=trend("persen_disiplin"),
    )
    card(
        bawah[1],
        "Rata-rata kinerja",
        fmt.percent(now["persen_kinerja"], 2),
        delta_percent(now["persen_kinerja"], p.get("persen_kinerja")),
        bantuan=f"Dari predikat penilaian FINAL; {fmt.number(now['tanpa_penilaian'])} pegawai "
        "tanpa penilaian dihitung 0%.",
        tren=trend("persen_kinerja"),
    )
    card(
        bawah[2],
        "Hari tanpa keterangan",
        fmt.percent(now["persen_tk"], 2),
        delta_percent(now["persen_tk"], p.get("persen_tk")),
        delta_color="inverse",
        bantuan=f"{fmt.number(now['tk'])} hari TK dari {fmt.number(now['hari_efektif'])} hari efektif.",
        tren=trend("persen_tk"),
    )
    return now


def chart(spec: dict | None, width: str = "stretch") -> None:
    """Show a chart of ``app.charts`` (a cached Vega-Lite spec)."""
    if spec is not None:
        st.vega_lite_chart(spec=spec, width=width)


def tpp_breakdown(now: dict) -> None:
    """Money of a period (a department or the province): table and waterfall side by side."""
    from app import charts

    pagu = now["tpp_kinerja"] + now["tpp_disiplin"] + now["hilang_kinerja"] + now["hilang_disiplin"]
    kiri, kanan = st.columns([2, 3])
    with kiri:
        komponen = [
            ("Pagu setelah pro-rata", pagu),
            ("Potongan kinerja (predikat)", -now["hilang_kinerja"]),
            ("Potongan disiplin", -now["hilang_disiplin"]),
            ("TPP kinerja", now["tpp_kinerja"]),
            ("TPP disiplin", now["tpp_disiplin"]),
            ("TPP bruto", now["tpp_bruto"]),
            ("PPh 21", -now["pph21"]),
            ("Iuran BPJS (1%)", -now["iuran_bpjs"]),
            ("TPP neto", now["tpp_neto"]),
        ]
        table(
            pl.DataFrame(komponen, schema=["komponen", "rupiah"], orient="row"),
            {"komponen": "Komponen", "rupiah": "Rupiah"},
            uang=("rupiah",),
            key="rincian_tpp",
        )
    with kanan:
        chart(
            charts.waterfall(
                [
                    ("Pagu efektif", pagu, "total"),
                    ("Kinerja", now["hilang_kinerja"], "kurang"),
                    ("Disiplin", now["hilang_disiplin"], "kurang"),
                    ("Bruto", now["tpp_bruto"], "total"),
                    ("PPh 21", now["pph21"], "kurang"),
                    ("BPJS", now["iuran_bpjs"], "kurang"),
                    ("Neto", now["tpp_neto"], "total"),
                ]
            ),
            width="stretch",
        )


def download(
    ctx: Ctx,
    label: str,
    buat: Callable[[], bytes],
    nama_file: str,
    objek: str,
    periode: str | None,
    kode_opd: str | None = None,
    baris: int | None = None,
    key: str | None = None,
    mime: str = "text/csv",
    primary: bool = False,
) -> None:
    """A download button whose file is written to the audit log when it is built.

    The file is built lazily, when it is asked for: Streamlit runs ``buat`` on a click and on a
    direct request for the file from the browser, without the click's rerun. So the audit line is
    written there, and only while the session holds (after logout or expiry nothing is built).
    """
    detail = {
        "objek": objek,
        "periode": periode,
        "kode_opd": kode_opd,
        "nama_file": nama_file,
        "baris": baris,
    }
    st.download_button(
        label,
        data=functools.partial(_audited_file, ctx.dir, ctx.sesi, buat, detail),
        file_name=nama_file,
        mime=mime,
        on_click="ignore",
        key=key,
        icon=":material/download:",
        type="primary" if primary else "secondary",
    )


def _audited_file(data: DataDir, sesi: Session, buat: Callable[[], bytes], detail: dict) -> bytes:
    """``buat()`` after checking the session on the server and writing the download (or its
    refusal) to the audit log."""
    alasan = store.valid(store.fetch(data, sesi.id), auth.IDLE_SECONDS, time.time())
    if alasan is not None:
        audit.write(
            data,
            audit.AKSES_DITOLAK,
            sesi.username,
            sesi.role,
            objek=f"unduh {detail['nama_file']}",
            periode=detail["periode"],
            kode_opd=sesi.kode_opd,
            pesan=f"sesi {alasan}",
        )
        raise AccessDenied("Sesi Anda telah berakhir. Silakan masuk lagi untuk mengunduh.")
    audit.write(data, audit.UNDUH, sesi.username, sesi.role, **detail)
    content = buat()
    media_owner.built_for(sesi.username)  # only this account may fetch the file's URL
    return content


def csv_bytes(frame: pl.DataFrame) -> bytes:
    """CSV with a BOM so spreadsheet programs open it as UTF-8."""
    return b"\xef\xbb\xbf" + frame.write_csv().encode("utf-8")


def table(
    frame: pl.DataFrame,
    kolom: dict[str, str],
    uang: tuple[str, ...] = (),
    persen: tuple[str, ...] = (),
    tanggal: tuple[str, ...] = (),
    angka: tuple[str, ...] = (),
    desimal: tuple[str, ...] = (),
    lebar: dict[str, str] | None = None,
    **kwargs,
):
    """st.dataframe of the columns of ``kolom`` (name -> header), Indonesian formats;
    ``lebar``: column -> "small" / "medium" / "large" where the content needs room.

    Display text comes from a pandas Styler (``Rp 4.324.000``, ``92,5%``, ``29 Nov 2026``)
    while the cells keep their numbers and dates, so sorting by a column stays numeric.
    """
    shown = [k for k in kolom if k in frame.columns]
    frame = frame.select(shown).with_columns(pl.col(pl.String).fill_null(fmt.KOSONG))
    pdf = frame.to_pandas()
    formats = (
        {c: fmt.rupiah for c in uang}
        | {c: (lambda v: fmt.percent(v, 1)) for c in persen}
        | {c: fmt.tanggal for c in tanggal}
        | {c: fmt.number for c in angka}
        | {c: (lambda v: fmt.number(v, 2)) for c in desimal}
    )
    # an integer column with gaps reaches pandas as floats ("374.000000"): whole numbers again
    formats |= {
        c: fmt.number
        for c in shown
        if c not in formats and frame[c].dtype.is_integer() and frame[c].null_count()
    }
    styler = pdf.style.format(na_rep=fmt.KOSONG).format(
        {c: f for c, f in formats.items() if c in shown}, na_rep=fmt.KOSONG
    )
    return st.dataframe(
        styler,
        column_config={
            k: st.column_config.Column(kolom[k], width=(lebar or {}).get(k)) for k in shown
        },
        hide_index=True,
        width="stretch",
        **kwargs,
    )


def choose_pegawai(frame: pl.DataFrame, key: str, kolom: dict[str, str], **formats) -> str | None:
    """A list of people (NIP shown as ``19900815 201601 1 005`` in ``nip_format``) where a row
    can be picked; returns the NIP of the picked row, if any."""
    tampil = frame.with_columns(fmt.nip_expr(pl.col("nip")).alias("nip_format"))
    pilih = table(tampil, kolom, key=key, on_select="rerun", selection_mode="single-row", **formats)
    rows = pilih.selection.rows if pilih is not None else []
    return frame["nip"][rows[0]] if rows else None


def open_pegawai(nip: str, periode: str | None) -> None:
    """Open the Pegawai page on one person (the data layer checks the scope there)."""
    st.switch_page("views/pegawai.py", query_params={"nip": nip, "periode": periode or ""})


def opd_label(daftar: pl.DataFrame) -> dict[str, str]:
    return {
        r["kode_opd"]: f"{r['kode_opd']} · {r['nama_opd']}" for r in daftar.iter_rows(named=True)
    }


# Streamlit's own toolbars (tables, charts) speak English; the app speaks Bahasa Indonesia.
# A small observer translates their labels and tooltips as they appear, and the charts' "Copy
# Vega-Lite spec" (it copies the chart's data, unaudited) is hidden.
TERJEMAHAN = {
    "Show data": "Tampilkan data",
    "Download as PNG": "Unduh gambar (PNG)",
    "Download as SVG": "Unduh gambar (SVG)",
    "Fullscreen": "Layar penuh",
    "Close fullscreen": "Tutup layar penuh",
    "Exit fullscreen": "Tutup layar penuh",
    "Search": "Cari",
    "Show/hide columns": "Tampilkan/sembunyikan kolom",
    "Clear selection": "Hapus pilihan",
    "Close": "Tutup",
    "Sort ascending": "Urutkan naik",
    "Sort descending": "Urutkan turun",
    "Autosize": "Ukuran otomatis",
    "Pin column": "Sematkan kolom",
    "Unpin column": "Lepas sematan kolom",
    "Hide column": "Sembunyikan kolom",
    "Format": "Format",
    "Type to search": "Ketik untuk mencari",
    "Running...": "Memproses…",
    # the hint under a form's last text field and under a text input
    "Press Enter to submit form": "Tekan Enter untuk mengirim",
    "Press Enter to apply": "Tekan Enter untuk menerapkan",
    "Stop": "Berhenti",
    # the notice of a URL that is no page of the app (it then opens the home page)
    "Page not found": "Halaman tidak ditemukan",
    "The page that you have requested does not seem to exist. Running the app's main page.": (
        "Halaman yang diminta tidak ada. Halaman utama dibuka."
    ),
}


def language_script() -> str:
    """HTML (CSS + JS) that puts Streamlit's toolbar texts into Bahasa Indonesia."""
    import json

    return (
        "<style>button[aria-label='Copy Vega-Lite spec']{display:none !important}</style>"
        "<script>(() => {"
        f"const T = {json.dumps(TERJEMAHAN, ensure_ascii=False)};"
        "const attr = e => { for (const a of ['aria-label', 'title', 'placeholder']) {"
        " const v = e.getAttribute && e.getAttribute(a); if (v && T[v]) e.setAttribute(a, T[v]); } };"
        "const tr = root => { if (!root || root.nodeType !== 1) return; attr(root);"
        " root.querySelectorAll('[aria-label],[title],[placeholder]').forEach(attr);"
        " const w = document.createTreeWalker(root, NodeFilter.SHOW_TEXT); let n;"
        " while ((n = w.nextNode())) { const v = n.nodeValue.trim(); if (T[v]) n.nodeValue = T[v]; } };"
        "if (window.__sikBahasa) return;"
        "window.__sikBahasa = new MutationObserver(ms => ms.forEach(m => {"
        " if (m.type === 'attributes') attr(m.target);"
        " else if (m.type === 'characterData') tr(m.target.parentElement);"
        " else m.addedNodes.forEach(tr); }));"
        "window.__sikBahasa.observe(document.body, {subtree: true, childList: true,"
        " characterData: true, attributes: true, attributeFilter: ['aria-label', 'title']});"
        "tr(document.body);"
        "})();</script>"
    )
