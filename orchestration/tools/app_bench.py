"""Time every page of the app with AppTest on a published data directory.

    uv run python -m orchestration.tools.app_bench --data data            # what the pipeline published
    uv run python -m orchestration.tools.app_bench --sintetis /tmp/bench  # a simulated full year (15,794 ASN)

Each page is rendered twice per role: ``dingin`` right after clearing ``st.cache_data`` (the
first visit after a publish) and ``hangat`` (the next visit, cache hit). The figures are the
server-side script time; the browser adds its drawing on top. The data directory is not
touched: the app runs on a scratch directory that links to its ``published/`` and quality
history, so users and audit lines of the benchmark land there.

``--sintetis DIR`` simulates the year's exports into ``DIR/ekspor`` and runs the pipeline on them
into ``DIR/data`` (``orchestration.tools.app_sample.build``: a few minutes, printed as it goes);
a later run with the same ``DIR`` reuses what was published.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from orchestration.core.paths import PROJECT_ROOT, DataDir

MAIN = str(PROJECT_ROOT / "app" / "main.py")
SHARED = ("published", "quality.sqlite", "alerts.sqlite", "periode.sqlite")
ROLES = (
    ("analis", "analis123", ("ringkasan", "perangkat_daerah", "pegawai", "kualitas", "anomali")),
    ("keuangan", "keuangan123", ("keuangan",)),
    ("kepala", "kepala123", ("perangkat_daerah", "pegawai")),
)


def scratch(data: DataDir) -> DataDir:
    """A temporary data dir that sees ``data``'s published snapshot and quality history."""
    root = Path(tempfile.mkdtemp(prefix="sik-bench-"))
    for name in SHARED:
        if (data.root / name).exists():
            (root / name).symlink_to(data.root / name)
    return DataDir(root)


def synthetic(root: Path, pegawai: int = 15794, opd: int = 39) -> DataDir:
    """A simulated year run through the pipeline (``app_sample.build``), made once in ``root``:
    January to October locked, November verified, December a draft."""
    from orchestration.tools.app_sample import build

    data = DataDir(root / "data")
    if (data.published / "current").exists():
        return data
    t = time.perf_counter()
    print(f"data sintetis: {pegawai:,} ASN, {opd} OPD, 2025-01 s.d. 2025-12 (simulasi + pipeline)")
    data = build(
        root,
        pegawai=pegawai,
        opd=opd,
        mulai="2025-01",
        sampai="2025-12",
        verified=("2025-11",),
        locked=tuple(f"2025-{m:02d}" for m in range(1, 11)),
        progress=True,
    )
    print(f"diterbitkan ke {data.published} ({time.perf_counter() - t:.1f} dtk)")
    return data


def _nip_contoh(data: DataDir, kode_opd: str) -> str:
    from orchestration.core.published import current_snapshot

    snap = current_snapshot(data)
    rows = snap.read("tpp_bulanan", snap.periods[-1:], kode_opd)
    return rows.sort("tk", "nip", descending=[True, False])["nip"][0]


def run(data: DataDir) -> list[tuple[str, str, float, float]]:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from app import charts
    from app.data import Data, Scope, clear_cache
    from app.users import ANALIS, KEPALA_OPD, add_user

    work = scratch(data)
    os.environ["KINERJA_DATA"] = str(work.root)
    opd = Data(work, Scope("bench", ANALIS)).opd_periode()
    besar = opd.sort("jumlah_pegawai", descending=True)["kode_opd"][0]
    add_user(work, "analis", "analis123", ANALIS)
    add_user(work, "keuangan", "keuangan123", "KEUANGAN")
    add_user(work, "kepala", "kepala123", KEPALA_OPD, besar)
    nip = _nip_contoh(work, besar)

    results = []
    for username, password, pages in ROLES:
        at = AppTest.from_file(MAIN, default_timeout=300).run()
        at.text_input(key="masuk_username").input(username)
        at.text_input(key="masuk_password").input(password)
        at.button(key="FormSubmitter:masuk-Masuk").click().run()
        for page in pages:
            if page == "perangkat_daerah":
                at.query_params["opd"] = besar
            if page == "pegawai":
                at.query_params["nip"] = nip
            at.switch_page(f"views/{page}.py")
            times = []
            for cold in (True, False):
                if cold:
                    st.cache_data.clear()
                    clear_cache()
                    charts.clear_cache()
                t = time.perf_counter()
                at.run()
                times.append(time.perf_counter() - t)
                if at.exception:
                    raise RuntimeError(f"{page}: {at.exception[0].value}")
            results.append((username, page, *times))
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m orchestration.tools.app_bench", description=__doc__.split("\n")[0]
    )
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--data", default=None, help="folder data yang sudah diterbitkan")
    group.add_argument(
        "--sintetis",
        default=None,
        help="simulasikan setahun lalu jalankan pipeline (sekali) di folder ini",
    )
    parser.add_argument("--pegawai", type=int, default=15794)
    args = parser.parse_args(argv)
    data = (
        synthetic(Path(args.sintetis), args.pegawai)
        if args.sintetis
        else DataDir.resolve(args.data)
    )
    from orchestration.core.published import current_snapshot

    snap = current_snapshot(data)
    if snap is None:
        print(f"Belum ada data terbit di {data.published}.", file=sys.stderr)
        return 1
    rows = sum(e["rows"] for e in snap.manifest["files"].values() if e["table"] == "tpp_harian")
    print(f"snapshot {snap.id}: {len(snap.periods)} periode, tpp_harian {rows:,} baris")
    results = run(data)
    print(f"\n{'peran':<10} {'halaman':<18} {'dingin':>8} {'hangat':>8}")
    for user, page, cold, warm in results:
        print(f"{user:<10} {page:<18} {cold:>7.2f}s {warm:>7.2f}s")
    print(
        f"\nmedian dingin {statistics.median(r[2] for r in results):.2f}s, "
        f"maks dingin {max(r[2] for r in results):.2f}s, "
        f"median hangat {statistics.median(r[3] for r in results):.2f}s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
