"""The 39 NTT provincial departments (Perangkat Daerah) and the regencies of the province.

Codes follow the Permendagri 90/2019 urusan numbering (``U.BB.NN``). The order is the
order ``--opd K`` takes: the Sekretariat Daerah first (every head reports to the Sekda),
then by code. Weights give the department's share of the workforce: SMA/SMK/SLB teachers are
provincial staff, so education dwarfs everything, then the provincial hospital.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# Categories drive the job mix and job names.
PENDIDIKAN, RUMAH_SAKIT, KESEHATAN, SEKRETARIAT, PENGAWASAN, KEUANGAN, TEKNIS = (
    "PENDIDIKAN",
    "RUMAH_SAKIT",
    "KESEHATAN",
    "SEKRETARIAT",
    "PENGAWASAN",
    "KEUANGAN",
    "TEKNIS",
)


@dataclass(frozen=True)
class Department:
    kode: str
    nama: str
    singkatan: str  # used in letter numbers and device ids of mobile apps
    kategori: str
    bobot: float  # relative head count
    kepala: str  # the JPT head's position name
    kelas_kepala: int
    lat: float
    lon: float
    fungsional_ahli: tuple[str, ...] = ()  # department-specific functional posts (Ahli)
    fungsional_terampil: tuple[str, ...] = ()  # … and with a Terampil/Mahir level


def _d(
    kode, nama, singkatan, kategori, bobot, lat, lon, ahli=(), terampil=(), kepala=None, kelas=15
):
    return Department(
        kode,
        nama,
        singkatan,
        kategori,
        bobot,
        kepala or f"Kepala {nama}",
        kelas,
        lat,
        lon,
        tuple(ahli),
        tuple(terampil),
    )


DEPARTMENTS: tuple[Department, ...] = (
    _d(
        "4.01.01",
        "Sekretariat Daerah",
        "SETDA",
        SEKRETARIAT,
        12,
        -10.1703,
        123.6069,
        ["Analis Kebijakan", "Pranata Hubungan Masyarakat"],
        ["Pranata Komputer", "Arsiparis"],
        kepala="Sekretaris Daerah",
        kelas=17,
    ),
    _d(
        "1.01.01",
        "Dinas Pendidikan dan Kebudayaan",
        "DISDIKBUD",
        PENDIDIKAN,
        545,
        -10.1682,
        123.5987,
        ["Pengawas Sekolah", "Pamong Belajar", "Pamong Budaya"],
        ["Pustakawan", "Pranata Laboratorium Pendidikan"],
    ),
    _d(
        "1.02.01",
        "Dinas Kesehatan",
        "DINKES",
        KESEHATAN,
        22,
        -10.1614,
        123.5911,
        [
            "Administrator Kesehatan",
            "Epidemiolog Kesehatan",
            "Penyuluh Kesehatan Masyarakat",
            "Apoteker",
        ],
        ["Sanitarian", "Pranata Laboratorium Kesehatan", "Tenaga Teknis Kefarmasian", "Perawat"],
    ),
    _d(
        "1.02.02",
        "RSUD Prof. Dr. W. Z. Johannes Kupang",
        "RSUD-WZJ",
        RUMAH_SAKIT,
        85,
        -10.1659,
        123.5804,
        [
            "Perawat",
            "Perawat",
            "Perawat",
            "Bidan",
            "Dokter",
            "Dokter",
            "Dokter Gigi",
            "Apoteker",
            "Nutrisionis",
            "Psikolog Klinis",
            "Administrator Kesehatan",
        ],
        [
            "Perawat",
            "Perawat",
            "Perawat",
            "Bidan",
            "Perekam Medis",
            "Radiografer",
            "Pranata Laboratorium Kesehatan",
            "Tenaga Teknis Kefarmasian",
            "Fisioterapis",
            "Teknisi Elektromedis",
            "Penata Anestesi",
            "Terapis Gigi dan Mulut",
        ],
        kepala="Direktur RSUD Prof. Dr. W. Z. Johannes Kupang",
    ),
    _d(
        "1.03.01",
        "Dinas Pekerjaan Umum dan Penataan Ruang",
        "DPUPR",
        TEKNIS,
        30,
        -10.1776,
        123.6143,
        [
            "Teknik Jalan dan Jembatan",
            "Teknik Pengairan",
            "Penata Ruang",
            "Pembina Jasa Konstruksi",
        ],
        ["Teknik Jalan dan Jembatan", "Teknik Pengairan"],
    ),
    _d(
        "1.04.01",
        "Dinas Perumahan Rakyat dan Kawasan Permukiman",
        "DISPERKIM",
        TEKNIS,
        8,
        -10.1791,
        123.6157,
        ["Teknik Tata Bangunan dan Perumahan", "Penata Kawasan Permukiman"],
        ["Teknik Tata Bangunan dan Perumahan"],
    ),
    _d(
        "1.05.01",
        "Satuan Polisi Pamong Praja",
        "SATPOLPP",
        TEKNIS,
        16,
        -10.1725,
        123.6051,
        ["Polisi Pamong Praja"],
        ["Polisi Pamong Praja", "Polisi Pamong Praja"],
        kepala="Kepala Satuan Polisi Pamong Praja",
    ),
    _d(
        "1.05.02",
        "Badan Penanggulangan Bencana Daerah",
        "BPBD",
        TEKNIS,
        7,
        -10.1748,
        123.6233,
        ["Analis Kebencanaan"],
        ["Pranata Komputer"],
        kepala="Kepala Pelaksana Badan Penanggulangan Bencana Daerah",
    ),
    _d(
        "1.06.01",
        "Dinas Sosial",
        "DINSOS",
        TEKNIS,
        14,
        -10.1832,
        123.6081,
        ["Pekerja Sosial", "Penyuluh Sosial"],
        ["Pekerja Sosial"],
    ),
    _d(
        "2.07.01",
        "Dinas Tenaga Kerja dan Transmigrasi",
        "DISNAKERTRANS",
        TEKNIS,
        10,
        -10.1812,
        123.5975,
        ["Pengawas Ketenagakerjaan", "Mediator Hubungan Industrial", "Instruktur"],
        ["Instruktur"],
    ),
    _d(
        "2.08.01",
        "Dinas Pemberdayaan Perempuan, Perlindungan Anak, Pengendalian Penduduk dan Keluarga Berencana",
        "DP3AP2KB",
        TEKNIS,
        6,
        -10.1737,
        123.6112,
        ["Penyuluh Keluarga Berencana", "Analis Kebijakan"],
    ),
    _d(
        "2.09.01",
        "Dinas Ketahanan Pangan",
        "DISKETAPANG",
        TEKNIS,
        7,
        -10.1858,
        123.6204,
        ["Analis Ketahanan Pangan", "Pengawas Mutu Hasil Pertanian"],
        ["Pengawas Mutu Hasil Pertanian"],
    ),
    _d(
        "2.11.01",
        "Dinas Lingkungan Hidup dan Kehutanan",
        "DLHK",
        TEKNIS,
        28,
        -10.1889,
        123.6312,
        [
            "Pengendali Dampak Lingkungan",
            "Penyuluh Kehutanan",
            "Pengendali Ekosistem Hutan",
            "Polisi Kehutanan",
        ],
        ["Polisi Kehutanan", "Polisi Kehutanan", "Penyuluh Kehutanan"],
    ),
    _d(
        "2.12.01",
        "Dinas Kependudukan dan Pencatatan Sipil",
        "DISDUKCAPIL",
        TEKNIS,
        4,
        -10.1669,
        123.6189,
        ["Administrator Database Kependudukan"],
        ["Pranata Komputer"],
    ),
    _d(
        "2.13.01",
        "Dinas Pemberdayaan Masyarakat dan Desa",
        "DPMD",
        TEKNIS,
        6,
        -10.1705,
        123.6286,
        ["Penggerak Swadaya Masyarakat"],
    ),
    _d(
        "2.15.01",
        "Dinas Perhubungan",
        "DISHUB",
        TEKNIS,
        14,
        -10.1631,
        123.6024,
        ["Penguji Kendaraan Bermotor", "Pengawas Keselamatan Pelayaran"],
        ["Penguji Kendaraan Bermotor"],
    ),
    _d(
        "2.16.01",
        "Dinas Komunikasi dan Informatika",
        "DISKOMINFO",
        TEKNIS,
        7,
        -10.1718,
        123.6097,
        ["Pranata Komputer", "Pranata Hubungan Masyarakat", "Sandiman", "Statistisi"],
        ["Pranata Komputer"],
    ),
    _d(
        "2.17.01",
        "Dinas Koperasi dan Usaha Kecil Menengah",
        "DISKOPUKM",
        TEKNIS,
        7,
        -10.1796,
        123.6018,
        ["Pengawas Koperasi"],
    ),
    _d(
        "2.18.01",
        "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
        "DPMPTSP",
        TEKNIS,
        6,
        -10.1684,
        123.6131,
        ["Analis Kebijakan"],
    ),
    _d(
        "2.19.01",
        "Dinas Pemuda dan Olahraga",
        "DISPORA",
        TEKNIS,
        6,
        -10.1766,
        123.5896,
        ["Analis Kebijakan"],
    ),
    _d(
        "2.23.01",
        "Dinas Perpustakaan dan Kearsipan",
        "DISPUSIP",
        TEKNIS,
        7,
        -10.1753,
        123.6002,
        ["Pustakawan", "Arsiparis"],
        ["Pustakawan", "Arsiparis"],
    ),
    _d(
        "3.25.01",
        "Dinas Kelautan dan Perikanan",
        "DKP",
        TEKNIS,
        14,
        -10.1624,
        123.5782,
        ["Pengawas Perikanan", "Penyuluh Perikanan", "Pengendali Hama dan Penyakit Ikan"],
        ["Pengawas Perikanan"],
    ),
    _d(
        "3.26.01",
        "Dinas Pariwisata dan Ekonomi Kreatif",
        "DISPAREKRAF",
        TEKNIS,
        7,
        -10.1647,
        123.5968,
        ["Adyatama Kepariwisataan dan Ekonomi Kreatif"],
    ),
    _d(
        "3.27.01",
        "Dinas Pertanian",
        "DISTAN",
        TEKNIS,
        18,
        -10.1903,
        123.6251,
        [
            "Penyuluh Pertanian",
            "Pengendali Organisme Pengganggu Tumbuhan",
            "Pengawas Benih Tanaman",
        ],
        ["Penyuluh Pertanian", "Pengendali Organisme Pengganggu Tumbuhan"],
    ),
    _d(
        "3.27.02",
        "Dinas Peternakan",
        "DISNAK",
        TEKNIS,
        13,
        -10.1921,
        123.6276,
        ["Medik Veteriner", "Pengawas Bibit Ternak"],
        ["Paramedik Veteriner", "Paramedik Veteriner"],
    ),
    _d(
        "3.29.01",
        "Dinas Energi dan Sumber Daya Mineral",
        "DESDM",
        TEKNIS,
        8,
        -10.1867,
        123.6168,
        ["Penyelidik Bumi", "Inspektur Tambang"],
    ),
    _d(
        "3.30.01",
        "Dinas Perindustrian dan Perdagangan",
        "DISPERINDAG",
        TEKNIS,
        9,
        -10.1743,
        123.5929,
        ["Pengawas Perdagangan", "Penera"],
        ["Penera"],
    ),
    _d(
        "4.01.02",
        "Biro Pemerintahan",
        "BIRO-PEM",
        SEKRETARIAT,
        4,
        -10.1705,
        123.6072,
        ["Analis Kebijakan"],
        kepala="Kepala Biro Pemerintahan",
        kelas=14,
    ),
    _d(
        "4.01.03",
        "Biro Hukum",
        "BIRO-HUKUM",
        SEKRETARIAT,
        4,
        -10.1700,
        123.6066,
        ["Perancang Peraturan Perundang-undangan", "Analis Hukum"],
        kepala="Kepala Biro Hukum",
        kelas=14,
    ),
    _d(
        "4.01.04",
        "Biro Organisasi",
        "BIRO-ORG",
        SEKRETARIAT,
        3,
        -10.1706,
        123.6065,
        ["Analis Kebijakan", "Analis Sumber Daya Manusia Aparatur"],
        kepala="Kepala Biro Organisasi",
        kelas=14,
    ),
    _d(
        "4.01.05",
        "Biro Perekonomian dan Administrasi Pembangunan",
        "BIRO-EKBANG",
        SEKRETARIAT,
        4,
        -10.1699,
        123.6073,
        ["Analis Kebijakan", "Perencana"],
        kepala="Kepala Biro Perekonomian dan Administrasi Pembangunan",
        kelas=14,
    ),
    _d(
        "4.01.06",
        "Biro Pengadaan Barang dan Jasa",
        "BIRO-PBJ",
        SEKRETARIAT,
        3,
        -10.1708,
        123.6070,
        ["Pengelola Pengadaan Barang/Jasa"],
        kepala="Kepala Biro Pengadaan Barang dan Jasa",
        kelas=14,
    ),
    _d(
        "4.02.01",
        "Sekretariat DPRD",
        "SETWAN",
        SEKRETARIAT,
        9,
        -10.1661,
        123.6102,
        [
            "Analis Kebijakan",
            "Perancang Peraturan Perundang-undangan",
            "Pranata Hubungan Masyarakat",
        ],
        ["Arsiparis"],
        kepala="Sekretaris DPRD",
    ),
    _d(
        "5.01.01",
        "Badan Perencanaan Pembangunan, Penelitian dan Pengembangan Daerah",
        "BAPPELITBANGDA",
        TEKNIS,
        9,
        -10.1712,
        123.6044,
        ["Perencana", "Peneliti", "Statistisi"],
        ["Statistisi"],
    ),
    _d(
        "5.02.01",
        "Badan Keuangan Daerah",
        "BAKEUDA",
        KEUANGAN,
        12,
        -10.1697,
        123.6036,
        ["Analis Keuangan Pusat dan Daerah", "Analis Anggaran"],
        ["Pranata Komputer"],
    ),
    _d(
        "5.02.02",
        "Badan Pendapatan dan Aset Daerah",
        "BAPENDA",
        KEUANGAN,
        40,
        -10.1782,
        123.6055,
        ["Analis Keuangan Pusat dan Daerah", "Penilai Pemerintah"],
        ["Pranata Komputer", "Arsiparis"],
    ),
    _d(
        "5.03.01",
        "Badan Kepegawaian Daerah",
        "BKD",
        TEKNIS,
        8,
        -10.1689,
        123.6082,
        ["Analis Sumber Daya Manusia Aparatur", "Asesor Sumber Daya Manusia Aparatur"],
        ["Pranata Komputer"],
    ),
    _d(
        "6.01.01",
        "Inspektorat Daerah",
        "ITDA",
        PENGAWASAN,
        10,
        -10.1739,
        123.6174,
        ["Auditor", "Auditor", "Pengawas Penyelenggaraan Urusan Pemerintahan di Daerah"],
        ["Auditor"],
        kepala="Inspektur",
    ),
    _d(
        "8.01.01",
        "Badan Kesatuan Bangsa dan Politik",
        "KESBANGPOL",
        TEKNIS,
        5,
        -10.1727,
        123.6207,
        ["Analis Kebijakan"],
    ),
)

assert len(DEPARTMENTS) == 39 and len({d.kode for d in DEPARTMENTS}) == 39

# Functional posts any office may have.
FUNGSIONAL_UMUM_AHLI = (
    "Analis Kebijakan",
    "Perencana",
    "Pranata Komputer",
    "Analis Keuangan Pusat dan Daerah",
    "Pengelola Pengadaan Barang/Jasa",
    "Analis Sumber Daya Manusia Aparatur",
    "Arsiparis",
    "Pranata Hubungan Masyarakat",
)
FUNGSIONAL_UMUM_TERAMPIL = ("Pranata Komputer", "Arsiparis", "Pustakawan")

# Regency seats of NTT (name, lat, lon): destinations of official trips, and far-away taps.
KABUPATEN: tuple[tuple[str, float, float], ...] = (
    ("Kabupaten Kupang", -10.1653, 123.8729),
    ("Kabupaten Timor Tengah Selatan", -9.8599, 124.2822),
    ("Kabupaten Timor Tengah Utara", -9.4597, 124.4755),
    ("Kabupaten Belu", -9.1058, 124.8925),
    ("Kabupaten Malaka", -9.5627, 124.9006),
    ("Kabupaten Alor", -8.2211, 124.5227),
    ("Kabupaten Lembata", -8.3723, 123.4117),
    ("Kabupaten Flores Timur", -8.3375, 122.9840),
    ("Kabupaten Sikka", -8.6200, 122.2124),
    ("Kabupaten Ende", -8.8423, 121.6630),
    ("Kabupaten Nagekeo", -8.5283, 121.3397),
    ("Kabupaten Ngada", -8.7891, 120.9795),
    ("Kabupaten Manggarai Timur", -8.8136, 120.5795),
    ("Kabupaten Manggarai", -8.6117, 120.4633),
    ("Kabupaten Manggarai Barat", -8.4964, 119.8877),
    ("Kabupaten Sumba Timur", -9.6568, 120.2641),
    ("Kabupaten Sumba Tengah", -9.5524, 119.6083),
    ("Kabupaten Sumba Barat", -9.6446, 119.4129),
    ("Kabupaten Sumba Barat Daya", -9.4300, 119.2537),
    ("Kabupaten Rote Ndao", -10.7353, 123.0660),
    ("Kabupaten Sabu Raijua", -10.4926, 121.8398),
)


def departments(k: int) -> tuple[Department, ...]:
    """The first ``k`` departments (1 ≤ k ≤ 39)."""
    if not 1 <= k <= len(DEPARTMENTS):
        raise ValueError(f"opd harus 1..{len(DEPARTMENTS)}, bukan {k}")
    return DEPARTMENTS[:k]


def sizes(depts: tuple[Department, ...], n: int) -> np.ndarray:
    """Head count per department for ``n`` employees (largest remainder, at least 3 each)."""
    if n < 3 * len(depts):
        raise ValueError(
            f"pegawai ({n}) terlalu sedikit untuk {len(depts)} OPD (minimal 3 per OPD)"
        )
    w = np.array([d.bobot for d in depts], dtype=float)
    spare = n - 3 * len(depts)
    raw = spare * w / w.sum()
    out = np.floor(raw).astype(np.int64)
    rest = spare - out.sum()
    out[np.argsort(-(raw - out), kind="stable")[:rest]] += 1
    return out + 3
