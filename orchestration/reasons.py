"""The reason catalogue of the contract validator: every reason code (``kode_alasan``) of a
quarantined row or a rejected file, and its Bahasa Indonesia sentence (``ALASAN``)."""

from __future__ import annotations

from dataclasses import dataclass

# --- reason codes ----------------------------------------------------------------------------
# file level (quarantine row with line_no 0; the file is not loaded)
BERKAS_TIDAK_TERBACA = "BERKAS_TIDAK_TERBACA"
BERKAS_KOSONG = "BERKAS_KOSONG"
JUDUL_TIDAK_DITEMUKAN = "JUDUL_TIDAK_DITEMUKAN"
KOLOM_HILANG = "KOLOM_HILANG"
KOLOM_GANDA = "KOLOM_GANDA"
BERKAS_TANPA_DATA = "BERKAS_TANPA_DATA"
SEMUA_BARIS_DITOLAK = "SEMUA_BARIS_DITOLAK"
# row level
BARIS_RUSAK = "BARIS_RUSAK"
WAJIB_KOSONG = "WAJIB_KOSONG"
NIP_TIDAK_VALID = "NIP_TIDAK_VALID"
KODE_TIDAK_DIKENAL = "KODE_TIDAK_DIKENAL"
ANGKA_TIDAK_VALID = "ANGKA_TIDAK_VALID"
DI_LUAR_RENTANG = "DI_LUAR_RENTANG"
TANGGAL_TIDAK_VALID = "TANGGAL_TIDAK_VALID"
WAKTU_TIDAK_VALID = "WAKTU_TIDAK_VALID"
PERIODE_TIDAK_VALID = "PERIODE_TIDAK_VALID"
GOLONGAN_TIDAK_SESUAI = "GOLONGAN_TIDAK_SESUAI"
RENTANG_TANGGAL_TERBALIK = "RENTANG_TANGGAL_TERBALIK"
DI_LUAR_PERIODE = "DI_LUAR_PERIODE"
NIP_GANDA = "NIP_GANDA"

FILE_LEVEL_CODES = (
    BERKAS_TIDAK_TERBACA,
    BERKAS_KOSONG,
    JUDUL_TIDAK_DITEMUKAN,
    KOLOM_HILANG,
    KOLOM_GANDA,
    BERKAS_TANPA_DATA,
    SEMUA_BARIS_DITOLAK,
)


@dataclass(frozen=True)
class Alasan:
    """A reason: machine code + sentence template (``str.format`` placeholders)."""

    kode: str
    templat: str

    def teks(self, **fields: object) -> str:
        return self.templat.format(**fields)


