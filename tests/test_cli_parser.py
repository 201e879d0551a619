"""The ``kinerja`` command speaks Indonesian in its usage, help and argument errors too
(argparse's own words are English): ``orchestration/cli_parser.py``."""

from __future__ import annotations

import re

import pytest

from orchestration.cli import build_parser, main
from orchestration.cli_parser import terjemahkan

ENGLISH = re.compile(r"usage:|options:|positional arguments|show this help|error:|invalid|argument")
SUBCOMMANDS = ("simulate", "run", "demo", "app", "verify", "lock", "bench", "export", "whatif")


def test_the_parser_knows_every_subcommand_this_test_walks():
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    assert set(sub.choices) == set(SUBCOMMANDS)


@pytest.mark.parametrize("argv", [[], *([c] for c in SUBCOMMANDS)], ids=["kinerja", *SUBCOMMANDS])
def test_help_is_indonesian(argv, capsys):
    with pytest.raises(SystemExit) as done:
        main([*argv, "--help"])
    assert done.value.code == 0
    text = capsys.readouterr().out
    assert text.startswith(f"pemakaian: kinerja{' ' + argv[0] if argv else ''} [-h]")
    assert "opsi:" in text and "-h, --help" in text and "tampilkan bantuan ini lalu keluar" in text
    assert not ENGLISH.search(text), ENGLISH.search(text)


@pytest.mark.parametrize(
    ("argv", "last_line"),
    [
        (["simulate"], "kinerja simulate: galat: argumen berikut wajib diisi: --out"),
        (
            ["run", "--periode", "2025-13"],
            "kinerja run: galat: argumen --periode: periode harus berbentuk YYYY-MM, bukan "
            "'2025-13'",
        ),
        (
            ["bench", "--skala", "abc"],
            "kinerja bench: galat: argumen --skala: nilai bilangan bulat tidak sah: 'abc'",
        ),
        (
            ["export", "--periode", "2025-01", "--out", "x", "--format", "doc"],
            "kinerja export: galat: argumen --format: pilihan 'doc' tidak dikenal (pilih dari "
            "'xlsx', 'csv', 'parquet', 'pdf')",
        ),
        (["run", "--paksa", "lagi"], "kinerja: galat: argumen tidak dikenal: lagi"),
        (
            ["jalan"],
            "kinerja: galat: argumen PERINTAH: pilihan 'jalan' tidak dikenal (pilih dari "
            "'simulate', 'run', 'demo', 'app', 'verify', 'lock', 'bench', 'export', 'whatif')",
        ),
        (["run", "--periode"], "kinerja run: galat: argumen --periode: butuh satu nilai"),
        (
            ["export", "--periode", "2025-01", "--out", "x", "--format", "pdf", "--tempat", " "],
            "kinerja export: galat: argumen --tempat: tidak boleh kosong",
        ),
        (
            ["simulate", "--out", "x", "--pegawai", "-5"],
            "kinerja simulate: galat: argumen --pegawai: harus lebih dari 0, bukan -5",
        ),
        (
            ["simulate", "--out", "x", "--mulai", "2025-05", "--sampai", "2025-03"],
            "kinerja: galat: --mulai 2025-05 sesudah --sampai 2025-03",
        ),
    ],
)
def test_a_wrong_command_line_is_told_in_indonesian(argv, last_line, capsys):
    with pytest.raises(SystemExit) as done:
        main(argv)
    assert done.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("pemakaian: kinerja")
    assert err.strip().splitlines()[-1] == last_line


def test_an_unknown_sentence_is_left_as_it_is():
    assert terjemahkan("sesuatu yang lain") == "sesuatu yang lain"
    assert terjemahkan("argument --x: invalid float value: 'a'") == (
        "argumen --x: nilai angka tidak sah: 'a'"
    )


def test_the_app_launcher_speaks_indonesian_too(capsys):
    """``python -m app.launch`` (what ``kinerja app`` starts; an operator may call it directly)."""
    from app.launch import build_parser

    with pytest.raises(SystemExit) as done:
        build_parser().parse_args(["--help"])
    assert done.value.code == 0
    text = capsys.readouterr().out
    assert text.startswith("pemakaian: python -m app.launch [-h]")
    assert "alamat dengar" in text and not ENGLISH.search(text), ENGLISH.search(text)
    with pytest.raises(SystemExit) as done:
        build_parser().parse_args(["--port", "x"])
    assert done.value.code == 2
    assert capsys.readouterr().err.strip().splitlines()[-1] == (
        "python -m app.launch: galat: argumen --port: nilai bilangan bulat tidak sah: 'x'"
    )


def test_the_app_server_speaks_indonesian_too(tmp_path):
    """``python -m app.server --help`` (one server process; it warms up before it parses)."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "KINERJA_DATA": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-m", "app.server", "--help"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    usage = done.stdout[done.stdout.index("pemakaian:") :]
    assert usage.startswith("pemakaian: python -m app.server [-h]")
    assert "alamat dengar" in usage and not ENGLISH.search(usage), ENGLISH.search(usage)


def test_the_user_tool_speaks_indonesian_too(capsys):
    """``python -m app.users`` (the login page tells an administrator to run it)."""
    from app.users import main as users

    with pytest.raises(SystemExit) as done:
        users(["tambah", "--help"])
    assert done.value.code == 0
    text = capsys.readouterr().out
    assert text.startswith("pemakaian: python -m app.users tambah [-h]")
    assert "nama pengguna" in text and not ENGLISH.search(text), ENGLISH.search(text)
    with pytest.raises(SystemExit) as done:
        users(["tambah"])
    assert done.value.code == 2
    assert capsys.readouterr().err.strip().splitlines()[-1] == (
        "python -m app.users tambah: galat: argumen berikut wajib diisi: --username, --peran"
    )


@pytest.mark.parametrize(
    ("dagster", "line"),
    [
        (
            "Dependencies for step cek_karantina were not executed: ['tpp_dbt']. Not executing.",
            "cek_karantina: dilewati: langkah sebelumnya tidak dijalankan (tpp_dbt)",
        ),
        (
            "Dependencies for step published_tpp failed: ['tpp_dbt']. Not executing.",
            "published_tpp: dilewati: langkah sebelumnya gagal (tpp_dbt)",
        ),
    ],
)
def test_a_skipped_step_is_told_in_indonesian(dagster, line, capsys):
    """Dagster's own note on a step it skips, as ``kinerja run`` prints it."""
    import io
    import logging

    from orchestration.run import _ProgressHandler

    step = line.split(":")[0]
    record = logging.LogRecord("kinerja.progress", logging.INFO, __file__, 0, dagster, None, None)
    record.dagster_meta = {"orig_message": dagster, "step_key": step}
    _ProgressHandler(io.StringIO()).emit(record)
    printed = capsys.readouterr().err.strip()
    assert re.fullmatch(rf"\[\d\d:\d\d:\d\d WITA\] {re.escape(line)}", printed), printed


@pytest.mark.parametrize("command", ["verify", "lock", "export"])
def test_a_mistyped_data_folder_is_said_and_not_created(command, tmp_path, capsys):
    salah = tmp_path / "dta"
    argv = [command, "--data", str(salah), "--periode", "2025-03"]
    if command == "export":
        argv += ["--format", "csv", "--out", str(tmp_path / "keluar")]
    assert main(argv) == 1
    assert capsys.readouterr().err.strip() == (
        f"kinerja: folder data {salah} tidak ada; periksa --data (atau $KINERJA_DATA), atau "
        "jalankan 'kinerja run' dulu."
    )
    assert not salah.exists()
