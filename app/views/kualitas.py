"""Kualitas Data: findings, quarantine, check results, alert history, and the fairness and
drift of the models (``DATA/models/pemantauan.parquet``)."""

import polars as pl
import streamlit as st

from app import charts, ui
from app import format as fmt
from app.data import NotAvailable

ctx = ui.context("kualitas")
d, periode = ctx.data, ctx.periode

ui.title(
    "Kualitas Data",
    f"{fmt.periode(periode)} · temuan, karantina, hasil cek, alert, keadilan dan drift model.",
)

temuan = d.temuan(periode)
karantina = d.karantina(periode)
try:
    cek = d.check_results(periode)
except NotAvailable as error:
    cek = None
    cek_pesan = str(error)

n_error = temuan.filter(pl.col("tingkat") == "ERROR").height if not temuan.is_empty() else 0
n_warn = temuan.filter(pl.col("tingkat") == "WARN").height if not temuan.is_empty() else 0
c = st.columns(4)
c[0].metric(
    "Temuan ERROR",
    fmt.number(n_error),
    border=True,
    help="ERROR menahan pembayaran periode sampai sumber diperbaiki.",
)
c[1].metric(
    "Temuan WARN", fmt.number(n_warn), border=True, help="Untuk ditinjau; tidak menahan pembayaran."
)
c[2].metric(
    "Baris dikarantina",
    fmt.number(karantina.height),
    border=True,
    help="Baris ekspor yang melanggar kontrak dan tidak masuk perhitungan TPP.",
)
if cek is not None and not cek.is_empty():
    gagal = cek.filter(~pl.col("passed")).height
    c[3].metric("Cek gagal", f"{fmt.number(gagal)} dari {fmt.number(cek.height)}", border=True)
else:
    c[3].metric("Cek gagal", fmt.KOSONG, border=True)

tab_temuan, tab_karantina, tab_cek, tab_alert, tab_model = st.tabs(
    [
        ":material/report: Temuan",
        ":material/block: Karantina",
        ":material/fact_check: Hasil cek",
        ":material/notifications: Riwayat alert",
        ":material/balance: Keadilan & drift model",
    ]
)

with tab_temuan:
    if temuan.is_empty():
        st.success("Tidak ada temuan pada periode ini.")
    else:
        per_kode = temuan.group_by("tingkat", "kode").len().sort("len", descending=True)
        ui.chart(
            charts.count_bars(
                per_kode,
                "kode",
                "len",
                "tingkat",
                "Temuan",
                ["ERROR", "WARN"],
                [charts.MERAH, charts.KUNING],
            ),
            width="stretch",
        )
        tingkat = st.segmented_control(
            "Tingkat",
            ["ERROR", "WARN"],
            selection_mode="multi",
            default=["ERROR", "WARN"],
            key="temuan_tingkat",
        )
        tampil = (
            temuan.filter(pl.col("tingkat").is_in(tingkat or []))
            .with_columns(fmt.nip_expr(pl.col("nip")).alias("nip"))
            .head(2000)
        )
        ui.table(
            tampil,
            {
                "tingkat": "Tingkat",
                "kode": "Kode",
                "nip": "NIP",
                "kode_opd": "OPD",
                "source_file": "File",
                "line_no": "Baris",
                "pesan": "Pesan",
            },
            key="tabel_temuan",
        )
        if temuan.height > 2000:
            st.caption(f"Menampilkan 2.000 dari {fmt.number(temuan.height)} temuan.")

with tab_karantina:
    if karantina.is_empty():
        st.success("Tidak ada baris dikarantina pada periode ini.")
    else:
        per_alasan = karantina.group_by("kind", "kode_alasan").len().sort("len", descending=True)
        ui.chart(
            charts.count_bars(per_alasan, "kode_alasan", "len", "kind", "Baris"), width="stretch"
        )
        ui.table(
            karantina.head(2000),
            {
                "kind": "Jenis",
                "source_file": "File",
                "line_no": "Baris",
                "kolom": "Kolom",
                "nilai": "Nilai",
                "kode_alasan": "Kode alasan",
                "alasan": "Alasan",
            },
            key="tabel_karantina",
        )

