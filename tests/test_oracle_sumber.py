"""The platform's ingest against an independent oracle of the source contract (``oracle_sumber``).

One export folder, one ``kinerja run``: a small simulated province with defects (``--kotor``,
August and September 2025) next to hand-made adversarial exports for February to April 2025 and
June 2025, each file aimed at rules of sources.md and jadwal.md §3 (BOM and CRLF, headers in any
order, case and spacing, extra and missing columns, XLSX with a title and a NIP as a number,
impossible NIP dates, rows of another month, duplicates, conflicting master and roster rows,
quoted commas and newlines ...). The oracle decides every line of every file from the contract
alone; the platform's raw zone, its quarantine and the warehouse's ``karantina`` must agree on
every line: valid (with the same parsed values) or quarantined with a reason the contract allows.
Lines where the contract is silent carry the oracle's assumption and are listed, not failed.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
from oracle_sumber import (
    COLUMNS,
    compare,
    judge_folder,
    platform_lines,
    staged_lines,
    summary,
)

from orchestration.cli import main
from orchestration.core.paths import DataDir
from orchestration.core.published import current_snapshot

# the headers the contract names, as the oracle reads them (written, then judged)
PEGAWAI, ABSENSI, KETIDAKHADIRAN, KINERJA, AKTIVITAS, JADWAL = (
    COLUMNS[k] for k in ("pegawai", "absensi", "ketidakhadiran", "kinerja", "aktivitas", "jadwal")
)


def nip(i: int) -> str:
    """A valid NIP per employee: birth date, TMT CPNS, sex digit, sequence."""
    return f"{1970 + i:04d}{i % 12 + 1:02d}{i % 27 + 1:02d}{2000 + i:04d}{i % 12 + 1:02d}{i % 2 + 1}{i + 1:03d}"


STAFF = [nip(i) for i in range(10)]
LEAP = "199202292016011012"  # born 29 Feb 1992: a real date
SHIFT = [STAFF[8], STAFF[9]]
EVERYONE = [*STAFF, LEAP]
UNKNOWN = "198001012005011099"  # valid, in no master
RETIRED = STAFF[9]  # on shifts, aktif_sampai 31 March, not in April's master

BAD_NIPS = {
    "feb29": "199302292016011013",  # 1993 is no leap year
    "tmt13": "199001012016131014",  # TMT month 13
    "tmt00": "199001012016001015",  # TMT month 00
    "sex3": "199001012016013016",  # sex digit 3
    "short": "19900101201601101",
    "letters": "19900101201601101X",
    "spaced": "19900101 201601 1 018",
    "birth32": "199001322016011019",
}


def master_row(n: str, **kw) -> dict:
    row = {
        "nip": n,
        "nama": f"Pegawai {n[-3:]}, S.Kom.",
        "status": "PNS",
        "golongan": "III/a",
        "jenis_jabatan": "PELAKSANA",
        "nama_jabatan": "Staf",
        "kelas_jabatan": "7",
        "kode_opd": "1.02.01",
        "nama_opd": "Dinas Kesehatan",
        "tmt_opd": "2020-01-01",
        "aktif_sampai": "",
        "pola_kerja": "SHIFT" if n in SHIFT else "",
    }
    row.update(kw)
    return row


def write_csv(
    path: Path,
    header: list[str],
    rows: list[dict | list],
    *,
    bom: bool = False,
    eol: str = "\n",
    tail: str = "",
    columns: list[str] | None = None,
) -> None:
    """rows as dicts (by contract column) or lists (already in header order)."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator=eol)
    w.writerow(header)
    cols = columns or [h.strip().lower() for h in header]
    for r in rows:
        w.writerow([r.get(c, "") for c in cols] if isinstance(r, dict) else r)
    data = out.getvalue() + tail
    path.write_bytes(("\ufeff" if bom else "").encode() + data.encode())


