"""Altair charts of the app: one function per chart, Indonesian number and date formats.

Inputs are small, already aggregated frames (DuckDB did the work); every tooltip shows
pre-formatted text (``Rp 4.324.000``, ``92,5%``, ``07:42 WITA``) so the browser's locale does
not matter.

Each chart function returns the finished Vega-Lite spec (a dict for ``st.vega_lite_chart``,
see ``ui.grafik``), built and validated once per distinct input and then served from a small
in-process cache (``@spesifikasi``): building an Altair chart and validating it against the
Vega-Lite schema cost ~70 ms of Python per chart, several times a page, for every session.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import threading
from collections import OrderedDict

import altair as alt
import polars as pl

from app import format as fmt

BIRU = "#1d4ed8"
TEAL = "#0f766e"
HIJAU = "#16a34a"
KUNING = "#f59e0b"
ORANYE = "#ea580c"
MERAH = "#dc2626"
UNGU = "#7c3aed"
ABU = "#9ca3af"
ABU_MUDA = "#e5e7eb"

LOCALE = alt.Locale(
    number=alt.NumberLocale(decimal=",", thousands=".", grouping=[3], currency=["Rp ", ""]),
    time=alt.TimeLocale(
        dateTime="%A, %e %B %Y %X",
        date="%d/%m/%Y",
        time="%H:%M:%S",
        periods=["AM", "PM"],
        days=["Minggu", "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu"],
        shortDays=["Min", "Sen", "Sel", "Rab", "Kam", "Jum", "Sab"],
        months=list(fmt.BULAN),
        shortMonths=list(fmt.BULAN_SINGKAT),
    ),
)

# Day categories of the calendar, in legend order, with their colours.
KATEGORI = {
    "Tepat waktu": HIJAU,
    "Terlambat / pulang cepat": KUNING,
    "Tanpa keterangan": MERAH,
    "Izin": ORANYE,
    "Cuti": BIRU,
    "Dinas luar / diklat": UNGU,
    "CLTN / tugas belajar": ABU,
}
PREDIKAT_WARNA = {
    "Sangat Baik": "#15803d",
    "Baik": "#4ade80",
    "Butuh Perbaikan": KUNING,
    "Kurang": ORANYE,
    "Sangat Kurang": MERAH,
    "Tanpa penilaian": ABU,
}


def rupiah_scale(maks: float | None) -> tuple[float, str]:
    """(divisor, unit) so that an axis of rupiah up to ``maks`` reads ``1,5`` miliar / juta /
    ribu rupiah with Indonesian separators (never the SI ``0.2G``)."""
    m = abs(float(maks or 0))
    for bagi, satuan in ((1e9, "miliar rupiah"), (1e6, "juta rupiah"), (1e3, "ribu rupiah")):
        if m >= 2 * bagi:
            return bagi, satuan
    return 1.0, "rupiah"


_SPEC: OrderedDict[tuple, tuple[str, dict[str, bytes]]] = OrderedDict()
_SPEC_LOCK = threading.Lock()
SPEC_ENTRIES = 1024
_DIVALIDASI: set[str] = set()  # chart functions whose spec passed the schema once


def clear_cache() -> None:
    with _SPEC_LOCK:
        _SPEC.clear()


def _key(v) -> object:
    """A hashable key for chart arguments (frames by schema and a hash of their rows)."""
    if isinstance(v, pl.DataFrame):
        rows = v.hash_rows(seed=19).to_numpy().tobytes() if v.height else b""
        digest = hashlib.blake2b(rows, digest_size=16).hexdigest()
        return ("df", tuple(v.columns), tuple(str(t) for t in v.dtypes), v.height, digest)
    if isinstance(v, list | tuple):
        return tuple(_key(x) for x in v)
    if isinstance(v, dict):
        return tuple((k, _key(x)) for k, x in v.items())
    return v


def spec(fn):
    """Chart builder -> cached Vega-Lite dict (a fresh copy per call: Streamlit mutates it).

    The cache keeps the spec without its data as JSON text and each dataset as the Arrow IPC
    bytes ``st.vega_lite_chart`` sends (Streamlit copies bytes as they are): converting a
    chart's rows to Arrow through pandas in every page run was a tenth of the server's CPU.
    """

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        key = (fn.__name__, _key(args), _key(kwargs))
        with _SPEC_LOCK:
            hit = _SPEC.get(key)
            if hit is not None:
                _SPEC.move_to_end(key)
        if hit is None:
            chart = fn(*args, **kwargs)
            if chart is None:
                return None
            hit = _prepared(chart, validate=fn.__name__ not in _DIVALIDASI)
            _DIVALIDASI.add(fn.__name__)
            with _SPEC_LOCK:
                _SPEC[key] = hit
                while len(_SPEC) > SPEC_ENTRIES:
                    _SPEC.popitem(last=False)
        teks, datasets = hit
        out = json.loads(teks)
        if datasets:
            out["datasets"] = dict(datasets)
        return out

    return wrapper


def _prepared(chart: alt.TopLevelMixin, validate: bool) -> tuple[str, dict[str, bytes]]:
    """(the spec without its datasets as JSON text, each dataset as Arrow IPC bytes).

    Only the first spec of each chart function is validated against the Vega-Lite schema: the
    next ones differ only in data and data-driven numbers (validation was half the cost).
    """
    from streamlit.dataframe_util import convert_anything_to_arrow_bytes

    spec = json.loads(json.dumps(chart.to_dict(validate=validate)))  # JSON types, as sent
    view = spec.get("config", {}).get("view", {})
    for k in ("continuousWidth", "continuousHeight"):  # Altair's default theme
        view.pop(k, None)
    datasets = {
        name: convert_anything_to_arrow_bytes(values)
        for name, values in spec.pop("datasets", {}).items()
    }
    return json.dumps(spec), datasets


def _done(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    return chart.configure(locale=LOCALE).configure_view(stroke=None)


def _periode_cols(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_columns(fmt.periode_expr(pl.col("periode"), singkat=True).alias("bulan"))


@spec
def trend(
    frame: pl.DataFrame,
    kolom: dict[str, str],
    satuan: str = "%",
    tinggi: int = 260,
    skala_nol: bool = False,
):
    """Lines over periods for ``kolom`` (column -> legend label); values in ``satuan``."""
    data = (
        _periode_cols(frame)
        .select("periode", "bulan", *kolom)
        .unpivot(
            index=["periode", "bulan"], on=list(kolom), variable_name="seri", value_name="nilai"
        )
        .with_columns(pl.col("seri").replace_strict(kolom).alias("seri"))
    )
    teks = (
        fmt.rupiah_expr(pl.col("nilai"))
        if satuan == "Rp"
        else fmt.number_expr(pl.col("nilai"), 1) + pl.lit(satuan)
    )
    data = data.with_columns(teks.alias("teks"))
    judul_y = None
    if satuan == "Rp":  # plotted in miliar / juta / ribu: an Indonesian axis, no "0.2G"
        bagi, judul_y = rupiah_scale(data["nilai"].abs().max())
        data = data.with_columns(pl.col("nilai") / bagi)
    order = _periode_cols(frame)["bulan"].to_list()
    base = alt.Chart(data).encode(
        x=alt.X("bulan:N", sort=order, title=None, axis=alt.Axis(labelAngle=0)),
        y=alt.Y(
            "nilai:Q", title=judul_y, scale=alt.Scale(zero=skala_nol), axis=alt.Axis(format=",.1~f")
        ),
        color=alt.Color(
            "seri:N",
            title=None,
            legend=alt.Legend(orient="top"),
            scale=alt.Scale(range=[TEAL, BIRU, KUNING, MERAH]),
        ),
        tooltip=[
            alt.Tooltip("bulan:N", title="Periode"),
            alt.Tooltip("seri:N", title="Ukuran"),
            alt.Tooltip("teks:N", title="Nilai"),
        ],
    )
    return _done(
        (base.mark_line(strokeWidth=2.5) + base.mark_point(filled=True, size=60)).properties(
            height=tinggi
        )
    )


@spec
def ranking(
    frame: pl.DataFrame, nilai: str, judul: str, warna: str = TEAL, sorot: str | None = None
):
    """Every department by ``nilai`` (a percentage), best on top, as a dot plot.

    Dots rather than bars: the values sit between ~85 and 100%, and a bar that does not start at
    zero would exaggerate the differences.
    """
    data = frame.select("kode_opd", "nama_opd", nilai, "jumlah_pegawai").with_columns(
        pl.col(nilai).cast(pl.Float64),
        fmt.percent_expr(pl.col(nilai), 2).alias("teks"),
        fmt.truncate_expr(pl.col("nama_opd")).alias("nama"),
        (pl.col("kode_opd") == (sorot or "")).alias("sorot"),
    )
    lo_v, hi_v = float(data[nilai].min() or 0), float(data[nilai].max() or 100)
    lebar = max(hi_v - lo_v, 1.0)
    lo = max(0.0, lo_v - lebar * 0.1)
    hi = min(100.0, hi_v + lebar * 0.25)  # room for the value labels
    data = data.with_columns(pl.lit(lo).alias("dasar"))
    x = alt.X(
        f"{nilai}:Q",
        title=judul,
        scale=alt.Scale(domain=[lo, max(hi, hi_v)], nice=False, zero=False),
    )
    base = alt.Chart(data).encode(
        y=alt.Y(
            "nama:N",
            sort=alt.EncodingSortField(nilai, order="descending"),
            title=None,
            axis=alt.Axis(labelLimit=270, ticks=False, domain=False),
        ),
        tooltip=[
            alt.Tooltip("nama_opd:N", title="Perangkat Daerah"),
            alt.Tooltip("kode_opd:N", title="Kode"),
            alt.Tooltip("teks:N", title=judul),
            alt.Tooltip("jumlah_pegawai:Q", title="Pegawai", format=",d"),
        ],
    )
    garis = base.mark_rule(color=ABU_MUDA, strokeWidth=3).encode(x=x, x2="dasar:Q")
    titik = base.mark_circle(size=120, opacity=1).encode(
        x=x, color=alt.condition("datum.sorot", alt.value(KUNING), alt.value(warna))
    )
    teks = base.mark_text(align="left", dx=9, fontSize=11, color="#4b5563").encode(
        x=x, text="teks:N"
    )
    return _done((garis + titik + teks).properties(height=70 + 22 * data.height))


@spec
def opd_spread(frame: pl.DataFrame):
    """Departments by discipline (x) and performance (y); bubble size = head count."""
    data = frame.with_columns(
        fmt.percent_expr(pl.col("persen_disiplin"), 2).alias("t_dis"),
        fmt.percent_expr(pl.col("persen_kinerja"), 2).alias("t_kin"),
        fmt.percent_expr(pl.col("persen_tk"), 2).alias("t_tk"),
    )
    points = (
        alt.Chart(data)
        .mark_circle(opacity=0.75, stroke="white", strokeWidth=1)
        .encode(
            x=alt.X("persen_disiplin:Q", title="Rata-rata % disiplin", scale=alt.Scale(zero=False)),
            y=alt.Y("persen_kinerja:Q", title="Rata-rata % kinerja", scale=alt.Scale(zero=False)),
            size=alt.Size(
                "jumlah_pegawai:Q",
                title="Pegawai",
                scale=alt.Scale(range=[40, 1400]),
                legend=alt.Legend(orient="bottom", format=",d"),
            ),
            color=alt.Color(
                "persen_tk:Q",
                title="% hari TK",
                scale=alt.Scale(range=[TEAL, KUNING, MERAH]),
                legend=alt.Legend(orient="bottom", format=",.1f"),
            ),
            tooltip=[
                alt.Tooltip("nama_opd:N", title="Perangkat Daerah"),
                alt.Tooltip("jumlah_pegawai:Q", title="Pegawai", format=",d"),
                alt.Tooltip("t_dis:N", title="% disiplin"),
                alt.Tooltip("t_kin:N", title="% kinerja"),
                alt.Tooltip("t_tk:N", title="% hari TK"),
            ],
        )
    )
    return _done(points.properties(height=380))


@spec
def opd_month_map(frame: pl.DataFrame, nilai: str, judul: str, skema: str = "redyellowgreen"):
    """Heatmap: departments (rows) x months (columns) coloured by ``nilai``."""
    data = _periode_cols(frame).with_columns(
        fmt.percent_expr(pl.col(nilai), 2).alias("teks"),
        fmt.truncate_expr(pl.col("nama_opd")).alias("label"),
    )
    order = _periode_cols(frame.select("periode").unique().sort("periode"))["bulan"].to_list()
    return _done(
        alt.Chart(data)
        .mark_rect(cornerRadius=2)
        .encode(
            x=alt.X("bulan:N", sort=order, title=None, axis=alt.Axis(labelAngle=0, orient="top")),
            y=alt.Y(
                "label:N",
                title=None,
                sort=alt.EncodingSortField(nilai, op="mean", order="descending"),
                axis=alt.Axis(labelLimit=260),
            ),
            color=alt.Color(
                f"{nilai}:Q",
                title=judul,
                scale=alt.Scale(scheme=skema),
                legend=alt.Legend(orient="bottom", format=",.0f"),
            ),
            tooltip=[
                alt.Tooltip("nama_opd:N", title="Perangkat Daerah"),
                alt.Tooltip("bulan:N", title="Periode"),
                alt.Tooltip("teks:N", title=judul),
            ],
        )
        .properties(height=alt.Step(20))
    )


@spec
def per_weekday(frame: pl.DataFrame):
    """TL / PSW / TK per 100 working days by weekday (grouped bars; the rates ``persen_*`` of
    ``Data.per_hari``)."""
    kode = ["tl", "psw", "tk"]
    jumlah = frame.unpivot(
        index=["hari_iso", "hari"], on=kode, variable_name="kode", value_name="jumlah"
    )
    per100 = frame.unpivot(
        index="hari_iso",
        on=[f"persen_{k}" for k in kode],
        variable_name="kode",
        value_name="per100",
    ).with_columns(pl.col("kode").str.strip_prefix("persen_"))
    data = jumlah.join(per100, on=["hari_iso", "kode"], maintain_order="left").with_columns(
        pl.col("hari_iso").replace_strict(fmt.HARI).alias("nama_hari"),
        pl.col("kode").replace_strict(
            {"tl": "Terlambat (TL)", "psw": "Pulang cepat (PSW)", "tk": "Tanpa keterangan (TK)"}
        ),
    )
    data = data.with_columns(
        pl.format(
            "{} per 100 hari ({} hari)",
            fmt.number_expr(pl.col("per100"), 1),
            fmt.number_expr(pl.col("jumlah")),
        ).alias("teks")
    )
    hari = [fmt.HARI[i] for i in range(1, 8)]  # weekends only where a pattern works them
    return _done(
        alt.Chart(data)
        .mark_bar(cornerRadiusEnd=2)
        .encode(
            x=alt.X("nama_hari:N", sort=hari, title=None, axis=alt.Axis(labelAngle=0)),
            xOffset=alt.XOffset("kode:N"),
            y=alt.Y("per100:Q", title="per 100 hari kerja"),
            color=alt.Color(
                "kode:N",
                title=None,
                legend=alt.Legend(orient="top"),
                scale=alt.Scale(
                    domain=["Terlambat (TL)", "Pulang cepat (PSW)", "Tanpa keterangan (TK)"],
                    range=[KUNING, ORANYE, MERAH],
                ),
            ),
            tooltip=[
                alt.Tooltip("nama_hari:N", title="Hari"),
                alt.Tooltip("kode:N", title="Kode"),
                alt.Tooltip("teks:N", title="Frekuensi"),
            ],
        )
        .properties(height=280)
    )


def _clock_minutes(m: pl.Expr) -> pl.Expr:
    """Minutes of the day as ``07:05``."""
    return pl.format(
        "{}:{}", (m // 60).cast(pl.String).str.zfill(2), (m % 60).cast(pl.String).str.zfill(2)
    )


@spec
def arrival_histogram(frame: pl.DataFrame, menit: int = 5):
    """Check-ins per clock slot, coloured on time / late, with a rule at each start time."""
    mulai = {j: int(j[:2]) * 60 + int(j[3:5]) for j in frame["jam_masuk"].unique().to_list() if j}
    data = (
        frame.with_columns(
            pl.col("jam_masuk").replace_strict(mulai, default=450).alias("mulai"),
        )
        .with_columns(
            pl.when(pl.col("menit") < pl.col("mulai"))
            .then(pl.lit("Tepat waktu"))
            .otherwise(pl.lit("Terlambat"))
            .alias("status"),
            pl.format(
                "{}–{} WITA",
                _clock_minutes(pl.col("menit")),
                _clock_minutes(pl.col("menit") + menit - 1),
            ).alias("slot"),
        )
        .group_by("menit", "slot", "status")
        .agg(pl.col("hari").sum())
    )
    bars = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X(
                "menit:Q",
                bin=alt.Bin(step=menit),
                title="Jam datang (WITA)",
                axis=alt.Axis(
                    values=list(range(300, 661, 30)),
                    labelExpr="utcFormat(datum.value * 60000, '%H:%M')",
                ),
            ),
            y=alt.Y("hari:Q", title="Hari kerja"),
            color=alt.Color(
                "status:N",
                title=None,
                legend=alt.Legend(orient="top"),
                scale=alt.Scale(domain=["Tepat waktu", "Terlambat"], range=[TEAL, KUNING]),
            ),
            tooltip=[
                alt.Tooltip("slot:N", title="Jam"),
                alt.Tooltip("hari:Q", title="Hari", format=",d"),
            ],
        )
    )
    urut = sorted(mulai, key=mulai.get)
    # one label line per start time (07:00 and 07:30 are a few pixels apart: on one line the
    # labels overlapped)
    rules = pl.DataFrame(
        {"menit": [mulai[k] for k in urut], "label": [f"jam masuk {k[:5]}" for k in urut]}
    )
    rule = (
        alt.Chart(rules)
        .mark_rule(color=MERAH, strokeDash=[4, 3], strokeWidth=1.5)
        .encode(x="menit:Q")
    )
    texts = [
        alt.Chart(rules.slice(i, 1))
        .mark_text(align="left", dx=4, dy=-6, color=MERAH, fontSize=11)
        .encode(x="menit:Q", y=alt.value(8 + 14 * i), text="label:N")
        for i in range(rules.height)
    ]
    return _done(alt.layer(bars, rule, *texts).properties(height=280))


@spec
def disiplin_histogram(frame: pl.DataFrame):
    data = frame.with_columns(
        pl.format("{}–{}%", pl.col("persen"), pl.col("persen") + 1).alias("rentang"),
        pl.when(pl.col("persen") >= 95)
        .then(pl.lit("≥ 95%"))
        .when(pl.col("persen") >= 90)
        .then(pl.lit("90–95%"))
        .otherwise(pl.lit("< 90%"))
        .alias("kelas"),
    )
    return _done(
        alt.Chart(data)
        .mark_bar(cornerRadiusEnd=2)
        .encode(
            x=alt.X("persen:O", title="% disiplin", axis=alt.Axis(labelAngle=0)),
            y=alt.Y("pegawai:Q", title="Pegawai"),
            color=alt.Color(
                "kelas:N",
                title=None,
                legend=alt.Legend(orient="top"),
                scale=alt.Scale(domain=["≥ 95%", "90–95%", "< 90%"], range=[TEAL, KUNING, MERAH]),
            ),
            tooltip=[
                alt.Tooltip("rentang:N", title="% disiplin"),
                alt.Tooltip("pegawai:Q", title="Pegawai", format=",d"),
            ],
        )
        .properties(height=260)
    )


@spec
def predikat(frame: pl.DataFrame):
    """Donut of predikat."""
    data = frame.with_columns(fmt.predikat_expr(pl.col("predikat")).alias("label")).with_columns(
        (pl.col("pegawai") / pl.col("pegawai").sum() * 100).alias("persen")
    )
    data = data.with_columns(
        pl.format(
            "{} pegawai ({})",
            fmt.number_expr(pl.col("pegawai")),
            fmt.percent_expr(pl.col("persen")),
        ).alias("teks")
    )
    domain = list(PREDIKAT_WARNA)
    return _done(
        alt.Chart(data)
        .mark_arc(innerRadius=60, stroke="white")
        .encode(
            theta=alt.Theta("pegawai:Q"),
            color=alt.Color(
                "label:N",
                title=None,
                sort=domain,
                scale=alt.Scale(domain=domain, range=list(PREDIKAT_WARNA.values())),
                legend=alt.Legend(orient="right"),
            ),
            order=alt.Order("urut:Q"),
            tooltip=[
                alt.Tooltip("label:N", title="Predikat"),
                alt.Tooltip("teks:N", title="Jumlah"),
            ],
        )
        .transform_calculate(urut=f"indexof({domain!r}, datum.label)")
        .properties(height=260)
    )


@spec
def tpp_periode(frame: pl.DataFrame):
    """Stacked kinerja + disiplin per period with the net amount as a line."""
    data = _periode_cols(frame)
    order = data["bulan"].to_list()
    bagi, satuan = (
        (1e9, "Miliar rupiah") if data["tpp_bruto"].max() >= 2e9 else (1e6, "Juta rupiah")
    )
    long = data.unpivot(
        index=["periode", "bulan"],
        on=["tpp_kinerja", "tpp_disiplin"],
        variable_name="bagian",
        value_name="rp",
    ).with_columns(
        pl.col("bagian").replace_strict(
            {"tpp_kinerja": "TPP kinerja", "tpp_disiplin": "TPP disiplin"}
        ),
        (pl.col("rp") / bagi).alias("nilai"),
        fmt.rupiah_expr(pl.col("rp")).alias("teks"),
    )
    bars = (
        alt.Chart(long)
        .mark_bar(cornerRadiusEnd=2)
        .encode(
            x=alt.X("bulan:N", sort=order, title=None, axis=alt.Axis(labelAngle=0)),
            y=alt.Y("nilai:Q", title=satuan, stack="zero"),
            color=alt.Color(
                "bagian:N",
                title=None,
                legend=alt.Legend(orient="top"),
                scale=alt.Scale(
                    domain=["TPP kinerja", "TPP disiplin", "TPP neto"],
                    range=[TEAL, "#5eead4", MERAH],
                ),
            ),
            tooltip=[
                alt.Tooltip("bulan:N", title="Periode"),
                alt.Tooltip("bagian:N", title="Bagian"),
                alt.Tooltip("teks:N", title="Jumlah"),
            ],
        )
    )
    neto = data.with_columns(
        (pl.col("tpp_neto") / bagi).alias("nilai"),
        pl.lit("TPP neto").alias("bagian"),
        fmt.rupiah_expr(pl.col("tpp_neto")).alias("teks"),
    )
    line = (
        alt.Chart(neto)
        .mark_line(point=alt.OverlayMarkDef(size=50))
        .encode(
            x=alt.X("bulan:N", sort=order),
            y="nilai:Q",
            color=alt.Color("bagian:N"),
            tooltip=[
                alt.Tooltip("bulan:N", title="Periode"),
                alt.Tooltip("teks:N", title="TPP neto"),
            ],
        )
    )
    return _done((bars + line).properties(height=300))


KATEGORI_KODE = {
    "TK": "Tanpa keterangan",
    "IZIN": "Izin",
    "DL": "Dinas luar / diklat",
    "DIKLAT": "Dinas luar / diklat",
    "CLTN": "CLTN / tugas belajar",
    "TB": "CLTN / tugas belajar",
}


def day_category() -> pl.Expr:
    """The calendar category of a day from ``kode_hari``, ``kode_datang``, ``kode_pulang``."""
    hadir = pl.col("kode_hari") == "HADIR"
    telat = pl.col("kode_datang").is_not_null() | pl.col("kode_pulang").is_not_null()
    return (
        pl.when(hadir & telat)
        .then(pl.lit("Terlambat / pulang cepat"))
        .when(hadir)
        .then(pl.lit("Tepat waktu"))
        .otherwise(
            pl.col("kode_hari")
            .replace_strict(KATEGORI_KODE, default="Cuti", return_dtype=pl.String)
            .fill_null("Cuti")
        )
    )


def day_schedule() -> pl.Expr:
    """The day's schedule as text (``MALAM 21:00–07:00``, ``07:00–13:00``), from the scheduled
    start and end when the frame has them, else from the weekly hours."""
    return fmt.jadwal_expr(pl.col("kode_shift"), pl.col("jadwal_mulai"), pl.col("jadwal_selesai"))


def checkout_text(wita: bool = False) -> pl.Expr:
    """Check-out time, ``(+1 hari)`` when it is the next morning (a night shift), ``belum
    tersedia`` for a month-end night shift whose check-out file is not loaded yet."""
    wp = pl.col("waktu_pulang")
    besok = (
        pl.when(wp.dt.date() > pl.col("tanggal")).then(pl.lit(" (+1 hari)")).otherwise(pl.lit(""))
    )
    teks = fmt.jam_expr(wp, wita) + besok
    return (
        pl.when(pl.col("pulang_belum_tersedia").fill_null(False))
        .then(pl.lit("belum tersedia"))
        .otherwise(teks)
    )


def arrivals_departures() -> pl.Expr:
    """``07:31 – 16:05 WITA``; a night shift's check-out the next morning is marked."""
    return pl.format("{} – {} WITA", fmt.jam_expr(pl.col("waktu_datang")), checkout_text())