with tab_cek:
    if cek is None:
        ui.not_available(cek_pesan)
    elif cek.is_empty():
        ui.not_available("Belum ada hasil cek kualitas data untuk periode ini.")
    else:
        tampil = cek.with_columns(
            pl.when(pl.col("passed"))
            .then(pl.lit("Lulus"))
            .otherwise(pl.lit("GAGAL"))
            .alias("hasil"),
            fmt.waktu_expr(pl.col("checked_at"), berzona=True).alias("waktu"),
        ).sort("passed", "severity", "check_name")
        ui.table(
            tampil,
            {
                "hasil": "Hasil",
                "severity": "Tingkat",
                "check_name": "Cek",
                "asset": "Aset",
                "n_failed": "Baris gagal",
                "description": "Keterangan",
                "kode_opd": "OPD",
                "waktu": "Waktu",
            },
            angka=("n_failed",),
            key="tabel_cek",
        )
        riwayat = d.check_history()
        if riwayat.height:
            per_run = (
                riwayat.filter(pl.col("periode") == periode)
                .group_by("checked_at")
                .agg((~pl.col("passed")).sum().alias("gagal"), pl.len().alias("cek"))
                .sort("checked_at")
            )
            if per_run.height > 1:
                st.caption("Cek gagal per run pada periode ini")
                ui.chart(charts.check_runs(per_run), width="stretch")

with tab_alert:
    try:
        alert = d.alert_history()
    except NotAvailable as error:
        ui.not_available(error)
    else:
        if alert.is_empty():
            st.success("Belum ada alert.")
        else:
            ui.table(
                alert.with_columns(
                    fmt.waktu_expr(pl.col("dibuat"), berzona=True).alias("waktu"),
                    fmt.periode_expr(pl.col("periode")),
                    pl.col("status").str.replace_all("_", " ").str.to_titlecase(),
                ),
                {
                    "waktu": "Waktu",
                    "status": "Status",
                    "tingkat": "Tingkat",
                    "periode": "Periode",
                    "judul": "Judul",
                    "kanal": "Kanal",
                    "n_failed": "Baris gagal",
                    "galat": "Galat",
                },
                key="tabel_alert",
            )

DIMENSI = {
    "jenis_opd": "Jenis perangkat daerah",
    "golongan": "Golongan",
    "jenis_kelamin": "Jenis kelamin",
}
UKURAN = {
    "keadilan_anomali": {
        "": "Ditandai (semua lapisan)",
        ":model": "Ditandai lapisan model",
        ":salah": "Ditandai padahal jujur",
    },
    "keadilan_peringatan": {
        "": "Masuk daftar peringatan dini",
        ":salah": "Di daftar tetapi tidak dinilai buruk",
    },
}
# groups and model features by name, not by their column values
KELOMPOK = {
    "RUMAH_SAKIT": "Rumah sakit",
    "PENDIDIKAN": "Pendidikan",
    "KESEHATAN": "Kesehatan",
    "UMUM": "Umum",
    "L": "Laki-laki",
    "P": "Perempuan",
}
FITUR = {
    # attendance anomalies (models.features)
    "hari_titip": "Tap beruntun dengan rekan",
    "hari_menit_identik": "Jam masuk identik",
    "sd_menit_datang": "Jam masuk terlalu teratur",
    "hari_mobile_jauh": "Tap MOBILE jauh dari kantor",
    "km_mobile_median": "Jarak tap MOBILE",
    "hari_tap_saat_dl": "Tap saat dinas luar",
    "hari_tap_libur": "Tap di hari libur",
    # early warning (models.early_warning)
    "tk": "Hari TK",
    "tl": "Hari terlambat",
    "psw": "Hari pulang cepat",
    "persen_disiplin": "% disiplin",
    "disiplin_rata3": "Rata-rata disiplin 3 bulan",
    "tren_disiplin": "Tren disiplin",
    "nilai_hasil": "Rating hasil kerja",
    "nilai_perilaku": "Rating perilaku",
    "tanpa_penilaian": "Tanpa penilaian",
    "porsi_buruk": "Porsi predikat buruk",
    "buruk_3": "Predikat buruk 3 bulan terakhir",
    "rata_nilai_hasil": "Rata-rata rating hasil kerja",
    "rata_nilai_perilaku": "Rata-rata rating perilaku",
}
MODEL = {"keadilan_anomali": "Anomali kehadiran", "keadilan_peringatan": "Peringatan dini"}
SERI_ANOMALI = {"ditandai": "Semua temuan", "model": "Lapisan model"}
SERI_PERINGATAN = {
    "predikat_buruk": "Predikat buruk (nyata)",
    "risiko_rata_rata": "Risiko rata-rata (model)",
}

