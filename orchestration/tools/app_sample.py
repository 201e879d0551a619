"""Synthetic published tables for the app's tests and its benchmark (never used by the app itself).

``build_frames`` makes internally consistent ``tpp_harian`` / ``tpp_bulanan`` /
``tpp_opd_bulanan`` / ``temuan`` / ``karantina`` frames (and the app's metric marts,
``app_marts``) with the mart column names: days are
classified as tpp-rules §2, points and amounts follow §3 and §5 in exact integer arithmetic.
Vectorised, so a full year for 15,794 people (≈ 4 M day rows) takes seconds.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import polars as pl

from orchestration.core.months import first_day, last_day, months_between, next_month
from orchestration.core.paths import SEEDS_DIR, DataDir

# (kode_opd, nama_opd, relative head count): the 39 NTT provincial departments
OPD = (
    ("4.01.01", "Sekretariat Daerah", 12),
    ("1.01.01", "Dinas Pendidikan dan Kebudayaan", 545),
    ("1.02.01", "Dinas Kesehatan", 22),
    ("1.02.02", "RSUD Prof. Dr. W. Z. Johannes Kupang", 85),
    ("1.03.01", "Dinas Pekerjaan Umum dan Penataan Ruang", 30),
    ("1.04.01", "Dinas Perumahan Rakyat dan Kawasan Permukiman", 8),
    ("1.05.01", "Satuan Polisi Pamong Praja", 16),
    ("1.05.02", "Badan Penanggulangan Bencana Daerah", 7),
    ("1.06.01", "Dinas Sosial", 14),
    ("2.07.01", "Dinas Tenaga Kerja dan Transmigrasi", 10),
    (
        "2.08.01",
        "Dinas Pemberdayaan Perempuan, Perlindungan Anak, Pengendalian Penduduk dan Keluarga Berencana",
        6,
    ),
    ("2.09.01", "Dinas Ketahanan Pangan", 7),
    ("2.11.01", "Dinas Lingkungan Hidup dan Kehutanan", 28),
    ("2.12.01", "Dinas Kependudukan dan Pencatatan Sipil", 4),
    ("2.13.01", "Dinas Pemberdayaan Masyarakat dan Desa", 6),
    ("2.15.01", "Dinas Perhubungan", 14),
    ("2.16.01", "Dinas Komunikasi dan Informatika", 7),
    ("2.17.01", "Dinas Koperasi dan Usaha Kecil Menengah", 7),
    ("2.18.01", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", 6),
    ("2.19.01", "Dinas Pemuda dan Olahraga", 6),
    ("2.23.01", "Dinas Perpustakaan dan Kearsipan", 7),
    ("3.25.01", "Dinas Kelautan dan Perikanan", 14),
    ("3.26.01", "Dinas Pariwisata dan Ekonomi Kreatif", 7),
    ("3.27.01", "Dinas Pertanian", 18),
    ("3.27.02", "Dinas Peternakan", 13),
    ("3.29.01", "Dinas Energi dan Sumber Daya Mineral", 8),
    ("3.30.01", "Dinas Perindustrian dan Perdagangan", 9),
    ("4.01.02", "Biro Pemerintahan", 4),
    ("4.01.03", "Biro Hukum", 4),
    ("4.01.04", "Biro Organisasi", 3),
    ("4.01.05", "Biro Perekonomian dan Administrasi Pembangunan", 4),
    ("4.01.06", "Biro Pengadaan Barang dan Jasa", 3),
    ("4.02.01", "Sekretariat DPRD", 9),
    ("5.01.01", "Badan Perencanaan Pembangunan, Penelitian dan Pengembangan Daerah", 9),
    ("5.02.01", "Badan Keuangan Daerah", 12),
    ("5.02.02", "Badan Pendapatan dan Aset Daerah", 40),
    ("5.03.01", "Badan Kepegawaian Daerah", 8),
    ("6.01.01", "Inspektorat Daerah", 10),
    ("8.01.01", "Badan Kesatuan Bangsa dan Politik", 5),
)

DEPAN = (
    "Yohanes",
    "Maria",
    "Petrus",
    "Yuliana",
    "Fransiskus",
    "Agustina",
    "Markus",
    "Elisabeth",
    "Yosef",
    "Margaretha",
    "Stefanus",
    "Katarina",
    "Daniel",
    "Yuliani",
    "Hendrik",
    "Veronika",
    "Samuel",
    "Anastasia",
    "Kornelis",
    "Regina",
    "Paulus",
    "Theresia",
    "Adrianus",
    "Sisilia",
)
BELAKANG = (
    "Nenobais",
    "Tefa",
    "Lakapu",
    "Ndun",
    "Manafe",
    "Bria",
    "Seran",
    "Fanggidae",
    "Lado",
    "Nalle",
    "Kana",
    "Ratu",
    "Tallo",
    "Djami",
    "Wadu",
    "Mbete",
    "Lewerang",
    "Kolo",
    "Neno",
    "Dethan",
    "Benu",
    "Kore",
    "Haning",
    "Toelle",
)
GELAR = ("", "", "", "S.Pd.", "S.E.", "S.H.", "S.Kom.", "S.Sos.", "M.Si.", "S.Kep., Ns.", "A.Md.")

LIBUR = {
    "2025-01-01",
    "2025-01-27",
    "2025-01-28",
    "2025-01-29",
    "2025-03-28",
    "2025-03-31",
    "2025-04-01",
    "2025-04-02",
    "2025-04-18",
    "2025-05-01",
    "2025-05-12",
    "2025-05-13",
    "2025-05-29",
    "2025-05-30",
    "2025-06-06",
    "2025-06-09",
    "2025-06-27",
    "2025-08-18",
    "2025-09-05",
    "2025-12-25",
    "2025-12-26",
}
RAMADAN = (dt.date(2025, 3, 1), dt.date(2025, 3, 30))
BASIS = {
    1: 1_750_000,
    2: 1_900_000,
    3: 2_100_000,
    4: 2_350_000,
    5: 2_650_000,
    6: 3_000_000,
    7: 3_400_000,
    8: 3_900_000,
    9: 4_600_000,
    10: 5_300_000,
    11: 6_100_000,
    12: 7_200_000,
    13: 8_500_000,
    14: 11_000_000,
    15: 14_500_000,
    16: 19_000_000,
    17: 25_000_000,
}
PERSEN_KINERJA = {
    "SANGAT_BAIK": 100,
    "BAIK": 100,
    "BUTUH_PERBAIKAN": 75,
    "KURANG": 50,
    "SANGAT_KURANG": 25,
}
POIN_TL = (0.5, 1.0, 1.25, 1.5)
ABSEN = ("CT", "CS", "DL", "DIKLAT", "IZIN", "CAP")
ABSEN_P = (0.020, 0.010, 0.020, 0.005, 0.005, 0.002)
VERSI = "default-2024"
# (kode_opd, share of its staff, pattern): who is not on office hours (jadwal.md §1)
POLA_OPD = (("1.01.01", 0.6, "SEKOLAH"), ("1.02.02", 0.75, "SHIFT"), ("1.05.01", 0.5, "SHIFT"))
# the 8-day rotation of a rostered person (LIBUR = day off), started at their own offset
ROTASI = ("PAGI", "PAGI", "SIANG", "SIANG", "MALAM", "MALAM", "LIBUR", "LIBUR")


def _aturan(seed: str) -> pl.DataFrame:
    """Rows of a rulebook seed (transforms/seeds) for the sample's version VERSI."""
    frame = pl.read_csv(SEEDS_DIR / f"{seed}.csv", infer_schema=False)
    return frame.filter(pl.col("versi") == VERSI).drop("versi")


