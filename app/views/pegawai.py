"""Pegawai: search by name or NIP; calendar, times, predikat history, TPP explained to the day."""

import polars as pl
import streamlit as st

from app import charts, ui
from app import format as fmt
from app.data import AccessDenied

ctx = ui.context("pegawai")
d, periode = ctx.data, ctx.periode

ui.title("Pegawai", "Cari dengan nama atau NIP; rincian TPP dijelaskan sampai ke hari dan tap.")

cari = st.text_input(
    "Cari pegawai",
    key="cari_pegawai",
    placeholder="mis. Yohanes Ndun atau 19900815 201601 1 005",
    label_visibility="collapsed",
    icon=":material/search:",
)
nip = "".join(ch for ch in (st.query_params.get("nip") or "") if ch.isdigit()) or None


if cari:
    hasil = d.find_pegawai(cari)
    if hasil.is_empty():
        lingkup = "" if d.scope.all_opd else " di Perangkat Daerah Anda"
        st.warning(f"Tidak ada pegawai yang cocok dengan “{cari}”{lingkup}.")
        st.query_params.pop("nip", None)  # a search that finds no one shows no one
        st.stop()
    else:
        st.caption(
            f"{fmt.number(hasil.height)} pegawai cocok"
            + (" (50 pertama)" if hasil.height == 50 else "")
            + ". Pilih baris untuk membuka rinciannya."
        )
        nip = ui.choose_pegawai(
            hasil,
            f"hasil_{cari}",
            {
                "nama": "Nama",
                "nip_format": "NIP",
                "nama_jabatan": "Jabatan",
                "nama_opd": "Perangkat Daerah",
            },
        ) or (hasil["nip"][0] if hasil.height == 1 else nip)
elif not nip:
    st.markdown(
        f"**Perlu perhatian pada {fmt.periode(periode)}** · pilih baris untuk membuka rinciannya"
    )
    st.caption(f"Urutan: {d.URUTAN_PERHATIAN}.")
    nip = ui.choose_pegawai(
        d.needs_attention(periode, None, batas=25),
        "perhatian_pegawai",
        {
            "nama": "Nama",
            "nip_format": "NIP",
            "kode_opd": "OPD",
            "persen_disiplin": "% disiplin",
            "tk": "TK",
            "terlambat": "TL",
            "pulang_cepat": "PSW",
        },
        persen=("persen_disiplin",),
    )
if not nip:
    st.stop()
st.query_params["nip"] = nip

try:
    bulanan = d.pegawai_bulanan(nip)
except AccessDenied as error:
    ui.refuse(ctx, error, objek=f"pegawai {nip}")
if bulanan.is_empty():
    st.warning(f"NIP {fmt.nip(nip)} tidak ditemukan di data terbit.")
    st.stop()


def _close() -> None:
    """Back to the list: forget the person and the row picked (before the next run)."""
    st.query_params.pop("nip", None)
    for key in [k for k in st.session_state if str(k).startswith(("hasil_", "perhatian_pegawai"))]:
        del st.session_state[key]
    st.session_state["cari_pegawai"] = ""


utama = bulanan.filter(pl.col("segmen") == "UTAMA")
akhir = (utama if not utama.is_empty() else bulanan).row(-1, named=True)  # the current posting
st.divider()
st.button("Kembali ke daftar", icon=":material/arrow_back:", on_click=_close, type="tertiary")
st.header(akhir["nama"], anchor=False)
ini_utama = utama.filter(pl.col("periode") == periode)
pola = (ini_utama.row(-1, named=True) if not ini_utama.is_empty() else akhir).get("pola_kerja")
st.markdown(
    f"**NIP** {fmt.nip(nip)}  \n{akhir['nama_jabatan'] or '-'} · kelas {akhir['kelas_jabatan']} · "
    f"{akhir['status']} {akhir['golongan']}  \n{akhir['nama_opd']} ({akhir['kode_opd']})  \n"
    f"**Pola kerja:** {fmt.pola_kerja(pola)}"
    + {
        "SEKOLAH": " (Senin–Sabtu, jam sekolah)",
        "SHIFT": " (jadwal dinas PAGI / SIANG / MALAM)",
    }.get(pola or "", "")
)