def _exact_numbers(path: Path, nips: list[str]) -> None:
    """openpyxl writes a big int as a float's repr; write these NIPs' digits as they are."""
    with zipfile.ZipFile(path) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    for n in nips:
        rounded = f"<v>{float(n)!r}</v>"
        assert rounded in sheet, rounded
        sheet = sheet.replace(rounded, f"<v>{n}</v>")
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)


def taps(month: str, people: list[str]) -> list[dict]:
    rows = []
    for day in (3, 4, 5):
        for n in people:
            rows.append(
                {
                    "id_mesin": "FP-01",
                    "nip": n,
                    "waktu": f"{month}-{day:02d} 07:2{day}:00",
                    "jenis": "MASUK",
                    "metode": "FINGER",
                }
            )
            rows.append(
                {
                    "id_mesin": "FP-01",
                    "nip": n,
                    "waktu": f"{month}-{day:02d} 16:1{day}:00",
                    "jenis": "",
                    "metode": "FINGER",
                }
            )
    return rows


def evaluation(n: str, periode: str, **kw) -> dict:
    row = {
        "nip": n,
        "periode": periode,
        "hasil_kerja": "SESUAI",
        "perilaku": "SESUAI",
        "predikat": "BAIK",
        "status": "FINAL",
        "nip_penilai": STAFF[0],
        "tanggal_penilaian": f"{periode}-28",
    }
    row.update(kw)
    return row


