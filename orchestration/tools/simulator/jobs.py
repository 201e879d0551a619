"""Positions: position type, class (kelas jabatan), rank (golongan) and position names.

Consistency rules (tpp-rules / contract): JPT 14–17, ADMINISTRATOR 12–13, PENGAWAS 9–11,
FUNGSIONAL 6–12, PELAKSANA 1–7; PPPK hold only FUNGSIONAL or PELAKSANA posts; a rank follows
education and years of service (one step per four years) within the band of the post.
"""

from __future__ import annotations

import numpy as np

from orchestration.core.contract import GOLONGAN_PNS, GOLONGAN_PPPK, JENIS_JABATAN
from orchestration.tools.simulator import organisation as org
from orchestration.tools.simulator.names import D3, S1, S2, S3, SMA

JPT, ADMINISTRATOR, PENGAWAS, FUNGSIONAL, PELAKSANA = range(5)
PNS, CPNS, PPPK = range(3)
STATUS = np.array(["PNS", "CPNS", "PPPK"])
JENIS = np.array(JENIS_JABATAN)
GOL_PNS = np.array(GOLONGAN_PNS)
GOL_PPPK = np.array(GOLONGAN_PPPK)
KELAS_BAND = {
    JPT: (14, 17),
    ADMINISTRATOR: (12, 13),
    PENGAWAS: (9, 11),
    FUNGSIONAL: (6, 12),
    PELAKSANA: (1, 7),
}

# Share of ADMINISTRATOR, PENGAWAS, FUNGSIONAL, PELAKSANA among the staff below the head.
CAMPURAN_JENIS = {
    org.PENDIDIKAN: (0.004, 0.010, 0.860, 0.126),
    org.RUMAH_SAKIT: (0.008, 0.025, 0.720, 0.247),
    org.KESEHATAN: (0.040, 0.100, 0.450, 0.410),
    org.SEKRETARIAT: (0.060, 0.160, 0.220, 0.560),
    org.PENGAWASAN: (0.050, 0.060, 0.650, 0.240),
    org.KEUANGAN: (0.050, 0.130, 0.200, 0.620),
    org.TEKNIS: (0.060, 0.140, 0.280, 0.520),
}
# P(PPPK), P(CPNS) for non-structural posts.
CAMPURAN_STATUS = {org.PENDIDIKAN: (0.34, 0.05), org.RUMAH_SAKIT: (0.30, 0.06)}
CAMPURAN_STATUS_LAIN = (0.12, 0.05)

ENTRY = {SMA: 4, D3: 6, S1: 8, S2: 9, S3: 10}  # PNS entry rank index (II/a, II/c, III/a, III/b)
PPPK_GOL = {SMA: 4, D3: 6, S1: 8, S2: 9, S3: 10}  # V, VII, IX, X, XI


def jenis_jabatan(
    rng: np.random.Generator, kategori: np.ndarray, kepala: np.ndarray, sekretaris: np.ndarray
) -> np.ndarray:
    out = np.empty(len(kategori), dtype=np.int8)
    u = rng.random(len(kategori))
    for kat, p in CAMPURAN_JENIS.items():
        m = kategori == kat
        out[m] = 1 + np.searchsorted(np.cumsum(p), u[m] * sum(p), side="right").clip(0, 3)
    out[sekretaris] = ADMINISTRATOR
    out[kepala] = JPT
    return out


def status_awal(rng: np.random.Generator, kategori: np.ndarray, jenis: np.ndarray) -> np.ndarray:
    p_pppk = np.full(len(kategori), CAMPURAN_STATUS_LAIN[0])
    p_cpns = np.full(len(kategori), CAMPURAN_STATUS_LAIN[1])
    for kat, (a, b) in CAMPURAN_STATUS.items():
        p_pppk[kategori == kat], p_cpns[kategori == kat] = a, b
    u = rng.random(len(kategori))
    out = np.where(u < p_pppk, PPPK, np.where(u < p_pppk + p_cpns, CPNS, PNS)).astype(np.int8)
    out[jenis < FUNGSIONAL] = PNS
    return out