def _flag(r: dict) -> None:
    st.warning(
        f"**Ditandai untuk diperiksa: anomali kehadiran {fmt.periode(r['periode'])}** · "
        f"{r.get('alasan') or 'pola kehadiran tidak lazim'}",
        icon=":material/fingerprint:",
    )


# open flags of the attendance-anomaly model, with reasons: the period's own in full, the other
# months' folded (a year of monthly flags pushed the TPP of the period a screen down)
tanda = d.anomaly_flags(nip)
if not tanda.is_empty():
    for r in tanda.filter(pl.col("periode") == periode).iter_rows(named=True):
        _flag(r)
    lain = tanda.filter(pl.col("periode") != periode)
    if lain.height:
        with st.expander(
            f"Ditandai juga pada {fmt.number(lain['periode'].n_unique())} bulan lain",
            icon=":material/fingerprint:",
        ):
            for r in lain.iter_rows(named=True):
                _flag(r)
ini = bulanan.filter(pl.col("periode") == periode)
if ini.is_empty():
    st.info(f"Tidak ada baris TPP pada {fmt.periode(periode)}.")
else:
    c = st.columns(4)
    c[0].metric(
        "% disiplin",
        fmt.percent(ini["persen_disiplin"].min(), 2),
        border=True,
        help=f"{fmt.number(ini['jumlah_poin'].sum(), 2)} poin potongan",
    )
    c[1].metric(
        "Predikat",
        fmt.predikat(ini["predikat"][0]),
        border=True,
        help=f"% kinerja {fmt.percent(ini['persen_kinerja'][0], 0)}",
    )
    c[2].metric("TPP bruto", fmt.rupiah(ini["tpp_bruto"].sum()), border=True)
    c[3].metric(
        "TPP neto",
        fmt.rupiah(ini["tpp_neto"].sum()),
        border=True,
        help="Setelah PPh 21 dan iuran BPJS.",
    )

# the days of the chosen month (first and third tab); the whole year only for the calendar
harian_bulan = d.pegawai_harian(nip, (periode,))

tab_tpp, tab_kal, tab_jam, tab_riwayat = st.tabs(
    [
        f":material/receipt_long: Rincian TPP {fmt.periode(periode, singkat=True)}",
        ":material/calendar_month: Kalender kehadiran",
        ":material/schedule: Jam datang & pulang",
        ":material/timeline: Riwayat predikat",
    ],
    key="tab_pegawai",
    on_change="rerun",
)

