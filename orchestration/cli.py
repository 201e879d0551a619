"""The ``kinerja`` command line."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from orchestration.cli_parser import Parser
from orchestration.core.formatting import detik, satu_desimal, waktu_iso
from orchestration.core.paths import TRANSFORMS_DIR, DataDir

DEFAULT_EXPORTS = Path("exports")


class AlatTidakTersedia(Exception):
    """A developer command's tools (``orchestration.tools``) are not installed: the wheel leaves
    them out, they come only with a checkout of the repository."""

    def __init__(self, perintah: str) -> None:
        super().__init__(
            f"perintah '{perintah}' butuh alat pengembang (orchestration.tools: simulator dan "
            "bench) yang tidak ikut dalam paket terpasang; jalankan dari salinan repositori "
            f"(uv run kinerja {perintah})."
        )


class FolderDataTidakAda(Exception):
    """``verify``, ``lock`` and ``export`` read what a run published: a mistyped ``--data`` must
    not create an empty data directory and then say that the period is not published."""

    def __init__(self, data: DataDir) -> None:
        super().__init__(
            f"folder data {data.root} tidak ada; periksa --data (atau $KINERJA_DATA), atau "
            "jalankan 'kinerja run' dulu."
        )


def _folder_data(args: argparse.Namespace) -> DataDir:
    data = DataDir.resolve(args.data)
    if not data.root.is_dir():
        raise FolderDataTidakAda(data)
    return data


class ProyekDbtTidakAda(Exception):
    """``run`` and ``whatif`` compute with the dbt project (``transforms/``: models, rulebook
    and calendar seeds), which only a checkout has: the wheel carries the code that reads
    published data (app, export, verify, lock), not the project."""

    def __init__(self, perintah: str) -> None:
        super().__init__(
            f"perintah '{perintah}' butuh proyek dbt ({TRANSFORMS_DIR}: model, buku aturan, "
            "kalender) yang tidak ikut dalam paket terpasang; jalankan dari salinan repositori "
            f"(uv run kinerja {perintah})."
        )


def _butuh_proyek_dbt(perintah: str) -> None:
    if not (TRANSFORMS_DIR / "dbt_project.yml").is_file():
        raise ProyekDbtTidakAda(perintah)


def _alat_hilang(error: ModuleNotFoundError) -> bool:
    """True when what is missing is ``orchestration.tools`` itself (a wheel install), not a
    dependency the tools import."""
    return error.name is not None and (
        error.name == "orchestration.tools" or error.name.startswith("orchestration.tools.")
    )


def _positif(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"harus bilangan bulat, bukan {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"harus lebih dari 0, bukan {value}")
    return value


def _tidak_kosong(text: str) -> str:
    if not text.strip():
        raise argparse.ArgumentTypeError("tidak boleh kosong")
    return text.strip()


def _periode(text: str) -> str:
    import re

    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", text):
        raise argparse.ArgumentTypeError(f"periode harus berbentuk YYYY-MM, bukan {text!r}")
    return text


def cmd_simulate(args: argparse.Namespace) -> int:
    try:  # a developer tool: imported here only, never at module level (test_architecture)
        from orchestration.tools.simulator import simulate
    except ModuleNotFoundError as error:
        if not _alat_hilang(error):
            raise
        raise AlatTidakTersedia(getattr(args, "perintah", "simulate")) from None

    result = simulate(
        out=Path(args.out),
        pegawai=args.pegawai,
        opd=args.opd,
        mulai=args.mulai,
        sampai=args.sampai,
        seed=args.seed,
        kotor=args.kotor,
        xlsx=args.xlsx,
        progress=True,
        jadwal=not getattr(args, "tanpa_jadwal", False),
    )
    size = satu_desimal(sum(p.stat().st_size for p in result.files) / 1e6)
    print(
        f"{len(result.files)} file ({size} MB) ditulis ke {args.out} dalam {detik(result.seconds)}."
    )
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    _butuh_proyek_dbt("run")
    from orchestration.run import run_pipeline

    summary = run_pipeline(
        Path(args.exports), DataDir.resolve(args.data), args.periode, args.paksa, args.model
    )
    plan = summary.plan
    if plan is not None:
        for line in [*plan.ignored, *plan.before_first_lines()]:  # whatever month was asked for
            print(line)
        for line in plan.rejected_kept_lines():  # a correction that did not take
            print(line, file=sys.stderr)
    if plan is not None and args.periode is None:
        for line in plan.reference_lines() + plan.incomplete_lines():
            print(line)
    if summary.noop:
        print(
            f"Tidak ada yang baru untuk {len(summary.periods)} periode: data terbit sudah "
            f"mutakhir ({detik(summary.seconds)}). Pakai --paksa untuk menjalankan ulang."
        )
        return 0
    if not summary.periods:
        print(f"Selesai dalam {detik(summary.seconds)}: tidak ada periode TPP yang dihitung.")
        return 0
    print(
        f"Selesai: {len(summary.periods)} periode ({summary.periods[0]} s.d. "
        f"{summary.periods[-1]}) dalam {detik(summary.seconds)}. "
        f"Gudang data: {DataDir.resolve(args.data).warehouse}"
    )
    if not summary.blocked:
        return 0
    # the other periods are published; the blocked ones wait for a corrected source
    for periode, why in summary.blocked.items():
        print(f"kinerja: periode {periode} TIDAK diterbitkan: {why}", file=sys.stderr)
    terbit = [p for p in summary.periods if p not in summary.blocked]
    print(f"kinerja: diterbitkan: {', '.join(terbit) or 'tidak ada'}.", file=sys.stderr)
    return 1


def cmd_app(args: argparse.Namespace) -> int:
    """The app is the layer above the pipeline: started as its own module, never imported here.

    SIGTERM to this process (a service manager stopping what it started) is passed on to the
    launcher, which stops its servers; this process waits for that. Ctrl+C reaches the launcher
    by itself (the terminal signals the whole foreground group)."""
    import signal
    import subprocess

    command = [sys.executable, "-m", "app.launch", "--address", args.address]
    command += ["--port", str(args.port)] + (["--data", str(args.data)] if args.data else [])
    launcher = subprocess.Popen(command)
    # set here, not inherited: a Dagster run earlier in this process (``kinerja demo``) maps
    # SIGTERM to the SIGINT handler, which a shell ignores in background jobs
    signal.signal(signal.SIGTERM, lambda signum, frame: launcher.terminate())
    while True:
        try:
            return launcher.wait()
        except KeyboardInterrupt:  # the launcher got it too and is stopping its servers
            continue


def cmd_demo(args: argparse.Namespace) -> int:
    """Simulate a year (once), run the pipeline, then serve the app on it."""
    exports = Path(args.exports)
    if not any(exports.glob("absensi_*.csv")):
        cmd_simulate(
            argparse.Namespace(
                out=str(exports),
                pegawai=args.pegawai,
                opd=39,
                mulai=args.mulai,
                sampai=args.sampai,
                seed=42,
                kotor=0.0,
                xlsx=False,
                perintah="demo",
            )
        )
    run_args = argparse.Namespace(
        exports=str(exports), data=args.data, periode=None, paksa=False, model=not args.tanpa_model
    )
    rc = cmd_run(run_args)
    if rc != 0 or args.tanpa_app:
        return rc
    print(
        "Masuk dengan salah satu akun demo: analis / analis123 (semua OPD), "
        "keuangan / keuangan123 (halaman keuangan), kepala_1.01.01 / kepala123 (satu OPD). "
        "Hentikan dengan Ctrl+C."
    )
    return cmd_app(argparse.Namespace(data=args.data, address="127.0.0.1", port=args.port))


def _tanggal(text: str):
    import datetime as dt

    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"tanggal harus berbentuk YYYY-MM-DD, bukan {text!r}"
        ) from None


def _lifecycle(args: argparse.Namespace, step) -> int:
    from orchestration.periods import LABEL, PeriodeError
    from orchestration.publish import PublishError

    data = _folder_data(args)
    try:
        state = step(data, args.periode, args.oleh)
    except (PeriodeError, PublishError) as error:
        print(f"kinerja: {error}", file=sys.stderr)
        return 1
    from orchestration.core.published import current_snapshot

    # the snapshot that wrote the period's files, as the printed list and the export say
    snapshot = current_snapshot(data)
    sumber = snapshot.source(state.periode) if snapshot is not None else state.snapshot
    print(
        f"Periode {state.periode}: {LABEL[state.status]} ({state.status}) oleh {state.oleh} "
        f"pada {waktu_iso(state.pada)}, data terbit {sumber}."
    )
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    from orchestration.lifecycle import verify

    return _lifecycle(args, verify)


def cmd_lock(args: argparse.Namespace) -> int:
    from orchestration.lifecycle import lock

    return _lifecycle(args, lock)


def cmd_export(args: argparse.Namespace) -> int:
    from orchestration.core.formatting import rupiah
    from orchestration.nominatif import ExportError, export
    from orchestration.periods import DIBLOKIR

    try:
        result = export(
            _folder_data(args),
            args.periode,
            args.format,
            Path(args.out),
            args.opd,
            tempat=args.tempat,
            tanggal=args.tanggal,
        )
    except ExportError as error:
        print(f"kinerja: {error}", file=sys.stderr)
        return 1
    berkas = [f for f in result.files if f.endswith(f".{args.format}")]
    print(
        f"{len(berkas)} file {args.format} (dan ringkasan JSON) ditulis ke {result.folder} "
        "dari data terbit "
        f"{result.sumber} (status {result.status}); TPP neto {rupiah(result.jumlah['tpp_neto'])}"
        f", koreksi {rupiah(result.jumlah_koreksi['tpp_neto'])}. Periksa: cd {result.folder} "
        "&& sha256sum -c SHA256SUMS"
    )
    if result.diblokir:
        print(
            f"PERINGATAN: periode {args.periode} diblokir: {DIBLOKIR}, dan file ini darinya; "
            "tidak boleh dibayar sampai sumber data diperbaiki dan pipeline dijalankan ulang.",
            file=sys.stderr,
        )
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    try:  # a developer tool: imported here only, never at module level (test_architecture)
        from orchestration.tools.bench import main as bench
    except ModuleNotFoundError as error:
        if not _alat_hilang(error):
            raise
        raise AlatTidakTersedia("bench") from None

    result = bench(
        Path(args.folder),
        skala=args.skala,
        app=not args.tanpa_app,
        json_path=Path(args.json) if args.json else None,
        repeat=args.ulang,
        model=not args.tanpa_model,
    )
    return 0 if all(s.kode_keluar == 0 for s in result.tahap) else 1


def cmd_whatif(args: argparse.Namespace) -> int:
    _butuh_proyek_dbt("whatif")
    from orchestration.core.formatting import rupiah
    from orchestration.whatif import WhatIfError, whatif

    try:
        hasil = whatif(
            DataDir.resolve(args.data),
            Path(args.aturan),
            args.mulai,
            args.sampai,
            Path(args.out) if args.out else None,
            args.metode,
        )
    except WhatIfError as error:
        print(f"kinerja: {error}", file=sys.stderr)
        return 1
    print(hasil.ringkasan)
    print(
        f"Selisih bruto total {rupiah(hasil.total['selisih_bruto'])}; hitung ulang "
        f"({hasil.metode}) {detik(hasil.detik_dbt)}, total {detik(hasil.detik_total)}."
    )
    if hasil.xlsx is not None:
        print(f"XLSX: {hasil.xlsx}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="kinerja", description="Si-Kinerja Analytics: TPP ASN Provinsi NTT")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("simulate", help="tulis ekspor bulanan tersimulasi (format ekspor sumber)")
    p.add_argument("--out", required=True, help="folder ekspor yang ditulis")
    p.add_argument("--pegawai", type=_positif, default=15794, help="jumlah pegawai (bawaan: 15794)")
    p.add_argument("--opd", type=_positif, default=39, help="jumlah Perangkat Daerah (bawaan: 39)")
    p.add_argument("--mulai", type=_periode, default="2025-01", help="YYYY-MM (bawaan: 2025-01)")
    p.add_argument("--sampai", type=_periode, default="2025-12", help="YYYY-MM (bawaan: 2025-12)")
    p.add_argument("--seed", type=int, default=42, help="benih acak: benih sama, byte sama")
    p.add_argument("--kotor", type=float, default=0.0, help="porsi baris cacat yang disisipkan")
    p.add_argument("--xlsx", action="store_true", help="pegawai dan kinerja sebagai XLSX")
    p.add_argument(
        "--tanpa-jadwal",
        action="store_true",
        help="semua pegawai berjam kantor: tanpa guru (SEKOLAH), shift, dan file jadwal",
    )
    p.set_defaults(func=cmd_simulate)

    p = sub.add_parser("run", help="jalankan pipeline (ingest, dbt, cek) lewat Dagster")
    p.add_argument(
        "--exports", default=str(DEFAULT_EXPORTS), help="folder ekspor (bawaan: ./exports)"
    )
    p.add_argument("--data", default=None, help="folder data (bawaan: $KINERJA_DATA atau ./data)")
    p.add_argument(
        "--periode",
        type=_periode,
        default=None,
        help="hanya periode YYYY-MM ini (bawaan: yang baru)",
    )
    p.add_argument("--paksa", action="store_true", help="jalankan ulang walau tidak ada yang baru")
    p.add_argument("--model", action="store_true", help="latih dan skor model sesudah TPP")
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("demo", help="simulasikan setahun lalu jalankan pipeline")
    p.add_argument(
        "--exports", default=str(DEFAULT_EXPORTS), help="folder ekspor (dipakai ulang bila ada)"
    )
    p.add_argument("--data", default=None, help="folder data (bawaan: $KINERJA_DATA atau ./data)")
    p.add_argument("--pegawai", type=_positif, default=15794, help="jumlah pegawai (bawaan: 15794)")
    p.add_argument("--mulai", type=_periode, default="2025-01", help="YYYY-MM (bawaan: 2025-01)")
    p.add_argument("--sampai", type=_periode, default="2025-12", help="YYYY-MM (bawaan: 2025-12)")
    p.add_argument("--port", type=int, default=8501, help="port aplikasi (bawaan: 8501)")
    p.add_argument("--tanpa-app", action="store_true", help="berhenti setelah pipeline selesai")
    p.add_argument("--tanpa-model", action="store_true", help="tanpa melatih model anomali")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("app", help="jalankan aplikasi Streamlit atas data terbit")
    p.add_argument("--data", default=None, help="folder data (bawaan: $KINERJA_DATA atau ./data)")
    p.add_argument("--address", default="127.0.0.1", help="alamat dengar (bawaan: 127.0.0.1)")
    p.add_argument("--port", type=int, default=8501, help="port (bawaan: 8501)")
    p.set_defaults(func=cmd_app)

    p = sub.add_parser("verify", help="tandai periode terbit sebagai TERVERIFIKASI (VERIFIED)")
    p.add_argument("--data", default=None, help="folder data (bawaan: $KINERJA_DATA atau ./data)")
    p.add_argument("--periode", type=_periode, required=True, help="YYYY-MM")
    p.add_argument("--oleh", default=None, help="nama pemeriksa (bawaan: $USER)")
    p.set_defaults(func=cmd_verify)

    p = sub.add_parser("lock", help="kunci periode terverifikasi (LOCKED): tidak berubah lagi")
    p.add_argument("--data", default=None, help="folder data (bawaan: $KINERJA_DATA atau ./data)")
    p.add_argument("--periode", type=_periode, required=True, help="YYYY-MM")
    p.add_argument("--oleh", default=None, help="nama yang mengunci (bawaan: $USER)")
    p.set_defaults(func=cmd_lock)

    p = sub.add_parser(
        "bench", help="ukur pipeline: setahun, inkremental, no-op, app, lantai, model"
    )
    p.add_argument("--folder", default="bench", help="simulasi dan data bench (dipakai ulang)")
    p.add_argument(
        "--skala",
        type=int,
        default=None,
        help="kali jumlah pegawai: sebulan dan sekuartal pada 1x dan Nx",
    )
    p.add_argument("--tanpa-app", action="store_true", help="lewati render halaman utama app")
    p.add_argument("--tanpa-model", action="store_true", help="lewati tahun dengan model (--model)")
    p.add_argument("--json", default=None, help="berkas JSON hasil (bawaan: di --folder)")
    p.add_argument("--ulang", type=int, default=3, help="ulangan kueri lantai (median)")
    p.set_defaults(func=cmd_bench)

    p = sub.add_parser("export", help="ekspor Daftar Nominatif TPP dari data terbit")
    p.add_argument("--data", default=None, help="folder data (bawaan: $KINERJA_DATA atau ./data)")
    p.add_argument("--periode", type=_periode, required=True, help="YYYY-MM")
    p.add_argument(
        "--format",
        choices=("xlsx", "csv", "parquet", "pdf"),
        required=True,
        help="xlsx/pdf: Daftar Nominatif per OPD; csv/parquet: untuk sistem gaji",
    )
    p.add_argument("--out", required=True, help="folder tujuan (SHA256SUMS ditulis di sini)")
    p.add_argument("--opd", action="append", default=None, help="kode OPD (boleh berulang)")
    p.add_argument(
        "--tempat", type=_tidak_kosong, default="Kupang", help="tempat pada blok tanda tangan"
    )
    p.add_argument("--tanggal", type=_tanggal, default=None, help="YYYY-MM-DD (bawaan: hari ini)")
    p.set_defaults(func=cmd_export)
    p = sub.add_parser(
        "whatif", help="hitung ulang TPP dengan aturan usulan (sandbox) dan bandingkan"
    )
    p.add_argument("--data", default=None, help="folder data (bawaan: $KINERJA_DATA atau ./data)")
    p.add_argument("--aturan", required=True, help="YAML aturan usulan (transforms/whatif/)")
    p.add_argument("--mulai", type=_periode, required=True, help="YYYY-MM")
    p.add_argument("--sampai", type=_periode, required=True, help="YYYY-MM")
    p.add_argument("--out", default=None, help="folder XLSX perbandingan untuk rapat")
    p.add_argument(
        "--metode",
        choices=("otomatis", "cepat", "dbt"),
        default="otomatis",
        help="cepat: hanya nominal atas baris terbit; dbt: build sandbox penuh",
    )
    p.set_defaults(func=cmd_whatif)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    mulai, sampai = getattr(args, "mulai", None), getattr(args, "sampai", None)
    if mulai and sampai and mulai > sampai:
        parser.error(f"--mulai {mulai} sesudah --sampai {sampai}")
    from orchestration.run import RunError

    try:
        return args.func(args)
    except (RunError, AlatTidakTersedia, ProyekDbtTidakAda, FolderDataTidakAda) as error:
        print(f"kinerja: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("kinerja: dihentikan.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
