"""HTTP routes of the app server beside Streamlit's own: the session cookie (``app.sesi``).

- ``POST /api/sesi`` (body: a login's one-time token) sets the HttpOnly, SameSite=Strict
  session cookie; an unknown, used or expired token gets 403 and no cookie.
- ``POST /api/keluar`` ends the session the cookie names (on the server) and deletes it.
"""

from __future__ import annotations

import time

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from app import sesi
from orchestration.core.paths import DataDir


def _data() -> DataDir:
    return DataDir.resolve()


def _json(body: dict, status: int = 200) -> JSONResponse:
    response = JSONResponse(body, status_code=status)
    response.headers["Cache-Control"] = "no-store"
    return response


async def api_sesi(request: Request) -> JSONResponse:
    token = (await request.body())[:256].decode("ascii", "replace").strip()
    hasil = await run_in_threadpool(sesi.tukar, _data(), token)
    if hasil is None:
        return _json({"ok": False}, 403)
    value, berakhir = hasil
    response = _json({"ok": True})
    response.set_cookie(
        sesi.COOKIE,
        value,
        max_age=max(1, int(berakhir - time.time())),
        path="/",
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )
    return response


async def api_keluar(request: Request) -> JSONResponse:
    data = _data()
    sesi_id = await run_in_threadpool(sesi.baca_cookie, data, request.cookies.get(sesi.COOKIE))
    if sesi_id:
        await run_in_threadpool(sesi.akhiri, data, sesi_id)
    response = _json({"ok": True})
    response.delete_cookie(sesi.COOKIE, path="/", httponly=True, samesite="strict")
    return response


ROUTES = [
    Route("/api/sesi", api_sesi, methods=["POST"]),
    Route("/api/keluar", api_keluar, methods=["POST"]),
]