with tab_tpp:
    if tab_tpp.open:  # lazy: only the selected tab runs
        if ini.is_empty():
            st.info(f"Tidak ada TPP pada {fmt.periode(periode)}.")
        for r in ini.iter_rows(named=True):
            if ini.height > 1:
                st.subheader(
                    f"{r['nama_opd']} ({'sebelum' if r['segmen'] == 'ASAL' else 'sejak'} mutasi)",
                    anchor=False,
                )
            be = r["basis_efektif"]
            bk, bd = float(r["bobot_kinerja"]), float(r["bobot_disiplin"])
            pk, pd_ = float(r["persen_kinerja"]), float(r["persen_disiplin"])
            langkah = [
                (
                    "Pagu TPP",
                    f"Kelas {r['kelas_jabatan']}: {fmt.rupiah(r['basis_jabatan'])} × "
                    f"{fmt.percent(r['persen_basis'], 0)} ({r['status']})",
                    r["tpp_basis"],
                ),
                (
                    "Pro-rata",
                    f"{r['hari_efektif']} hari efektif dari {r['hari_kerja']} hari kerja",
                    be,
                ),
                (
                    "TPP kinerja",
                    f"{fmt.number(bk)}% × {fmt.percent(pk, 2)} (predikat {fmt.predikat(r['predikat'])})",
                    r["tpp_kinerja"],
                ),
                (
                    "TPP disiplin",
                    f"{fmt.number(bd)}% × {fmt.percent(pd_, 2)} (100 − {fmt.number(r['jumlah_poin'], 2)} poin)",
                    r["tpp_disiplin"],
                ),
                ("TPP bruto", "kinerja + disiplin", r["tpp_bruto"]),
                (
                    "PPh 21",
                    f"{fmt.percent(r['tarif_pph21'], 0)} dari bruto (golongan {r['golongan']})",
                    -r["pph21"],
                ),
                ("Iuran BPJS", f"{fmt.percent(r['persen_bpjs'], 0)} dari bruto", -r["iuran_bpjs"]),
                ("TPP neto", "yang dibayarkan", r["tpp_neto"]),
            ]
            kiri, kanan = st.columns([1, 1])
            with kiri:
                ui.table(
                    pl.DataFrame(langkah, schema=["langkah", "dasar", "rupiah"], orient="row"),
                    {"langkah": "Langkah", "dasar": "Dasar perhitungan", "rupiah": "Rupiah"},
                    uang=("rupiah",),
                    key=f"rincian_{r['kode_opd']}",
                )
                if r["tanpa_penilaian"]:
                    st.warning(
                        "Tidak ada penilaian kinerja FINAL bulan ini: TPP kinerja 0, TPP disiplin tetap dibayar."
                    )
            with kanan:
                ui.chart(
                    charts.waterfall(
                        [
                            ("Pagu", be, "total"),
                            ("Kinerja", be * bk / 100 - r["tpp_kinerja"], "kurang"),
                            ("Disiplin", be * bd / 100 - r["tpp_disiplin"], "kurang"),
                            ("Bruto", r["tpp_bruto"], "total"),
                            ("PPh 21", r["pph21"], "kurang"),
                            ("BPJS", r["iuran_bpjs"], "kurang"),
                            ("Neto", r["tpp_neto"], "total"),
                        ]
                    ),
                    width="stretch",
                )

            hari = harian_bulan.filter(
                (pl.col("periode") == periode) & (pl.col("kode_opd") == r["kode_opd"])
            )
            potong = hari.filter(pl.col("poin") > 0)
            st.markdown(
                f"**Potongan disiplin per hari** · {fmt.number(potong.height)} hari, "
                f"{fmt.number(r['jumlah_poin'], 2)} poin"
            )
            if potong.is_empty():
                st.success("Tidak ada potongan disiplin bulan ini.")
            else:
                per_poin = be * bd / 100 / 100
                potong = potong.with_columns(
                    fmt.day_date_expr(pl.col("tanggal")).alias("t_tanggal"),
                    pl.concat_str(
                        [
                            pl.col("kode_hari").replace("HADIR", None),
                            pl.col("kode_datang"),
                            pl.col("kode_pulang"),
                        ],
                        separator=" + ",
                        ignore_nulls=True,
                    ).alias("kode"),
                    pl.col("waktu_datang")
                    .dt.strftime("%H:%M")
                    .fill_null("tanpa tap")
                    .alias("datang"),
                    pl.when(
                        pl.col("waktu_pulang").is_null()
                        & ~pl.col("pulang_belum_tersedia").fill_null(False)
                    )
                    .then(pl.lit("tanpa tap"))
                    .otherwise(charts.checkout_text())
                    .alias("pulang"),
                    (pl.col("poin") * per_poin).alias("rupiah"),
                    pl.col("jam_masuk").str.slice(0, 5),
                    pl.col("jam_pulang").str.slice(0, 5),
                    pl.col("kode_shift").fill_null(fmt.KOSONG),
                )
                hadir = pl.col("kode_hari") == "HADIR"
                potong = potong.with_columns(
                    pl.when(hadir)
                    .then(pl.col("datang"))
                    .otherwise(pl.lit(fmt.KOSONG))
                    .alias("datang"),
                    pl.when(hadir)
                    .then(pl.col("pulang"))
                    .otherwise(pl.lit(fmt.KOSONG))
                    .alias("pulang"),
                    *[
                        pl.col(c).cast(pl.String).fill_null(fmt.KOSONG)
                        for c in ("menit_terlambat", "menit_pulang_cepat")
                    ],
                )
                ui.table(
                    potong,
                    {
                        "t_tanggal": "Tanggal",
                        "kode": "Kode",
                        **(
                            {"kode_shift": "Shift"}
                            if potong["kode_shift"].ne(fmt.KOSONG).any()
                            else {}
                        ),
                        "jam_masuk": "Jam masuk (WITA)",
                        "datang": "Datang (WITA)",
                        "menit_terlambat": "Menit terlambat",
                        "jam_pulang": "Jam pulang (WITA)",
                        "pulang": "Pulang (WITA)",
                        "menit_pulang_cepat": "Menit pulang cepat",
                        "poin": "Poin",
                        "rupiah": "≈ Rupiah",
                    },
                    uang=("rupiah",),
                    desimal=("poin",),
                    key=f"potongan_{r['kode_opd']}",
                )
                st.caption(
                    f"Setiap poin mengurangi TPP disiplin sekitar {fmt.rupiah(per_poin)} "
                    f"({fmt.number(bd)}% × pagu efektif ÷ 100). Kode: "
                    + "; ".join(
                        f"{k} {fmt.kode(k).lower()}"
                        for k in sorted(
                            set(potong["kode"].str.split(" + ").explode().drop_nulls().to_list())
                        )
                    )
                )
            absen = hari.filter(~pl.col("kode_hari").is_in(["HADIR", "TK"]) & (pl.col("poin") == 0))
            if not absen.is_empty():
                ringkas = absen.group_by("kode_hari").len().sort("kode_hari")
                st.caption(
                    "Ketidakhadiran disetujui tanpa potongan: "
                    + ", ".join(f"{fmt.kode(k)} {n} hari" for k, n in ringkas.iter_rows())
                    + (
                        f"; {r['hari_tidak_efektif']} hari tidak efektif (CLTN/TB)."
                        if r.get("hari_tidak_efektif")
                        else "."
                    )
                )