with tab_model:
    try:
        pantau, ringkas = d.monitoring()
    except NotAvailable as error:
        ui.not_available(error)
        pantau = None
    if pantau is not None and pantau.is_empty():
        st.info("Pemantauan belum berisi baris: belum ada skor model yang dipantau.")
    elif pantau is not None:
        ambang = ringkas.get("ambang", {})
        z_batas = float(ambang.get("z_penilai", 3))
        psi_batas = float(ambang.get("psi", 0.2))
        jendela = ringkas.get("periode") or []
        sorotan = pl.DataFrame(ringkas.get("sorotan") or [], schema=pantau.schema)
        st.caption(
            "Dihitung oleh aset model/pemantauan setiap kali model dijalankan"
            + (f", {fmt.periode(jendela[0])} sampai {fmt.periode(jendela[-1])}" if jendela else "")
            + (f", {fmt.waktu_iso(ringkas['dibuat'])}" if ringkas.get("dibuat") else "")
            + ". Angka ini untuk meninjau model, bukan untuk menilai kelompok atau penilai."
        )
        c = st.columns(3)
        for kolom, (bagian, label) in zip(
            c,
            (
                ("keadilan", "Kelompok ditandai ≥ 2× rata-rata"),
                ("drift_fitur", "Fitur bergeser"),
                ("kelonggaran_penilai", "Penilai menyimpang"),
            ),
            strict=True,
        ):
            n = sorotan.filter(pl.col("bagian").str.starts_with(bagian)).height
            kolom.metric(label, fmt.number(n), border=True)
        st.caption(
            f"Ambang sorotan: rasio kelompok ≥ {fmt.number(ambang.get('rasio_kelompok', 2), 1)} "
            f"(n ≥ {fmt.number(ambang.get('min_kelompok', 100))}), PSI > {fmt.number(psi_batas, 2)}, "
            f"penilai |z| ≥ {fmt.number(z_batas, 1)} dengan ≥ "
            f"{fmt.number(ambang.get('min_dinilai', 10))} penilaian."
        )

        st.subheader("Keadilan per kelompok", anchor=False)
        model = (
            st.segmented_control(
                "Model",
                list(MODEL),
                format_func=MODEL.__getitem__,
                default="keadilan_anomali",
                key="pantau_model",
            )
            or "keadilan_anomali"
        )
        bagian = pantau.filter(pl.col("bagian") == model).with_columns(
            pl.col("dimensi").str.extract(r"^([^:]+)").alias("dasar"),
            pl.col("dimensi").str.extract(r"(:.+)$").fill_null("").alias("akhiran"),
        )
        ada = [a for a in UKURAN[model] if a in set(bagian["akhiran"].to_list())]
        if not ada:
            st.info("Belum ada angka keadilan untuk model ini.")
        else:
            ukuran = (
                st.segmented_control(
                    "Ukuran",
                    ada,
                    format_func=UKURAN[model].__getitem__,
                    default=ada[0],
                    key=f"pantau_ukuran_{model}",
                )
                or ada[0]
            )
            pilih = bagian.filter(
                (pl.col("akhiran") == ukuran) & pl.col("dasar").is_in(list(DIMENSI))
            ).with_columns(
                pl.col("dasar")
                .replace_strict(DIMENSI, return_dtype=pl.String)
                .alias("dimensi_label"),
                pl.col("kelompok").replace(KELOMPOK),
            )
            ui.chart(charts.fairness(pilih, UKURAN[model][ukuran]), width="content")
            st.caption(
                "Batang merah: kelompok dengan porsi ≥ 2× rata-rata; garis hitam: interval 95%. "
                "Staf rumah sakit dan sekolah bekerja di akhir pekan: aturan tap di hari libur "
                "menandai mereka lebih sering sampai jadwal kerja tercatat."
            )
            ui.table(
                pilih.with_columns((pl.col("nilai") * 100).alias("persen")),
                {
                    "dimensi_label": "Menurut",
                    "kelompok": "Kelompok",
                    "n": "Pegawai-bulan",
                    "k": "Ditandai",
                    "persen": "Porsi",
                    "rasio": "× rata-rata",
                },
                angka=("n", "k"),
                persen=("persen",),
                desimal=("rasio",),
                key="pantau_keadilan",
            )

        st.subheader("Kelonggaran penilai", anchor=False)
        penilai = pantau.filter(pl.col("bagian") == "kelonggaran_penilai")
        if penilai.is_empty():
            st.info("Belum ada penilai dengan cukup penilaian.")
        else:
            menyimpang = penilai.filter(pl.col("z").abs() >= z_batas)
            st.caption(
                f"{fmt.number(penilai.height)} penilai dengan cukup penilaian; "
                f"{fmt.number(menyimpang.height)} memberi predikat buruk jauh lebih jarang atau "
                f"lebih sering daripada rata-rata (|z| ≥ {fmt.number(z_batas, 1)}). Penilai yang "
                "longgar membuat peringatan dini buta untuk timnya."
            )
            ui.table(
                penilai.sort(pl.col("z").abs(), descending=True, nulls_last=True).with_columns(
                    fmt.nip_expr(pl.col("kelompok")).alias("nip_penilai"),
                    (pl.col("nilai") * 100).alias("persen"),
                    pl.when(pl.col("z") <= -z_batas)
                    .then(pl.lit("Longgar"))
                    .when(pl.col("z") >= z_batas)
                    .then(pl.lit("Ketat"))
                    .otherwise(pl.lit("Wajar"))
                    .alias("sifat"),
                ),
                {
                    "nip_penilai": "NIP penilai",
                    "n": "Penilaian",
                    "k": "Predikat buruk",
                    "persen": "Porsi buruk",
                    "rasio": "× rata-rata",
                    "z": "z",
                    "sifat": "Catatan",
                },
                angka=("n", "k"),
                persen=("persen",),
                desimal=("rasio", "z"),
                key="pantau_penilai",
            )

        st.subheader("Drift per bulan", anchor=False)
        dasar = pantau.filter(pl.col("bagian") == "drift_dasar")
        anomali = dasar.filter(
            (pl.col("dimensi") == "anomali") & pl.col("kelompok").is_in(list(SERI_ANOMALI))
        ).with_columns(
            pl.col("kelompok").replace_strict(SERI_ANOMALI, return_dtype=pl.String).alias("seri"),
            pl.col("nilai") * 100,
        )
        peringatan = dasar.filter(
            (pl.col("dimensi") == "peringatan") & pl.col("kelompok").is_in(list(SERI_PERINGATAN))
        ).with_columns(
            pl.col("kelompok")
            .replace_strict(SERI_PERINGATAN, return_dtype=pl.String)
            .alias("seri"),
            pl.col("nilai") * 100,
        )
        kiri, kanan = st.columns(2)
        with kiri:
            if anomali.height:
                st.caption("Porsi pegawai ditandai anomali per bulan")
                ui.chart(charts.monthly_drift(anomali, "% pegawai"), width="stretch")
        with kanan:
            if peringatan.height:
                st.caption("Peringatan dini: porsi predikat buruk dan risiko rata-rata per bulan")
                ui.chart(charts.monthly_drift(peringatan, "%"), width="stretch")
        fitur = pantau.filter(pl.col("bagian") == "drift_fitur").with_columns(
            pl.col("dimensi").replace(FITUR).alias("seri")
        )
        if fitur.height:
            st.caption(
                f"Pergeseran fitur per bulan (PSI terhadap semua bulan): di atas "
                f"{fmt.number(psi_batas, 2)} layak dilihat, biasanya karena perubahan data (mesin "
                "baru, aplikasi baru), bukan gelombang kecurangan."
            )
            ui.chart(charts.monthly_drift(fitur, "PSI", ",.2~f"), width="stretch")
            geser = fitur.filter(pl.col("nilai") > psi_batas)
            if geser.height:
                ui.table(
                    geser.with_columns(fmt.periode_expr(pl.col("periode")).alias("bulan")),
                    {"bulan": "Bulan", "seri": "Fitur", "nilai": "PSI", "n": "Baris"},
                    desimal=("nilai",),
                    angka=("n",),
                    key="pantau_psi",
                )
