"""The app's server: Streamlit's ``st.App`` (Starlette + uvicorn) around ``app/main.py``.

- Heavy modules are imported and exercised (``app.warm``) when this module loads, before the
  server listens: concurrent first sessions never see a half-initialised module. The queries of
  the home page and of every department page of the newest period are computed then too, and
  again in the background after every publish (``app.warm.keep_warm``).
- ``app.routes``: ``POST /api/sesi`` exchanges a login's one-time token for the HttpOnly,
  SameSite=Strict session cookie (``app.sessions``); ``POST /api/keluar`` ends the session the
  cookie names and deletes the cookie.

Run it with ``KINERJA_DATA=DATA python -m app.server [--port 8501]`` (what ``app.launch`` does).
"""

from __future__ import annotations

import contextlib
import gc
import sys
import threading
import time
from pathlib import Path

from app.warm import keep_warm, object_strings, warm, warm_data
from orchestration.cli_parser import Parser
from orchestration.core.formatting import detik

object_strings()
WARM = warm()  # before anything serves


def _log(text: str) -> None:
    print(f"pemanasan {text}", flush=True)


def _warm_data():
    """The current snapshot's home and department queries, computed before serving."""
    from orchestration.core.paths import DataDir
    from orchestration.core.published import resolve_current

    data = DataDir.resolve()
    try:
        current = resolve_current(data)
        WARM.update(warm_data(data, _log))
        return data, current
    except Exception as error:  # noqa: BLE001 - warming is an optimisation, never fatal
        _log(f"gagal: {type(error).__name__}: {error}")
        return data, None


DATA, WARMED = _warm_data()
gc.collect()
gc.freeze()  # the modules and objects of the start-up are never garbage: GC skips them

import streamlit as st  # noqa: E402
from starlette.middleware import Middleware  # noqa: E402

from app import media_owner, processes  # noqa: E402
from app.download_guard import DownloadsNeedASession  # noqa: E402
from app.routes import ROUTES  # noqa: E402

media_owner.install()  # a download's URL serves only the account that built the file
if (
    processes.process_count() > 1
):  # several processes behind one port: shared socket and media store
    processes.install(DATA)

MAIN = Path(__file__).resolve().parent / "main.py"


@contextlib.asynccontextmanager
async def _lifespan(_app):
    """Keep the data caches warm: every later publish is warmed in the background."""
    threading.Thread(
        target=keep_warm,
        args=(DATA,),
        kwargs={"log": _log, "seen": WARMED},
        daemon=True,
        name="pemanasan-cache",
    ).start()
    if processes.process_count() > 1:
        threading.Thread(target=_clean_media, daemon=True, name="media-bersama").start()
    yield


def _clean_media() -> None:
    while True:
        with contextlib.suppress(OSError):
            processes.clean_media(DATA)
        time.sleep(300)


app = st.App(
    str(MAIN),
    routes=ROUTES,
    lifespan=_lifespan,
    middleware=[Middleware(DownloadsNeedASession)],  # a download's URL alone gets nothing
)


def build_parser() -> Parser:
    """``python -m app.server``'s arguments (one server process), in Indonesian."""
    parser = Parser(prog="python -m app.server", description="Server aplikasi (satu proses)")
    parser.add_argument("--address", default="127.0.0.1", help="alamat dengar (bawaan: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8501, help="port (bawaan: 8501)")
    return parser


def main(argv: list[str] | None = None) -> int:
    from app.launch import SETTINGS

    args = build_parser().parse_args(argv)
    config = {k: _typed(v) for k, v in SETTINGS.items()}
    config |= {"server.address": args.address, "server.port": args.port}
    print(f"pemanasan: {', '.join(f'{k} {detik(v)}' for k, v in WARM.items())}", flush=True)
    app.run(config=config)
    return 0


def _typed(value: str):
    return {"true": True, "false": False}.get(value, value)


if __name__ == "__main__":
    sys.exit(main())
