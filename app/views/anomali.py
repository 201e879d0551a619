"""Anomali: attendance anomalies in two labelled layers (rules, model), cases, analysts'
decisions with precision per rule, and the performance early warning beside its baseline."""

import polars as pl
import streamlit as st

from app import charts, ui
from app import decisions as keputusan_app
from app import format as fmt
from app.data import AccessDenied, NotAvailable
from app.users import ANALIS

ctx = ui.context("anomali")
d, periode = ctx.data, ctx.periode
analis = ctx.sesi.role == ANALIS
ui.title(
    "Anomali",
    f"{fmt.periode(periode)} · daftar untuk diperiksa manusia: tidak ada yang diputuskan "
    "otomatis tentang TPP atau sanksi, setiap temuan menyebut alasannya.",
)

LAPISAN = {"ATURAN": "Aturan", "MODEL": "Model"}
JENIS_KASUS = {"PEGAWAI": "Satu pegawai", "PASANGAN": "Pasangan (titip absen)"}
KEPUTUSAN_LABEL = {k: v[0] for k, v in keputusan_app.PILIHAN.items()}


def _rule_labels() -> dict[str, str]:
    """Rule code -> its label for people (``anomaly_rules.toml``), if readable."""
    try:
        from models.config import ATURAN

        return {k: str(v["label"]) for k, v in ATURAN.items() if "label" in v}
    except (ImportError, KeyError, TypeError):
        return {}


def _workload_cap() -> int | None:
    """The model layer's workload cap per month (``anomaly_rules.toml``), if readable."""
    try:
        from models.config import ATURAN

        return int(ATURAN["model"]["batas_beban_per_bulan"])
    except (ImportError, KeyError, ValueError):
        return None


def _fresh_seed_text(segar: dict) -> str:
    """What the evaluation on the test seed says of the early warning against its baseline
    (``Data.warning_fresh_seed``), with the figures and their 95 % intervals."""

    def tertangkap(x: dict, awal: str = "") -> str:
        # the interval to the report's own precision (4 decimals: 2 in percent), never rounded twice
        lo, hi = (fmt.number(100 * v, 2) for v in x["ci95"])
        return f"{fmt.number(x['k'])} ({fmt.percent(100 * x['nilai'])}, {awal}{lo}–{hi}%)"

    m, b = segar["model"], segar["baseline"]
    if segar["lebih_baik"]:
        judul = (
            "**Pada data uji segar, model menangkap lebih banyak kasus baru daripada pembanding "
            'sederhana "rata-rata penilaian sebelumnya".**'
        )
        selisih, catatan = ".", ""
    else:
        judul = (
            '**Model ini tidak lebih baik daripada pembanding sederhana "rata-rata penilaian '
            'sebelumnya".**'
        )
        selisih = ": selisihnya masih dalam batas kebetulan (interval 95% bertumpuk)."
        catatan = (
            " Daftar ini bukan deteksi dini: kolom Peluang pembanding ditampilkan di samping "
            "peluang model."
        )
    return (
        f"{judul} Pada data uji segar (simulasi seed {segar['seed']}, tidak dipakai saat "
        f"merancang), presisi 10% teratas model {fmt.number(segar['presisi_model'], 3)}, "
        f"pembanding {fmt.number(segar['presisi_baseline'], 3)}. Pada kasus baru (pegawai tanpa "
        "predikat buruk dalam 3 bulan terakhir) daftar bulanan menangkap, dari "
        f"{fmt.number(m['n'])}: model {tertangkap(m, 'interval 95% ')}, pembanding "
        f"{tertangkap(b)}{selisih}"
        f"{catatan} Gunakan sebagai bahan percakapan "
        "pembinaan, bukan untuk TPP atau sanksi."
    )


def _columns(frame: pl.DataFrame, nama: str, nilai=None) -> pl.DataFrame:
    """``frame`` with column ``nama`` (null, or ``nilai``) when the file has none (older files)."""
    return frame if nama in frame.columns else frame.with_columns(pl.lit(nilai).alias(nama))


def _scores(model: str, what: str) -> pl.DataFrame | None:
    """The month's score file of ``model``; None, with a message saying why, when there is
    nothing to show."""
    try:
        skor = d.model_scores(model, periode)
    except NotAvailable as error:
        ui.not_available(error)
        return None
    if skor.is_empty():
        st.info(f"Tidak ada skor {what} untuk {fmt.periode(periode)}.")
        return None
    return skor