def build_adversarial(out: Path) -> None:
    """Hand-made exports, February to April 2025 (April blocked by a NIP conflict)."""
    out.mkdir(parents=True, exist_ok=True)

    # --- masters -------------------------------------------------------------------------
    # February: BOM, CRLF, header permuted with case and spaces, an extra column, quoted comma
    # and newline in a name, an exact duplicate, trailing empty lines
    header = [" NIP", "Nama ", "STATUS", "golongan", "Jenis_Jabatan", "nama_jabatan"]
    header += ["kelas_jabatan", "kode_opd", "nama_opd", "tmt_opd", "aktif_sampai", "pola_kerja"]
    header = [header[i] for i in (2, 0, 1, 3, 4, 5, 6, 7, 8, 9, 10, 11)] + ["Keterangan"]
    cols = [h.strip().lower() for h in header]
    rows = [master_row(n, keterangan="-") for n in EVERYONE]
    rows[1]["nama"] = 'Dr. Maria "Ina" Lede,\nS.Kep.'
    rows.append(dict(rows[2]))
    rows.append(dict(rows[3], keterangan="dikirim ulang"))  # differs only in an extra column
    rows.append(master_row(BAD_NIPS["feb29"]))
    rows.append(master_row(BAD_NIPS["tmt13"]))
    rows.append(master_row(BAD_NIPS["sex3"]))
    write_csv(out / "pegawai_202502.csv", header, rows, bom=True, eol="\r\n", tail="\r\n\r\n")

    # March: XLSX, a title in A1 and a subtitle, the header on row 4, NIP as a number in some
    # cells, a second sheet that is the active one
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Pegawai"
    sheet.append(["DAFTAR PEGAWAI ASN PROVINSI NUSA TENGGARA TIMUR"])
    sheet.append(["Keadaan akhir bulan Maret 2025"])
    sheet.append([])
    sheet.append(PEGAWAI)
    exact = []
    for k, n in enumerate(EVERYONE):
        r = master_row(n, aktif_sampai="2025-03-31" if n == RETIRED else "")
        cells = [r[c] for c in PEGAWAI]
        cells[6] = int(cells[6])
        if k % 2 == 0:
            # an 18-digit number cell: every other one with all its digits in the file (as
            # pandas or a database export writes it), the others as Excel keeps it, rounded to
            # 15 significant digits (a NIP that is gone: quarantined)
            cells[0] = int(n)
            if k % 4 == 0:
                exact.append(n)
        sheet.append(cells)
    sheet.append([BAD_NIPS["birth32"], *[master_row(STAFF[0])[c] for c in PEGAWAI[1:]]])
    r = master_row("198101012006041031", tmt_opd=dt.datetime(2025, 3, 3), pola_kerja="sekolah")
    sheet.append([r[c] for c in PEGAWAI])  # a date cell; a pattern in lower case
    sheet.append([])  # an empty row between data rows
    sheet.append([" " + r[c] if c == "nip" else r[c] for c in PEGAWAI])  # conflicts? no: A1
    r = master_row("198101012006041032", pola_kerja="MALAM")
    sheet.append([r[c] for c in PEGAWAI])
    other = book.create_sheet("Catatan")
    other.append(["nip", "catatan"])
    other.append([UNKNOWN, "bukan data pegawai"])
    book.active = 1
    book.save(out / "pegawai_202503.xlsx")
    _exact_numbers(out / "pegawai_202503.xlsx", exact)

    # April: no pola_kerja column, codes in lower case, spaces around values, values out of
    # range, golongan per status
    header = PEGAWAI[:-1]
    rows = [master_row(n) for n in EVERYONE if n != RETIRED]
    rows[0]["status"] = "pns"
    rows[1]["nip"] = f" {rows[1]['nip']} "
    rows[2]["jenis_jabatan"] = " PELAKSANA"
    rows[3].update(status="PPPK", golongan="IX")
    rows[4].update(status="CPNS", golongan="IV/e")
    rows += [
        master_row("198101012006041021", kelas_jabatan="0"),
        master_row("198101012006041022", kelas_jabatan="18"),
        master_row("198101012006041023", kelas_jabatan="sembilan"),
        master_row("198101012006041024", status="PPPK", golongan="III/a"),
        master_row("198101012006041025", status="PNS", golongan="XVII"),
        master_row("198101012006041026", status="HONORER"),
        master_row("198101012006041027", tmt_opd=""),
        master_row("198101012006041028", tmt_opd="2025-02-30"),
        master_row("198101012006041029", aktif_sampai="2025-04-31"),
        master_row("198101012006041030", jenis_jabatan="STRUKTURAL"),
        master_row("198101012006041033", status="PPPK", golongan="XVIII"),
        master_row("198101012006041034", status="CPNS", golongan="IV/e"),
        master_row("198101012000001035"),  # TMT year 0000
        master_row("000001012006041036"),  # born in year 0000
        master_row("198101012006041037", kelas_jabatan=" 07 "),
        # two different rows for one NIP: both quarantined, April blocked (ERROR NIP_GANDA)
        master_row(STAFF[6], kode_opd="1.03.01", nama_opd="Dinas PUPR"),
    ]
    rows.append(dict(rows[7]))  # an exact duplicate: counts once
    write_csv(out / "pegawai_202504.csv", header, rows)

    # --- taps ----------------------------------------------------------------------------
    feb = taps("2025-02", EVERYONE)
    feb += [
        {"id_mesin": "HP", "nip": STAFF[1], "waktu": "2025-02-06 07:01:00", "metode": "MOBILE"},
        {
            "id_mesin": "HP",
            "nip": STAFF[1],
            "waktu": "2025-02-06 16:01:00",
            "metode": "MOBILE",
            "lat": "-10.1772",
            "lon": "123.6070",
        },
        {
            "id_mesin": "HP",
            "nip": STAFF[2],
            "waktu": "2025-02-06 07:02:00",
            "metode": "MOBILE",
            "lat": "-10,1772",
            "lon": "123.6070",
        },
        {
            "id_mesin": "HP",
            "nip": STAFF[2],
            "waktu": "2025-02-06 16:02:00",
            "metode": "MOBILE",
            "lat": "abc",
            "lon": "",
        },
        {
            "id_mesin": "FP, lantai 2",
            "nip": STAFF[3],
            "waktu": "2025-02-06 07:03:00",
            "metode": "FINGER",
        },
        {
            "id_mesin": "FP",
            "nip": STAFF[3],
            "waktu": "2025-02-06 16:03:00",
            "jenis": "masuk",
            "metode": "finger",
        },
        {
            "id_mesin": "FP",
            "nip": STAFF[4],
            "waktu": " 2025-02-06 07:04:00 ",
            "jenis": "MASUK",
            "metode": "FINGER",
        },
        {
            "id_mesin": "FP",
            "nip": STAFF[4],
            "waktu": "2025-02-06 16:04:00",
            "jenis": "KELUAR",
            "metode": "FINGER",
        },
        {
            "id_mesin": "FP",
            "nip": STAFF[5],
            "waktu": "2025-02-06 07:05:00",
            "jenis": "MASUK",
            "metode": "RFID",
        },
        {
            "id_mesin": "FP",
            "nip": STAFF[5],
            "waktu": "2025-02-06 16:05:00",
            "jenis": "PULANG",
            "metode": "",
        },
        {"id_mesin": "FP", "nip": STAFF[6], "waktu": "2025-02-29 07:06:00", "metode": "FINGER"},
        {"id_mesin": "FP", "nip": STAFF[6], "waktu": "2025-03-01 00:00:00", "metode": "FINGER"},
        {
            "id_mesin": "HP",
            "nip": STAFF[7],
            "waktu": "2025-02-07 07:07:00",
            "metode": "MOBILE",
            "lat": "-10.1",
        },
        ["", "", "", "", "", "", ""],
        {"id_mesin": "FP", "nip": STAFF[7], "waktu": "2025-02-07 16:07:00", "metode": "WAJAH"},
    ]
    write_csv(out / "absensi_202502.csv", ABSENSI, feb, bom=True, eol="\r\n")

    mar = taps("2025-03", EVERYONE)
    for k, n in enumerate(BAD_NIPS.values()):
        mar.append(
            {"id_mesin": "FP", "nip": n, "waktu": f"2025-03-06 07:0{k}:00", "metode": "FINGER"}
        )
    for k, w in enumerate(
        [
            "2025-03-07T07:00:00",
            "2025-03-07 7:00:00",
            "2025-03-07 07:00",
            "2025-03-32 07:00:00",
            "2025-03-07 24:00:00",
            "07/03/2025 07:00:00",
            "2025-03-07 07:00:00.5",
            "",
            "2025-02-28 23:59:59",
            "2025-04-01 00:00:00",
            "2025-04-01 06:58:00",
            "2025-03-31 23:59:59",
            "2025-03-01 00:00:00",
        ]
    ):
        mar.append(
            {
                "id_mesin": "FP",
                "nip": STAFF[k % 8],
                "waktu": w,
                "jenis": "PULANG",
                "metode": "WAJAH",
            }
        )
    mar.append(
        {"id_mesin": "FP", "nip": UNKNOWN, "waktu": "2025-03-07 07:00:00", "metode": "FINGER"}
    )
    mar.append({"id_mesin": "FP", "nip": LEAP, "waktu": "2025-03-07 07:00:00", "metode": "FINGER"})
    mar.append(dict(mar[0], catatan="dikirim ulang"))  # differs only in an extra column
    for k, w in enumerate(
        [
            "2025-03-08 07:00:00+08:00",
            "2025-03-08 07:00:00Z",
            "2025-3-8 07:00:00",
            "2025-03-08  07:00:00",
            "2025/03/08 07:00:00",
            "20250308 070000",
        ]
    ):
        mar.append({"id_mesin": "FP", "nip": STAFF[k], "waktu": w, "metode": "FINGER"})
    header = ["Metode", " waktu ", "NIP", "lat", "lon", "JENIS", "id_mesin", "catatan"]
    cols = [h.strip().lower() for h in header]
    write_csv(out / "absensi_202503.csv", header, mar, columns=cols)

    apr = taps("2025-04", [n for n in EVERYONE if n != RETIRED])
    apr.insert(5, dict(apr[4]))  # a device re-sends a tap
    apr.insert(9, dict(apr[8], nip=apr[8]["nip"] + " "))  # the same but a trailing space
    apr += [
        {
            "id_mesin": "FP",
            "nip": STAFF[1],
            "waktu": "2025-03-31 23:59:59",
            "jenis": "MASUK",
            "metode": "FINGER",
        },
        {
            "id_mesin": "FP",
            "nip": STAFF[8],
            "waktu": "2025-04-30 20:50:00",
            "jenis": "MASUK",
            "metode": "FINGER",
        },
        {
            "id_mesin": "FP",
            "nip": STAFF[8],
            "waktu": "2025-05-01 07:02:00",
            "jenis": "PULANG",
            "metode": "FINGER",
        },
        {"id_mesin": "FP", "nip": UNKNOWN, "waktu": "2025-04-07 07:00:00", "metode": "FINGER"},
        {"id_mesin": "", "nip": STAFF[2], "waktu": "2025-04-07 07:00:00", "metode": "FINGER"},
        {
            "id_mesin": "FP",
            "nip": RETIRED,
            "waktu": "2025-03-31 20:55:00",
            "jenis": "MASUK",
            "metode": "FINGER",
        },
        {
            "id_mesin": "FP",
            "nip": RETIRED,
            "waktu": "2025-04-01 07:01:00",
            "jenis": "PULANG",
            "metode": "FINGER",
        },
    ]
    write_csv(out / "absensi_202504.csv", ABSENSI, apr, tail="\n\n")

    # --- evaluations ---------------------------------------------------------------------
    write_csv(out / "kinerja_202502.csv", KINERJA, [evaluation(n, "2025-02") for n in EVERYONE])
    rows = [evaluation(n, "2025-03") for n in EVERYONE]
    rows[0]["predikat"] = ""
    rows[1].update(hasil_kerja="DI_ATAS", perilaku="DI_ATAS", predikat="BAIK")  # a finding
    rows[2]["status"] = "DRAFT"
    rows[3]["nip_penilai"] = ""
    rows[4]["hasil_kerja"] = "di_atas"
    rows += [
        evaluation(STAFF[5], "2025-02"),
        evaluation(STAFF[6], "2025-3"),
        evaluation(STAFF[7], "202503"),
        evaluation(STAFF[8], "2025-03", perilaku="BAIK"),
        evaluation(STAFF[9], "2025-03", predikat="ISTIMEWA"),
        evaluation(STAFF[9], "2025-03", status="SELESAI"),
        evaluation(STAFF[6], "2025-03", tanggal_penilaian="2025-04-31"),
        evaluation(UNKNOWN, "2025-03"),
        evaluation(BAD_NIPS["feb29"], "2025-03"),
    ]
    rows.append(dict(rows[6]))
    write_csv(out / "kinerja_202503.csv", KINERJA, rows)

    # April: XLSX, header on row 20 (the last one allowed), dates as date cells
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["REKAPITULASI PENILAIAN KINERJA BULANAN"])
    for _ in range(18):
        sheet.append([])
    sheet.append([f" {c.upper()} " if k % 2 else c.title() for k, c in enumerate(KINERJA)])
    for n in EVERYONE:
        r = evaluation(n, "2025-04")
        sheet.append([r[c] for c in KINERJA])
    r = evaluation(UNKNOWN, "2025-04")
    sheet.append([r[c] for c in KINERJA])
    book.save(out / "kinerja_202504.xlsx")

    # --- absences ------------------------------------------------------------------------
    write_csv(out / "ketidakhadiran_202502.csv", KETIDAKHADIRAN, [])  # header only
    absences = [
        (STAFF[0], "CT", "2025-02-25", "2025-03-02", "DISETUJUI"),  # touches March: valid
        (STAFF[1], "CS", "2025-02-01", "2025-02-28", "DISETUJUI"),  # February only
        (STAFF[2], "DL", "2025-03-31", "2025-04-02", "DISETUJUI"),
        (STAFF[3], "DIKLAT", "2025-04-01", "2025-04-05", "DISETUJUI"),  # April only
        (STAFF[4], "CLTN", "2025-01-01", "2025-12-31", "DISETUJUI"),
        (STAFF[5], "CAP", "2025-03-10", "2025-03-07", "DISETUJUI"),  # mulai after selesai
        (STAFF[6], "CUTI", "2025-03-10", "2025-03-11", "DISETUJUI"),
        (STAFF[7], "izin", "2025-03-12", "2025-03-12", "DISETUJUI"),
        (STAFF[0], "IZIN", "2025-03-13", "2025-03-13", "DIBATALKAN"),
        (STAFF[1], "IZIN", "2025-03-14", "", "DISETUJUI"),
        (STAFF[1], "IZIN", "14-03-2025", "2025-03-14", "DISETUJUI"),
        (UNKNOWN, "CT", "2025-03-14", "2025-03-14", "DISETUJUI"),
        (BAD_NIPS["sex3"], "CT", "2025-03-14", "2025-03-14", "DISETUJUI"),
        (STAFF[2], "TB", "2025-03-01", "2025-03-31", "DIAJUKAN"),
        (STAFF[3], "CT", "2025-3-17", "2025-03-18", "DISETUJUI"),
        (STAFF[3], "CT", "2025/03/19", "2025-03-19", "DISETUJUI"),
        (STAFF[3], "CT", "20250320", "2025-03-20", "DISETUJUI"),
        (STAFF[4], "CT", "2025-02-28", "2025-03-01", "DISETUJUI"),
    ]
    rows = [
        {
            "nip": a,
            "kode": b,
            "mulai": c,
            "selesai": d,
            "status": e,
            "nomor_surat": f"800/{k}/BKD/2025",
        }
        for k, (a, b, c, d, e) in enumerate(absences)
    ]
    write_csv(out / "ketidakhadiran_202503.csv", KETIDAKHADIRAN, rows, eol="\r\n")
    # a missing required column rejects the whole file
    write_csv(
        out / "ketidakhadiran_202504.csv",
        KETIDAKHADIRAN[:-1],
        [[STAFF[0], "CT", "2025-04-14", "2025-04-15", "DISETUJUI"]],
    )

    # --- activities ----------------------------------------------------------------------
    rows = []
    for k, (d, u, m) in enumerate(
        [
            ("2025-03-03", "Menyusun laporan, rapat", "60"),
            ("2025-03-03", "Baris satu\nbaris dua, dengan koma", "1"),
            ("2025-03-04", 'Mengutip "kata"', "720"),
            ("2025-03-04", "Nol menit", "0"),
            ("2025-03-05", "Terlalu lama", "721"),
            ("2025-03-05", "Desimal", "60.0"),
            ("2025-03-05", "Huruf", "enam puluh"),
            ("2025-03-05", "Negatif", "-5"),
            ("2025-02-28", "Bulan lalu", "30"),
            ("2025-04-01", "Bulan depan", "30"),
            ("2025-03-06", "", "30"),
            ("2025-03-06", "Status aneh", "30"),
        ]
    ):
        rows.append(
            {
                "nip": STAFF[k % 8],
                "tanggal": d,
                "uraian": u,
                "durasi_menit": m,
                "status": "SELESAI" if u == "Status aneh" else "DISETUJUI",
            }
        )
    rows.append(dict(rows[0]))
    rows.append([STAFF[1], "2025-03-07", "Koma", "tanpa tanda kutip", "30", "DISETUJUI"])
    rows.append([STAFF[1], "2025-03-07", "Kurang kolom", "30"])
    rows.append(
        {
            "nip": STAFF[1],
            "tanggal": "2025-03-10",
            "uraian": "Sesudahnya",
            "durasi_menit": "5",
            "status": "DIAJUKAN",
        }
    )
    write_csv(out / "aktivitas_202503.csv", AKTIVITAS, rows, tail="\n")

    # --- rosters -------------------------------------------------------------------------
    rows = []
    for n in SHIFT:
        for day in range(1, 32):
            rows.append(
                {
                    "nip": n,
                    "tanggal": f"2025-03-{day:02d}",
                    "kode_shift": "PAGI" if day % 3 else "LIBUR",
                }
            )
    rows[3]["kode_shift"] = "pagi"
    rows[4]["kode_shift"] = "SORE"
    rows[5]["kode_shift"] = ""
    rows[31 + 30]["kode_shift"] = "MALAM"  # the retiree's last day, a night shift
    rows.append(dict(rows[7]))  # exact duplicate: once
    rows.append(dict(rows[10], kode_shift="MALAM"))  # conflict: both quarantined
    rows += [
        {"nip": SHIFT[0], "tanggal": "2025-04-01", "kode_shift": "PAGI"},
        {"nip": SHIFT[0], "tanggal": "2025-02-28", "kode_shift": "MALAM"},
        {"nip": SHIFT[0], "tanggal": "2025-03-32", "kode_shift": "PAGI"},
        {"nip": UNKNOWN, "tanggal": "2025-03-03", "kode_shift": "PAGI"},
        {"nip": BAD_NIPS["tmt00"], "tanggal": "2025-03-03", "kode_shift": "PAGI"},
        {"nip": STAFF[0], "tanggal": "2025-03-03", "kode_shift": "PAGI"},  # not SHIFT: a WARN
    ]
    write_csv(out / "jadwal_202503.csv", [*JADWAL, ""], [[*r.values(), ""] for r in rows])


