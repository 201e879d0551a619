"""Load test of the app: simulated users speaking Streamlit's websocket protocol to 127.0.0.1.

Every simulated user opens its own Streamlit session (``/_stcore/stream``, protobuf ``BackMsg``
/ ``ForwardMsg``, exactly what a browser tab sends) and, one page after the other:

1. ``masuk``: the login page (first script run of a new session);
2. ``beranda``: submits the login form (user name, password, the form's submit trigger) and
   waits for the home page (Ringkasan Provinsi);
3. ``opd``: a department page (``/opd?opd=<kode>``, the departments in turn);
4. ``pegawai``: a person's page (``/pegawai?nip=<nip>``, another person for every user in every
   round: person pages are never served from an earlier round's cache).

A page's time runs from sending the rerun to Streamlit's ``script_finished`` of the page's run
(the last delta sent). An error is a Python exception shown in the page, an error alert, a
page that is not the expected one, or a page not finished within ``--batas-halaman`` seconds;
then the health endpoint is asked (a server that no longer answers is reported as hung, the
run stops). All users go at once, ``--putaran`` rounds, each round with new sessions; the run
stops by itself after the rounds or ``--maks-detik``. Only 127.0.0.1 is ever contacted.
By default a user asks for the next page as soon as the last one finished (the strictest
load); ``--jeda MIN MAX`` lets each user read for MIN..MAX seconds between two pages.

    uv run python tests/load/streamlit_load.py --data /tmp/x/data --sesi 50 --putaran 20 \\
        [--port 8501 | --server] [--bersamaan "uv run kinerja run ... --paksa"] [--json out.json]

``--server`` starts the app (``python -m app.launch``, ``--proses N`` server processes on one
port) on a free port first and stops it at the end, so round 1 is the first round after a
(re)start; without it the app must already run.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import shlex
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import connect

HOST = "127.0.0.1"
SELESAI = ForwardMsg.ScriptFinishedStatus.Value("FINISHED_SUCCESSFULLY")
LANGKAH = ("masuk", "beranda", "opd", "pegawai")
JUDUL = {"beranda": "Ringkasan Provinsi", "pegawai": None, "opd": None}


class GagalHalaman(Exception):
    """A page ended in an error (or not at all)."""


@dataclass
class Hasil:
    """What one run measured."""

    sesi: int
    putaran: int
    waktu: dict[str, list[float]] = field(default_factory=lambda: {k: [] for k in LANGKAH})
    galat: list[str] = field(default_factory=list)
    macet: bool = False
    putaran_selesai: int = 0
    detik: float = 0.0
    beban: list[tuple[float, float, float]] = field(default_factory=list)  # loadavg samples
    cpu_server: float | None = None  # CPU seconds of the server process during the run
    sehat_akhir: bool | None = None  # /_stcore/health answered after the last round
    bersamaan: dict | None = None

    def ringkas(self) -> dict:
        semua = [t for ts in self.waktu.values() for t in ts]
        out = {
            "sesi": self.sesi,
            "putaran": self.putaran,
            "putaran_selesai": self.putaran_selesai,
            "halaman": len(semua),
            "galat": len(self.galat),
            "macet": self.macet,
            "detik": round(self.detik, 1),
            "cpu_server_detik": self.cpu_server,
            "sehat_akhir": self.sehat_akhir,
            "per_halaman": {k: _statistik(v) for k, v in self.waktu.items()},
            "semua": _statistik(semua),
            "loadavg_maks_1m": max((b[0] for b in self.beban), default=None),
            "bersamaan": self.bersamaan,
            "contoh_galat": self.galat[:5],
        }
        return out


def _statistik(values: list[float]) -> dict:
    if not values:
        return {"n": 0}
    s = sorted(values)

    def q(p: float) -> float:
        return round(s[min(len(s) - 1, max(0, int(round(p * len(s) + 0.5)) - 1))], 3)

    return {
        "n": len(s),
        "p50": q(0.50),
        "p95": q(0.95),
        "maks": round(s[-1], 3),
        "rata": round(statistics.fmean(s), 3),
    }


# ---- one Streamlit session ----------------------------------------------------------------------


class Sesi:
    """One browser tab's Streamlit session over its websocket."""

    def __init__(self, port: int, batas: float) -> None:
        self.url = f"ws://{HOST}:{port}/_stcore/stream"
        self.batas = batas
        self.ws = None
        self.halaman: dict[str, str] = {}  # url path -> page script hash
        self.page_hash = ""
        self.widget: dict[str, str] = {}  # label -> widget id
        self.teks: list[str] = []

    async def __aenter__(self) -> Sesi:
        self.ws = await connect(
            self.url,
            subprotocols=["streamlit"],
            max_size=None,
            open_timeout=self.batas,
            ping_interval=None,
        )
        return self

    async def __aexit__(self, *exc) -> None:
        with contextlib.suppress(Exception):
            await self.ws.close()

    async def jalankan(
        self, query: str = "", halaman: str | None = None, widget: list | None = None
    ) -> float:
        """Rerun the script (a page, a query string, widget values); seconds until it finished."""
        msg = BackMsg()
        cs = msg.rerun_script
        cs.query_string = query
        if halaman is not None:
            cs.page_script_hash = self.halaman.get(halaman, "")
            cs.page_name = halaman
        elif self.page_hash:
            cs.page_script_hash = self.page_hash
        for ws in widget or []:
            cs.widget_states.widgets.append(ws)
        self.teks, mulai = [], time.perf_counter()
        await self.ws.send(msg.SerializeToString())
        await asyncio.wait_for(self._sampai_selesai(), self.batas)
        return time.perf_counter() - mulai

    async def _sampai_selesai(self) -> None:
        while True:
            fm = ForwardMsg()
            fm.ParseFromString(await self.ws.recv())
            kind = fm.WhichOneof("type")
            if kind == "new_session":
                self.page_hash = fm.new_session.page_script_hash
            elif kind == "navigation":
                self.halaman = {p.url_pathname: p.page_script_hash for p in fm.navigation.app_pages}
                self.page_hash = fm.navigation.page_script_hash or self.page_hash
            elif kind == "delta" and fm.delta.WhichOneof("type") == "new_element":
                self._elemen(fm.delta.new_element)
            elif kind == "session_event" and fm.session_event.WhichOneof("type") in (
                "script_compilation_exception",
            ):
                raise GagalHalaman("script tidak dapat dikompilasi")
            elif kind == "script_finished" and fm.script_finished == SELESAI:
                # (FINISHED_EARLY_FOR_RERUN, st.rerun after the login: the next run follows)
                return

    def _elemen(self, el) -> None:
        kind = el.WhichOneof("type")
        if kind == "exception":
            raise GagalHalaman(f"exception: {el.exception.type}: {el.exception.message[:200]}")
        if kind == "alert" and el.alert.format == el.alert.ERROR:
            self.teks.append(f"ERROR: {el.alert.body}")
        elif kind == "text_input":
            self.widget[el.text_input.label] = el.text_input.id
        elif kind == "button" and el.button.is_form_submitter:
            self.widget[f"submit:{el.button.label}"] = el.button.id
        elif kind == "heading":
            self.teks.append(el.heading.body)
        elif kind == "markdown":
            self.teks.append(el.markdown.body)

    def galat_tampil(self) -> str | None:
        return next((t for t in self.teks if t.startswith("ERROR: ")), None)