tab_anomali, tab_peringatan = st.tabs(
    [":material/fingerprint: Anomali kehadiran", ":material/warning: Peringatan dini kinerja"]
)


with tab_anomali:
    skor = _scores("anomali", "anomali")
    if skor is not None:
        for nama, nilai in (
            ("lapisan", None),
            ("label_utama", None),
            ("terpotong_beban", False),
            ("aturan", None),
        ):
            skor = _columns(skor, nama, nilai)
        skor = skor.with_columns(
            # the rules met, as people name them ("jam_identik,titip_absen" is the file's form)
            pl.col("aturan")
            .cast(pl.String)
            .str.split(",")
            .list.eval(pl.element().replace(_rule_labels()))
            .list.join(", ")
            .alias("t_aturan"),
            pl.col("lapisan")
            .replace_strict(LAPISAN, default=None, return_dtype=pl.String)
            .alias("t_lapisan"),
            pl.col("label_utama")
            .fill_null(pl.col("alasan_utama") if "alasan_utama" in skor.columns else pl.lit(None))
            .alias("label_utama"),
        )
        tanda = skor.filter(pl.col("ditandai")).sort("peringkat")
        aturan_rows = tanda.filter(pl.col("lapisan") == "ATURAN")
        model_rows = tanda.filter(pl.col("lapisan") == "MODEL")
        terpotong = skor.filter(pl.col("terpotong_beban").fill_null(False)).sort(
            "skor", descending=True
        )
        try:
            temuan = d.temuan_anomali(periode)
        except NotAvailable:
            temuan = None
        try:
            kasus = d.kasus_anomali(periode)
        except NotAvailable:
            kasus = None
        batas = _workload_cap()

        c = st.columns(4)
        c[0].metric("Pegawai diskor", fmt.number(skor.height), border=True)
        c[1].metric(
            "Ditandai lapisan aturan",
            fmt.number(aturan_rows.height),
            border=True,
            help="Lima aturan bernama dengan ambang di konfigurasi (models/anomaly_rules.toml). "
            "Tidak ada kuota: jumlahnya mengikuti data.",
        )
        c[2].metric(
            "Ditandai lapisan model",
            fmt.number(model_rows.height),
            border=True,
            help="IsolationForest, hanya untuk pegawai yang tidak kena aturan mana pun, dan hanya "
            "bila skornya melewati ambang dan ada indikator konkret.",
        )
        c[3].metric(
            "Kasus",
            fmt.number(kasus.height) if kasus is not None else fmt.KOSONG,
            border=True,
            help="Temuan dikelompokkan per pegawai atau per pasangan (titip absen) dan bulan.",
        )
        batas_teks = f"{fmt.number(batas)} temuan model per bulan" if batas else "batas beban kerja"
        st.caption(
            f"Tanpa kuota: pegawai ditandai bila memenuhi aturan atau ambang model. Lapisan model "
            f"dibatasi {batas_teks} (batas beban kerja pemeriksaan, bukan perkiraan jumlah "
            f"pelanggaran): {fmt.number(terpotong.height)} di atas batas itu bulan ini, "
            "tercantum di bawah, tidak disembunyikan."
        )

        if temuan is not None and not temuan.is_empty():
            per_label = (
                temuan.with_columns(
                    pl.col("lapisan")
                    .replace_strict(LAPISAN, default="Lain", return_dtype=pl.String)
                    .alias("t_lapisan")
                )
                .group_by("label", "t_lapisan")
                .len()
            )
            ui.chart(
                charts.count_bars(
                    per_label,
                    "label",
                    "len",
                    "t_lapisan",
                    "Temuan",
                    ["Aturan", "Model"],
                    [charts.TEAL, charts.UNGU],
                ),
                width="stretch",
            )

        (t_aturan, t_model, t_kasus, t_keputusan) = st.tabs(
            [
                f"Lapisan aturan ({fmt.number(aturan_rows.height)})",
                f"Lapisan model ({fmt.number(model_rows.height)})",
                f"Kasus ({fmt.number(kasus.height) if kasus is not None else fmt.KOSONG})",
                "Keputusan analis",
            ]
        )
        with t_aturan:
            if aturan_rows.is_empty():
                st.success("Tidak ada pegawai yang memenuhi aturan pada periode ini.")
            else:
                st.markdown(
                    "**Lapisan aturan** · pilih baris untuk membuka hari dan tap pegawai itu"
                )
                dipilih = ui.choose_pegawai(
                    aturan_rows,
                    "anomali_aturan",
                    {
                        "peringkat": "#",
                        "nama": "Nama",
                        "nip_format": "NIP",
                        "nama_opd": "Perangkat Daerah",
                        "label_utama": "Temuan utama",
                        "t_aturan": "Aturan terpenuhi",
                        "alasan": "Alasan",
                    },
                    lebar={"alasan": "large"},
                )
                if dipilih:
                    ui.open_pegawai(dipilih, periode)
        with t_model:
            st.caption(
                "Lapisan kedua, diberi label terpisah: model hanya menandai pegawai yang tidak kena "
                "aturan. Pada data simulasi lapisan ini tidak menemukan kasus yang terlewat aturan; "
                "perlakukan sebagai petunjuk lemah."
            )
            if model_rows.is_empty():
                st.info("Tidak ada temuan lapisan model pada periode ini.")
            else:
                dipilih = ui.choose_pegawai(
                    model_rows,
                    "anomali_model",
                    {
                        "peringkat": "#",
                        "nama": "Nama",
                        "nip_format": "NIP",
                        "nama_opd": "Perangkat Daerah",
                        "label_utama": "Temuan utama",
                        "skor": "Skor model",
                        "alasan": "Alasan",
                    },
                    desimal=("skor",),
                    lebar={"alasan": "large"},
                )
                if dipilih:
                    ui.open_pegawai(dipilih, periode)
            if not terpotong.is_empty():
                st.markdown(
                    f"**Di atas batas beban kerja** ({fmt.number(terpotong.height)}): melewati ambang "
                    "model tetapi tidak masuk daftar bulan ini karena batas beban, bukan karena "
                    "dinilai wajar."
                )
                ui.table(
                    terpotong.with_columns(fmt.nip_expr(pl.col("nip")).alias("nip_format")),
                    {
                        "nama": "Nama",
                        "nip_format": "NIP",
                        "nama_opd": "Perangkat Daerah",
                        "skor": "Skor model",
                    },
                    desimal=("skor",),
                    key="anomali_terpotong",
                )
        with t_kasus:
            if kasus is None:
                ui.not_available("Berkas kasus (kasus_anomali.parquet) belum ada.")
            elif kasus.is_empty():
                st.success("Tidak ada kasus pada periode ini.")
            else:
                st.caption(
                    "Satu kasus = satu pegawai, atau satu pasangan untuk titip absen (keduanya "
                    "ditanya), dalam satu bulan."
                )
                ui.table(
                    kasus.with_columns(
                        pl.col("jenis").replace_strict(
                            JENIS_KASUS, default=pl.col("jenis"), return_dtype=pl.String
                        ),
                        pl.col("lapisan")
                        .str.replace("ATURAN", "Aturan")
                        .str.replace("MODEL", "Model"),
                    ),
                    {
                        "jenis": "Jenis",
                        "orang": "Pegawai",
                        "lapisan": "Lapisan",
                        "label": "Temuan",
                        "temuan_terlihat": "Jumlah temuan",
                        "alasan": "Alasan",
                    },
                    angka=("temuan_terlihat",),
                    lebar={"alasan": "large", "orang": "medium"},
                    key="anomali_kasus",
                )
        with t_keputusan:
            if temuan is None or temuan.is_empty():
                ui.not_available("Belum ada temuan per aturan (temuan_anomali.parquet).")
            else:

                def _list() -> pl.DataFrame:
                    """The period's flags with the decision in force on each."""
                    try:
                        putusan = d.anomaly_decisions()
                    except NotAvailable as error:
                        putusan = None
                        ui.not_available(error)
                    daftar = temuan.sort("lapisan", "nama", "aturan")
                    if putusan is not None and not putusan.is_empty():
                        daftar = daftar.join(
                            putusan.select(
                                "periode", "nip", "aturan", "keputusan", "catatan", "oleh", "waktu"
                            ),
                            on=["periode", "nip", "aturan"],
                            how="left",
                        )
                    for nama in ("keputusan", "catatan", "oleh", "waktu"):
                        daftar = _columns(daftar, nama)
                    return daftar.with_columns(
                        pl.col("keputusan")
                        .cast(pl.String)
                        .replace_strict(
                            KEPUTUSAN_LABEL, default="Belum diputuskan", return_dtype=pl.String
                        )
                        .alias("t_keputusan"),
                        fmt.waktu_iso_expr(pl.col("waktu").cast(pl.String)).alias("t_waktu"),
                        fmt.nip_expr(pl.col("nip")).alias("nip_format"),
                        pl.col("lapisan")
                        .replace_strict(LAPISAN, default=None, return_dtype=pl.String)
                        .alias("t_lapisan"),
                    )

                daftar = _list()
                if analis:
                    pilihan = daftar.with_columns(
                        pl.format(
                            "{} · {} · {} ({})", "nama", "nip_format", "label", "t_keputusan"
                        ).alias("pilihan")
                    )["pilihan"].to_list()
                    with st.form("form_keputusan", clear_on_submit=False):
                        st.markdown("**Catat keputusan atas satu temuan**")
                        nomor = st.selectbox(
                            "Temuan",
                            range(len(pilihan)),
                            format_func=pilihan.__getitem__,
                            key="keputusan_temuan",
                        )
                        jenis = st.radio(
                            "Keputusan",
                            list(keputusan_app.PILIHAN),
                            format_func=lambda k: (
                                f"{keputusan_app.PILIHAN[k][0]}: {keputusan_app.PILIHAN[k][1]}"
                            ),
                            index=None,  # no answer chosen for the analyst: none is nudged
                            key="keputusan_jenis",
                        )
                        catatan = st.text_area(
                            "Catatan (wajib)",
                            key="keputusan_catatan",
                            placeholder="Bukti yang diperiksa: tap, surat, jadwal, keterangan pegawai…",
                        )
                        kirim = st.form_submit_button("Simpan keputusan", type="primary")
                    if kirim:
                        baris = daftar.row(int(nomor or 0), named=True)
                        try:
                            keputusan_app.record(
                                d, periode, baris["nip"], baris["aturan"], jenis, catatan
                            )
                        except (keputusan_app.DecisionFailed, AccessDenied) as error:
                            st.error(str(error), icon=":material/error:")
                        else:
                            st.success(
                                f"Keputusan {keputusan_app.PILIHAN[jenis][0].lower()} dicatat untuk "
                                f"{baris['nama']} ({baris['label']}).",
                                icon=":material/check_circle:",
                            )
                            daftar = _list()  # the table below shows it
                belum = daftar.filter(pl.col("keputusan").is_null()).height
                st.caption(
                    f"{fmt.number(daftar.height)} temuan, {fmt.number(belum)} belum diputuskan. "
                    "Keputusan dicatat per temuan, tidak pernah diubah atau dihapus: keputusan baru "
                    "menggantikan yang lama dan riwayatnya tetap ada."
                )
                ui.table(
                    daftar,
                    {
                        "nama": "Nama",
                        "nip_format": "NIP",
                        "t_lapisan": "Lapisan",
                        "label": "Temuan",
                        "alasan": "Alasan",
                        "t_keputusan": "Keputusan",
                        "catatan": "Catatan",
                        "oleh": "Oleh",
                        "t_waktu": "Waktu",
                    },
                    lebar={"alasan": "large"},
                    key="anomali_keputusan_tabel",
                )
                if analis:
                    st.markdown("**Presisi per aturan menurut keputusan analis**")
                    try:
                        presisi = d.rule_precision()
                    except NotAvailable as error:
                        ui.not_available(error)
                        presisi = None
                    if presisi is not None and presisi.is_empty():
                        st.info("Belum ada keputusan: presisi per aturan belum dapat dihitung.")
                    elif presisi is not None:
                        label = dict(temuan.select("aturan", "label").unique().iter_rows())
                        presisi = presisi.with_columns(
                            pl.col("aturan")
                            .replace_strict(label, default=pl.col("aturan"), return_dtype=pl.String)
                            .alias("nama_aturan"),
                            (pl.col("presisi") * 100).alias("t_presisi"),
                            pl.format(
                                "{} – {}",
                                fmt.percent_expr(pl.col("ci_bawah") * 100),
                                fmt.percent_expr(pl.col("ci_atas") * 100),
                            ).alias("t_ci"),
                        )
                        ui.chart(charts.rule_precision(presisi), width="stretch")
                        ui.table(
                            presisi,
                            {
                                "nama_aturan": "Aturan",
                                "diputuskan": "Diputuskan",
                                "dikonfirmasi": "Dikonfirmasi",
                                "dijelaskan": "Dijelaskan",
                                "ditolak": "Ditolak",
                                "t_presisi": "Presisi",
                                "t_ci": "Interval 95%",
                            },
                            angka=("diputuskan", "dikonfirmasi", "dijelaskan", "ditolak"),
                            persen=("t_presisi",),
                            key="anomali_presisi",
                        )
                        st.caption(
                            "Presisi = dikonfirmasi / diputuskan (keputusan terakhir per temuan), "
                            "semua periode. Banyak yang dijelaskan berarti aturan perlu konteks "
                            "(jadwal, surat), bukan ambang yang lebih ketat."
                        )