# ---------------------------------------------------------------------------- the comparison

SIMULATED = ["2025-05", "2025-06"]


@pytest.fixture(scope="module")
def compared(tmp_path_factory):
    """One folder (adversarial February–April, simulated May–June), one ``kinerja run``."""
    base = tmp_path_factory.mktemp("oracle_sumber")
    exports, data = base / "exports", DataDir.resolve(base / "data")
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        rc = main(
            [
                "simulate",
                "--out",
                str(exports),
                "--pegawai",
                "60",
                "--opd",
                "3",
                "--mulai",
                SIMULATED[0],
                "--sampai",
                SIMULATED[-1],
                "--seed",
                "11",
                "--kotor",
                "0.05",
            ]
        )
        assert rc == 0, err.getvalue()
        build_adversarial(exports)
        rc = main(["run", "--exports", str(exports), "--data", str(data.root)])
    # April is blocked by its NIP conflict (ERROR NIP_GANDA): the run says so and fails, and
    # publishes the other months
    assert rc == 1, err.getvalue()
    assert "periode 2025-04 TIDAK diterbitkan" in err.getvalue(), err.getvalue()
    assert "NIP_GANDA" in err.getvalue(), err.getvalue()
    assert current_snapshot(data).periods == ["2025-02", "2025-03", *SIMULATED]
    verdict = judge_folder(exports)
    valid, quarantined = platform_lines(data.root)
    staged = staged_lines(data.root)
    return verdict, valid, quarantined, compare(verdict, valid, quarantined, staged)


