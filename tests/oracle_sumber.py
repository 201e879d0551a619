"""An independent oracle of the source-export contract (the spec's sources.md and jadwal.md §3).

Written from the contract alone, without the platform's validator or readers: plain ``csv`` and
``openpyxl``. Given an export folder it decides per file whether the file is read (its name, its
header) and per data line whether the line is valid (with its parsed values), an exact duplicate
of an earlier line (counts once) or quarantined (file, 1-based line number: the header is line 1
of a CSV, an XLSX line is its sheet row; and the reason classes the line breaks).

Where the contract is silent the oracle still decides, but tags the line with the assumption it
made (``Line.ambigu``); a disagreement with the platform on such a line is a question for the
contract, not a platform bug. The assumptions (A1 ...) are listed at ``ASSUMPTIONS``.

Reason classes (the platform's ``kode_alasan`` where the contract names the case):
NIP_TIDAK_VALID, NIP_TIDAK_DIKENAL, WAKTU_TIDAK_VALID, TANGGAL_TIDAK_VALID, ANGKA_TIDAK_VALID,
KODE_TIDAK_DIKENAL, DI_LUAR_RENTANG, DI_LUAR_PERIODE, NILAI_KOSONG, NIP_GANDA (two different
master rows for one NIP), JADWAL_GANDA (two different roster rows for one nip and day),
BARIS_RUSAK (a line whose field count is not the header's).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ASSUMPTIONS = {
    "A1": "values are compared after stripping surrounding spaces (contract: only for headers)",
    "A2": "codes are accepted in any case and read upper-case (contract lists them upper-case)",
    "A3": "a required text value that is empty (nama, kode_opd, id_mesin, nomor_surat ...)",
    "A4": "golongan I/e, II/e, III/e or a golongan in another case",
    "A5": "a line whose field count differs from the header's is quarantined (BARIS_RUSAK)",
    "A6": "exact duplicates of an invalid line, or in kinds the contract does not name",
    "A7": "a NIP conflict or an unknown NIP that involves a quarantined master row",
    "A8": "nip_penilai: empty or not a valid NIP",
    "A9": "an absence whose mulai is after its selesai",
    "A10": "lat/lon: out of the globe, only one of them, or empty on a MOBILE tap",
    "A11": "an XLSX cell of another type than text for a text or date column",
    "A12": "a number written as 9.0 or with a sign",
    "A13": "a line whose values are all empty",
    "A14": "a file with a header and no data line is read (an empty month), not rejected",
    "A15": "a tap on the 1st in M+1's file of someone in M's master, not in M+1's (jadwal.md §4 "
    "uses a night shift's check-out for M; sources.md quarantines an unknown NIP)",
    "A16": "a NIP of real but implausible dates (born before 1900, TMT outside 19xx/20xx)",
    "A17": "line ends CR only (the contract names LF and CRLF): read here, the platform rejects",
}

KINDS = ("pegawai", "absensi", "ketidakhadiran", "kinerja", "aktivitas", "jadwal")
XLSX_KINDS = ("pegawai", "kinerja")

COLUMNS = {
    "pegawai": [
        "nip",
        "nama",
        "status",
        "golongan",
        "jenis_jabatan",
        "nama_jabatan",
        "kelas_jabatan",
        "kode_opd",
        "nama_opd",
        "tmt_opd",
        "aktif_sampai",
        "pola_kerja",
    ],
    "absensi": ["id_mesin", "nip", "waktu", "jenis", "metode", "lat", "lon"],
    "ketidakhadiran": ["nip", "kode", "mulai", "selesai", "status", "nomor_surat"],
    "kinerja": [
        "nip",
        "periode",
        "hasil_kerja",
        "perilaku",
        "predikat",
        "status",
        "nip_penilai",
        "tanggal_penilaian",
    ],
    "aktivitas": ["nip", "tanggal", "uraian", "durasi_menit", "status"],
    "jadwal": ["nip", "tanggal", "kode_shift"],
}
OPTIONAL_COLUMNS = {"pegawai": {"pola_kerja"}}

CODES = {
    ("pegawai", "status"): {"PNS", "CPNS", "PPPK"},
    ("pegawai", "jenis_jabatan"): {"JPT", "ADMINISTRATOR", "PENGAWAS", "FUNGSIONAL", "PELAKSANA"},
    ("pegawai", "pola_kerja"): {"KANTOR", "SEKOLAH", "SHIFT", ""},
    ("absensi", "jenis"): {"MASUK", "PULANG", ""},
    ("absensi", "metode"): {"FINGER", "WAJAH", "MOBILE"},
    ("ketidakhadiran", "kode"): {
        "CT",
        "CS",
        "CB",
        "CM",
        "CAP",
        "CLTN",
        "DL",
        "DIKLAT",
        "TB",
        "IZIN",
    },
    ("ketidakhadiran", "status"): {"DISETUJUI", "DITOLAK", "DIAJUKAN"},
    ("kinerja", "hasil_kerja"): {"DI_ATAS", "SESUAI", "DI_BAWAH"},
    ("kinerja", "perilaku"): {"DI_ATAS", "SESUAI", "DI_BAWAH"},
    ("kinerja", "predikat"): {
        "SANGAT_BAIK",
        "BAIK",
        "BUTUH_PERBAIKAN",
        "KURANG",
        "SANGAT_KURANG",
        "",
    },
    ("kinerja", "status"): {"FINAL", "DRAFT"},
    ("aktivitas", "status"): {"DISETUJUI", "DITOLAK", "DIAJUKAN"},
    # jadwal.md §2: the shift codes of default-2024, and the roster's day off
    ("jadwal", "kode_shift"): {"PAGI", "SIANG", "MALAM", "LIBUR"},
}

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]
ROMAN += ["XI", "XII", "XIII", "XIV", "XV", "XVI", "XVII"]
GOLONGAN_PNS = {f"{r}/{x}" for r in ("I", "II", "III") for x in "abcd"}
GOLONGAN_PNS |= {f"IV/{x}" for x in "abcde"}
GOLONGAN_PPPK = set(ROMAN)

NAME_RE = re.compile(r"^(?P<kind>[a-z]+)_(?P<y>\d{4})(?P<m>\d{2})\.(?P<ext>csv|xlsx)$")
TIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
INT_RE = re.compile(r"^\d+$")
DEC_RE = re.compile(r"^[+-]?\d+(\.\d+)?$")


@dataclass
class Line:
    file: str
    kind: str
    periode: str
    line: int
    verdict: str = "valid"  # valid | karantina | duplikat
    alasan: set[str] = field(default_factory=set)
    nilai: dict = field(default_factory=dict)
    mentah: tuple = ()
    ambigu: set[str] = field(default_factory=set)

    def quarantine(self, reason: str, value: str | None = None) -> None:
        self.verdict = "karantina"
        self.alasan.add(reason)
        if value == "":
            self.alasan.add("WAJIB_KOSONG")  # a required value left empty: also that


@dataclass
class FileVerdict:
    file: str
    kind: str | None
    periode: str | None
    dibaca: bool
    alasan: str = ""  # NAMA_FILE | KOLOM_HILANG | TANPA_HEADER | RUSAK
    kolom_hilang: list[str] = field(default_factory=list)
    kolom_lebih: list[str] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)


# ---------------------------------------------------------------------------- values


def nip_ok(nip: str) -> bool:
    if len(nip) != 18 or not nip.isascii() or not nip.isdigit():
        return False
    try:
        dt.date(int(nip[0:4]), int(nip[4:6]), int(nip[6:8]))
    except ValueError:
        return False
    if not 1 <= int(nip[12:14]) <= 12 or int(nip[8:12]) < 1:
        return False
    return nip[14] in "12"


def parse_date(s: str) -> dt.date | None:
    if not DATE_RE.match(s):
        return None
    try:
        return dt.date.fromisoformat(s)
    except ValueError:
        return None


def parse_time(s: str) -> dt.datetime | None:
    if not TIME_RE.match(s):
        return None
    try:
        return dt.datetime.strptime(s, "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return None


def month_bounds(periode: str) -> tuple[dt.date, dt.date]:
    y, m = int(periode[:4]), int(periode[5:7])
    first = dt.date(y, m, 1)
    nxt = dt.date(y + (m == 12), m % 12 + 1, 1)
    return first, nxt - dt.timedelta(days=1)


# ---------------------------------------------------------------------------- reading


def _cell(v, ambigu: set[str]) -> str:
    """One XLSX cell as the text a CSV would hold."""
    if v is None:
        return ""
    if isinstance(v, bool):
        ambigu.add("A11")
        return str(v)
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if v.is_integer() and abs(v) >= 2**53:
            # beyond a float's exact integers: the digits are gone (a NIP so stored is no NIP)
            return f"{v:.15G}"
        ambigu.add("A11")
        return str(int(v)) if v.is_integer() else repr(v)
    if isinstance(v, dt.datetime):
        ambigu.add("A11")
        if v.time() == dt.time(0):
            return v.date().isoformat()
        return v.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(v, dt.date):
        ambigu.add("A11")
        return v.isoformat()
    return str(v)


def read_csv(path: Path) -> tuple[int, list[str] | None, list[tuple[int, list[str], set[str]]]]:
    """(header line, header, [(line number, fields, ambiguities)]): blank lines are skipped."""
    text = path.read_bytes().decode("utf-8-sig")
    reader = csv.reader(io.StringIO(text, newline=""))
    header, header_line, rows = None, 0, []
    start = 1
    for rec in reader:
        line = start
        start = reader.line_num + 1
        if not rec or all(not f.strip() for f in rec) and len(rec) <= 1:
            continue
        if header is None:
            header, header_line = rec, line
            continue
        rows.append((line, rec, set()))
    return header_line, header, rows


def read_xlsx(path: Path, required: list[str]):
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        ws = wb.worksheets[0]
        all_rows = list(ws.iter_rows(values_only=True))
    finally:
        wb.close()
    header_idx = None
    for i, row in enumerate(all_rows[:20]):
        names = {str(v).strip().lower() for v in row if v is not None}
        if "nip" in names and len(names & set(required)) >= 2:
            header_idx = i
            break
    if header_idx is None:
        return 0, None, []
    header = ["" if v is None else str(v) for v in all_rows[header_idx]]
    rows = []
    for i, row in enumerate(all_rows[header_idx + 1 :], start=header_idx + 2):
        amb: set[str] = set()
        vals = [_cell(v, amb) for v in row]
        if all(not v.strip() for v in vals):
            continue
        rows.append((i, vals, amb))
    return header_idx + 1, header, rows


# ---------------------------------------------------------------------------- per row


def _code(ln: Line, kind: str, col: str, raw: str) -> str:
    v = raw.upper()
    if v != raw and col != "pola_kerja":  # README: pola_kerja in any case
        ln.ambigu.add("A2")
    if v not in CODES[(kind, col)]:
        ln.quarantine("KODE_TIDAK_DIKENAL", v)
    return v


def _nip(ln: Line, raw: str, col: str = "nip") -> str:
    if nip_ok(raw) and not (1900 <= int(raw[:4]) <= 2099 and raw[8:10] in ("19", "20")):
        ln.ambigu.add("A16")
    if not nip_ok(raw):
        if col == "nip":
            ln.quarantine("NIP_TIDAK_VALID", raw)
        else:
            ln.ambigu.add("A8")
    return raw


def _date(ln: Line, raw: str, required: bool = True) -> dt.date | None:
    if raw == "" and not required:
        return None
    d = parse_date(raw)
    if d is None:
        ln.quarantine("TANGGAL_TIDAK_VALID", raw)
    return d


def _int(ln: Line, raw: str, lo: int, hi: int) -> int | None:
    s = raw
    if not INT_RE.match(s):
        if re.match(r"^[+-]?\d+(\.0+)?$", s):
            ln.ambigu.add("A12")
            s = s.lstrip("+").split(".")[0]
            if s.startswith("-"):
                ln.quarantine("DI_LUAR_RENTANG")
                return int(s)
        else:
            ln.quarantine("ANGKA_TIDAK_VALID", s)
            return None
    v = int(s)
    if not lo <= v <= hi:
        ln.quarantine("DI_LUAR_RENTANG")
    return v


def _text(ln: Line, raw: str) -> str:
    if raw == "":
        ln.ambigu.add("A3")
    return raw


def judge_row(ln: Line, kind: str, v: dict[str, str]) -> None:
    first, last = month_bounds(ln.periode)
    out = ln.nilai
    if kind == "pegawai":
        out["nip"] = _nip(ln, v["nip"])
        out["nama"] = _text(ln, v["nama"])
        status = out["status"] = _code(ln, kind, "status", v["status"])
        gol = v["golongan"]
        out["golongan"] = gol
        allowed = GOLONGAN_PPPK if status == "PPPK" else GOLONGAN_PNS
        if status in ("PNS", "CPNS", "PPPK") and gol not in allowed:
            loose = {g.upper() for g in allowed}
            if gol.upper() in loose or re.match(r"^(I|II|III)/e$", gol):
                ln.ambigu.add("A4")
            # an unknown code or a value out of range: both fit the contract
            ln.quarantine("DI_LUAR_RENTANG")
            ln.quarantine("KODE_TIDAK_DIKENAL")
            ln.quarantine("GOLONGAN_TIDAK_SESUAI")
        out["jenis_jabatan"] = _code(ln, kind, "jenis_jabatan", v["jenis_jabatan"])
        out["nama_jabatan"] = _text(ln, v["nama_jabatan"])
        out["kelas_jabatan"] = _int(ln, v["kelas_jabatan"], 1, 17)
        out["kode_opd"] = _text(ln, v["kode_opd"])
        out["nama_opd"] = _text(ln, v["nama_opd"])
        out["tmt_opd"] = _date(ln, v["tmt_opd"])
        out["aktif_sampai"] = _date(ln, v["aktif_sampai"], required=False)
        out["pola_kerja"] = _code(ln, kind, "pola_kerja", v.get("pola_kerja", "")) or None
    elif kind == "absensi":
        out["id_mesin"] = _text(ln, v["id_mesin"])
        out["nip"] = _nip(ln, v["nip"])
        w = parse_time(v["waktu"])
        if w is None:
            ln.quarantine("WAKTU_TIDAK_VALID", v["waktu"])
        elif not first <= w.date() <= last:
            ln.quarantine("DI_LUAR_PERIODE")
        out["waktu"] = w
        out["jenis"] = _code(ln, kind, "jenis", v["jenis"]) or None
        out["metode"] = _code(ln, kind, "metode", v["metode"])
        for c, lim in (("lat", 90), ("lon", 180)):
            raw = v[c]
            if raw == "":
                out[c] = None
                continue
            if not DEC_RE.match(raw):
                ln.quarantine("ANGKA_TIDAK_VALID")
                out[c] = None
                continue
            out[c] = float(raw)
            if abs(out[c]) > lim:
                ln.ambigu.add("A10")
        if (v["lat"] == "") != (v["lon"] == "") or (
            out["metode"] == "MOBILE" and v["lat"] == "" and v["lon"] == ""
        ):
            ln.ambigu.add("A10")
    elif kind == "ketidakhadiran":
        out["nip"] = _nip(ln, v["nip"])
        out["kode"] = _code(ln, kind, "kode", v["kode"])
        a, b = _date(ln, v["mulai"]), _date(ln, v["selesai"])
        out["mulai"], out["selesai"] = a, b
        if a and b:
            if a > b:
                ln.ambigu.add("A9")
                ln.quarantine("DI_LUAR_RENTANG")
                ln.quarantine("RENTANG_TANGGAL_TERBALIK")
            elif b < first or a > last:
                ln.quarantine("DI_LUAR_PERIODE")
        out["status"] = _code(ln, kind, "status", v["status"])
        out["nomor_surat"] = _text(ln, v["nomor_surat"])
    elif kind == "kinerja":
        out["nip"] = _nip(ln, v["nip"])
        out["periode"] = v["periode"]
        if v["periode"] != ln.periode:
            ln.quarantine("DI_LUAR_PERIODE", v["periode"])
            if not re.match(r"^\d{4}-\d{2}$", v["periode"]):
                ln.quarantine("PERIODE_TIDAK_VALID")
        out["hasil_kerja"] = _code(ln, kind, "hasil_kerja", v["hasil_kerja"])
        out["perilaku"] = _code(ln, kind, "perilaku", v["perilaku"])
        out["predikat"] = _code(ln, kind, "predikat", v["predikat"]) or None
        out["status"] = _code(ln, kind, "status", v["status"])
        if v["nip_penilai"] == "":
            ln.ambigu.add("A8")
        out["nip_penilai"] = _nip(ln, v["nip_penilai"], "nip_penilai")
        if v["tanggal_penilaian"] == "":
            ln.ambigu.add("A3")
        out["tanggal_penilaian"] = _date(ln, v["tanggal_penilaian"])
    elif kind == "aktivitas":
        out["nip"] = _nip(ln, v["nip"])
        d = out["tanggal"] = _date(ln, v["tanggal"])
        if d and not first <= d <= last:
            ln.quarantine("DI_LUAR_PERIODE")
        out["uraian"] = _text(ln, v["uraian"])
        out["durasi_menit"] = _int(ln, v["durasi_menit"], 1, 720)
        out["status"] = _code(ln, kind, "status", v["status"])
    elif kind == "jadwal":
        out["nip"] = _nip(ln, v["nip"])
        d = out["tanggal"] = _date(ln, v["tanggal"])
        if d and not first <= d <= last:
            ln.quarantine("DI_LUAR_PERIODE")
        out["kode_shift"] = _code(ln, kind, "kode_shift", v["kode_shift"])
        if "KODE_TIDAK_DIKENAL" in ln.alasan:
            ln.alasan.discard("KODE_TIDAK_DIKENAL")
            ln.alasan.add("KODE_SHIFT_TIDAK_DIKENAL")


# ---------------------------------------------------------------------------- per file


def judge_file(path: Path) -> FileVerdict:
    m = NAME_RE.match(path.name)
    if (
        not m
        or m["kind"] not in KINDS
        or not 1 <= int(m["m"]) <= 12
        or (m["ext"] == "xlsx" and m["kind"] not in XLSX_KINDS)
    ):
        return FileVerdict(path.name, None, None, False, "NAMA_FILE")
    kind, periode = m["kind"], f"{m['y']}-{m['m']}"
    fv = FileVerdict(path.name, kind, periode, True)
    cols = COLUMNS[kind]
    required = [c for c in cols if c not in OPTIONAL_COLUMNS.get(kind, set())]
    try:
        if m["ext"] == "csv":
            _, header, rows = read_csv(path)
        else:
            _, header, rows = read_xlsx(path, required)
    except (UnicodeDecodeError, csv.Error, OSError, ValueError) as e:
        fv.dibaca, fv.alasan = False, f"RUSAK: {e}"
        return fv
    if header is None:
        fv.dibaca, fv.alasan = False, "TANPA_HEADER"
        fv.kolom_hilang = required
        return fv
    names = [h.strip().lower() for h in header]
    fv.kolom_hilang = [c for c in required if c not in names]
    fv.kolom_lebih = [h for h in names if h and h not in cols]
    if fv.kolom_hilang:
        fv.dibaca, fv.alasan = False, "KOLOM_HILANG"
        return fv
    index = {c: names.index(c) for c in cols if c in names}
    width = len(header)
    for line_no, rec, amb in rows:
        ln = Line(path.name, kind, periode, line_no, ambigu=set(amb))
        if len(rec) != width:
            # an XLSX row is as wide as the sheet: only the header's cells count there
            if m["ext"] == "csv" or any(str(x).strip() for x in rec[width:]):
                ln.ambigu.add("A5")
                ln.quarantine("BARIS_RUSAK")
                ln.mentah = tuple(rec)
                fv.lines.append(ln)
                continue
            rec = (list(rec) + [""] * width)[:width]
        raw = {c: rec[i] for c, i in index.items()}
        if any(x != x.strip() for x in raw.values()):
            ln.ambigu.add("A1")
        vals = {c: x.strip() for c, x in raw.items()}
        ln.mentah = tuple(raw[c] for c in cols if c in raw)
        if all(x == "" for x in vals.values()):
            ln.ambigu.add("A13")
        judge_row(ln, kind, vals)
        fv.lines.append(ln)
    _duplicates(fv)
    return fv


def _duplicates(fv: FileVerdict) -> None:
    """Exact duplicates count once; two different rows for one key are both quarantined."""
    seen: dict[tuple, Line] = {}
    for ln in fv.lines:
        first = seen.setdefault(ln.mentah, ln)
        if first is not ln:
            if ln.verdict == "valid":
                ln.verdict = "duplikat"
                if fv.kind not in ("pegawai", "absensi", "jadwal"):
                    ln.ambigu.add("A6")
            else:
                ln.ambigu.add("A6")
    key_of = {"pegawai": ("nip",), "jadwal": ("nip", "tanggal")}.get(fv.kind)
    if not key_of:
        return
    reason = "NIP_GANDA" if fv.kind == "pegawai" else "JADWAL_GANDA"
    groups: dict[tuple, list[Line]] = defaultdict(list)
    for ln in fv.lines:
        if ln.verdict != "karantina" or ln.alasan <= {reason}:
            key = tuple(ln.nilai.get(k) for k in key_of)
            if None not in key:
                groups[key].append(ln)
    everyone: dict[tuple, list[Line]] = defaultdict(list)
    for ln in fv.lines:
        key = tuple(ln.nilai.get(k) for k in key_of)
        everyone[key].append(ln)
    for key, lines in groups.items():
        variants = {ln.mentah for ln in lines}
        if len(everyone[key]) != len(lines):
            for ln in everyone[key]:
                ln.ambigu.add("A7")
        if len(variants) > 1:
            normal = {tuple(sorted(ln.nilai.items(), key=str)) for ln in lines}
            for ln in lines:
                if len(normal) == 1:
                    ln.ambigu.add("A1")
                ln.verdict = "karantina"
                ln.alasan.add(reason)


# ---------------------------------------------------------------------------- a folder


@dataclass
class FolderVerdict:
    files: list[FileVerdict]

    def lines(self) -> list[Line]:
        return [ln for f in self.files for ln in f.lines]

    def by_key(self) -> dict[tuple[str, int], Line]:
        return {(ln.file, ln.line): ln for ln in self.lines()}


def _previous(periode: str) -> str:
    y, m = int(periode[:4]), int(periode[5:7])
    return f"{y - (m == 1)}-{(m - 2) % 12 + 1:02d}"


def judge_folder(folder: Path) -> FolderVerdict:
    files = [judge_file(p) for p in sorted(Path(folder).iterdir()) if p.is_file()]
    # the master of each month: the NIPs of its valid rows; the quarantined ones apart (A7)
    master_ok: dict[str, set[str]] = {}
    master_bad: dict[str, set[str]] = {}
    for fv in files:
        if fv.kind == "pegawai" and fv.dibaca:
            ok = master_ok.setdefault(fv.periode, set())
            bad = master_bad.setdefault(fv.periode, set())
            for ln in fv.lines:
                nip = ln.nilai.get("nip")
                (ok if ln.verdict != "karantina" else bad).add(nip)
    for fv in files:
        if not fv.dibaca or fv.kind == "pegawai" or fv.periode not in master_ok:
            continue
        for ln in fv.lines:
            nip = ln.nilai.get("nip")
            if "NIP_TIDAK_VALID" in ln.alasan:
                continue
            if nip in master_bad[fv.periode]:
                ln.ambigu.add("A7")
            if nip not in master_ok[fv.periode]:
                if ln.verdict == "duplikat":
                    ln.ambigu.add("A6")
                ln.quarantine("NIP_TIDAK_DIKENAL")
                w = ln.nilai.get("waktu")
                before = master_ok.get(_previous(fv.periode), set())
                if fv.kind == "absensi" and w and w.day == 1 and nip in before:
                    ln.ambigu.add("A15")
    return FolderVerdict(files)


# ---------------------------------------------------------------------------- the platform


# the platform's kode_alasan → the oracle's reason class, where the names differ
PLATFORM_REASON: dict[str, str] = {}


def staged_lines(data_root: Path) -> set[tuple[str, int]]:
    """(source_file, line_no) of every row the warehouse's staging models (``stg_<kind>``) hold."""
    import duckdb

    con = duckdb.connect(str(Path(data_root) / "warehouse.duckdb"), read_only=True)
    try:
        return {
            (f, n)
            for kind in KINDS
            for f, n in con.execute(f"select source_file, line_no from stg_{kind}").fetchall()
        }
    finally:
        con.close()