with tab_peringatan:
    risiko = _scores("peringatan", "peringatan dini")
    if risiko is not None:
        target = risiko["periode_target"][0] if "periode_target" in risiko.columns else None
        st.caption(
            "Peluang predikat bulan berikutnya"
            + (f" ({fmt.periode(target)})" if target else "")
            + " Butuh Perbaikan atau lebih rendah: pegawai yang penilaian sebelumnya rendah, dan "
            "seberapa mungkin penilaian rendah berikutnya."
        )
        segar = d.warning_fresh_seed()
        if segar:
            st.warning(_fresh_seed_text(segar), icon=":material/balance:")
        versi = risiko["model_versi"][0] if "model_versi" in risiko.columns else None
        uji = d.warning_test(versi)
        if uji:
            bulan = uji["uji_periode"]
            st.caption(
                "Versi model yang dipakai, pada bulan ujinya"
                + (f" ({fmt.periode(bulan[0])} – {fmt.periode(bulan[-1])})" if bulan else "")
                + f": daftar model menangkap {fmt.number(uji['model'])} dari "
                f"{fmt.number(uji['n'])} kasus baru, pembanding {fmt.number(uji['baseline'])}"
                + (
                    " (tidak lebih baik)."
                    if not uji["lebih_baik"]
                    else " (sedikit lebih baik di bulan uji ini, tetapi tidak pada data uji segar)."
                ),
                help=f"Versi model: {versi}" if versi else None,
            )
        tingkat = (
            dict(risiko.group_by("tingkat").len().iter_rows())
            if "tingkat" in risiko.columns
            else {}
        )
        c = st.columns(4)
        for kolom, t in zip(c[:3], ("TINGGI", "SEDANG", "RENDAH"), strict=True):
            kolom.metric(f"Risiko {t.lower()}", fmt.number(tingkat.get(t, 0)), border=True)
        ada_baseline = "skor_baseline_rata" in risiko.columns
        if ada_baseline and "ditandai" in risiko.columns and risiko.height:
            n_daftar = int(risiko["ditandai"].sum())
            sama = (
                risiko.with_columns(
                    (
                        pl.col("skor_baseline_rata").rank("ordinal", descending=True) <= n_daftar
                    ).alias("daftar_baseline")
                )
                .filter(pl.col("ditandai") & pl.col("daftar_baseline"))
                .height
            )
            c[3].metric(
                "Juga di daftar pembanding",
                fmt.percent(100 * sama / n_daftar if n_daftar else None, 0),
                border=True,
                help=f"{fmt.number(sama)} dari {fmt.number(n_daftar)} pegawai di daftar model juga "
                "masuk daftar sepanjang itu menurut rata-rata penilaian sebelumnya saja.",
            )
        teratas = (
            risiko.sort("skor", descending=True)
            .head(200)
            .with_columns(
                (pl.col("skor") * 100).alias("peluang"),
                pl.col("tingkat").str.to_titlecase(),  # TINGGI -> Tinggi
            )
        )
        kolom_tabel = {
            "nama": "Nama",
            "nip_format": "NIP",
            "nama_opd": "Perangkat Daerah",
            "tingkat": "Risiko",
            "peluang": "Peluang model",
        }
        persen_kolom = ("peluang",)
        if ada_baseline:
            teratas = teratas.with_columns(
                (pl.col("skor_baseline_rata") * 100).alias("peluang_baseline")
            )
            kolom_tabel["peluang_baseline"] = "Peluang pembanding"
            persen_kolom = ("peluang", "peluang_baseline")
        kolom_tabel["alasan"] = "Alasan"
        dipilih = ui.choose_pegawai(teratas, "peringatan_teratas", kolom_tabel, persen=persen_kolom)
        if dipilih:
            ui.open_pegawai(dipilih, periode)
