"""Daily activity log (aktivitas_YYYYMM): a few entries per day worked, for the staff who keep one."""

from __future__ import annotations

import numpy as np
import polars as pl

from orchestration.tools.simulator import organisation as org
from orchestration.tools.simulator.attendance import MonthAttendance
from orchestration.tools.simulator.behaviour import Behaviour
from orchestration.tools.simulator.jobs import ADMINISTRATOR, FUNGSIONAL, JPT, PENGAWAS
from orchestration.tools.simulator.people import DAY, Workforce
from orchestration.tools.simulator.streams import stream

URAIAN = {
    "guru": [
        "Mengajar di kelas sesuai jadwal pelajaran",
        "Menyusun modul ajar dan rencana pembelajaran",
        "Memeriksa dan menilai tugas peserta didik",
        "Membimbing kegiatan ekstrakurikuler",
        "Menyusun soal penilaian harian",
        "Melaksanakan remedial dan pengayaan",
        "Mengikuti rapat dewan guru",
        "Menginput nilai ke aplikasi rapor",
    ],
    "kesehatan": [
        "Melayani pasien rawat jalan",
        "Melakukan asuhan keperawatan pasien rawat inap",
        "Melakukan visite pasien bersama dokter",
        "Mendokumentasikan rekam medis pasien",
        "Melakukan pemeriksaan laboratorium",
        "Menyiapkan dan menyerahkan obat pasien",
        "Mengikuti serah terima jaga",
        "Melakukan edukasi kesehatan kepada keluarga pasien",
    ],
    "pimpinan": [
        "Memimpin rapat koordinasi",
        "Memeriksa dan menandatangani naskah dinas",
        "Memberikan arahan kepada staf",
        "Mengikuti rapat bersama pimpinan daerah",
        "Melakukan monitoring dan evaluasi program",
        "Menyusun telaahan staf",
        "Menerima tamu dinas",
        "Memverifikasi laporan kinerja bawahan",
    ],
    "staf": [
        "Menyusun laporan kegiatan bulanan",
        "Mengagendakan surat masuk dan keluar",
        "Menginput data pada aplikasi SIPD",
        "Menyiapkan bahan rapat",
        "Menyusun draf naskah dinas",
        "Memverifikasi dokumen pertanggungjawaban keuangan",
        "Mengelola arsip dinamis",
        "Melayani konsultasi masyarakat",
        "Memutakhirkan data kepegawaian",
        "Menyusun notulen rapat",
        "Melakukan rekonsiliasi data aset",
        "Mengikuti bimbingan teknis secara daring",
    ],
}
KELOMPOK = tuple(URAIAN)


def generate(
    wf: Workforce, i: int, att: MonthAttendance, b_all: Behaviour, seed: int
) -> pl.DataFrame:
    m, st = wf.months[i], wf.states[i]
    rng = stream(seed, "activities", i)
    idx = att.idx
    users = b_all.log_aktivitas[idx]
    r, d = np.nonzero(att.hadir & users[:, None])
    k = rng.choice([2, 3, 4], len(r), p=[0.35, 0.4, 0.25])
    rr, dd = np.repeat(r, k), np.repeat(d, k)
    slot = np.arange(len(rr)) - np.repeat(np.cumsum(k) - k, k)
    total = np.repeat(rng.uniform(300, 450, len(r)), k)
    w = rng.gamma(2.0, 1.0, len(rr))
    share = w / np.repeat(np.add.reduceat(w, np.cumsum(k) - k) if len(k) else w, k)
    durasi = np.clip(np.round(total * share / 5) * 5, 15, 480).astype(np.int32)

    pid = idx[rr]
    kat = wf.kategori[st.dept[pid]]
    jenis = st.jenis[pid]
    group = np.select(
        [
            (kat == org.PENDIDIKAN) & (jenis == FUNGSIONAL),
            np.isin(kat, [org.RUMAH_SAKIT, org.KESEHATAN]) & (jenis == FUNGSIONAL),
            np.isin(jenis, [JPT, ADMINISTRATOR, PENGAWAS]),
        ],
        [0, 1, 2],
        3,
    )
    uraian = np.empty(len(rr), dtype=object)
    base = np.repeat(rng.integers(0, 1000, len(r)), k) + slot  # no task twice on one day
    for g, name in enumerate(KELOMPOK):
        sel = group == g
        pool = np.array(URAIAN[name], dtype=object)
        uraian[sel] = pool[base[sel] % len(pool)]
    tanggal = m.first + dd * DAY
    v = rng.random(len(rr))
    akhir = (m.last - tanggal).astype(np.int64) < 5
    p_ajukan = np.where(akhir, 0.3, 0.06)
    status = np.where(
        v < p_ajukan, "DIAJUKAN", np.where(v < p_ajukan + 0.03, "DITOLAK", "DISETUJUI")
    )
    frame = pl.DataFrame(
        {
            "nip": wf.nip_series.gather(pid),
            "tanggal": tanggal,
            "uraian": pl.Series(uraian.tolist(), dtype=pl.String),
            "durasi_menit": durasi,
            "status": status,
            "_s": slot,
        }
    )
    return frame.sort("nip", "tanggal", "_s").drop("_s")