# Template id -> reason. Several templates may share one code (e.g. the ways a NIP is invalid).
ALASAN: dict[str, Alasan] = {
    # file level
    "BERKAS_TIDAK_TERBACA": Alasan(
        BERKAS_TIDAK_TERBACA,
        "Berkas '{berkas}' tidak dapat dibaca: {detail}; seluruh berkas ditolak.",
    ),
    "BERKAS_KOSONG": Alasan(
        BERKAS_KOSONG,
        "Berkas '{berkas}' kosong: tidak ada judul kolom maupun data; seluruh berkas ditolak.",
    ),
    "JUDUL_TIDAK_DITEMUKAN": Alasan(
        JUDUL_TIDAK_DITEMUKAN,
        "Baris judul kolom tidak ditemukan dalam {n} baris pertama lembar '{lembar}' berkas "
        "'{berkas}' (dicari kolom: {daftar}); seluruh berkas ditolak.",
    ),
    "KOLOM_HILANG": Alasan(
        KOLOM_HILANG,
        "Kolom wajib {daftar} tidak ada di berkas '{berkas}'{petunjuk}; seluruh berkas ditolak.",
    ),
    "KOLOM_GANDA": Alasan(
        KOLOM_GANDA,
        "Kolom '{kolom}' muncul {n} kali di judul berkas '{berkas}' sehingga tidak jelas kolom "
        "mana yang berlaku; seluruh berkas ditolak.",
    ),
    "BERKAS_TANPA_DATA": Alasan(
        BERKAS_TANPA_DATA,
        "Berkas '{berkas}' hanya berisi judul kolom tanpa satu pun baris data; berkas ditolak.",
    ),
    "SEMUA_BARIS_DITOLAK": Alasan(
        SEMUA_BARIS_DITOLAK,
        "Tidak ada satu pun dari {n} baris berkas '{berkas}' yang lolos validasi (rincian per "
        "baris ada di karantina); berkas ditolak.",
    ),
    # row level
    "BARIS_RUSAK": Alasan(
        BARIS_RUSAK,
        "Baris berisi {jumlah} kolom, sedangkan judul berkas berisi {n} kolom; isi baris tidak "
        "dapat dipetakan ke kolom dengan aman.",
    ),
    "WAJIB_KOSONG": Alasan(WAJIB_KOSONG, "Kolom '{kolom}' wajib diisi tetapi kosong."),
    "NIP_FORMAT": Alasan(
        NIP_TIDAK_VALID,
        "{label} '{nilai}' tidak valid: harus tepat 18 digit angka tanpa spasi atau tanda baca "
        "(terisi {n} karakter).",
    ),
    "NIP_NOTASI_ILMIAH": Alasan(
        NIP_TIDAK_VALID,
        "{label} '{nilai}' tidak valid: tersimpan sebagai angka (notasi ilmiah) sehingga digit "
        "terakhirnya hilang; simpan kolom NIP sebagai teks di sumber.",
    ),
    "NIP_TANGGAL_LAHIR": Alasan(
        NIP_TIDAK_VALID,
        "{label} '{nilai}' tidak valid: tanggal lahir {tanggal} bukan tanggal yang ada.",
    ),
    "NIP_TMT": Alasan(
        NIP_TIDAK_VALID,
        "{label} '{nilai}' tidak valid: TMT CPNS {bulan} bukan bulan yang ada.",
    ),
    "NIP_JENIS_KELAMIN": Alasan(
        NIP_TIDAK_VALID,
        "{label} '{nilai}' tidak valid: digit jenis kelamin '{digit}' harus 1 (pria) atau "
        "2 (wanita).",
    ),
    "KODE_TIDAK_DIKENAL": Alasan(
        KODE_TIDAK_DIKENAL,
        "Nilai '{nilai}' pada kolom '{kolom}' tidak dikenal; nilai yang diizinkan: {daftar}.",
    ),
    "ANGKA_BULAT": Alasan(
        ANGKA_TIDAK_VALID, "Nilai '{nilai}' pada kolom '{kolom}' bukan bilangan bulat."
    ),
    "ANGKA_DESIMAL": Alasan(
        ANGKA_TIDAK_VALID,
        "Nilai '{nilai}' pada kolom '{kolom}' bukan angka desimal (gunakan titik sebagai "
        "pemisah desimal).",
    ),
    "DI_LUAR_RENTANG": Alasan(
        DI_LUAR_RENTANG,
        "Nilai {nilai} pada kolom '{kolom}' di luar rentang yang diizinkan ({min} s.d. {max}).",
    ),
    "TANGGAL_FORMAT": Alasan(
        TANGGAL_TIDAK_VALID,
        "Tanggal '{nilai}' pada kolom '{kolom}' tidak valid: harus berformat YYYY-MM-DD, "
        "misalnya 2024-03-15.",
    ),
    "TANGGAL_TIDAK_ADA": Alasan(
        TANGGAL_TIDAK_VALID,
        "Tanggal '{nilai}' pada kolom '{kolom}' tidak valid: bukan tanggal yang ada di kalender.",
    ),
    "WAKTU_FORMAT": Alasan(
        WAKTU_TIDAK_VALID,
        "Waktu '{nilai}' pada kolom '{kolom}' tidak valid: harus berformat YYYY-MM-DD HH:MM:SS "
        "(jam WITA, tanpa zona waktu), misalnya 2024-03-15 07:05:00.",
    ),
    "WAKTU_TIDAK_ADA": Alasan(
        WAKTU_TIDAK_VALID,
        "Waktu '{nilai}' pada kolom '{kolom}' tidak valid: tanggalnya tidak ada di kalender.",
    ),
    "PERIODE_FORMAT": Alasan(
        PERIODE_TIDAK_VALID,
        "Periode '{nilai}' pada kolom '{kolom}' tidak valid: harus berformat YYYY-MM dengan "
        "bulan 01 s.d. 12, misalnya 2024-03.",
    ),
    "GOLONGAN_PNS": Alasan(
        GOLONGAN_TIDAK_SESUAI,
        "Golongan '{nilai}' tidak sesuai dengan status {status}: PNS dan CPNS memakai golongan "
        "I/a s.d. IV/e.",
    ),
    "GOLONGAN_PPPK": Alasan(
        GOLONGAN_TIDAK_SESUAI,
        "Golongan '{nilai}' tidak sesuai dengan status PPPK: PPPK memakai golongan I s.d. XVII.",
    ),
    "RENTANG_TERBALIK": Alasan(
        RENTANG_TANGGAL_TERBALIK,
        "Tanggal selesai {selesai} lebih awal daripada tanggal mulai {mulai}.",
    ),
    "DI_LUAR_PERIODE_TANGGAL": Alasan(
        DI_LUAR_PERIODE,
        "Baris bertanggal {tanggal} (kolom '{kolom}') bukan milik periode {periode}; baris ini "
        "seharusnya ada di berkas periode {periode_benar}.",
    ),
    "DI_LUAR_PERIODE_PENILAIAN": Alasan(
        DI_LUAR_PERIODE,
        "Penilaian untuk periode {nilai} bukan milik berkas periode {periode}; baris ini "
        "seharusnya ada di berkas periode {nilai}.",
    ),
    "DI_LUAR_PERIODE_RENTANG": Alasan(
        DI_LUAR_PERIODE,
        "Ketidakhadiran {mulai} s.d. {selesai} tidak menyentuh periode {periode}; baris ini "
        "seharusnya ada di berkas periode {periode_benar}.",
    ),
    "NIP_GANDA": Alasan(
        NIP_GANDA,
        "NIP '{nilai}' muncul di {n} baris berbeda dalam satu snapshot (baris {baris}); semua "
        "baris NIP ini ditahan dan periode {periode} diblokir sampai sumber diperbaiki.",
    ),
}