def _people(rng: np.random.Generator, n: int, n_opd: int) -> pl.DataFrame:
    opd = OPD[:n_opd]
    w = np.array([o[2] for o in opd], dtype=float)
    idx = np.sort(rng.choice(len(opd), size=n, p=w / w.sum()))
    idx[: len(opd)] = np.arange(len(opd)) if n >= len(opd) else idx[: len(opd)]
    lahir = dt.date(1965, 1, 1).toordinal() + rng.integers(0, 35 * 365, n)
    tahun_lahir = np.array([dt.date.fromordinal(int(x)).year for x in lahir])
    tmt_tahun = np.minimum(tahun_lahir + rng.integers(22, 32, n), 2024)
    nip, seen = [], set()
    for b, t, sex in zip(lahir, tmt_tahun, rng.integers(1, 3, n), strict=True):
        head = f"{dt.date.fromordinal(int(b)):%Y%m%d}{t}{rng.integers(1, 13):02d}{sex}"
        seq = 1
        while f"{head}{seq:03d}" in seen:
            seq += 1
        nip.append(f"{head}{seq:03d}")
        seen.add(nip[-1])
    status = rng.choice(["PNS", "PPPK", "CPNS"], size=n, p=[0.75, 0.2, 0.05])
    kelas = np.clip(np.round(rng.normal(7.5, 2.2, n)), 1, 17).astype(int)
    kelas[np.searchsorted(idx, np.arange(len(opd)))] = 15  # one head per department
    gol_pns = np.array(["II/c", "III/a", "III/b", "III/c", "III/d", "IV/a", "IV/b"])
    gol = np.where(
        status == "PPPK",
        np.array(["V", "VII", "IX", "X"])[rng.integers(0, 4, n)],
        gol_pns[np.clip(kelas // 2 - 1, 0, 6)],
    )
    nama = [
        f"{DEPAN[a]} {BELAKANG[b]}" + (f", {GELAR[g]}" if GELAR[g] else "")
        for a, b, g in zip(
            rng.integers(0, len(DEPAN), n),
            rng.integers(0, len(BELAKANG), n),
            rng.integers(0, len(GELAR), n),
            strict=True,
        )
    ]
    # work patterns (jadwal.md §1): teachers in Dikbud, rostered shifts in RSUD and Satpol PP;
    # department heads keep office hours
    kode = np.array([opd[i][0] for i in idx])
    kepala = np.zeros(n, dtype=bool)
    kepala[np.searchsorted(idx, np.arange(len(opd)))] = True
    u = rng.random(n)
    pola = np.full(n, "KANTOR", dtype=object)
    for k, p_pola, nama_pola in POLA_OPD:
        pola[(kode == k) & ~kepala & (u < p_pola)] = nama_pola
    jabatan = np.where(kelas >= 12, "Kepala Bidang", "Pengelola Data").astype(object)
    jabatan[pola == "SEKOLAH"] = "Guru"
    jabatan[(pola == "SHIFT") & (kode == "1.02.02")] = "Perawat Pelaksana"
    jabatan[(pola == "SHIFT") & (kode != "1.02.02")] = "Polisi Pamong Praja"
    return pl.DataFrame(
        {
            "nip": nip,
            "nama": nama,
            "kode_opd": [opd[i][0] for i in idx],
            "nama_opd": [opd[i][1] for i in idx],
            "status": status,
            "golongan": gol,
            "kelas_jabatan": kelas,
            "jenis_jabatan": np.where(kelas >= 12, "ADMINISTRATOR", "PELAKSANA"),
            "nama_jabatan": pl.Series(jabatan.tolist(), dtype=pl.String),
            "pola_kerja": pl.Series(pola.tolist(), dtype=pl.String),
            "rotasi": rng.integers(0, len(ROTASI), n),
            # behaviour: mean arrival offset (min), spread, TK propensity, early leave propensity
            "telat_rata": rng.normal(-14, 9, n).clip(-40, 25),
            "telat_sd": rng.uniform(3, 12, n),
            "p_tk": rng.beta(0.6, 80, n),
            "pulang_rata": rng.normal(22, 12, n),
            "kinerja_baik": rng.beta(9, 1.5, n),
        }
    ).with_row_index("pid")


def _all_days(periode: str) -> list[dt.date]:
    first = first_day(periode)
    return [first + dt.timedelta(days=i) for i in range(last_day(periode).day)]


def _calendar(people: pl.DataFrame, pers: list[str]) -> pl.DataFrame:
    """Every working day of every person with its schedule (jadwal.md §1-§4): the office week,
    the school week (Mon-Sat) or the rostered shifts (weekends and holidays included)."""
    cal = pl.DataFrame(
        [(p, d) for p in pers for d in _all_days(p)], schema=["periode", "tanggal"], orient="row"
    ).with_columns(
        pl.col("tanggal").dt.weekday().alias("hari_iso"),
        pl.col("tanggal").is_between(*RAMADAN).alias("ramadan"),
        pl.col("tanggal").is_in([dt.date.fromisoformat(x) for x in LIBUR]).alias("libur"),
    )
    # hours from the rulebook seeds of VERSI, as the pipeline reads them (never literals here)
    jam = _aturan("aturan_jam_kerja").select(
        "pola",
        pl.col("ramadan") == "true",
        pl.col("hari").cast(pl.Int8).alias("hari_iso"),
        "jam_masuk",
        "jam_pulang",
    )
    berjam = cal.filter(~pl.col("libur")).join(jam, on=["ramadan", "hari_iso"])
    orang = people.select("pid", "pola_kerja", "rotasi")
    shift = (
        orang.filter(pl.col("pola_kerja") == "SHIFT")
        .join(cal, how="cross")
        .with_columns(
            ((pl.col("tanggal").cast(pl.Int64) + pl.col("rotasi")) % len(ROTASI))
            .replace_strict(dict(enumerate(ROTASI)), return_dtype=pl.String)
            .alias("kode_shift")
        )
        .join(_aturan("aturan_shift"), on="kode_shift")  # LIBUR has no row: a day off
    )
    out = pl.concat(
        [
            orang.filter(pl.col("pola_kerja") != "SHIFT").join(
                berjam, left_on="pola_kerja", right_on="pola"
            ),
            shift,
        ],
        how="diagonal",
    ).drop("libur", "rotasi", "pola_kerja")
    tanggal = pl.col("tanggal").cast(pl.Datetime("us"))
    masuk = pl.col("jam_masuk").str.to_time().cast(pl.Duration("us"))
    pulang = pl.col("jam_pulang").str.to_time().cast(pl.Duration("us"))
    lewat = pl.when(pl.col("jam_pulang") <= pl.col("jam_masuk")).then(pl.duration(days=1))
    return out.with_columns(
        (tanggal + masuk).alias("jadwal_mulai"),
        (tanggal + pulang + lewat.otherwise(pl.duration(days=0))).alias("jadwal_selesai"),
    ).sort("pid", "tanggal")


def _days(rng: np.random.Generator, people: pl.DataFrame, pers: list[str]) -> pl.DataFrame:
    cal = _calendar(people, pers)
    # the check-out of a night shift of the last day is in next month's file, not loaded yet
    akhir = dt.datetime.combine(first_day(next_month(pers[-1])), dt.time())
    g = (
        people.select("pid", "nip", "kode_opd", "telat_rata", "telat_sd", "p_tk", "pulang_rata")
        .join(cal, on="pid")
        .sort("pid", "tanggal")
    )
    n = g.height
    u = rng.random(n)
    p_tk = g["p_tk"].to_numpy()
    kode = np.full(n, "HADIR", dtype=object)
    kode[u < p_tk] = "TK"
    edge = p_tk.copy()
    for code, p in zip(ABSEN, ABSEN_P, strict=True):
        hit = (u >= edge) & (u < edge + p)
        kode[hit] = code
        edge = edge + p
    telat = rng.normal(g["telat_rata"].to_numpy(), g["telat_sd"].to_numpy())
    telat += rng.exponential(1.0, n) * (rng.random(n) < 0.04) * 70  # the odd very late morning
    pulang = rng.normal(g["pulang_rata"].to_numpy(), 10) - (rng.random(n) < 0.03) * rng.exponential(
        60, n
    )
    tanpa_datang = rng.random(n) < 0.008
    tanpa_pulang = rng.random(n) < 0.012
    g = g.with_columns(
        pl.Series("kode_hari", kode, dtype=pl.String),
        pl.Series("_telat", (telat * 60).astype(np.int64)),
        pl.Series("_pulang", (pulang * 60).astype(np.int64)),
        pl.Series("_td", tanpa_datang),
        pl.Series("_tp", tanpa_pulang & ~tanpa_datang),
    )
    hadir = pl.col("kode_hari") == "HADIR"
    start, end = pl.col("jadwal_mulai"), pl.col("jadwal_selesai")
    belum = pl.col("jadwal_selesai") >= akhir  # its check-out is in next month's file
    g = g.with_columns(belum.alias("pulang_belum_tersedia"))
    g = g.with_columns(
        pl.when(hadir & ~pl.col("_td"))
        .then(start + pl.duration(seconds=pl.col("_telat")))
        .alias("waktu_datang"),
        pl.when(hadir & ~pl.col("_tp") & ~belum)
        .then(end + pl.duration(seconds=pl.col("_pulang")))
        .alias("waktu_pulang"),
    )
    g = g.with_columns(
        pl.when(pl.col("waktu_datang").is_not_null())
        .then(((pl.col("waktu_datang") - start).dt.total_seconds() // 60).clip(0))
        .cast(pl.Int32)
        .alias("menit_terlambat"),
        pl.when(pl.col("waktu_pulang").is_not_null())
        .then(((end - pl.col("waktu_pulang")).dt.total_seconds() // 60).clip(0))
        .cast(pl.Int32)
        .alias("menit_pulang_cepat"),
    )

    def band(menit: str, tanpa: str, prefix: str) -> pl.Expr:
        m = pl.col(menit)
        return (
            pl.when(~hadir)
            .then(None)
            .when(pl.lit(prefix == "PSW") & pl.col("pulang_belum_tersedia"))
            .then(None)
            .when(pl.col(tanpa))
            .then(pl.lit(f"{prefix}4"))
            .when(m > 90)
            .then(pl.lit(f"{prefix}4"))
            .when(m > 60)
            .then(pl.lit(f"{prefix}3"))
            .when(m > 30)
            .then(pl.lit(f"{prefix}2"))
            .when(m >= 1)
            .then(pl.lit(f"{prefix}1"))
            .alias(f"kode_{'datang' if prefix == 'TL' else 'pulang'}")
        )

    def poin(kol: str) -> pl.Expr:
        c = pl.col(kol).str.slice(-1).cast(pl.Int8, strict=False)
        return (
            pl.when(c == 1)
            .then(POIN_TL[0])
            .when(c == 2)
            .then(POIN_TL[1])
            .when(c == 3)
            .then(POIN_TL[2])
            .when(c == 4)
            .then(POIN_TL[3])
            .otherwise(0.0)
        )

    g = g.with_columns(
        band("menit_terlambat", "_td", "TL"), band("menit_pulang_cepat", "_tp", "PSW")
    )
    g = g.with_columns(
        (
            poin("kode_datang")
            + poin("kode_pulang")
            + pl.when(pl.col("kode_hari") == "TK")
            .then(3.0)
            .when(pl.col("kode_hari") == "IZIN")
            .then(1.0)
            .otherwise(0.0)
        ).alias("poin"),
    )
    nomor = pl.format("800/{}/BKD/{}", pl.col("pid"), pl.col("periode"))
    return g.select(
        "periode",
        "nip",
        "kode_opd",
        pl.lit("UTAMA").alias("segmen"),
        "tanggal",
        pl.col("hari_iso").cast(pl.Int32),
        "ramadan",
        "jam_masuk",
        "jam_pulang",
        "waktu_datang",
        "waktu_pulang",
        (
            pl.col("waktu_datang").is_not_null().cast(pl.Int32)
            + pl.col("waktu_pulang").is_not_null().cast(pl.Int32)
        ).alias("jumlah_tap"),
        "kode_hari",
        "kode_datang",
        "kode_pulang",
        pl.when(hadir).then(pl.col("menit_terlambat")).alias("menit_terlambat"),
        pl.when(hadir).then(pl.col("menit_pulang_cepat")).alias("menit_pulang_cepat"),
        pl.col("poin").cast(pl.Decimal(18, 4)),
        pl.lit(True).alias("hari_efektif"),
        pl.when(~hadir & (pl.col("kode_hari") != "TK")).then(nomor).alias("nomor_surat"),
        pl.format("absensi_{}.csv", pl.col("periode").str.replace("-", "")).alias("sumber_absensi"),
        pl.lit(VERSI).alias("aturan_versi"),
        "kode_shift",
        "jadwal_mulai",
        "jadwal_selesai",
        pl.when(pl.col("waktu_pulang").is_not_null())
        .then(pl.format("absensi_{}.csv", pl.col("waktu_pulang").dt.strftime("%Y%m")))
        .alias("sumber_absensi_pulang"),
        "pulang_belum_tersedia",
    )


def _mutasi(harian: pl.DataFrame, people: pl.DataFrame, periode: str) -> pl.DataFrame:
    """One transfer: the first person of the second department came from the third department
    on the 15th of the last period (days before it are an ASAL segment there)."""
    kode = sorted(people["kode_opd"].unique().to_list())
    if len(kode) < 2:
        return harian
    nip = people.filter(pl.col("kode_opd") == kode[0])["nip"][0]
    asal = kode[1]
    early = (
        (pl.col("nip") == nip) & (pl.col("periode") == periode) & (pl.col("tanggal").dt.day() < 15)
    )
    return harian.with_columns(
        pl.when(early).then(pl.lit(asal)).otherwise(pl.col("kode_opd")).alias("kode_opd"),
        pl.when(early).then(pl.lit("ASAL")).otherwise(pl.col("segmen")).alias("segmen"),
    )


def _half_up(num: pl.Expr, den: pl.Expr) -> pl.Expr:
    return (2 * num + den) // (2 * den)


def _months(rng: np.random.Generator, people: pl.DataFrame, harian: pl.DataFrame) -> pl.DataFrame:
    counts = [pl.len().alias("hari_kerja_segmen")]
    counts += [
        (pl.col("kode_hari") == k).sum().cast(pl.Int32).alias(k.lower())
        for k in ("HADIR", "TK", *ABSEN)
    ]
    counts += [
        (pl.col("kode_datang") == f"TL{i}").sum().cast(pl.Int32).alias(f"tl{i}")
        for i in range(1, 5)
    ]
    counts += [
        (pl.col("kode_pulang") == f"PSW{i}").sum().cast(pl.Int32).alias(f"psw{i}")
        for i in range(1, 5)
    ]
    counts += [
        pl.col("menit_terlambat").sum().cast(pl.Int32),
        pl.col("menit_pulang_cepat").sum().cast(pl.Int32),
        pl.col("poin").cast(pl.Float64).sum().alias("jumlah_poin"),
        pl.col("tanggal").min().alias("tanggal_mulai"),
        pl.col("tanggal").max().alias("tanggal_selesai"),
    ]
    m = harian.group_by("periode", "nip", "kode_opd", "segmen", maintain_order=True).agg(counts)
    m = m.join(people.drop("kode_opd", "nama_opd"), on="nip").with_columns(
        pl.col("kode_opd").replace_strict({o[0]: o[1] for o in OPD}).alias("nama_opd"),
        (pl.len().over("periode", "nip") > 1).alias("mutasi"),
    )
    n = m.height
    baik = m["kinerja_baik"].to_numpy()
    r = rng.random(n)
    predikat = np.where(
        r < baik * 0.25,
        "SANGAT_BAIK",
        np.where(
            r < baik,
            "BAIK",
            np.where(
                r < baik + (1 - baik) * 0.6,
                "BUTUH_PERBAIKAN",
                np.where(r < baik + (1 - baik) * 0.9, "KURANG", "SANGAT_KURANG"),
            ),
        ),
    ).astype(object)
    predikat[rng.random(n) < 0.02] = None
    m = m.with_columns(pl.Series("predikat", predikat.tolist(), dtype=pl.String))
    # each person's own working days of the month (jadwal.md §5), all segments together
    hk = pl.col("hari_kerja_segmen").sum().over("periode", "nip").cast(pl.Int32)
    m = m.with_columns(hk.alias("hari_kerja"))
    pd100 = (10000 - (pl.col("jumlah_poin") * 100).round().cast(pl.Int64)).clip(0)
    pk = pl.col("predikat").replace_strict(PERSEN_KINERJA, default=0, return_dtype=pl.Int64)
    basis = pl.col("kelas_jabatan").replace_strict(BASIS, return_dtype=pl.Int64)
    faktor = pl.when(pl.col("status") == "CPNS").then(80).otherwise(100)
    m = m.with_columns(
        basis.alias("basis_jabatan"),
        (basis * faktor // 100).alias("tpp_basis"),
        pk.alias("_pk"),
        pd100.alias("_pd100"),
        pl.col("hari_kerja_segmen").cast(pl.Int32).alias("hari_efektif"),
        faktor.cast(pl.Decimal(9, 4)).alias("persen_basis"),
    )
    he, hkc = pl.col("hari_efektif").cast(pl.Int64), pl.col("hari_kerja").cast(pl.Int64)
    m = m.with_columns(
        _half_up(pl.col("tpp_basis") * he * 60 * pl.col("_pk"), hkc * 10_000).alias("tpp_kinerja"),
        _half_up(pl.col("tpp_basis") * he * 40 * pl.col("_pd100"), hkc * 1_000_000).alias(
            "tpp_disiplin"
        ),
    )
    gol = pl.col("golongan")
    tarif = (
        pl.when(pl.col("status") == "PPPK")
        .then(
            pl.when(gol.is_in(["IX", "X", "XI", "XII"]))
            .then(5)
            .when(gol.is_in(["I", "II", "III", "IV", "V", "VI", "VII", "VIII"]))
            .then(0)
            .otherwise(15)
        )
        .when(gol.str.starts_with("IV"))
        .then(15)
        .when(gol.str.starts_with("III"))
        .then(5)
        .otherwise(0)
    )
    m = m.with_columns(
        (pl.col("tpp_kinerja") + pl.col("tpp_disiplin")).alias("tpp_bruto"), tarif.alias("_tarif")
    )
    m = m.with_columns(
        _half_up(pl.col("tpp_bruto") * pl.col("_tarif"), pl.lit(100)).alias("pph21"),
        _half_up(pl.col("tpp_bruto"), pl.lit(100)).alias("iuran_bpjs"),
    )
    nip_fmt = pl.concat_str(
        pl.col("nip").str.slice(0, 8),
        pl.lit(" "),
        pl.col("nip").str.slice(8, 6),
        pl.lit(" "),
        pl.col("nip").str.slice(14, 1),
        pl.lit(" "),
        pl.col("nip").str.slice(15, 3),
    )
    return m.select(
        "periode",
        "nip",
        nip_fmt.alias("nip_format"),
        "nama",
        "kode_opd",
        "nama_opd",
        "segmen",
        "status",
        "golongan",
        "jenis_jabatan",
        "nama_jabatan",
        pl.col("kelas_jabatan").cast(pl.Int32),
        "tanggal_mulai",
        "tanggal_selesai",
        "hari_kerja",
        pl.col("hari_kerja_segmen").cast(pl.Int32),
        pl.col("hari_efektif"),
        pl.lit(0, pl.Int32).alias("hari_tidak_efektif"),
        "hadir",
        "tk",
        "tl1",
        "tl2",
        "tl3",
        "tl4",
        "psw1",
        "psw2",
        "psw3",
        "psw4",
        *[pl.col(a.lower()) for a in ABSEN],
        pl.lit(0, pl.Int32).alias("cltn"),
        pl.lit(0, pl.Int32).alias("tb"),
        pl.lit(0, pl.Int32).alias("cm"),
        pl.lit(0, pl.Int32).alias("cb"),
        "menit_terlambat",
        "menit_pulang_cepat",
        pl.col("jumlah_poin").cast(pl.Decimal(18, 4)),
        "predikat",
        pl.col("predikat").alias("predikat_sumber"),
        pl.col("predikat").is_null().alias("tanpa_penilaian"),
        pl.col("predikat").is_not_null().cast(pl.Int32).alias("jumlah_penilaian_final"),
        pl.col("_pk").cast(pl.Decimal(9, 4)).alias("persen_kinerja"),
        (pl.col("_pd100").cast(pl.Decimal(9, 4)) / 100)
        .cast(pl.Decimal(9, 4))
        .alias("persen_disiplin"),
        "basis_jabatan",
        "persen_basis",
        "tpp_basis",
        (
            pl.col("tpp_basis").cast(pl.Decimal(38, 10))
            * pl.col("hari_efektif")
            / pl.col("hari_kerja")
        )
        .cast(pl.Decimal(38, 10))
        .alias("basis_efektif"),
        "tpp_kinerja",
        "tpp_disiplin",
        "tpp_bruto",
        pl.col("_tarif").cast(pl.Decimal(9, 4)).alias("tarif_pph21"),
        "pph21",
        pl.lit(1).cast(pl.Decimal(9, 4)).alias("persen_bpjs"),
        "iuran_bpjs",
        (pl.col("tpp_bruto") - pl.col("pph21") - pl.col("iuran_bpjs")).alias("tpp_neto"),
        pl.lit(60).cast(pl.Decimal(9, 4)).alias("bobot_kinerja"),
        pl.lit(40).cast(pl.Decimal(9, 4)).alias("bobot_disiplin"),
        pl.lit("DISIPLIN").alias("dasar_potongan"),
        pl.lit(VERSI).alias("aturan_versi"),
        "mutasi",
        pl.format("pegawai_{}.csv", pl.col("periode").str.replace("-", "")).alias("sumber_pegawai"),
        (pl.col("pid").cast(pl.Int32) + 2).alias("baris_pegawai"),
        "pola_kerja",
    ).sort("periode", "kode_opd", "nip")


def opd_summary(bulanan: pl.DataFrame) -> pl.DataFrame:
    """``tpp_opd_bulanan`` as the mart computes it."""
    return (
        bulanan.group_by("periode", "kode_opd")
        .agg(
            pl.col("nama_opd").max(),
            pl.len().cast(pl.Int32).alias("jumlah_baris"),
            pl.col("nip").n_unique().cast(pl.Int32).alias("jumlah_pegawai"),
            pl.col("tanpa_penilaian").sum().cast(pl.Int32).alias("jumlah_tanpa_penilaian"),
            (pl.col("tpp_bruto") == 0).sum().cast(pl.Int32).alias("jumlah_tanpa_tpp"),
            pl.col("hari_kerja").max(),
            *[pl.col(c).sum().cast(pl.Int32) for c in ("hari_efektif", "hadir", "tk")],
            pl.sum_horizontal("tl1", "tl2", "tl3", "tl4").sum().cast(pl.Int32).alias("terlambat"),
            pl.sum_horizontal("psw1", "psw2", "psw3", "psw4")
            .sum()
            .cast(pl.Int32)
            .alias("pulang_cepat"),
            *[
                pl.col(c).sum().cast(pl.Int64)
                for c in (
                    "menit_terlambat",
                    "menit_pulang_cepat",
                    "tpp_basis",
                    "tpp_kinerja",
                    "tpp_disiplin",
                    "tpp_bruto",
                    "pph21",
                    "iuran_bpjs",
                    "tpp_neto",
                )
            ],
            pl.col("persen_kinerja")
            .cast(pl.Float64)
            .mean()
            .round(4)
            .cast(pl.Decimal(9, 4))
            .alias("rata_persen_kinerja"),
            pl.col("persen_disiplin")
            .cast(pl.Float64)
            .mean()
            .round(4)
            .cast(pl.Decimal(9, 4))
            .alias("rata_persen_disiplin"),
            pl.col("aturan_versi").min(),
        )
        .sort("periode", "kode_opd")
    )


def app_marts(bulanan: pl.DataFrame, harian: pl.DataFrame) -> dict[str, pl.DataFrame]:
    """The app's metric marts (``orchestration.core.published.APP_TABLES``) derived from the
    sample's ``tpp_bulanan`` / ``tpp_harian`` as the dbt models compute them (their definitions:
    ``transforms/models/marts/tpp_opd_*.sql`` and ``tpp_perlu_perhatian.sql``; floats where dbt
    keeps DECIMAL: a sample, not a second definition)."""

    def persen(pembilang: str, penyebut: str) -> pl.Expr:
        q = pl.col(penyebut).cast(pl.Float64)
        return pl.col(pembilang).cast(pl.Float64) / pl.when(q != 0).then(q) * 100

    def sekali(*per: str) -> pl.Expr:  # a person counts once over departments: the UTAMA row
        urut = pl.struct((pl.col("segmen") != "UTAMA").alias("a"), pl.col("kode_opd").alias("b"))
        return (urut.rank("ordinal").over(*per, "nip") == 1).cast(pl.Int32)

    tl = pl.sum_horizontal("tl1", "tl2", "tl3", "tl4").cast(pl.Int32).alias("terlambat")
    psw = pl.sum_horizontal("psw1", "psw2", "psw3", "psw4").cast(pl.Int32).alias("pulang_cepat")
    rupiah = pl.Decimal(28, 10)
    maks = [
        (pl.col("basis_efektif").cast(pl.Float64) * pl.col(f"bobot_{b}").cast(pl.Float64) / 100)
        .sum()
        .alias(f"tpp_{b}_maksimal")
        for b in ("kinerja", "disiplin")
    ]
    indikator = (
        bulanan.with_columns(sekali("periode").alias("_sekali"), tl, psw)
        .group_by("periode", "kode_opd")
        .agg(
            pl.col("_sekali").sum().cast(pl.Int32).alias("jumlah_pegawai_provinsi"),
            *[
                pl.col(f"persen_{c}").sum().cast(pl.Decimal(18, 4)).alias(f"jumlah_persen_{c}")
                for c in ("kinerja", "disiplin")
            ],
            *maks,
            *[pl.col(c).sum() for c in ("tpp_kinerja", "tpp_disiplin", "tk", "terlambat")],
            *[pl.col(c).sum() for c in ("pulang_cepat", "hari_efektif")],
        )
        .select(
            "periode",
            "kode_opd",
            "jumlah_pegawai_provinsi",
            "jumlah_persen_kinerja",
            "jumlah_persen_disiplin",
            *[pl.col(f"tpp_{b}_maksimal").cast(rupiah) for b in ("kinerja", "disiplin")],
            *[
                (pl.col(f"tpp_{b}_maksimal") - pl.col(f"tpp_{b}")).cast(rupiah).alias(f"hilang_{b}")
                for b in ("kinerja", "disiplin")
            ],
            *[
                persen(c, "hari_efektif").alias(f"persen_{c}")
                for c in ("tk", "terlambat", "pulang_cepat")
            ],
        )
    )
    hari = (
        harian.group_by("periode", "kode_opd", pl.col("hari_iso").cast(pl.Int32))
        .agg(
            pl.len().cast(pl.Int32).alias("hari_kerja"),
            pl.col("kode_datang").is_not_null().sum().cast(pl.Int32).alias("terlambat"),
            pl.col("kode_pulang").is_not_null().sum().cast(pl.Int32).alias("pulang_cepat"),
            (pl.col("kode_hari") == "TK").sum().cast(pl.Int32).alias("tk"),
        )
        .with_columns(
            persen(c, "hari_kerja").alias(f"persen_{c}")
            for c in ("terlambat", "pulang_cepat", "tk")
        )
    )
    waktu = pl.col("waktu_datang")
    jam_datang = (
        harian.filter(waktu.is_not_null() & pl.col("kode_shift").is_null())
        .group_by(
            "periode",
            "kode_opd",
            ((waktu.dt.hour().cast(pl.Int32) * 60 + waktu.dt.minute()) // 5 * 5)
            .clip(300, 660)
            .cast(pl.Int32)
            .alias("menit"),
            "jam_masuk",
        )
        .agg(pl.len().cast(pl.Int32).alias("hari"))
    )
    baris = bulanan.select(
        "periode",
        "kode_opd",
        "nip",
        "segmen",
        pl.col("persen_disiplin").cast(pl.Float64).floor().cast(pl.Int32).cast(pl.String),
        pl.col("predikat").fill_null("TANPA_PENILAIAN"),
        pl.col("pola_kerja").fill_null("KANTOR"),
    )
    sebaran = (
        pl.concat(
            [
                baris.select(
                    "periode",
                    "kode_opd",
                    "nip",
                    "segmen",
                    pl.lit(c).alias("sebaran"),
                    pl.col(c).alias("nilai"),
                )
                for c in ("persen_disiplin", "predikat", "pola_kerja")
            ]
        )
        .with_columns(sekali("periode", "sebaran", "nilai").alias("_sekali"))
        .group_by("periode", "kode_opd", "sebaran", "nilai")
        .agg(
            pl.len().cast(pl.Int32).alias("jumlah_baris"),
            pl.col("_sekali").sum().cast(pl.Int32).alias("jumlah_pegawai_provinsi"),
        )
    )
    perhatian = (
        bulanan.filter(
            (pl.col("tk") > 0)
            | (pl.col("persen_disiplin") < 95)
            | pl.col("tanpa_penilaian")
            | (pl.col("persen_kinerja") < 100)
        )
        .sort(
            "tk",
            "persen_disiplin",
            "tanpa_penilaian",
            "persen_kinerja",
            "nama",
            "nip",
            "kode_opd",
            descending=[True, False, True, False, False, False, False],
        )
        .select(
            "periode",
            "nip",
            "kode_opd",
            "nama",
            "nama_jabatan",
            "predikat",
            "tanpa_penilaian",
            "persen_disiplin",
            "persen_kinerja",
            "tk",
            tl,
            psw,
            "izin",
            "tpp_bruto",
            "tpp_neto",
            pl.col("pola_kerja").fill_null("KANTOR"),
            (pl.int_range(1, pl.len() + 1).over("periode")).cast(pl.Int32).alias("urutan"),
        )
    )
    return {
        "tpp_opd_indikator": indikator.sort("periode", "kode_opd"),
        "tpp_opd_hari": hari.sort("periode", "kode_opd", "hari_iso"),
        "tpp_opd_jam_datang": jam_datang.sort("periode", "kode_opd", "menit", "jam_masuk"),
        "tpp_opd_sebaran": sebaran.sort("periode", "kode_opd", "sebaran", "nilai"),
        "tpp_perlu_perhatian": perhatian.sort("periode", "urutan"),
    }


def _findings(
    rng: np.random.Generator, bulanan: pl.DataFrame, pers: list[str]
) -> tuple[pl.DataFrame, pl.DataFrame]:
    tanpa = bulanan.filter("tanpa_penilaian").select(
        "periode",
        pl.lit("WARN").alias("tingkat"),
        pl.lit("TANPA_PENILAIAN").alias("kode"),
        "nip",
        "kode_opd",
        pl.format("kinerja_{}.csv", pl.col("periode").str.replace("-", "")).alias("source_file"),
        pl.lit(0, pl.Int32).alias("line_no"),
        pl.format(
            "Tidak ada penilaian kinerja FINAL untuk periode {}: TPP kinerja 0, TPP disiplin tetap dibayar.",
            pl.col("periode"),
        ).alias("pesan"),
    )
    ganda = bulanan.sample(n=min(5, bulanan.height), seed=int(rng.integers(1 << 30))).select(
        "periode",
        pl.lit("WARN").alias("tingkat"),
        pl.lit("PENILAIAN_FINAL_GANDA").alias("kode"),
        "nip",
        "kode_opd",
        pl.format("kinerja_{}.csv", pl.col("periode").str.replace("-", "")).alias("source_file"),
        pl.lit(17, pl.Int32).alias("line_no"),
        pl.lit("Ada 2 penilaian FINAL; yang dipakai yang terbaru.").alias("pesan"),
    )
    temuan = pl.concat([tanpa, ganda]).sort("periode", "tingkat", "kode")
    rows = []
    for p in pers:
        f = f"absensi_{p.replace('-', '')}.csv"
        rows += [
            (
                "absensi",
                p,
                f,
                1200 + i,
                "waktu",
                "2025-13-01 07:31:00",
                "WAKTU_TIDAK_VALID",
                "Waktu tap tidak dapat dibaca (format YYYY-MM-DD HH:MM:SS).",
            )
            for i in range(3)
        ]
        rows.append(
            (
                "absensi",
                p,
                f,
                88,
                "nip",
                "19900815201601100X",
                "NIP_TIDAK_VALID",
                "NIP harus 18 digit angka.",
            )
        )
        rows.append(
            (
                "ketidakhadiran",
                p,
                f"ketidakhadiran_{p.replace('-', '')}.csv",
                5,
                "kode",
                "CUTI",
                "KODE_TIDAK_DIKENAL",
                "Kode ketidakhadiran CUTI tidak dikenal.",
            )
        )
    cols = ["kind", "periode", "source_file", "line_no", "kolom", "nilai", "kode_alasan", "alasan"]
    karantina = pl.DataFrame(rows, schema=cols, orient="row").with_columns(
        pl.col("line_no").cast(pl.Int32)
    )
    return temuan, karantina


def build_frames(
    pegawai: int = 240, opd: int = 6, mulai: str = "2025-01", sampai: str = "2025-03", seed: int = 7
) -> dict[str, pl.DataFrame]:
    """The published tables for ``pegawai`` people in the first ``opd`` departments."""
    rng = np.random.default_rng(seed)
    pers = months_between(mulai, sampai)
    people = _people(rng, pegawai, opd)
    harian = _mutasi(_days(rng, people, pers), people, pers[-1])
    bulanan = _months(rng, people, harian)
    temuan, karantina = _findings(rng, bulanan, pers)
    return {
        "tpp_bulanan": bulanan,
        "tpp_harian": harian.sort("periode", "kode_opd", "nip", "tanggal"),
        "tpp_opd_bulanan": opd_summary(bulanan),
        "temuan": temuan,
        "karantina": karantina,
        **app_marts(bulanan, harian),
    }


def publish_frames(
    data: DataDir,
    frames: dict[str, pl.DataFrame],
    verified: tuple[str, ...] = (),
    locked: tuple[str, ...] = (),
    durable: bool = False,
) -> str:
    """Publish ``frames`` the way the pipeline does; returns the snapshot id.

    The frames go into a scratch ``warehouse.duckdb`` of ``data`` (as the dbt marts would), then
    ``orchestration.publish.publish`` writes the snapshot; ``verified`` / ``locked`` periods go
    through ``orchestration.periods`` so the manifest carries their status.
    """
    import os
    from contextlib import ExitStack
    from unittest import mock

    import duckdb

    from orchestration import lifecycle
    from orchestration.publish import publish

    stack = ExitStack()
    if not durable:  # tests and benchmarks: skip the publisher's fsyncs (slow on some disks)
        stack.enter_context(mock.patch.object(os, "fsync", lambda fd: None))
    data.root.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(data.warehouse)) as con:
        for name, frame in frames.items():
            con.register("_frame", frame.to_arrow())
            con.execute(f"create or replace table main.{name} as select * from _frame")
            con.unregister("_frame")
    with stack:
        publish(data, sorted(frames["tpp_bulanan"]["periode"].unique().to_list()))
        for p in (*verified, *locked):
            lifecycle.verify(data, p, oleh="uji")
        for p in locked:
            lifecycle.lock(data, p, oleh="uji")
    from orchestration.core.published import current_snapshot

    return current_snapshot(data).id


_TEMPLATES: dict[tuple[int, int], Path] = {}


def sample_data(root, pegawai: int = 160, opd: int = 5) -> DataDir:
    """A data directory with a published Jan-Mar 2025 (Jan locked, Feb verified, Mar draft).

    The scratch warehouse is overwritten with junk afterwards: whatever runs on this directory
    proves it never opens ``warehouse.duckdb`` (only the publisher may). Built once per process
    and size, then copied (the snapshot pointer is a relative symlink, so copies stay whole).
    """
    import shutil
    import tempfile

    key = (pegawai, opd)
    if key not in _TEMPLATES:
        template = DataDir(Path(tempfile.mkdtemp(prefix="sik-sample-")) / "data")
        publish_frames(
            template,
            build_frames(pegawai=pegawai, opd=opd),
            verified=("2025-02",),
            locked=("2025-01",),
        )
        template.warehouse.write_bytes(
            b"bukan database duckdb: aplikasi tidak boleh membuka file ini\n"
        )
        _TEMPLATES[key] = template.root
    data = DataDir.resolve(root)
    shutil.copytree(_TEMPLATES[key], data.root, symlinks=True, dirs_exist_ok=True)
    return data