def test_every_line_of_every_export_agrees_with_the_oracle(compared):
    """Valid lines load with the contract's values; quarantined ones carry an allowed reason."""
    _, _, _, disagreements = compared
    decided = [d for d in disagreements if not d.ambigu]
    assert not decided, f"{len(decided)} differences:\n" + "\n".join(map(str, decided[:40]))


def test_where_the_contract_is_silent_the_platform_s_choice_is_the_known_one(compared):
    """The lines the oracle tags with an assumption: the platform's choice there is listed here,
    so a change of it is seen (and judged against the contract) rather than absorbed."""
    _, _, _, disagreements = compared
    got = sorted((d.file, d.line, ",".join(sorted(d.ambigu))) for d in disagreements if d.ambigu)
    assert got == sorted(KNOWN_CHOICES), "\n".join(map(str, got))


def test_the_oracle_reads_the_contract_as_written(compared):
    """The oracle's own verdicts on the lines the contract decides by name."""
    verdict, _, _, _ = compared
    lines = verdict.by_key()

    def v(file: str, line: int) -> tuple[str, set[str]]:
        ln = lines[(file, line)]
        return ln.verdict, ln.alasan

    files = {f.file: f for f in verdict.files}
    assert files["ketidakhadiran_202504.csv"].kolom_hilang == ["nomor_surat"]
    assert files["pegawai_202502.csv"].kolom_lebih == ["keterangan"]
    # absences: 25 Feb – 2 Mar touches March; 1–28 Feb does not
    assert v("ketidakhadiran_202503.csv", 2)[0] == "valid"
    assert v("ketidakhadiran_202503.csv", 3) == ("karantina", {"DI_LUAR_PERIODE"})
    # a tap of 31 March 23:59:59 in April's file belongs to March
    apr = {ln.nilai.get("waktu"): ln for ln in lines.values() if ln.file == "absensi_202504.csv"}
    assert apr[dt.datetime(2025, 3, 31, 23, 59, 59)].alasan == {"DI_LUAR_PERIODE"}
    s = summary(verdict)
    assert s["valid"] > 1000 and s["duplikat"] >= 3
    assert {"NIP_GANDA", "JADWAL_GANDA", "NIP_TIDAK_DIKENAL", "NIP_TIDAK_VALID"} <= set(
        s["karantina"]
    )