def _complete(harian: pl.DataFrame) -> pl.DataFrame:
    """The schedule columns of a day frame (older frames without them: office hours)."""
    tanggal = pl.col("tanggal").cast(pl.Datetime("us"))
    isi = {
        "kode_shift": pl.lit(None, pl.String),
        "jadwal_mulai": tanggal + pl.col("jam_masuk").str.to_time().cast(pl.Duration("us")),
        "jadwal_selesai": tanggal + pl.col("jam_pulang").str.to_time().cast(pl.Duration("us")),
        "pulang_belum_tersedia": pl.lit(False),
    }
    kurang = [e.alias(k) for k, e in isi.items() if k not in harian.columns]
    return harian.with_columns(kurang) if kurang else harian


@spec
def calendar(harian: pl.DataFrame):
    """GitHub-style calendar: one square per working day (day number inside), weeks across;
    the tooltip gives the day's schedule (shift code and hours)."""
    data = _complete(harian).with_columns(
        day_category().alias("kategori"),
        (pl.col("tanggal") - pl.duration(days=pl.col("hari_iso") - 1))
        .dt.strftime("%Y-%m-%d")
        .alias("minggu"),
        pl.col("hari_iso").replace_strict(fmt.HARI).alias("hari"),
        pl.col("tanggal").dt.day().alias("tgl"),
        fmt.day_date_expr(pl.col("tanggal")).alias("t_tanggal"),
        pl.concat_str(
            [
                pl.when(pl.col(k) != "").then(fmt.kode_expr(pl.col(k)))
                for k in ("kode_hari", "kode_datang", "kode_pulang")
            ],
            separator=" · ",
            ignore_nulls=True,
        ).alias("t_kode"),
        arrivals_departures().alias("t_jam"),
        day_schedule().alias("t_jadwal"),
        fmt.number_expr(pl.col("poin"), 2).alias("t_poin"),
    )
    bulan = "['Jan','Feb','Mar','Apr','Mei','Jun','Jul','Agu','Sep','Okt','Nov','Des']"
    hari = [fmt.HARI[i] for i in range(1, 8)]  # Saturday / Sunday rows only when worked
    domain = list(KATEGORI)
    step = max(16, min(28, 1000 // max(1, data["minggu"].n_unique())))
    base = alt.Chart(data).encode(
        x=alt.X(
            "minggu:O",
            title=None,
            axis=alt.Axis(
                orient="top",
                labelAngle=0,
                ticks=False,
                domain=False,
                labelAlign="left",
                labelExpr=f"parseInt(slice(datum.value, 8, 10)) <= 7 ? {bulan}[parseInt(slice(datum.value, 5, 7)) - 1] : ''",
            ),
        ),
        y=alt.Y("hari:N", sort=hari, title=None, axis=alt.Axis(ticks=False, domain=False)),
        tooltip=[
            alt.Tooltip("t_tanggal:N", title="Tanggal"),
            alt.Tooltip("t_jadwal:N", title="Jadwal"),
            alt.Tooltip("t_kode:N", title="Status"),
            alt.Tooltip("t_jam:N", title="Datang – pulang"),
            alt.Tooltip("t_poin:N", title="Poin potongan"),
        ],
    )
    kotak = base.mark_rect(cornerRadius=3, stroke="white", strokeWidth=2).encode(
        color=alt.Color(
            "kategori:N",
            title=None,
            scale=alt.Scale(domain=domain, range=list(KATEGORI.values())),
            legend=alt.Legend(orient="bottom", columns=4, labelLimit=220, symbolType="square"),
        ),
    )
    layers = kotak
    if step >= 22:
        layers = kotak + base.mark_text(fontSize=9, color="white").encode(text="tgl:Q")
    return _done(layers.properties(width=alt.Step(step), height=alt.Step(step)))


def _minutes_expr(col: str) -> pl.Expr:
    return pl.col(col).dt.hour().cast(pl.Int32) * 60 + pl.col(col).dt.minute().cast(pl.Int32)


def _clock_text_expr(col: str) -> pl.Expr:
    return pl.col(col).str.slice(0, 2).cast(pl.Int32) * 60 + pl.col(col).str.slice(3, 2).cast(
        pl.Int32
    )


def _code_colour(jenis: str) -> alt.Scale:
    awal = "TL" if jenis == "datang" else "PSW"
    return alt.Scale(
        domain=["Tepat waktu", *[f"{awal}{i}" for i in range(1, 5)]],
        range=[TEAL, KUNING, ORANYE, MERAH, "#7f1d1d"],
    )


@spec
def daily_hours(harian: pl.DataFrame, jenis: str):
    """Check-in (``jenis='datang'``) or check-out time of each day against the expected time.

    Weekly patterns: the clock time of the tap, a red tick at the day's hours. When the days
    have rostered shifts (PAGI 07:00, SIANG 14:00, MALAM 21:00 ending 07:00 the next morning) a
    clock axis would mix three schedules and cross midnight: the y axis is then the minutes of
    the tap from the day's own scheduled start (or end), 0 being the schedule.
    """
    harian = _complete(harian)
    if harian["kode_shift"].is_not_null().any():
        return _shift_hours(harian, jenis)
    waktu, jadwal, kode = (
        ("waktu_datang", "jam_masuk", "kode_datang")
        if jenis == "datang"
        else ("waktu_pulang", "jam_pulang", "kode_pulang")
    )
    data = harian.filter(pl.col(waktu).is_not_null()).select(
        "tanggal",
        fmt.day_date_expr(pl.col("tanggal")).alias("t_tanggal"),
        _minutes_expr(waktu).alias("menit"),
        _clock_text_expr(jadwal).alias("jadwal"),
        pl.col(kode).fill_null("Tepat waktu").alias("kode"),
        pl.col(waktu).dt.strftime("%H:%M WITA").alias("teks"),
        pl.col(jadwal).str.slice(0, 5).alias("t_jadwal"),
    )
    if data.is_empty():
        return None
    lo = min(data["menit"].min(), data["jadwal"].min()) - 15
    hi = max(data["menit"].max(), data["jadwal"].max()) + 15
    langkah = 30 if hi - lo <= 240 else 60
    nilai = list(range((lo // langkah + 1) * langkah, hi, langkah))
    y = alt.Y(
        "menit:Q",
        title=None,
        scale=alt.Scale(domain=[lo, hi], nice=False, zero=False),
        axis=alt.Axis(labelExpr="utcFormat(datum.value * 60000, '%H:%M')", values=nilai),
    )
    x = alt.X("tanggal:T", title=None, axis=alt.Axis(format="%e %b", labelAngle=0, tickCount="day"))
    base = alt.Chart(data)
    garis = base.mark_line(color=ABU, strokeWidth=1).encode(x=x, y=y)
    jadwal_garis = base.mark_tick(color=MERAH, thickness=2, size=16, orient="horizontal").encode(
        x=x,
        y=alt.Y("jadwal:Q", scale=alt.Scale(domain=[lo, hi])),
        tooltip=[
            alt.Tooltip("t_tanggal:N", title="Tanggal"),
            alt.Tooltip("t_jadwal:N", title="Jadwal"),
        ],
    )
    titik = base.mark_circle(size=70, opacity=1).encode(
        x=x,
        y=y,
        color=alt.Color(
            "kode:N", title=None, legend=alt.Legend(orient="top"), scale=_code_colour(jenis)
        ),
        tooltip=[
            alt.Tooltip("t_tanggal:N", title="Tanggal"),
            alt.Tooltip("teks:N", title="Tap"),
            alt.Tooltip("t_jadwal:N", title="Jadwal"),
            alt.Tooltip("kode:N", title="Kode"),
        ],
    )
    return _done((jadwal_garis + garis + titik).properties(height=250))


def _shift_hours(harian: pl.DataFrame, jenis: str):
    """``jam_harian`` of rostered days: minutes of each tap from that day's schedule."""
    waktu, acuan, kode = (
        ("waktu_datang", "jadwal_mulai", "kode_datang")
        if jenis == "datang"
        else ("waktu_pulang", "jadwal_selesai", "kode_pulang")
    )
    data = harian.filter(pl.col(waktu).is_not_null() & pl.col(acuan).is_not_null()).select(
        "tanggal",
        fmt.day_date_expr(pl.col("tanggal")).alias("t_tanggal"),
        (pl.col(waktu) - pl.col(acuan)).dt.total_minutes().cast(pl.Int64).alias("menit"),
        pl.col(kode).fill_null("Tepat waktu").alias("kode"),
        fmt.waktu_expr(pl.col(waktu)).alias("teks"),
        day_schedule().alias("t_jadwal"),
        pl.col("kode_shift").fill_null("jam kantor").alias("shift"),
    )
    if data.is_empty():
        return None
    lo = min(data["menit"].min(), 0) - 15
    hi = max(data["menit"].max(), 0) + 15
    bentuk = {"PAGI": "circle", "SIANG": "square", "MALAM": "triangle-up", "jam kantor": "diamond"}
    ada = set(data["shift"].unique().to_list())
    y = alt.Y(
        "menit:Q",
        title="menit dari jadwal",
        scale=alt.Scale(domain=[lo, hi], nice=False),
        axis=alt.Axis(labelExpr="(datum.value > 0 ? '+' : '') + datum.value", tickMinStep=15),
    )
    x = alt.X("tanggal:T", title=None, axis=alt.Axis(format="%e %b", labelAngle=0, tickCount="day"))
    nol = alt.Chart(pl.DataFrame({"menit": [0], "label": ["jadwal"]}))
    garis_nol = nol.mark_rule(color=MERAH, strokeDash=[4, 3], strokeWidth=1.5).encode(y="menit:Q")
    teks_nol = nol.mark_text(align="left", x=4, dy=-6, color=MERAH, fontSize=11).encode(
        y="menit:Q", text="label:N"
    )
    titik = (
        alt.Chart(data)
        .mark_point(size=70, filled=True, opacity=1)
        .encode(
            x=x,
            y=y,
            color=alt.Color(
                "kode:N", title=None, legend=alt.Legend(orient="top"), scale=_code_colour(jenis)
            ),
            shape=alt.Shape(
                "shift:N",
                title=None,
                legend=alt.Legend(orient="bottom"),
                scale=alt.Scale(
                    domain=[k for k in bentuk if k in ada],
                    range=[v for k, v in bentuk.items() if k in ada],
                ),
            ),
            tooltip=[
                alt.Tooltip("t_tanggal:N", title="Tanggal"),
                alt.Tooltip("t_jadwal:N", title="Jadwal"),
                alt.Tooltip("teks:N", title="Tap"),
                alt.Tooltip("menit:Q", title="Menit dari jadwal"),
                alt.Tooltip("kode:N", title="Kode"),
            ],
        )
    )
    return _done((garis_nol + teks_nol + titik).properties(height=250))


SHIFT_WARNA = {
    "PAGI": "#fbbf24",
    "SIANG": "#0d9488",
    "MALAM": "#312e81",
    "Jam kantor (tanpa jadwal)": ABU,
}
TANDA = {"TK": "Tanpa keterangan (TK)", "POTONG": "Ada potongan (TL/PSW/izin)"}


@spec
def roster(frame: pl.DataFrame, periode: str):
    """Roster heatmap: people (rows) x days of the month (columns), colour = shift code, blank =
    day off; a red mark on a TK day, a white one on a day with a deduction."""
    y, m = map(int, periode.split("-"))
    akhir = (dt.date(y + m // 12, m % 12 + 1, 1) - dt.timedelta(days=1)).day
    frame = frame.with_columns(
        pl.when(pl.col("nip").n_unique().over("nama") > 1)
        .then(
            pl.format(
                "{} (…{})", fmt.truncate_expr(pl.col("nama"), 30), pl.col("nip").str.slice(15, 3)
            )
        )
        .otherwise(fmt.truncate_expr(pl.col("nama"), 30))
        .alias("label"),
    )
    urutan = frame["label"].unique(maintain_order=True).to_list()
    data = (
        frame.filter(pl.col("tanggal").is_not_null())
        .with_columns(
            pl.col("tanggal").dt.day().alias("tgl"),
            pl.col("kode_shift").fill_null("Jam kantor (tanpa jadwal)").alias("shift"),
            fmt.nip_expr(pl.col("nip")).alias("t_nip"),
            fmt.day_date_expr(pl.col("tanggal")).alias("t_tanggal"),
            day_schedule().alias("t_jadwal"),
            pl.concat_str(
                [
                    pl.when(pl.col(k) != "").then(fmt.kode_expr(pl.col(k)))
                    for k in ("kode_hari", "kode_datang", "kode_pulang")
                ],
                separator=" · ",
                ignore_nulls=True,
            ).alias("t_kode"),
            arrivals_departures().alias("t_jam"),
            fmt.number_expr(pl.col("poin"), 2).alias("t_poin"),
            pl.when(pl.col("kode_hari") == "TK")
            .then(pl.lit(TANDA["TK"]))
            .when(pl.col("poin") > 0)
            .then(pl.lit(TANDA["POTONG"]))
            .alias("tanda"),
        )
        .select(
            "label",
            "tgl",
            "shift",
            "t_nip",
            "t_tanggal",
            "t_jadwal",
            "t_kode",
            "t_jam",
            "t_poin",
            "tanda",
        )
    )
    x = alt.X(
        "tgl:O",
        title=None,
        scale=alt.Scale(domain=list(range(1, akhir + 1))),
        axis=alt.Axis(orient="top", labelAngle=0, ticks=False, domain=False),
    )
    yy = alt.Y(
        "label:N",
        sort=urutan,
        title=None,
        scale=alt.Scale(domain=urutan),
        axis=alt.Axis(labelLimit=230, ticks=False, domain=False),
    )
    tooltip = [
        alt.Tooltip("label:N", title="Nama"),
        alt.Tooltip("t_nip:N", title="NIP"),
        alt.Tooltip("t_tanggal:N", title="Tanggal"),
        alt.Tooltip("t_jadwal:N", title="Jadwal"),
        alt.Tooltip("t_kode:N", title="Status"),
        alt.Tooltip("t_jam:N", title="Datang – pulang"),
        alt.Tooltip("t_poin:N", title="Poin potongan"),
    ]
    ada = set(data["shift"].unique().to_list())
    warna = {k: v for k, v in SHIFT_WARNA.items() if k in ("PAGI", "SIANG", "MALAM") or k in ada}
    kotak = (
        alt.Chart(data)
        .mark_rect(cornerRadius=2, stroke="white", strokeWidth=1.5)
        .encode(
            x=x,
            y=yy,
            tooltip=tooltip,
            color=alt.Color(
                "shift:N",
                title="Shift",
                scale=alt.Scale(domain=list(warna), range=list(warna.values())),
                legend=alt.Legend(orient="bottom", symbolType="square"),
            ),
        )
    )
    skala = {"domain": list(TANDA.values())}
    tanda_enc = {
        "fill": alt.Fill(
            "tanda:N",
            title="Tanda",
            scale=alt.Scale(**skala, range=[MERAH, "white"]),
            legend=alt.Legend(orient="bottom", labelLimit=260),
        ),
        "shape": alt.Shape(
            "tanda:N",
            title="Tanda",
            scale=alt.Scale(**skala, range=["cross", "circle"]),
            legend=alt.Legend(orient="bottom", labelLimit=260),
        ),
    }
    # TK: a big red cross outlined in white; a deduction: a small white dot outlined in black
    tk = (
        alt.Chart(data.filter(pl.col("tanda") == TANDA["TK"]))
        .mark_point(filled=True, size=150, stroke="white", strokeWidth=1, opacity=1)
        .encode(x=x, y=yy, tooltip=tooltip, **tanda_enc)
    )
    potong = (
        alt.Chart(data.filter(pl.col("tanda") == TANDA["POTONG"]))
        .mark_point(filled=True, size=40, stroke="#111827", strokeWidth=0.8, opacity=1)
        .encode(x=x, y=yy, tooltip=tooltip, **tanda_enc)
    )
    return _done((kotak + tk + potong).properties(width=alt.Step(21), height=alt.Step(20)))


def percent_history(bulanan: pl.DataFrame):
    """% kinerja and % disiplin of one person over periods."""
    return trend(
        bulanan, {"persen_disiplin": "% disiplin", "persen_kinerja": "% kinerja"}, tinggi=230
    )


def _rupiah_axis(maks: float) -> str:
    """Vega label expression for a rupiah axis in rb (ribu), jt (juta) or M (miliar)."""
    bagi, akhiran = (1e9, " M") if maks >= 2e9 else (1e6, " jt") if maks >= 2e6 else (1e3, " rb")
    return f"replace(format(datum.value / {bagi:.0f}, ',.1~f'), '.', ',') + '{akhiran}'"


def waterfall(langkah: list[tuple[str, float, str]]) -> dict:
    """Waterfall of a TPP: (label, amount, kind) with kind 'total' | 'kurang' (zero steps left out).

    Every person page draws another one, so the spec is not built per input: the chart is one
    of three Altair templates (rupiah axis in rb, jt or M) over the named dataset ``langkah``,
    built once, and only the steps change (their Arrow bytes attached as ``datasets``).
    """
    from streamlit.dataframe_util import convert_anything_to_arrow_bytes

    rows, level = [], 0.0
    for label, nilai, jenis in langkah:
        if jenis != "total" and round(nilai) == 0:
            continue
        if jenis == "total":
            awal, akhir, level = 0.0, nilai, nilai
        else:
            awal, akhir = level, level - nilai
            level = akhir
        tanda = "" if jenis == "total" else "− "
        rows.append(
            {
                "urut": len(rows),
                "label": label,
                "awal": awal,
                "akhir": akhir,
                "jenis": jenis,
                "atas": max(awal, akhir),
                "teks": tanda + fmt.rupiah(nilai),
                "ringkas": tanda + fmt.rupiah_short(nilai).removeprefix("Rp "),
            }
        )
    out = json.loads(_waterfall_template(_rupiah_axis(max(r["atas"] for r in rows))))
    out["datasets"] = {"langkah": convert_anything_to_arrow_bytes(json.loads(json.dumps(rows)))}
    return out


@functools.lru_cache(maxsize=8)
def _waterfall_template(sumbu: str) -> str:
    """The waterfall's spec without data (JSON text) for one rupiah axis label expression."""
    base = alt.Chart(alt.NamedData("langkah")).encode(
        x=alt.X(
            "label:N",
            sort=alt.EncodingSortField("urut", op="min"),  # the steps in their given order
            title=None,
            axis=alt.Axis(labelAngle=0, labelLimit=90, labelOverlap=False),
        )
    )
    bars = base.mark_bar(cornerRadius=2).encode(
        y=alt.Y("awal:Q", title=None, axis=alt.Axis(labelExpr=sumbu)),
        y2="akhir:Q",
        color=alt.Color(
            "jenis:N", legend=None, scale=alt.Scale(domain=["total", "kurang"], range=[TEAL, MERAH])
        ),
        tooltip=[alt.Tooltip("label:N", title="Langkah"), alt.Tooltip("teks:N", title="Rupiah")],
    )
    text = base.mark_text(dy=-7, fontSize=11, color="#374151").encode(y="atas:Q", text="ringkas:N")
    teks, datasets = _prepared(_done((bars + text).properties(height=300)), validate=True)
    assert not datasets  # the steps are attached per call
    return teks


@spec
def count_bars(
    frame: pl.DataFrame,
    kategori: str,
    jumlah: str,
    warna: str,
    judul: str,
    domain: list[str] | None = None,
    rentang: list[str] | None = None,
):
    """Horizontal bars of counts per category (largest on top), coloured by ``warna``.

    The height follows the number of bars (``alt.Step``): a fixed height shared with a legend
    and an axis would squeeze a few bars to nothing.
    """
    if warna == kategori:
        color = alt.value(TEAL)
    else:
        scale = alt.Scale(domain=domain, range=rentang) if domain else alt.Undefined
        color = alt.Color(f"{warna}:N", title=None, scale=scale, legend=alt.Legend(orient="top"))
    return _done(
        alt.Chart(frame)
        .mark_bar(cornerRadiusEnd=3)
        .encode(
            y=alt.Y(f"{kategori}:N", sort="-x", title=None, axis=alt.Axis(labelLimit=300)),
            x=alt.X(f"{jumlah}:Q", title=judul, axis=alt.Axis(tickMinStep=1, format=",d")),
            color=color,
            tooltip=[
                alt.Tooltip(f"{kategori}:N", title="Kategori"),
                alt.Tooltip(f"{warna}:N", title="Jenis"),
                alt.Tooltip(f"{jumlah}:Q", title=judul, format=",d"),
            ],
        )
        .properties(height=alt.Step(28))
    )


@spec
def check_runs(per_run: pl.DataFrame):
    """Failed checks per quality run (``checked_at`` UTC-aware, ``gagal``) on a WITA time axis:
    the times are shifted to WITA wall-clock on a UTC scale, so every browser shows
    ``5 Des 03:11`` whatever its own time zone (Vega's default was ``03 PM``)."""
    data = per_run.with_columns(
        pl.col("checked_at")
        .dt.convert_time_zone("Asia/Makassar")
        .dt.replace_time_zone("UTC")
        .alias("waktu"),
        fmt.waktu_expr(pl.col("checked_at"), berzona=True).alias("waktu_teks"),
    )
    return _done(
        alt.Chart(data)
        .mark_line(point=alt.OverlayMarkDef(color=MERAH), color=MERAH)
        .encode(
            x=alt.X(
                "waktu:T",
                title="Waktu run (WITA)",
                scale=alt.Scale(type="utc"),
                # a label expression: Vega's own time labels (03 PM) ignored format/formatType
                axis=alt.Axis(
                    labelExpr="utcFormat(datum.value, '%e %b %H:%M')",
                    labelAngle=0,
                    labelOverlap=True,
                ),
            ),
            y=alt.Y("gagal:Q", title="Cek gagal", axis=alt.Axis(tickMinStep=1, format=",d")),
            tooltip=[
                alt.Tooltip("waktu_teks:N", title="Waktu"),
                alt.Tooltip("gagal:Q", title="Cek gagal", format=",d"),
            ],
        )
        .properties(height=200)
    )


@spec
def opd_difference(frame: pl.DataFrame):
    """What-if: the change of gross TPP per department (bars right = up, left = down)."""
    bagi, satuan = rupiah_scale(frame["selisih_bruto"].abs().max())
    data = frame.with_columns(
        pl.coalesce("nama_opd", "kode_opd").alias("nama"),
        (pl.col("selisih_bruto") / bagi).alias("nilai"),
        fmt.rupiah_expr(pl.col("selisih_bruto")).alias("teks"),
        fmt.number_expr(pl.col("pegawai_naik")).alias("t_naik"),
        fmt.number_expr(pl.col("pegawai_turun")).alias("t_turun"),
    )
    return _done(
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y(
                "nama:N",
                sort=alt.EncodingSortField("selisih_bruto", order="descending"),
                title=None,
                axis=alt.Axis(labelLimit=300),
            ),
            x=alt.X(
                "nilai:Q", title=f"Selisih TPP bruto ({satuan})", axis=alt.Axis(format=",.1~f")
            ),
            color=alt.condition("datum.nilai >= 0", alt.value(TEAL), alt.value(MERAH)),
            tooltip=[
                alt.Tooltip("nama:N", title="Perangkat Daerah"),
                alt.Tooltip("teks:N", title="Selisih bruto"),
                alt.Tooltip("t_naik:N", title="Pegawai naik"),
                alt.Tooltip("t_turun:N", title="Pegawai turun"),
            ],
        )
        .properties(height=max(240, 20 * data.height))
    )


@spec
def change_spread(frame: pl.DataFrame):
    """What-if: people per band of change (bands in their own order)."""
    data = frame.with_columns(fmt.number_expr(pl.col("pegawai")).alias("teks"))
    return _done(
        alt.Chart(data)
        .mark_bar(cornerRadiusEnd=3, color=TEAL)
        .encode(
            y=alt.Y(
                "rentang:N",
                sort=data["rentang"].to_list(),
                title="Perubahan TPP bruto",
                axis=alt.Axis(labelLimit=300),
            ),
            x=alt.X("pegawai:Q", title="Pegawai", axis=alt.Axis(format=",d", tickMinStep=1)),
            tooltip=[
                alt.Tooltip("rentang:N", title="Perubahan"),
                alt.Tooltip("teks:N", title="Pegawai"),
            ],
        )
        .properties(height=alt.Step(26))
    )


@spec
def rule_precision(frame: pl.DataFrame):
    """Precision per rule from the analysts' decisions, with its 95 % Wilson interval."""
    data = frame.filter(pl.col("presisi").is_not_null()).with_columns(
        (pl.col("presisi") * 100).alias("p"),
        (pl.col("ci_bawah") * 100).alias("lo"),
        (pl.col("ci_atas") * 100).alias("hi"),
        fmt.percent_expr(pl.col("presisi") * 100).alias("t_p"),
        pl.format(
            "{} – {}",
            fmt.percent_expr(pl.col("ci_bawah") * 100),
            fmt.percent_expr(pl.col("ci_atas") * 100),
        ).alias("t_ci"),
        fmt.number_expr(pl.col("diputuskan")).alias("t_n"),
    )
    base = alt.Chart(data).encode(
        y=alt.Y("nama_aturan:N", sort="-x", title=None, axis=alt.Axis(labelLimit=300)),
        tooltip=[
            alt.Tooltip("nama_aturan:N", title="Aturan"),
            alt.Tooltip("t_p:N", title="Presisi"),
            alt.Tooltip("t_ci:N", title="Interval 95%"),
            alt.Tooltip("t_n:N", title="Diputuskan"),
        ],
    )
    batang = base.mark_bar(color=TEAL, cornerRadiusEnd=3).encode(
        x=alt.X(
            "p:Q",
            title="Presisi menurut keputusan analis (%)",
            scale=alt.Scale(domain=[0, 100]),
            axis=alt.Axis(format=",d"),
        ),
    )
    garis = base.mark_rule(color="#374151", strokeWidth=2).encode(x="lo:Q", x2="hi:Q")
    return _done((batang + garis).properties(height=alt.Step(30)))


@spec
def fairness(frame: pl.DataFrame, judul: str):
    """Share flagged per group with its 95 % interval, one panel per dimension (fairness)."""
    data = frame.with_columns(
        (pl.col("nilai") * 100).alias("p"),
        (pl.col("ci_bawah") * 100).alias("lo"),
        (pl.col("ci_atas") * 100).alias("hi"),
        fmt.percent_expr(pl.col("nilai") * 100, 2).alias("t_p"),
        fmt.number_expr(pl.col("rasio"), 2).alias("t_rasio"),
        fmt.number_expr(pl.col("n")).alias("t_n"),
    )
    base = alt.Chart(data).encode(
        y=alt.Y("kelompok:N", title=None, axis=alt.Axis(labelLimit=200)),
        tooltip=[
            alt.Tooltip("dimensi_label:N", title="Menurut"),
            alt.Tooltip("kelompok:N", title="Kelompok"),
            alt.Tooltip("t_p:N", title=judul),
            alt.Tooltip("t_rasio:N", title="× rata-rata"),
            alt.Tooltip("t_n:N", title="Pegawai-bulan"),
        ],
    )
    batang = base.mark_bar(cornerRadiusEnd=3).encode(
        x=alt.X("p:Q", title=f"{judul} (%)", axis=alt.Axis(format=",.2~f")),
        color=alt.condition("datum.rasio >= 2", alt.value(MERAH), alt.value(TEAL)),
    )
    garis = base.mark_rule(color="#374151").encode(x="lo:Q", x2="hi:Q")
    return _done(
        (batang + garis)
        .properties(height=alt.Step(24), width=260)
        .facet(
            row=alt.Row(
                "dimensi_label:N", title=None, header=alt.Header(labelAngle=0, labelAlign="left")
            )
        )
        .resolve_scale(y="independent")
    )


@spec
def monthly_drift(frame: pl.DataFrame, judul: str, format_y: str = ",.1~f"):
    """One line per series (``seri``) over the months (``periode``), value ``nilai``."""
    data = _periode_cols(frame.sort("periode")).with_columns(
        fmt.number_expr(pl.col("nilai"), 3).alias("teks")
    )
    order = data["bulan"].unique(maintain_order=True).to_list()
    # many series (the features' drift): a legend in rows (one line was cut off at the right)
    # and twenty colours instead of ten repeated
    banyak = data["seri"].n_unique() > 6
    legend = alt.Legend(orient="top", columns=4 if banyak else alt.Undefined, labelLimit=260)
    scale = alt.Scale(scheme="category20") if banyak else alt.Undefined
    return _done(
        alt.Chart(data)
        .mark_line(point=True)
        .encode(
            x=alt.X("bulan:N", sort=order, title=None, axis=alt.Axis(labelAngle=0)),
            y=alt.Y("nilai:Q", title=judul, axis=alt.Axis(format=format_y)),
            color=alt.Color("seri:N", title=None, legend=legend, scale=scale),
            tooltip=[
                alt.Tooltip("bulan:N", title="Bulan"),
                alt.Tooltip("seri:N", title="Seri"),
                alt.Tooltip("teks:N", title=judul),
            ],
        )
        .properties(height=260)
    )
