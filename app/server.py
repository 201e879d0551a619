"""The app's server: Streamlit's ``st.App`` (Starlette + uvicorn) around ``app/main.py``.

- Heavy modules are imported and exercised (``app.warm``) when this module loads, before the
  server listens: concurrent first sessions never see a half-initialised module.
- ``app.rute``: ``POST /api/sesi`` exchanges a login's one-time token for the HttpOnly,
  SameSite=Strict session cookie (``app.sesi``); ``POST /api/keluar`` ends the session the
  cookie names and deletes the cookie.

Run it with ``KINERJA_DATA=DATA python -m app.server [--port 8501]`` (what ``app.launch`` does).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.warm import warm

WARM = warm()  # before anything serves

import streamlit as st  # noqa: E402

from app.rute import ROUTES  # noqa: E402

MAIN = Path(__file__).resolve().parent / "main.py"

app = st.App(str(MAIN), routes=ROUTES)


def main(argv: list[str] | None = None) -> int:
    from app.launch import SETTINGS

    parser = argparse.ArgumentParser(prog="python -m app.server", description="Server aplikasi")
    parser.add_argument("--address", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8501)
    args = parser.parse_args(argv)
    config = {k: _typed(v) for k, v in SETTINGS.items()}
    config |= {"server.address": args.address, "server.port": args.port}
    print(f"warm imports: {', '.join(f'{k} {v:.1f} s' for k, v in WARM.items())}", flush=True)
    app.run(config=config)
    return 0


def _typed(value: str):
    return {"true": True, "false": False}.get(value, value)


if __name__ == "__main__":
    sys.exit(main())
