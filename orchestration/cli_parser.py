"""``argparse`` in Bahasa Indonesia: the ``kinerja`` command's usage, help and errors.

argparse writes its own words in English ("usage:", "options", "error: the following arguments
are required"); its gettext hook follows the machine's locale, which on a server is rarely
Indonesian. ``Parser`` names its sections and its help option in Indonesian and translates
argparse's error sentences (the patterns of Python 3.11–3.13) before printing them. An error
still exits with status 2 after the usage line, as argparse does.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from typing import NoReturn

_JENIS = {"int": "bilangan bulat", "float": "angka"}  # argparse names a type by its function

# argparse's sentences (``argparse._(...)``) -> Indonesian, longest first where one contains
# another; ``%s``-style parts are kept as argparse filled them in
_KALIMAT: tuple[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]], ...] = tuple(
    (re.compile(pola), ganti)
    for pola, ganti in (
        (r"^the following arguments are required: (.*)$", r"argumen berikut wajib diisi: \1"),
        (r"^unrecognized arguments: (.*)$", r"argumen tidak dikenal: \1"),
        (r"^ambiguous option: (\S+) could match (.*)$", r"opsi \1 ambigu, bisa berarti \2"),
        (r"^one of the arguments (.*) is required$", r"salah satu argumen \1 wajib diisi"),
        (r"^argument (\S+): ", r"argumen \1: "),
        (
            r"invalid choice: (.*) \(choose from (.*)\)$",
            r"pilihan \1 tidak dikenal (pilih dari \2)",
        ),
        (
            r"invalid (\w+) value: (.*)$",
            lambda m: f"nilai {_JENIS.get(m[1], m[1])} tidak sah: {m[2]}",
        ),
        (r"not allowed with argument (.*)$", r"tidak boleh bersama argumen \1"),
        (r"expected one argument$", r"butuh satu nilai"),
        (r"expected at least one argument$", r"butuh sedikitnya satu nilai"),
        (r"expected at most one argument$", r"butuh paling banyak satu nilai"),
        (r"ignored explicit argument (.*)$", r"nilai \1 diabaikan"),
    )
)


def terjemahkan(pesan: str) -> str:
    """One argparse error sentence in Indonesian (an unknown one is left as it is)."""
    for pola, ganti in _KALIMAT:
        pesan = pola.sub(ganti, pesan)
    return pesan


class _Bantuan(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        # None: argparse's own "usage: "; "" (a subcommand's prog is built that way) stays ""
        super().add_usage(usage, actions, groups, "pemakaian: " if prefix is None else prefix)


class Parser(argparse.ArgumentParser):
    """An ``ArgumentParser`` (and, through ``add_subparsers``, its subcommands) that speaks
    Indonesian."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("formatter_class", _Bantuan)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "argumen posisi"
        self._optionals.title = "opsi"
        self.add_argument("-h", "--help", action="help", help="tampilkan bantuan ini lalu keluar")

    def add_subparsers(self, **kwargs):
        kwargs.setdefault("title", "perintah")
        kwargs.setdefault("metavar", "PERINTAH")
        return super().add_subparsers(**kwargs)

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: galat: {terjemahkan(message)}\n")