def _widget(wid: str, **value):
    from streamlit.proto.WidgetStates_pb2 import WidgetState

    return WidgetState(id=wid, **value)


async def pengguna(
    port: int,
    batas: float,
    username: str,
    password: str,
    opd: str,
    nip: str,
    hasil: Hasil,
    jeda: tuple[float, float] = (0.0, 0.0),
) -> None:
    """One user: login page, log in (home page), a department, a person. ``jeda``: the
    reading time between two pages (seconds, uniform between the two bounds, drawn from a
    generator seeded by the person, so a run repeats); (0, 0) = the next page at once."""
    rng = random.Random(nip)

    async def baca() -> None:
        if jeda[1] > 0:
            await asyncio.sleep(rng.uniform(*jeda))

    langkah = "masuk"
    try:
        async with Sesi(port, batas) as s:
            t = await s.jalankan()
            _cek(s, "masuk", lambda: "Nama pengguna" in s.widget)
            hasil.waktu["masuk"].append(t)
            await baca()
            langkah = "beranda"
            form = [
                _widget(s.widget["Nama pengguna"], string_value=username),
                _widget(s.widget["Kata sandi"], string_value=password),
                _widget(s.widget["submit:Masuk"], trigger_value=True),
            ]
            t = await s.jalankan(widget=form)
            _cek(s, "beranda", lambda: "Ringkasan Provinsi" in s.teks)
            hasil.waktu["beranda"].append(t)
            await baca()
            langkah = "opd"
            t = await s.jalankan(query=f"opd={opd}", halaman="opd")
            _cek(s, "opd", lambda: "Perlu perhatian" in s.teks)
            hasil.waktu["opd"].append(t)
            await baca()
            langkah = "pegawai"
            t = await s.jalankan(query=f"nip={nip}", halaman="pegawai")
            _cek(s, "pegawai", lambda: any(nip[:8] in x for x in s.teks))
            hasil.waktu["pegawai"].append(t)
    except TimeoutError:
        hasil.galat.append(f"{langkah}: tidak selesai dalam {batas:.0f} detik")
    except (GagalHalaman, OSError, KeyError) as e:
        hasil.galat.append(f"{langkah}: {type(e).__name__}: {e}")
    except Exception as e:  # noqa: BLE001 - a protocol surprise is an error of that page
        hasil.galat.append(f"{langkah}: {type(e).__name__}: {e}")