def pendidikan(rng: np.random.Generator, jenis: np.ndarray, kategori: np.ndarray) -> np.ndarray:
    """Highest education. FUNGSIONAL: D3 (Terampil) or S1+ (Ahli); teachers are all S1+."""
    n = len(jenis)
    u = rng.random(n)
    out = np.full(n, S1, dtype=np.int8)
    struktural = jenis <= PENGAWAS
    out[struktural] = np.where(u[struktural] < 0.55, S1, np.where(u[struktural] < 0.95, S2, S3))
    head = jenis == JPT
    out[head] = np.where(u[head] < 0.05, S1, np.where(u[head] < 0.75, S2, S3))
    f = jenis == FUNGSIONAL
    p_d3 = np.where(
        kategori == org.PENDIDIKAN,
        0.03,
        np.where(np.isin(kategori, [org.RUMAH_SAKIT, org.KESEHATAN]), 0.55, 0.30),
    )
    out[f] = np.where(u[f] < p_d3[f], D3, np.where(u[f] < p_d3[f] + (1 - p_d3[f]) * 0.87, S1, S2))
    p = jenis == PELAKSANA
    out[p] = np.where(u[p] < 0.45, SMA, np.where(u[p] < 0.65, D3, S1))
    return out


def golongan(
    status: np.ndarray,
    jenis: np.ndarray,
    pend: np.ndarray,
    masa_kerja: np.ndarray,
    rendah: np.ndarray,
) -> np.ndarray:
    """Rank index into GOLONGAN_PNS (PNS/CPNS) or GOLONGAN_PPPK (PPPK)."""
    entry = np.select([pend == SMA, pend == D3, pend == S1, pend == S2], [4, 6, 8, 9], 10)
    entry = np.where(rendah, 2, entry)  # low-class support staff entered at I/c
    naik = np.where(status == CPNS, 0, np.floor(np.maximum(masa_kerja, 0) / 4)).astype(np.int64)
    g = entry + naik
    cap = np.select(
        [jenis == PELAKSANA, (jenis == FUNGSIONAL) & (pend == D3), jenis == FUNGSIONAL],
        [np.where(pend <= D3, 9, 11), 11, 14],
        16,
    )
    g = np.minimum(g, cap)
    lo, hi = np.zeros_like(g), np.full_like(g, 16)
    lo[jenis == PENGAWAS], hi[jenis == PENGAWAS] = 9, 12
    lo[jenis == ADMINISTRATOR], hi[jenis == ADMINISTRATOR] = 11, 13
    lo[jenis == JPT], hi[jenis == JPT] = 14, 16
    g = np.where(status == CPNS, entry, np.clip(g, lo, hi))
    pppk = np.select([pend == SMA, pend == D3, pend == S1], [4, 6, 8], 9)
    pppk = np.where(rendah, 1, pppk)
    return np.where(status == PPPK, pppk, g).astype(np.int8)


def label_golongan(status: np.ndarray, gol: np.ndarray) -> np.ndarray:
    return np.where(status == PPPK, GOL_PPPK[gol], GOL_PNS[gol])


def kelas_jabatan(
    rng: np.random.Generator, jenis, status, pend, gol, rendah, kelas_kepala, sekretaris
) -> np.ndarray:
    n = len(jenis)
    u = rng.random(n)
    k = np.zeros(n, dtype=np.int8)
    k[jenis == JPT] = kelas_kepala[jenis == JPT]
    k[jenis == ADMINISTRATOR] = np.where(sekretaris[jenis == ADMINISTRATOR], 13, 12)
    m = jenis == PENGAWAS
    k[m] = np.where(u[m] < 0.8, 9, np.where(u[m] < 0.95, 10, 11))
    pppk = status == PPPK
    f = jenis == FUNGSIONAL
    ahli = np.select(
        [gol <= 9, gol <= 11], [8, np.where(u < 0.7, 9, 10)], np.where(u < 0.7, 11, 12)
    )
    terampil = np.select([gol <= 7, gol <= 9], [6, 7], 8)
    k[f] = np.where(pend[f] == D3, terampil[f], ahli[f])
    k[f & pppk] = np.where(pend[f & pppk] == D3, 6, np.where(gol[f & pppk] >= 9, 9, 8))
    p = jenis == PELAKSANA
    biasa = np.select([gol <= 7, gol <= 9], [5, 6], 7)
    k[p] = np.where(rendah[p], 1 + (rng.integers(0, 4, n)[p]), biasa[p])
    k[p & pppk] = np.where(rendah[p & pppk], 2, np.where(gol[p & pppk] >= 6, 6, 5))
    return k


# ---- position names -------------------------------------------------------------------------