def platform_lines(data_root: Path) -> tuple[dict, dict]:
    """(valid, quarantined) of a platform data directory, keyed by (source_file, line_no).

    valid: the raw zone's rows (periode, source_file, line_no and the file's columns);
    quarantined: every reason code of the line, from the raw zone's quarantine and the
    warehouse's ``karantina`` (which adds the referential ones decided in dbt).
    """
    import duckdb

    root = Path(data_root)
    valid: dict[tuple[str, int], dict] = {}
    quarantined: dict[tuple[str, int], set[str]] = defaultdict(set)
    con = duckdb.connect()
    for kind in KINDS:
        files = sorted((root / "raw" / kind).glob("[0-9]*.parquet"))
        for f in files:
            rel = con.execute(f"select * from read_parquet('{f}')")
            names = [d[0] for d in rel.description]
            for row in rel.fetchall():
                rec = dict(zip(names, row, strict=True))
                valid[(rec["source_file"], rec["line_no"])] = rec
        for f in sorted((root / "raw" / "karantina" / kind).glob("[0-9]*.parquet")):
            for file, line, code in con.execute(
                f"select source_file, line_no, kode_alasan from read_parquet('{f}')"
            ).fetchall():
                quarantined[(file, line)].add(code)
    con.close()
    wh = root / "warehouse.duckdb"
    if wh.exists():
        con = duckdb.connect(str(wh), read_only=True)
        try:
            for file, line, code in con.execute(
                "select source_file, line_no, kode_alasan from karantina"
            ).fetchall():
                quarantined[(file, line)].add(code)
        except duckdb.CatalogException:
            pass
        finally:
            con.close()
    return valid, dict(quarantined)


