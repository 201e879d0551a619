"""Start the app: ``app.server`` (``st.App`` around ``app/main.py``) with the data directory and
the app's settings.

``kinerja app`` runs this module in its own process (``python -m app.launch``); directly::

    uv run python -m app.launch --data data --port 8501
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from orchestration.cli_parser import Parser
from orchestration.core.paths import DataDir

MAIN = Path(__file__).resolve().parent / "main.py"

# theme and server settings (flags, so no .streamlit/config.toml is needed in the working dir)
SETTINGS = {
    "server.headless": "true",
    "server.fileWatcherType": "none",
    "server.runOnSave": "false",
    "runner.magicEnabled": "false",  # no page relies on magic; skips the AST rewrite
    # no full garbage collection after every script run: with tens of sessions it was a quarter
    # of the server's CPU (Python's own generational GC still runs)
    "runner.postScriptGC": "false",
    "browser.gatherUsageStats": "false",
    # Streamlit's English "You can now view your Streamlit app": the launcher says it itself
    "logger.hideWelcomeMessage": "true",
    "client.toolbarMode": "minimal",
    # no built-in CSV download / clipboard copy of tables and chart data: every export of
    # scoped data goes through an audited download button (app.ui.download)
    "client.disableDataExport": "true",
    "theme.primaryColor": "#0f766e",
    "theme.backgroundColor": "#ffffff",
    "theme.secondaryBackgroundColor": "#f1f5f4",
    "theme.textColor": "#1f2937",
}


def command(address: str = "127.0.0.1", port: int = 8501) -> list[str]:
    """``python -m app.server``: warm imports, the session-cookie routes, then Streamlit."""
    return [sys.executable, "-m", "app.server", "--address", address, "--port", str(port)]


def environment(data_dir: str | Path | None) -> dict[str, str]:
    return os.environ | {"KINERJA_DATA": str(DataDir.resolve(data_dir).root)}


def main(
    data_dir: str | Path | None = None,
    address: str = "127.0.0.1",
    port: int = 8501,
    proses: int | None = None,
) -> int:
    """Run the app until interrupted; returns the servers' exit code.

    ``proses`` (default ``$KINERJA_APP_PROSES``, else ``default_processes()``): that many server
    processes share the port (``app.processes``); each page run is Python, so one process uses
    one core at most.
    """
    data = DataDir.resolve(data_dir)
    n = max(1, proses or int(os.environ.get("KINERJA_APP_PROSES", default_processes())))
    env = environment(data.root) | {"KINERJA_APP_PROSES": str(n)}
    print(
        f"Si-Kinerja Analytics: http://{address}:{port}  (data: {data.root}, {n} proses)",
        flush=True,
    )
    signal.signal(signal.SIGTERM, _sigterm)  # SIGTERM ends the servers too
    procs: list[subprocess.Popen] = []
    try:
        for _ in range(n):
            procs.append(subprocess.Popen(command(address, port), env=env))
        while all(p.poll() is None for p in procs):
            time.sleep(0.5)
        return next(p.returncode for p in procs if p.returncode is not None)
    except KeyboardInterrupt:
        return 130
    finally:
        # a second SIGTERM or Ctrl+C (the service manager, the terminal's whole group) must not
        # interrupt the stopping of the servers with a traceback
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        for p in procs:
            if p.poll() is None:
                p.terminate()
        for p in procs:
            try:
                p.wait(20)
            except subprocess.TimeoutExpired:
                p.kill()


def default_processes() -> int:
    """Two server processes where there are two cores: 50 sessions at once on the full year
    (docs/app-load.md) had p95 3.9 s with two, 6.5 s with one; more did not pay on 2 cores."""
    return min(2, os.cpu_count() or 1)


def _sigterm(signum, frame) -> None:
    raise KeyboardInterrupt


def build_parser() -> Parser:
    """``python -m app.launch``'s arguments (``kinerja app`` passes the same), in Indonesian."""
    parser = Parser(prog="python -m app.launch", description="Jalankan aplikasi")
    parser.add_argument(
        "--data", default=None, help="folder data (bawaan: $KINERJA_DATA atau ./data)"
    )
    parser.add_argument("--address", default="127.0.0.1", help="alamat dengar (bawaan: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8501, help="port (bawaan: 8501)")
    parser.add_argument(
        "--proses",
        type=int,
        default=None,
        help="jumlah proses server pada port yang sama (bawaan: $KINERJA_APP_PROSES, atau 2 bila ada 2 inti)",
    )
    return parser


if __name__ == "__main__":
    args = build_parser().parse_args()
    sys.exit(main(args.data, args.address, args.port, args.proses))