# Level of a functional post by class: index = kelas.
JENJANG_AHLI = np.array(
    [""] * 8 + ["Ahli Pertama", "Ahli Muda", "Ahli Muda", "Ahli Madya", "Ahli Madya"], dtype=object
)
JENJANG_TERAMPIL = np.array([""] * 6 + ["Terampil", "Mahir", "Penyelia"], dtype=object)
PELAKSANA_NAMA = {
    1: ["Pramu Bakti"],
    2: ["Petugas Keamanan"],
    3: ["Pengemudi"],
    4: ["Pengelola Umum Operasional"],
    5: [
        "Pengadministrasi Perkantoran",
        "Operator Layanan Operasional",
        "Pengadministrasi Keuangan",
    ],
    6: ["Pengelola Layanan Operasional", "Pengolah Data dan Informasi", "Pengelola Keuangan"],
    7: ["Penata Layanan Operasional", "Penelaah Teknis Kebijakan", "Penata Kelola Keuangan"],
}
KABUPATEN_NAMA = np.array([k[0] for k in org.KABUPATEN])

ADMIN_NAMA = {
    org.PENDIDIKAN: [
        "Kepala Bidang Pembinaan SMA",
        "Kepala Bidang Pembinaan SMK",
        "Kepala Bidang Pendidikan Khusus",
        "Kepala Bidang Guru dan Tenaga Kependidikan",
        "Kepala Bidang Kebudayaan",
    ],
    org.RUMAH_SAKIT: [
        "Kepala Bidang Pelayanan Medik",
        "Kepala Bidang Keperawatan",
        "Kepala Bidang Penunjang Medik",
        "Kepala Bagian Umum",
        "Kepala Bagian Keuangan",
    ],
    org.KESEHATAN: [
        "Kepala Bidang Pelayanan Kesehatan",
        "Kepala Bidang Pencegahan dan Pengendalian Penyakit",
        "Kepala Bidang Kesehatan Masyarakat",
        "Kepala Bidang Sumber Daya Kesehatan",
    ],
    org.SEKRETARIAT: [
        "Kepala Bagian Tata Usaha Pimpinan",
        "Kepala Bagian Protokol",
        "Kepala Bagian Kelembagaan",
        "Kepala Bagian Perundang-undangan",
        "Kepala Bagian Persidangan",
        "Kepala Bagian Kerja Sama",
    ],
    org.PENGAWASAN: [
        "Inspektur Pembantu Wilayah I",
        "Inspektur Pembantu Wilayah II",
        "Inspektur Pembantu Wilayah III",
        "Inspektur Pembantu Wilayah IV",
        "Inspektur Pembantu Khusus",
    ],
    org.KEUANGAN: [
        "Kepala Bidang Anggaran",
        "Kepala Bidang Perbendaharaan",
        "Kepala Bidang Akuntansi",
        "Kepala Bidang Pendapatan Daerah",
        "Kepala Bidang Pengelolaan Aset Daerah",
    ],
    org.TEKNIS: [
        "Kepala Bidang Perencanaan dan Pengembangan",
        "Kepala Bidang Pelayanan",
        "Kepala Bidang Pembinaan",
        "Kepala Bidang Pengendalian dan Pengawasan",
        "Kepala Bidang Sarana dan Prasarana",
    ],
}
SEKRETARIS_NAMA = {
    org.RUMAH_SAKIT: "Wakil Direktur Umum dan Keuangan",
    org.SEKRETARIAT: "Kepala Bagian Umum",
}
PENGAWAS_NAMA = {
    org.PENDIDIKAN: [
        "Kepala Seksi Kurikulum dan Penilaian",
        "Kepala Seksi Peserta Didik",
        "Kepala Seksi Sarana dan Prasarana",
        "Kepala Subbagian Tata Usaha Cabang Dinas",
        "Kepala Seksi Pendidik dan Tenaga Kependidikan",
    ],
    org.RUMAH_SAKIT: [
        "Kepala Seksi Pelayanan Medik",
        "Kepala Seksi Keperawatan Rawat Inap",
        "Kepala Seksi Keperawatan Rawat Jalan",
        "Kepala Seksi Penunjang Medik",
        "Kepala Subbagian Rekam Medis",
        "Kepala Subbagian Kepegawaian",
    ],
    org.SEKRETARIAT: [
        "Kepala Subbagian Protokol",
        "Kepala Subbagian Tata Usaha Pimpinan",
        "Kepala Subbagian Rumah Tangga",
        "Kepala Subbagian Kelembagaan",
        "Kepala Subbagian Produk Hukum",
        "Kepala Subbagian Kerja Sama",
    ],
    org.PENGAWASAN: [
        "Kepala Subbagian Umum dan Kepegawaian",
        "Kepala Subbagian Perencanaan",
        "Kepala Subbagian Evaluasi dan Pelaporan",
        "Kepala Subbagian Keuangan",
    ],
    org.KEUANGAN: [
        "Kepala Subbidang Anggaran",
        "Kepala Subbidang Perbendaharaan",
        "Kepala Subbidang Akuntansi",
        "Kepala Subbidang Penatausahaan Aset",
        "Kepala Subbidang Pajak Daerah",
    ],
}
PENGAWAS_UMUM = [
    "Kepala Subbagian Umum dan Kepegawaian",
    "Kepala Subbagian Keuangan",
    "Kepala Subbagian Perencanaan",
    "Kepala Seksi Pelayanan",
    "Kepala Seksi Pembinaan",
    "Kepala Seksi Pengawasan",
    "Kepala Seksi Data dan Informasi",
    "Kepala Seksi Pengembangan",
]


