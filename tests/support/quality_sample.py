"""Small realistic data for the quality tests: one consistent month per call.

``sample_month`` builds the raw-zone frames of every source kind (the optional shift roster:
``sample_roster``) and the marts the checks read (tpp_bulanan following tpp-rules §5 with exact
half-up rounding, tpp_opd_bulanan, tpp_harian, temuan, karantina) for a handful of employees in
two departments; ``write_data_dir`` lays them out as the pipeline does (raw Parquet +
warehouse.duckdb). A test helper, not part of the installed package; the capture servers for
the alert tests are in ``tests.support.capture``.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import polars as pl

from orchestration.core.contract import PREDIKAT_MATRIX, raw_schema
from orchestration.core.paths import DataDir
from quality.suites import month_bounds

BASIS = {6: 3_000_000, 7: 3_400_000, 8: 3_900_000, 9: 4_600_000, 12: 7_200_000}
PPH = {"I": 0, "II": 0, "III": 5, "IV": 15}
PREDIKAT_PERSEN = {"SANGAT_BAIK": 100, "BAIK": 100, "BUTUH_PERBAIKAN": 75, "KURANG": 50}

# nip, nama, status, golongan, kelas, kode_opd, tmt_opd, aktif_sampai, predikat/(hasil, perilaku)
EMPLOYEES = [
    (
        "199008152016011005",
        "Maria Bili, S.E.",
        "PNS",
        "III/b",
        9,
        "1.02.01",
        "2020-01-02",
        None,
        ("SESUAI", "SESUAI"),
    ),
    (
        "199703122023022001",
        "Yohana Ndun, A.Md.",
        "CPNS",
        "II/c",
        6,
        "1.02.01",
        "2023-02-01",
        None,
        ("DI_BAWAH", "SESUAI"),
    ),
    (
        "198811202019031002",
        "Petrus Lau",
        "PPPK",
        "IX",
        7,
        "1.03.01",
        "2019-03-01",
        None,
        ("DI_ATAS", "DI_ATAS"),
    ),
    (
        "196503011990031003",
        "Drs. Simon Tefa",
        "PNS",
        "IV/a",
        12,
        "1.03.01",
        "2015-06-01",
        "{mid}",
        ("SESUAI", "DI_ATAS"),
    ),
    (
        "196602021991032004",
        "Agustina Sae",
        "PNS",
        "III/a",
        8,
        "1.03.01",
        "2010-01-04",
        "{before}",
        ("SESUAI", "SESUAI"),
    ),
    (
        "198504172010011006",
        "Yakobus Manu, S.T.",
        "PNS",
        "III/c",
        9,
        "1.02.01",
        "2012-05-01",
        None,
        None,
    ),
    (
        "199212242018012007",
        "Ruth Lado, S.Kom.",
        "PNS",
        "III/a",
        8,
        "1.03.01",
        "2018-01-02",
        None,
        ("SESUAI", "SESUAI"),
    ),
]
CLTN_NIP = "198504172010011006"  # on unpaid leave all month: no taps, excused
OPD_NAMA = {"1.02.01": "Dinas Pendidikan dan Kebudayaan", "1.03.01": "Dinas Kesehatan"}


def _rhu(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _weekdays(start: dt.date, end: dt.date) -> list[dt.date]:
    days = [start + dt.timedelta(d) for d in range((end - start).days + 1)]
    return [d for d in days if d.weekday() < 5]


def _file(kind: str, periode: str) -> str:
    return f"{kind}_{periode.replace('-', '')}.csv"


def _frame(rows: list[dict], kind: str) -> pl.DataFrame:
    schema = raw_schema(kind)
    return pl.DataFrame(rows, schema=schema, orient="row") if rows else schema.to_frame()


def _employees(periode: str) -> list[dict]:
    start, end = month_bounds(periode)
    out = []
    for nip, nama, status, gol, kelas, opd, tmt, sampai, rating in EMPLOYEES:
        if sampai == "{mid}":
            sampai = (start + dt.timedelta(13)).isoformat()
        elif sampai == "{before}":
            sampai = (start - dt.timedelta(1)).isoformat()
        out.append(
            dict(
                nip=nip,
                nama=nama,
                status=status,
                golongan=gol,
                kelas=kelas,
                kode_opd=opd,
                tmt_opd=dt.date.fromisoformat(tmt),
                aktif_sampai=dt.date.fromisoformat(sampai) if sampai else None,
                rating=rating,
            )
        )
    return out


def sample_month(periode: str = "2025-03") -> dict[str, pl.DataFrame]:
    """Clean, mutually consistent frames of one month (every check passes on them)."""
    start, end = month_bounds(periode)
    staff = _employees(periode)
    hari_kerja = len(_weekdays(start, end))
    frames: dict[str, pl.DataFrame] = {}

    frames["pegawai"] = _frame(
        [
            dict(
                periode=periode,
                source_file=_file("pegawai", periode),
                line_no=i + 2,
                nip=e["nip"],
                nama=e["nama"],
                status=e["status"],
                golongan=e["golongan"],
                jenis_jabatan="PELAKSANA" if e["kelas"] < 9 else "FUNGSIONAL",
                nama_jabatan="Analis" if e["kelas"] >= 9 else "Pengadministrasi",
                kelas_jabatan=e["kelas"],
                kode_opd=e["kode_opd"],
                nama_opd=OPD_NAMA[e["kode_opd"]],
                tmt_opd=e["tmt_opd"],
                aktif_sampai=e["aktif_sampai"],
            )
            for i, e in enumerate(staff)
        ],
        "pegawai",
    )

    active = [e for e in staff if e["aktif_sampai"] is None or e["aktif_sampai"] >= start]
    taps, absences, evaluations, activities, days = [], [], [], [], []
    for e in active:
        last = min(e["aktif_sampai"] or end, end)
        workdays = _weekdays(max(start, e["tmt_opd"]), last)
        e["hari_efektif"] = 0 if e["nip"] == CLTN_NIP else len(workdays)
        e["tk"] = 0
        e["hadir"] = 0
        if e["nip"] == CLTN_NIP:
            absences.append(
                dict(
                    nip=e["nip"],
                    kode="CLTN",
                    mulai=start - dt.timedelta(40),
                    selesai=end + dt.timedelta(60),
                    status="DISETUJUI",
                    nomor_surat="800/123/BKD/2025",
                )
            )
        else:
            for n, day in enumerate(workdays):
                if n == 0 and e["kode_opd"] == "1.03.01":
                    e["tk"] += 1  # one unexplained absence in Dinas Kesehatan
                    days.append((e, day, "TK"))
                    continue
                e["hadir"] += 1
                days.append((e, day, "HADIR"))
                for hh, mm, jenis in ((7, 21, "MASUK"), (16, 5, "PULANG")):
                    taps.append(
                        dict(
                            id_mesin="FP-01" if e["kode_opd"] == "1.02.01" else "FP-07",
                            nip=e["nip"],
                            waktu=dt.datetime.combine(day, dt.time(hh, mm)),
                            jenis=jenis,
                            metode="FINGER",
                            lat=None,
                            lon=None,
                        )
                    )
                if n < 3:
                    activities.append(
                        dict(
                            nip=e["nip"],
                            tanggal=day,
                            uraian="Menyusun laporan",
                            durasi_menit=120,
                            status="DISETUJUI",
                        )
                    )
        if e["rating"]:
            hasil, perilaku = e["rating"]
            evaluations.append(
                dict(
                    nip=e["nip"],
                    hasil_kerja=hasil,
                    perilaku=perilaku,
                    predikat=PREDIKAT_MATRIX[(hasil, perilaku)],
                    status="FINAL",
                    nip_penilai="197001011995031001",
                    tanggal_penilaian=end,
                )
            )

    def lineage(kind: str, rows: list[dict]) -> pl.DataFrame:
        return _frame(
            [
                dict(periode=periode, source_file=_file(kind, periode), line_no=i + 2, **r)
                for i, r in enumerate(rows)
            ],
            kind,
        )

    frames["absensi"] = lineage("absensi", taps)
    frames["ketidakhadiran"] = lineage("ketidakhadiran", absences)
    frames["kinerja"] = lineage("kinerja", evaluations)
    frames["aktivitas"] = lineage("aktivitas", activities)

    tpp_rows = []
    for e in active:
        basis = Decimal(BASIS[e["kelas"]]) * (Decimal("0.8") if e["status"] == "CPNS" else 1)
        predikat = None
        if e["rating"]:
            predikat = PREDIKAT_MATRIX[e["rating"]]
        persen_kinerja = Decimal(PREDIKAT_PERSEN.get(predikat, 0))
        persen_disiplin = max(Decimal(0), Decimal(100) - 3 * e["tk"])
        efektif = basis * e["hari_efektif"] / hari_kerja
        kinerja = _rhu(efektif * Decimal("0.6") * persen_kinerja / 100)
        disiplin = _rhu(efektif * Decimal("0.4") * persen_disiplin / 100)
        bruto = kinerja + disiplin
        pokok = e["golongan"].split("/")[0]
        rate = PPH[pokok] if e["status"] != "PPPK" else 5
        pph21 = _rhu(Decimal(bruto) * rate / 100)
        bpjs = _rhu(Decimal(bruto) / 100)
        tpp_rows.append(
            dict(
                periode=periode,
                nip=e["nip"],
                nama=e["nama"],
                kode_opd=e["kode_opd"],
                nama_opd=OPD_NAMA[e["kode_opd"]],
                segmen="UTAMA",
                status=e["status"],
                golongan=e["golongan"],
                kelas_jabatan=e["kelas"],
                hari_kerja=hari_kerja,
                hari_efektif=e["hari_efektif"],
                hadir=e["hadir"],
                tk=e["tk"],
                tl1=0,
                tl2=0,
                tl3=0,
                tl4=0,
                psw1=0,
                psw2=0,
                psw3=0,
                psw4=0,
                predikat=predikat,
                persen_kinerja=float(persen_kinerja),
                persen_disiplin=float(persen_disiplin),
                tpp_basis=int(basis),
                tpp_kinerja=kinerja,
                tpp_disiplin=disiplin,
                tpp_bruto=bruto,
                pph21=pph21,
                iuran_bpjs=bpjs,
                tpp_neto=bruto - pph21 - bpjs,
                aturan_versi="default-2024",
                tanpa_penilaian=predikat is None,
                source_file=_file("pegawai", periode),
                line_no=2 + staff.index(e),
            )
        )
    tpp = pl.DataFrame(tpp_rows).with_columns(
        pl.col("persen_kinerja", "persen_disiplin").cast(pl.Decimal(9, 4)),
        pl.col(
            "tpp_basis",
            "tpp_kinerja",
            "tpp_disiplin",
            "tpp_bruto",
            "pph21",
            "iuran_bpjs",
            "tpp_neto",
        ).cast(pl.Int64),
    )
    frames["tpp_bulanan"] = tpp
    frames["tpp_opd_bulanan"] = department_totals(tpp)
    frames["tpp_harian"] = pl.DataFrame(
        [
            dict(
                periode=periode,
                nip=e["nip"],
                kode_opd=e["kode_opd"],
                segmen="UTAMA",
                tanggal=day,
                kode_hari=kode,
                aturan_versi="default-2024",
            )
            for e, day, kode in days
        ],
        schema={
            "periode": pl.String,
            "nip": pl.String,
            "kode_opd": pl.String,
            "segmen": pl.String,
            "tanggal": pl.Date,
            "kode_hari": pl.String,
            "aturan_versi": pl.String,
        },
        orient="row",
    )
    frames["temuan"] = pl.DataFrame(
        [
            dict(
                periode=periode,
                tingkat="WARN",
                kode="PEGAWAI_TIDAK_AKTIF",
                nip="196602021991032004",
                kode_opd="1.03.01",
                source_file=_file("pegawai", periode),
                line_no=6,
                pesan="Pegawai tidak aktif di 1.03.01 pada satu hari pun bulan ini.",
            )
        ],
        schema=TEMUAN_SCHEMA,
        orient="row",
    )
    frames["karantina"] = pl.DataFrame(
        [
            dict(
                kind="absensi",
                periode=periode,
                source_file=_file("absensi", periode),
                line_no=9999,
                kolom="waktu",
                nilai="2025-13-01 07:00:00",
                kode_alasan="WAKTU_TIDAK_VALID",
                alasan="Waktu tidak valid.",
            )
        ],
        schema=KARANTINA_SCHEMA,
        orient="row",
    )
    return frames


PERAWAT_NIP = "199203112019032003"  # a nurse of the provincial hospital on rostered shifts
ROSTER_CYCLE = ("PAGI", "PAGI", "SIANG", "SIANG", "MALAM", "LIBUR", "LIBUR")


def sample_roster(periode: str = "2025-03", nip: str = PERAWAT_NIP) -> pl.DataFrame:
    """The raw rows of a clean ``jadwal_YYYYMM`` (jadwal.md §3): one row per day of the month
    for one nurse, rotating PAGI, PAGI, SIANG, SIANG, MALAM, LIBUR, LIBUR. ``sample_month``
    leaves the optional roster out: its master has nobody on the SHIFT pattern."""
    start, end = month_bounds(periode)
    days = [start + dt.timedelta(d) for d in range((end - start).days + 1)]
    return _frame(
        [
            dict(
                periode=periode,
                source_file=_file("jadwal", periode),
                line_no=i + 2,
                nip=nip,
                tanggal=day,
                kode_shift=ROSTER_CYCLE[i % len(ROSTER_CYCLE)],
            )
            for i, day in enumerate(days)
        ],
        "jadwal",
    )


TEMUAN_SCHEMA = {
    "periode": pl.String,
    "tingkat": pl.String,
    "kode": pl.String,
    "nip": pl.String,
    "kode_opd": pl.String,
    "source_file": pl.String,
    "line_no": pl.Int32,
    "pesan": pl.String,
}
KARANTINA_SCHEMA = {
    "kind": pl.String,
    "periode": pl.String,
    "source_file": pl.String,
    "line_no": pl.Int32,
    "kolom": pl.String,
    "nilai": pl.String,
    "kode_alasan": pl.String,
    "alasan": pl.String,
}
RAW_KINDS = ("pegawai", "absensi", "ketidakhadiran", "kinerja", "aktivitas", "jadwal")
MART_NAMES = ("tpp_bulanan", "tpp_opd_bulanan", "tpp_harian", "temuan", "karantina")


def department_totals(tpp: pl.DataFrame) -> pl.DataFrame:
    """tpp_opd_bulanan as the dbt model builds it (the columns the reconciliation compares)."""
    sums = [
        "hari_efektif",
        "hadir",
        "tk",
        "tpp_basis",
        "tpp_kinerja",
        "tpp_disiplin",
        "tpp_bruto",
        "pph21",
        "iuran_bpjs",
        "tpp_neto",
    ]
    return (
        tpp.group_by("periode", "kode_opd")
        .agg(
            pl.col("nama_opd").max(),
            pl.len().cast(pl.Int32).alias("jumlah_baris"),
            pl.col("nip").n_unique().cast(pl.Int32).alias("jumlah_pegawai"),
            *[pl.col(c).cast(pl.Int64).sum() for c in sums],
        )
        .sort("periode", "kode_opd")
    )


def write_data_dir(root: Path, months: dict[str, dict[str, pl.DataFrame]]) -> DataDir:
    """Lay out months of frames as the pipeline does: raw Parquet and warehouse tables."""
    import duckdb

    data = DataDir.resolve(root)
    for periode, frames in months.items():
        for kind in RAW_KINDS:
            if kind in frames:
                path = data.raw_file(kind, periode)
                path.parent.mkdir(parents=True, exist_ok=True)
                frames[kind].write_parquet(path)
    data.root.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(data.warehouse))
    try:
        for name in MART_NAMES:
            parts = [f[name] for f in months.values() if name in f]
            if not parts:
                continue
            con.register("_rows", pl.concat(parts, how="diagonal_relaxed").to_arrow())
            con.execute(f"create or replace table {name} as select * from _rows")
            con.unregister("_rows")
    finally:
        con.close()
    return data