with tab_kal:
    if tab_kal.open:  # lazy: only the selected tab runs
        harian = d.pegawai_harian(nip)
        if harian.is_empty():
            st.info("Belum ada data harian.")
        else:
            ui.chart(charts.calendar(harian), width="content")
            if harian["kode_shift"].is_not_null().any() or harian["hari_iso"].max() > 5:
                st.caption(
                    "Satu kotak = satu hari kerja menurut pola kerja (Sabtu/Minggu hanya bila "
                    "terjadwal); kotak kosong = hari libur (atau kode LIBUR pada jadwal dinas). "
                    "Arahkan penunjuk ke kotak untuk melihat jadwal hari itu."
                )
            ringkas = (
                harian.with_columns(charts.day_category().alias("kategori"))
                .group_by("kategori")
                .len()
            )
            jumlah = dict(ringkas.iter_rows())
            st.caption(" · ".join(f"{k}: {jumlah[k]} hari" for k in charts.KATEGORI if k in jumlah))

with tab_jam:
    if tab_jam.open:  # lazy: only the selected tab runs
        bulan_ini = harian_bulan
        if bulan_ini.is_empty():
            st.info(f"Tidak ada hari kerja pada {fmt.periode(periode)}.")
        else:
            if bulan_ini["kode_shift"].is_not_null().any():
                st.caption(
                    "Titik = tap per hari (warna = kode, bentuk = shift), diukur dari jadwal hari "
                    "itu: 0 = tepat jam jadwal, minus = lebih awal, plus = lebih lambat. Shift "
                    "MALAM berakhir esok pagi (pulang dibandingkan dengan 07:00 hari berikutnya)."
                )
            else:
                st.caption(
                    "Titik = tap per hari (warna = kode); garis merah putus-putus = jadwal. Jam WITA."
                )
            kiri, kanan = st.columns(2)
            for kolom, jenis, judul in (
                (kiri, "datang", "Jam datang"),
                (kanan, "pulang", "Jam pulang"),
            ):
                with kolom:
                    st.markdown(f"**{judul}**")
                    chart = charts.daily_hours(bulan_ini, jenis)
                    if chart is None:
                        st.caption("Tidak ada tap.")
                    else:
                        ui.chart(chart, width="stretch")
            hadir = bulan_ini.filter(pl.col("kode_hari") == "HADIR")
            c = st.columns(4)
            c[0].metric("Hari hadir", fmt.number(hadir.height), border=True)
            c[1].metric("Menit terlambat", fmt.number(hadir["menit_terlambat"].sum()), border=True)
            c[2].metric(
                "Menit pulang cepat", fmt.number(hadir["menit_pulang_cepat"].sum()), border=True
            )
            c[3].metric("Poin potongan", fmt.number(bulan_ini["poin"].sum(), 2), border=True)
            st.markdown(f"**Hari kerja {fmt.periode(periode)}** · jadwal dan tap per hari (WITA)")
            hari_tabel = bulan_ini.with_columns(
                fmt.day_date_expr(pl.col("tanggal")).alias("t_tanggal"),
                charts.day_schedule().alias("jadwal"),
                pl.concat_str(
                    [pl.col("kode_hari"), pl.col("kode_datang"), pl.col("kode_pulang")],
                    separator=" + ",
                    ignore_nulls=True,
                ).alias("kode"),
                fmt.jam_expr(pl.col("waktu_datang")).alias("datang"),
                charts.checkout_text().alias("pulang"),
                *[
                    pl.col(c).cast(pl.String).fill_null(fmt.KOSONG)
                    for c in ("menit_terlambat", "menit_pulang_cepat")
                ],
            )
            ui.table(
                hari_tabel,
                {
                    "t_tanggal": "Tanggal",
                    "jadwal": "Jadwal",
                    "kode": "Kode",
                    "datang": "Datang (WITA)",
                    "pulang": "Pulang (WITA)",
                    "menit_terlambat": "Menit terlambat",
                    "menit_pulang_cepat": "Menit pulang cepat",
                    "poin": "Poin",
                },
                desimal=("poin",),
                key="hari_kerja_bulan",
            )
            if bulan_ini["pulang_belum_tersedia"].fill_null(False).any():
                st.caption(
                    "Pulang “belum tersedia”: shift malam di akhir bulan; tap pulangnya ada di berkas "
                    "absensi bulan berikutnya yang belum dimuat, jadi belum ada kode PSW untuk hari itu."
                )
with tab_riwayat:
    if tab_riwayat.open:  # lazy: only the selected tab runs
        ui.chart(
            charts.percent_history(
                bulanan.group_by("periode")
                .agg(
                    pl.col("persen_disiplin").cast(pl.Float64).min(),
                    pl.col("persen_kinerja").cast(pl.Float64).max(),
                )
                .sort("periode")
            ),
            width="stretch",
        )
        riwayat = bulanan.with_columns(
            fmt.predikat_expr(pl.col("predikat")).alias("t_predikat"),
            fmt.periode_expr(pl.col("periode")).alias("t_periode"),
        ).sort("periode", descending=True)
        ui.table(
            riwayat,
            {
                "t_periode": "Periode",
                "nama_opd": "Perangkat Daerah",
                "t_predikat": "Predikat",
                "persen_kinerja": "% kinerja",
                "persen_disiplin": "% disiplin",
                "tk": "TK",
                "tpp_bruto": "TPP bruto",
                "tpp_neto": "TPP neto",
            },
            uang=("tpp_bruto", "tpp_neto"),
            persen=("persen_kinerja", "persen_disiplin"),
            key="riwayat",
        )