# (file, line, the oracle's assumption): what the platform does there, judged in the report
KNOWN_CHOICES: list[tuple[str, int, str]] = [
    # an empty id_mesin, uraian or nip_penilai is quarantined (WAJIB_KOSONG)
    ("absensi_202504.csv", 68, "A3"),
    ("aktivitas_202503.csv", 13, "A3"),
    ("kinerja_202503.csv", 5, "A8"),
    # a line equal to an earlier one once values are stripped counts once
    ("absensi_202504.csv", 11, "A1"),
    ("pegawai_202503.xlsx", 17, "A1,A11"),
    ("pegawai_202503.xlsx", 19, "A1,A11"),
    # the retiree's check-out of the 31 March night shift, in April's file: kept for March
    ("absensi_202504.csv", 70, "A15"),
    # a duplicate of a line quarantined for an unknown NIP counts once (not quarantined twice)
    ("absensi_202506.csv", 1145, "A6"),
    ("kinerja_202503.csv", 22, "A6"),
    # durasi_menit 60.0 is no integer
    ("aktivitas_202503.csv", 8, "A12"),
]


# ---------------------------------------------------------------------------- single files


def _kinerja_xlsx(path: Path, title_rows: int, *, empty_first_sheet: bool = False) -> Path:
    book = openpyxl.Workbook()
    sheet = book.create_sheet("Data") if empty_first_sheet else book.active
    for k in range(title_rows):
        sheet.append([f"REKAPITULASI PENILAIAN (nip dan nilai) {k}"])
    sheet.append(KINERJA)
    r = evaluation(STAFF[1], "2025-04")
    sheet.append([r[c] for c in KINERJA])
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


@pytest.mark.parametrize(
    ("title_rows", "empty_first_sheet", "read"),
    [(19, False, True), (20, False, False), (0, True, False), (1, False, True)],
    ids=["header-row-20", "header-row-21", "data-on-second-sheet", "title-mentions-nip"],
)
def test_an_xlsx_header_is_found_where_the_contract_says(
    tmp_path, title_rows, empty_first_sheet, read
):
    """sources.md: "first sheet, header row within the first 20 rows": the file is read (and its
    line numbered by its sheet row) or rejected as a whole, as the oracle decides."""
    from tests.test_validation import read_and_validate

    path = _kinerja_xlsx(
        tmp_path / "kinerja_202504.xlsx", title_rows, empty_first_sheet=empty_first_sheet
    )
    fv = judge_folder(tmp_path).files[0]
    assert fv.dibaca is read
    result = read_and_validate(path.read_bytes(), path.name)
    if read:
        assert result.valid["line_no"].to_list() == [ln.line for ln in fv.lines]
        assert result.quarantine.height == 0
    else:
        assert result.valid.height == 0
        assert result.quarantine["line_no"].to_list() == [0]