def _pick(rng: np.random.Generator, pool, n: int) -> np.ndarray:
    pool = np.asarray(pool, dtype=object)
    return pool[rng.integers(0, len(pool), n)]


def jabatan_dasar(
    rng: np.random.Generator, depts, dept: np.ndarray, jenis: np.ndarray, pend: np.ndarray
) -> np.ndarray:
    """Base name of functional posts (``Guru``, ``Perawat`` …); empty for other post types."""
    out = np.full(len(dept), "", dtype=object)
    for i, d in enumerate(depts):
        for terampil in (False, True):
            m = (dept == i) & (jenis == FUNGSIONAL) & ((pend == D3) == terampil)
            n = int(m.sum())
            if not n:
                continue
            own = d.fungsional_terampil if terampil else d.fungsional_ahli
            umum = org.FUNGSIONAL_UMUM_TERAMPIL if terampil else org.FUNGSIONAL_UMUM_AHLI
            pool = np.where(
                rng.random(n) < (0.7 if own else 0.0),
                _pick(rng, own or umum, n),
                _pick(rng, umum, n),
            )
            if d.kategori == org.PENDIDIKAN and not terampil:
                pool = np.where(rng.random(n) < 0.95, "Guru", pool)
            out[m] = pool
    return out


def nama_jabatan(rng: np.random.Generator, depts, dept, jenis, kelas, pend, dasar) -> np.ndarray:
    n = len(dept)
    kat = np.array([d.kategori for d in depts], dtype=object)[dept]
    out = np.full(n, "", dtype=object)
    kepala = np.array([d.kepala for d in depts], dtype=object)
    out[jenis == JPT] = kepala[dept[jenis == JPT]]
    for k in CAMPURAN_JENIS:
        m = (kat == k) & (jenis == ADMINISTRATOR)
        out[m] = np.where(
            kelas[m] == 13,
            SEKRETARIS_NAMA.get(k, "Sekretaris"),
            _pick(rng, ADMIN_NAMA[k], int(m.sum())),
        )
        m = (kat == k) & (jenis == PENGAWAS)
        out[m] = _pick(rng, PENGAWAS_NAMA.get(k, PENGAWAS_UMUM), int(m.sum()))
    edu = (kat == org.PENDIDIKAN) & (jenis == ADMINISTRATOR) & (kelas == 12) & (rng.random(n) < 0.7)
    out[edu] = "Kepala Cabang Dinas Pendidikan " + _pick(
        rng, KABUPATEN_NAMA, int(edu.sum())
    ).astype(str)
    uptd = (jenis == PENGAWAS) & (kelas >= 10) & np.isin(kat, [org.TEKNIS, org.KEUANGAN])
    out[uptd] = "Kepala UPTD Wilayah " + _pick(rng, KABUPATEN_NAMA, int(uptd.sum())).astype(str)
    f = jenis == FUNGSIONAL
    jenjang = np.where(
        pend == D3, JENJANG_TERAMPIL[np.clip(kelas, 6, 8)], JENJANG_AHLI[np.clip(kelas, 8, 12)]
    )
    out[f] = dasar[f].astype(str) + " " + jenjang[f].astype(str)
    for k, pool in PELAKSANA_NAMA.items():
        m = (jenis == PELAKSANA) & (kelas == k)
        out[m] = _pick(rng, pool, int(m.sum()))
    return out
