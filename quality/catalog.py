"""Every data-quality check by name: the asset it judges, its severity and what it ensures.

The Dagster asset checks (``orchestration.checks``), the history and the alerts all use these
names. GX suite checks are named ``gx_<suite>`` (ERROR) and ``gx_<suite>_peringatan`` (WARN).
"""

from __future__ import annotations

from dataclasses import dataclass

from quality.outcome import ERROR, WARN


@dataclass(frozen=True)
class CheckInfo:
    name: str
    asset: str  # "tpp_bulanan", "raw/absensi"
    severity: str
    judul: str  # what the check ensures, in Bahasa Indonesia
    reads: tuple[str, ...] = ()  # other assets it reads (they must be built first)
    # an ERROR check that blocks only the periods it fails (publish leaves them out, the other
    # periods of the run are published: sources.md, "the period is blocked"); any other ERROR
    # check blocks the whole run (nothing downstream is built)
    per_periode: bool = False


PAYROLL = (
    CheckInfo(
        "bruto_tidak_melebihi_basis", "tpp_bulanan", ERROR, "TPP bruto tidak melebihi basis TPP."
    ),
    CheckInfo(
        "tanpa_temuan_error",
        "tpp_bulanan",
        ERROR,
        "Tidak ada temuan tingkat ERROR untuk periode (mis. NIP ganda di data pegawai).",
        ("temuan",),
        per_periode=True,
    ),
    CheckInfo(
        "total_opd_sesuai_rincian",
        "tpp_opd_bulanan",
        ERROR,
        "Total per OPD (tpp_opd_bulanan) sama dengan jumlah baris tpp_bulanan.",
        ("tpp_bulanan",),
    ),
)

CROSS_SOURCE = (
    CheckInfo(
        "nip_tidak_dikenal",
        "karantina",
        WARN,
        "Tap, ketidakhadiran, penilaian, aktivitas atau jadwal dinas untuk NIP yang tidak "
        "ada di data pegawai.",
    ),
    CheckInfo(
        "pegawai_aktif_tanpa_absensi",
        "raw/absensi",
        WARN,
        "Pegawai aktif tanpa satu pun tap absensi sebulan (di luar yang cuti sebulan penuh).",
        ("raw/pegawai", "raw/ketidakhadiran"),
    ),
    CheckInfo(
        "penilai_sama_dengan_dinilai",
        "raw/kinerja",
        WARN,
        "Penilaian kinerja yang penilainya adalah pegawai itu sendiri.",
    ),
    CheckInfo(
        "predikat_tidak_sesuai_matriks",
        "raw/kinerja",
        WARN,
        "Predikat tertulis berbeda dari matriks PermenPANRB 6/2022 (matriks yang dipakai).",
    ),
)

DRIFT = (
    CheckInfo(
        "drift_jumlah_pegawai",
        "tpp_bulanan",
        WARN,
        "Perubahan jumlah pegawai per OPD dari bulan sebelumnya dalam batas wajar.",
    ),
    CheckInfo(
        "drift_total_tpp",
        "tpp_bulanan",
        WARN,
        "Perubahan total TPP bruto per OPD dari bulan sebelumnya dalam batas wajar.",
    ),
    CheckInfo(
        "drift_tingkat_tk",
        "tpp_bulanan",
        WARN,
        "Perubahan tingkat TK (tanpa keterangan) per OPD dari bulan sebelumnya dalam batas wajar.",
    ),
)

CHECKS: dict[str, CheckInfo] = {c.name: c for c in (*PAYROLL, *CROSS_SOURCE, *DRIFT)}