def _same(a, b) -> bool:
    if a in ("", None) and b in ("", None):
        return True
    if isinstance(a, float) or isinstance(b, float):
        return a is not None and b is not None and abs(float(a) - float(b)) < 1e-9
    if isinstance(b, dt.datetime) and not isinstance(a, dt.datetime):
        return False
    return a == b


@dataclass
class Disagreement:
    file: str
    line: int
    oracle: str
    platform: str
    ambigu: set[str]

    def __str__(self) -> str:
        tag = f" [{','.join(sorted(self.ambigu))}]" if self.ambigu else ""
        return f"{self.file}:{self.line}: oracle {self.oracle} | platform {self.platform}{tag}"


def compare(
    verdict: FolderVerdict, valid: dict, quarantined: dict, staged: set | None = None
) -> list[Disagreement]:
    """Every (file, line) on which the oracle and the platform disagree; with ``staged`` also
    every valid line that the raw zone holds and the warehouse's staging lost."""
    out: list[Disagreement] = []
    seen: set[tuple[str, int]] = set()
    for fv in verdict.files:
        if not fv.dibaca:
            # a rejected file: no valid row, at most its file-level quarantine row (line 0)
            for key in list(valid) + [k for k in quarantined if k[1] != 0]:
                if key[0] == fv.file:
                    out.append(Disagreement(fv.file, key[1], f"file {fv.alasan}", "read", set()))
            if fv.alasan == "KOLOM_HILANG" and not quarantined.get((fv.file, 0)):
                out.append(Disagreement(fv.file, 0, "file KOLOM_HILANG", "not reported", set()))
            continue
        for ln in fv.lines:
            key = (ln.file, ln.line)
            seen.add(key)
            codes = {PLATFORM_REASON.get(c, c) for c in quarantined.get(key, set())}
            row = valid.get(key)
            if ln.verdict == "valid":
                if codes:
                    out.append(Disagreement(*key, "valid", f"karantina {sorted(codes)}", ln.ambigu))
                elif row is None:
                    out.append(Disagreement(*key, "valid", "absent", ln.ambigu))
                else:
                    bad = [
                        f"{c}={ln.nilai[c]!r}/{row.get(c)!r}"
                        for c in ln.nilai
                        if not _same(ln.nilai[c], row.get(c))
                    ]
                    if bad:
                        out.append(
                            Disagreement(*key, "valid", "values " + "; ".join(bad), ln.ambigu)
                        )
            elif ln.verdict == "duplikat":
                if row is not None and not codes:
                    out.append(Disagreement(*key, "duplikat", "valid", ln.ambigu))
            else:
                if not codes:
                    state = "valid" if row is not None else "absent"
                    out.append(
                        Disagreement(*key, f"karantina {sorted(ln.alasan)}", state, ln.ambigu)
                    )
                elif not codes & ln.alasan:
                    out.append(
                        Disagreement(
                            *key,
                            f"karantina {sorted(ln.alasan)}",
                            f"karantina {sorted(codes)}",
                            ln.ambigu,
                        )
                    )
    for key in sorted(set(valid) | set(quarantined), key=str):
        read = [f for f in verdict.files if f.file == key[0] and f.dibaca]
        if key not in seen and read:
            codes = sorted(quarantined.get(key, set()))
            # a file the oracle reads with no data line at all (header only): A14
            amb = {"A14"} if key[1] == 0 and not read[0].lines else set()
            out.append(Disagreement(*key, "no such line", f"row {codes}", amb))
    return out


def summary(verdict: FolderVerdict) -> dict:
    """Files, lines, valid, duplicates and quarantined per reason class."""
    from collections import Counter

    lines = verdict.lines()
    reasons = Counter(r for ln in lines if ln.verdict == "karantina" for r in sorted(ln.alasan)[:1])
    return {
        "files": len(verdict.files),
        "files_read": sum(f.dibaca for f in verdict.files),
        "lines": len(lines),
        "valid": sum(ln.verdict == "valid" for ln in lines),
        "duplikat": sum(ln.verdict == "duplikat" for ln in lines),
        "karantina": dict(sorted(reasons.items())),
    }
