"""A small, realistic warehouse for the publish / export tests, built with DuckDB directly.

The marts (``tpp_bulanan``, ``tpp_harian``, ``tpp_opd_bulanan``, ``karantina``, ``temuan``) get
the columns of tpp-rules §7 and of the dbt marts (the app's metric marts only a department
count: publish carries them, these tests do not read them), amounts computed here with exact fractions
(§5), so these tests do not depend on the dbt project. The worked example of §8 (PNS III/b kelas
9, BAIK, full month: neto 4,324,000) is employee ``ANA``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from decimal import Decimal
from fractions import Fraction

import duckdb
import polars as pl

from orchestration.core.paths import DataDir
from orchestration.core.published import APP_TABLES, current_snapshot

BASIS = {6: 3_000_000, 7: 3_400_000, 8: 3_900_000, 9: 4_600_000, 11: 6_100_000, 15: 14_500_000}
PREDIKAT = {"SANGAT_BAIK": 100, "BAIK": 100, "BUTUH_PERBAIKAN": 75, "KURANG": 50}
OPD = {
    "4.01.01": "Sekretariat Daerah",
    "1.01.01": "Dinas Pendidikan dan Kebudayaan",
    "1.02.01": "Dinas Kesehatan",
}
POIN = {"tk": Fraction(3), "tl1": Fraction(1, 2), "tl2": Fraction(1), "psw1": Fraction(1, 2)}
ROMAWI = (
    "I",
    "II",
    "III",
    "IV",
    "V",
    "VI",
    "VII",
    "VIII",
    "IX",
    "X",
    "XI",
    "XII",
    "XIII",
    "XIV",
    "XV",
    "XVI",
    "XVII",
)
AMOUNTS = ("tpp_kinerja", "tpp_disiplin", "tpp_bruto", "pph21", "iuran_bpjs", "tpp_neto")


@dataclass(frozen=True)
class Pegawai:
    nip: str
    nama: str
    kode_opd: str
    status: str
    golongan: str
    kelas: int
    jabatan: str
    predikat: str | None = "BAIK"
    tk: int = 0
    tl1: int = 0
    tl2: int = 0
    psw1: int = 0
    cltn: int = 0


PEOPLE = (
    Pegawai(
        "199008152016011005",
        "Ana Maria Lake, S.E.",
        "4.01.01",
        "PNS",
        "III/b",
        9,
        "Analis Kebijakan Ahli Pertama",
    ),
    Pegawai(
        "198503122010012003",
        "Yohanes Benu, S.H., M.H.",
        "4.01.01",
        "PNS",
        "IV/a",
        11,
        "Kepala Bagian Hukum",
        tk=2,
        tl2=1,
        psw1=1,
    ),
    Pegawai(
        "199703042022031002",
        "Maria Goreti Nahak",
        "4.01.01",
        "CPNS",
        "II/c",
        6,
        "Pengadministrasi Umum",
        predikat="BUTUH_PERBAIKAN",
    ),
    Pegawai(
        "197011231995031001",
        "Drs. Petrus Kanisius Tiwu",
        "1.01.01",
        "PNS",
        "IV/c",
        15,
        "Kepala Dinas",
    ),
    Pegawai(
        "198802202014022004",
        "Kristina Ndun, S.Pd.",
        "1.01.01",
        "PNS",
        "III/c",
        8,
        "Guru Ahli Muda",
        predikat=None,
    ),
    Pegawai(
        "199201012019031007",
        "Yakobus Seran, S.Pd.",
        "1.01.01",
        "PNS",
        "III/a",
        8,
        "Guru Ahli Pertama",
        tl1=3,
        cltn=0,
    ),
    Pegawai(
        "199405172020122001",
        "Dr. Fransiska O'Neil Bria",
        "1.02.01",
        "PNS",
        "III/b",
        11,
        "Dokter Ahli Pertama",
        predikat="SANGAT_BAIK",
    ),
    Pegawai(
        "198610302011011002",
        "Samuel Taneo",
        "1.02.01",
        "PNS",
        "III/d",
        7,
        "Sanitarian Mahir",
        predikat="KURANG",
        tk=1,
    ),
)
ANA = PEOPLE[0]


def round_half_up(x: Fraction) -> int:
    return int((x * 2 + 1) // 2)


def decimal_text(x: Fraction) -> str:
    return str(Decimal(x.numerator) / Decimal(x.denominator))


def working_days(periode: str) -> list[dt.date]:
    y, m = int(periode[:4]), int(periode[5:])
    d, out = dt.date(y, m, 1), []
    while d.month == m:
        if d.isoweekday() <= 5:
            out.append(d)
        d += dt.timedelta(days=1)
    return out


def tarif_pph21(status: str, golongan: str) -> int:
    """§5: PNS I-II 0 %, III 5 %, IV 15 %; PPPK I-VIII 0 %, IX-XII 5 %, XIII-XVII 15 %."""
    if status == "PPPK":
        rank = ROMAWI.index(golongan) + 1
        return 0 if rank <= 8 else 5 if rank <= 12 else 15
    return {"I": 0, "II": 0, "III": 5, "IV": 15}[golongan.split("/")[0]]


def tpp_row(periode: str, p: Pegawai) -> dict:
    hari_kerja = len(working_days(periode))
    hari_efektif = hari_kerja - p.cltn
    poin = sum(POIN[k] * getattr(p, k) for k in POIN)
    persen_disiplin = max(Fraction(0), 100 - poin)
    persen_kinerja = PREDIKAT.get(p.predikat, 0)
    basis = BASIS[p.kelas] * (Fraction(8, 10) if p.status == "CPNS" else 1)
    efektif = Fraction(basis) * hari_efektif / hari_kerja
    kinerja = round_half_up(efektif * Fraction(60, 100) * persen_kinerja / 100)
    disiplin = round_half_up(efektif * Fraction(40, 100) * persen_disiplin / 100)
    bruto = kinerja + disiplin
    tarif = tarif_pph21(p.status, p.golongan)
    pph21 = round_half_up(Fraction(bruto * tarif, 100))
    bpjs = round_half_up(Fraction(bruto, 100))
    return {
        "periode": periode,
        "nip": p.nip,
        "nama": p.nama,
        "kode_opd": p.kode_opd,
        "nama_opd": OPD[p.kode_opd],
        "segmen": "UTAMA",
        "status": p.status,
        "golongan": p.golongan,
        "nama_jabatan": p.jabatan,
        "kelas_jabatan": p.kelas,
        "hari_kerja": hari_kerja,
        "hari_efektif": hari_efektif,
        "hadir": hari_efektif - p.tk,
        "tk": p.tk,
        "tl1": p.tl1,
        "tl2": p.tl2,
        "tl3": 0,
        "tl4": 0,
        "psw1": p.psw1,
        "psw2": 0,
        "psw3": 0,
        "psw4": 0,
        "cltn": p.cltn,
        "tb": 0,
        "izin": 0,
        "predikat": p.predikat,
        "tanpa_penilaian": p.predikat is None,
        "persen_kinerja": str(persen_kinerja),
        "persen_disiplin": decimal_text(persen_disiplin),
        "tpp_basis": int(basis),
        "tpp_kinerja": kinerja,
        "tpp_disiplin": disiplin,
        "tpp_bruto": bruto,
        "tarif_pph21": str(tarif),
        "pph21": pph21,
        "iuran_bpjs": bpjs,
        "tpp_neto": bruto - pph21 - bpjs,
        "aturan_versi": "default-2024",
        "sumber_pegawai": f"pegawai_{periode.replace('-', '')}.xlsx",
        "sumber_kinerja": f"kinerja_{periode.replace('-', '')}.csv",
    }


def day_rows(periode: str, p: Pegawai, sumber_absensi: str) -> list[dict]:
    codes = ["TK"] * p.tk + ["CLTN"] * p.cltn
    out = []
    for i, day in enumerate(working_days(periode)):
        code = codes[i] if i < len(codes) else "HADIR"
        out.append(
            {
                "periode": periode,
                "nip": p.nip,
                "kode_opd": p.kode_opd,
                "segmen": "UTAMA",
                "tanggal": day,
                "kode_hari": code,
                "hari_efektif": code != "CLTN",
                "sumber_absensi": sumber_absensi if code == "HADIR" else None,
                "sumber_ketidakhadiran": None,
                "baris_datang": i + 2,
            }
        )
    return out


Scenario = dict[str, list[Pegawai]]


def scenario(*periods: str) -> Scenario:
    return {p: list(PEOPLE) for p in periods}


def change(people: list[Pegawai], nip: str, **fields) -> list[Pegawai]:
    return [replace(p, **fields) if p.nip == nip else p for p in people]


def build_warehouse(data: DataDir, plan: Scenario, sumber_absensi: dict[str, str] | None = None):
    """(Re)create the five marts in DATA/warehouse.duckdb (schema main) for ``plan``."""
    data.root.mkdir(parents=True, exist_ok=True)
    sumber_absensi = sumber_absensi or {}
    tpp = [tpp_row(periode, p) for periode, people in plan.items() for p in people]
    days = [
        d
        for periode, people in plan.items()
        for p in people
        for d in day_rows(
            periode, p, sumber_absensi.get(periode, f"absensi_{periode.replace('-', '')}.csv")
        )
    ]
    bulanan = pl.DataFrame(tpp, infer_schema_length=None)  # noqa: F841 (scanned by DuckDB)
    harian = pl.DataFrame(days, infer_schema_length=None)  # noqa: F841
    periods = sorted(plan)
    with duckdb.connect(str(data.warehouse)) as con:
        con.execute("begin transaction")
        con.execute(
            """
            create or replace table main.tpp_bulanan as
            select * replace (
                cast(kelas_jabatan as integer) as kelas_jabatan,
                cast(persen_kinerja as decimal(9,4)) as persen_kinerja,
                cast(persen_disiplin as decimal(9,4)) as persen_disiplin,
                cast(tarif_pph21 as decimal(9,4)) as tarif_pph21
            ) from bulanan
            """
        )
        con.execute("create or replace table main.tpp_harian as select * from harian")
        con.execute(
            """
            create or replace table main.tpp_opd_bulanan as
            select periode, kode_opd, max(nama_opd) as nama_opd,
                   cast(count(*) as integer) as jumlah_baris,
                   cast(sum(tpp_bruto) as bigint) as tpp_bruto,
                   cast(sum(tpp_neto) as bigint) as tpp_neto
            from main.tpp_bulanan group by periode, kode_opd
            """
        )
        for table in APP_TABLES:  # published with the marts; these tests only carry them
            con.execute(
                f"create or replace table main.{table} as select periode, kode_opd, "
                "cast(count(*) as integer) as jumlah_baris from main.tpp_bulanan "
                "group by periode, kode_opd"
            )
        con.execute(
            """
            create or replace table main.karantina (
                kind varchar, periode varchar, source_file varchar, line_no integer,
                kolom varchar, nilai varchar, kode_alasan varchar, alasan varchar)
            """
        )
        con.execute(
            """
            create or replace table main.temuan (
                periode varchar, tingkat varchar, kode varchar, nip varchar, kode_opd varchar,
                source_file varchar, line_no integer, pesan varchar)
            """
        )
        for periode in periods:
            compact = periode.replace("-", "")
            con.execute(
                "insert into main.karantina values (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    "absensi",
                    periode,
                    f"absensi_{compact}.csv",
                    17,
                    "waktu",
                    "31/02/2025 07:31",
                    "TANGGAL_TIDAK_VALID",
                    "Waktu tap tidak valid.",
                ],
            )
            con.execute(
                "insert into main.temuan values (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    periode,
                    "WARN",
                    "TANPA_PENILAIAN",
                    PEOPLE[4].nip,
                    "1.01.01",
                    f"pegawai_{compact}.xlsx",
                    5,
                    "Tidak ada penilaian kinerja FINAL.",
                ],
            )
        con.execute("commit")


def expected_totals(plan: Scenario, periode: str) -> dict[str, int]:
    rows = [tpp_row(periode, p) for p in plan[periode]]
    return {"rows": len(rows)} | {a: sum(r[a] for r in rows) for a in AMOUNTS}


def test_worked_example_of_the_rules_is_in_the_fixture():
    row = tpp_row("2025-03", ANA)
    assert (row["tpp_kinerja"], row["tpp_disiplin"], row["tpp_bruto"]) == (
        2_760_000,
        1_840_000,
        4_600_000,
    )
    assert (row["pph21"], row["iuran_bpjs"], row["tpp_neto"]) == (230_000, 46_000, 4_324_000)
    second = tpp_row("2025-03", PEOPLE[1])
    assert second["persen_disiplin"] == "92.5"


def lock_march_and_correct_it(data: DataDir) -> tuple[Scenario, Scenario]:
    """Publish Feb-Apr, verify and lock March, then the attendance of March is corrected (ANA
    gets one TK day) and the pipeline reruns March and April. Returns (original, corrected)."""
    from orchestration import lifecycle
    from orchestration.publish import publish

    plan = scenario("2025-02", "2025-03", "2025-04")
    build_warehouse(data, plan)
    publish(data, list(plan))
    lifecycle.verify(data, "2025-03", "Budi Santoso")
    lifecycle.lock(data, "2025-03", "Maria Bere")
    corrected = dict(plan)
    corrected["2025-03"] = change(plan["2025-03"], ANA.nip, tk=1)
    build_warehouse(data, corrected, {"2025-03": "absensi_202503_v2.csv"})
    publish(data, ["2025-03", "2025-04"])
    return plan, corrected


def published(data: DataDir, periods: list[str]) -> DataDir:
    """``data`` with the scenario of ``periods`` built and published."""
    from orchestration.publish import publish

    build_warehouse(data, scenario(*periods))
    publish(data, periods)
    return data


def frozen(data: DataDir, periode: str) -> dict[str, bytes]:
    """Every published file of the period and its terkunci copy (what was paid), as bytes."""
    snapshot = current_snapshot(data)
    out = {
        name: (snapshot.path / name).read_bytes()
        for name, entry in snapshot.manifest["files"].items()
        if entry["periode"] == periode
    }
    out["terkunci"] = (data.locked / f"{periode}.parquet").read_bytes()
    return out