def _cek(s: Sesi, langkah: str, ok) -> None:
    if (galat := s.galat_tampil()) is not None:
        raise GagalHalaman(galat[:300])
    if not ok():
        raise GagalHalaman(f"halaman {langkah} tidak seperti yang diharapkan: {s.teks[:3]}")


# ---- the run ----------------------------------------------------------------------------------


def sehat(port: int, timeout: float = 5) -> bool:
    try:
        with urllib.request.urlopen(f"http://{HOST}:{port}/_stcore/health", timeout=timeout) as r:
            return r.status == 200
    except OSError:
        return False


def target(data: Path, n: int, seed: int = 19) -> list[tuple[str, str]]:
    """(department, person of it) for ``n`` users from the latest published period."""
    from orchestration.core.paths import DataDir
    from orchestration.core.published import current_snapshot

    snap = current_snapshot(DataDir(Path(data)))
    rows = snap.read("tpp_bulanan", [snap.periods[-1]]).select("kode_opd", "nip").rows()
    rng = random.Random(seed)
    rng.shuffle(rows)
    opd = sorted({k for k, _ in rows})
    per_opd = {k: [r for r in rows if r[0] == k] for k in opd}
    return [
        per_opd[opd[i % len(opd)]][i // len(opd) % len(per_opd[opd[i % len(opd)]])]
        for i in range(n)
    ]


def _stat(pid: int) -> list[str]:
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def _cpu_detik(pid: int | None) -> float | None:
    """CPU seconds of ``pid`` and its live children (the server processes of the launcher)."""
    if pid is None:
        return None
    total = 0
    try:
        for p in [pid, *children(pid)]:
            fields = _stat(p)
            total += int(fields[11]) + int(fields[12])
    except (OSError, IndexError, ValueError):
        return None
    return total / os.sysconf("SC_CLK_TCK")


def children(pid: int) -> list[int]:
    """The live processes whose parent is ``pid`` (from /proc)."""
    return [
        int(p.name)
        for p in Path("/proc").iterdir()
        if p.name.isdigit() and _ppid(int(p.name)) == pid
    ]


def _ppid(pid: int) -> int | None:
    try:
        return int(_stat(pid)[1])
    except (OSError, IndexError, ValueError):
        return None


async def jalankan(
    port: int,
    data: Path,
    sesi: int,
    putaran: int,
    maks_detik: float,
    batas: float,
    username: str,
    password: str,
    server_pid: int | None = None,
    bersamaan: str | None = None,
    cetak=print,
    jeda: tuple[float, float] = (0.0, 0.0),
) -> Hasil:
    hasil = Hasil(sesi, putaran)
    sasaran = target(data, sesi * putaran)  # another person for every user in every round
    mulai, cpu0 = time.monotonic(), _cpu_detik(server_pid)
    proses = None
    if bersamaan:
        proses = subprocess.Popen(
            shlex.split(bersamaan), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        t_bersamaan = time.monotonic()

    async def catat_beban() -> None:
        while True:
            hasil.beban.append(os.getloadavg())
            await asyncio.sleep(2)

    pemantau = asyncio.create_task(catat_beban())
    try:
        for r in range(1, putaran + 1):
            if time.monotonic() - mulai > maks_detik:
                cetak(f"berhenti: batas {maks_detik:.0f} detik tercapai sebelum putaran {r}")
                break
            t0, n_galat = time.monotonic(), len(hasil.galat)
            kali_ini = sasaran[(r - 1) * sesi : r * sesi]
            await asyncio.gather(
                *(
                    pengguna(port, batas, username, password, opd, nip, hasil, jeda)
                    for opd, nip in kali_ini
                )
            )
            hasil.putaran_selesai = r
            baru = hasil.galat[n_galat:]
            cetak(
                f"putaran {r}: {time.monotonic() - t0:.1f} s, galat {len(baru)}, "
                f"loadavg {os.getloadavg()[0]:.2f}"
            )
            if baru and not sehat(port):
                hasil.macet = True
                cetak("server tidak menjawab /_stcore/health: macet, berhenti")
                break
    finally:
        pemantau.cancel()
        hasil.detik = time.monotonic() - mulai
        hasil.sehat_akhir = sehat(port)
        cpu1 = _cpu_detik(server_pid)
        hasil.cpu_server = round(cpu1 - cpu0, 1) if cpu0 is not None and cpu1 is not None else None
        if proses is not None:  # the companion command ends with the test at the latest
            rc = proses.poll()
            selesai = round(time.monotonic() - t_bersamaan, 1)
            if rc is None:
                proses.terminate()
                try:
                    proses.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    proses.kill()
                rc = "dihentikan di akhir uji"
            hasil.bersamaan = {"perintah": bersamaan, "rc": rc, "detik": selesai}
    return hasil


BERHENTI: dict[str, bool] = {}  # whether the last server() stopped on SIGTERM


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def server(
    data: Path,
    port: int | None = None,
    timeout: float = 180,
    log: Path | None = None,
    proses: int | None = None,
):
    """The app (``python -m app.launch``: ``proses`` server processes on one port, None: the
    app's default) on 127.0.0.1 for the duration; yields (port, pid of the launcher)."""
    port = port or _free_port()
    env = os.environ | {"KINERJA_DATA": str(data)}
    out = open(log, "w") if log else subprocess.DEVNULL  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "app.launch",
            "--address",
            HOST,
            "--port",
            str(port),
            *(["--proses", str(proses)] if proses else []),
        ],
        env=env,
        stdout=out,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + timeout
        while not sehat(port, 2):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"server tidak siap (rc {proc.poll()})")
            time.sleep(0.3)
        yield port, proc.pid
    finally:
        proc.terminate()
        try:
            proc.wait(20)
            BERHENTI["sigterm"] = True
        except subprocess.TimeoutExpired:  # SIGTERM ignored: a hung server
            BERHENTI["sigterm"] = False
            proc.kill()
            proc.wait(10)
        if log:
            out.close()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Uji beban aplikasi lewat websocket Streamlit")
    p.add_argument("--data", required=True, type=Path, help="folder data yang diterbitkan")
    p.add_argument("--port", type=int, help="port aplikasi yang sudah berjalan di 127.0.0.1")
    p.add_argument("--server", action="store_true", help="jalankan aplikasi sendiri dulu")
    p.add_argument(
        "--proses", type=int, help="proses server (dengan --server; bawaan: bawaan aplikasi)"
    )
    p.add_argument("--sesi", type=int, default=10)
    p.add_argument("--putaran", type=int, default=3)
    p.add_argument("--maks-detik", type=float, default=1800)
    p.add_argument("--batas-halaman", type=float, default=60)
    p.add_argument("--pengguna", default="analis")
    p.add_argument("--sandi", default="analis123")
    p.add_argument("--bersamaan", help="perintah yang dijalankan selama uji (mis. kinerja run)")
    p.add_argument(
        "--jeda",
        type=float,
        nargs=2,
        default=(0.0, 0.0),
        metavar=("MIN", "MAKS"),
        help="waktu membaca antarhalaman, detik (bawaan 0 0: halaman berikutnya langsung)",
    )
    p.add_argument("--json", type=Path, help="tulis hasil ke file JSON")
    a = p.parse_args(argv)
    if not a.server and not a.port:
        p.error("--port atau --server")

    def run(port: int, pid: int | None) -> Hasil:
        return asyncio.run(
            jalankan(
                port,
                a.data,
                a.sesi,
                a.putaran,
                a.maks_detik,
                a.batas_halaman,
                a.pengguna,
                a.sandi,
                pid,
                a.bersamaan,
                jeda=tuple(a.jeda),
            )
        )

    if a.server:
        with server(a.data, proses=a.proses) as (port, pid):
            hasil = run(port, pid)
    else:
        hasil = run(a.port, None)
    ringkas = (
        hasil.ringkas()
        | {"jeda": list(a.jeda)}
        | ({"berhenti_dengan_sigterm": BERHENTI["sigterm"]} if "sigterm" in BERHENTI else {})
    )
    print(json.dumps(ringkas, indent=2, ensure_ascii=False))
    if a.json:
        a.json.write_text(json.dumps(ringkas | {"beban": hasil.beban}, indent=2))
    return 0 if not hasil.galat and not hasil.macet and BERHENTI.get("sigterm", True) else 1


if __name__ == "__main__":
    sys.exit(main())
