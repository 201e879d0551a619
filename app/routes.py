"""HTTP routes of the app server beside Streamlit's own: the session cookie (``app.sessions``).

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

from app import audit, sessions
from orchestration.core.paths import DataDir


def _data() -> DataDir:
    return DataDir.resolve()


def _json(body: dict, status: int = 200) -> JSONResponse:
    response = JSONResponse(body, status_code=status)
    response.headers["Cache-Control"] = "no-store"
    return response


async def api_session(request: Request) -> JSONResponse:
    token = (await request.body())[:256].decode("ascii", "replace").strip()
    hasil = await run_in_threadpool(sessions.exchange, _data(), token)
    if hasil is None:
        return _json({"ok": False}, 403)
    value, berakhir = hasil
    response = _json({"ok": True})
    response.set_cookie(
        sessions.COOKIE,
        value,
        max_age=max(1, int(berakhir - time.time())),
        path="/",
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )
    return response


async def api_logout(request: Request) -> JSONResponse:
    data = _data()
    sesi_id = await run_in_threadpool(
        sessions.read_cookie, data, request.cookies.get(sessions.COOKIE)
    )
    if sesi_id:
        await run_in_threadpool(_end_and_audit, data, sesi_id)
    response = _json({"ok": True})
    response.delete_cookie(sessions.COOKIE, path="/", httponly=True, samesite="strict")
    return response


def _end_and_audit(data: DataDir, sesi_id: str) -> None:
    """End the session; a logout that did not come through the app's own button (which ended
    the session and wrote LOGOUT already) is written to the audit log here."""
    row = sessions.fetch(data, sesi_id)
    if sessions.end(data, sesi_id) and row is not None:
        audit.write(
            data, audit.LOGOUT, row.username, row.role, kode_opd=row.kode_opd, objek="/api/keluar"
        )


ROUTES = [
    Route("/api/sesi", api_session, methods=["POST"]),
    Route("/api/keluar", api_logout, methods=["POST"]),
]