KODE_ALASAN: tuple[str, ...] = tuple(dict.fromkeys(a.kode for a in ALASAN.values()))

# Messages that are not quarantine rows: file notes and blocking period errors.
PESAN: dict[str, str] = {
    "KOLOM_TAMBAHAN": "Kolom tambahan di berkas '{berkas}' diabaikan: {daftar}.",
    "TANPA_DATA": "Berkas '{berkas}' tidak berisi baris data.",
    "PERIODE_DIBLOKIR": (
        "Periode {periode} diblokir: NIP {nip} muncul di {n} baris berbeda pada berkas "
        "'{berkas}' (baris {baris}); perbaiki sumber lalu kirim ulang berkas."
    ),
    "PERIODE_DIBLOKIR_LAINNYA": (
        "Periode {periode} diblokir: {n} NIP lain juga muncul di lebih dari satu baris pada "
        "berkas '{berkas}' (lihat karantina, kode NIP_GANDA)."
    ),
}
MAX_ERROR_LINES = 50  # NIP_GANDA errors listed one by one up to this many, then summarised


def alasan(template_id: str, **fields: object) -> tuple[str, str]:
    """``(kode_alasan, sentence)`` for a template id, for file-level and reader messages."""
    a = ALASAN[template_id]
    return a.kode, a.teks(**fields)
