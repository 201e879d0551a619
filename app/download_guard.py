"""Download files are served only to a request that carries a valid session.

Streamlit serves a download button's file at ``/media/<id>.<ext>`` to anyone holding the URL
(browser history, a proxy's log), for as long as the file is kept (``app.processes.UMUR_MEDIA``
with several processes). This ASGI middleware lets such a response (``Content-Disposition:
attachment``) through only when the request's session cookie names a session that is still valid
(``app.sessions``: not ended, expired or idle) of an account that still exists with the same
role and department; otherwise it answers 403 and writes the refusal
to the audit log. Other media (the login page's logo) are not touched: they hold no data.
"""

from __future__ import annotations

import time

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app import audit, sessions
from app.auth import IDLE_SECONDS, account_unchanged
from orchestration.core.paths import DataDir


def session_valid(data: DataDir, cookie: str | None, now: float | None = None) -> bool:
    sesi_id = sessions.read_cookie(data, cookie)
    if not sesi_id:
        return False
    row = sessions.fetch(data, sesi_id)
    if sessions.valid(row, IDLE_SECONDS, time.time() if now is None else now) is not None:
        return False
    return account_unchanged(data, row.username, row.role, row.kode_opd)


class DownloadsNeedASession:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/media/"):
            await self.app(scope, receive, send)
            return
        data = DataDir.resolve()
        cookie = Request(scope).cookies.get(sessions.COOKIE)
        if await run_in_threadpool(session_valid, data, cookie):
            await self.app(scope, receive, send)
            return
        refused = False

        async def guarded(message: Message) -> None:
            nonlocal refused
            if message["type"] == "http.response.start":
                disposition = dict(message.get("headers") or []).get(b"content-disposition", b"")
                if b"attachment" in disposition.lower():
                    refused = True
                    await run_in_threadpool(
                        audit.write,
                        data,
                        audit.AKSES_DITOLAK,
                        "-",
                        None,
                        objek=f"unduh {scope['path']}",
                        pesan="tanpa sesi yang sah",
                    )
                    response = PlainTextResponse(
                        "Masuk dulu untuk mengunduh berkas ini.",
                        status_code=403,
                        headers={"Cache-Control": "no-store"},
                    )
                    await response(scope, receive, send)
                    return
            if not refused:  # the refused file's own body is dropped
                await send(message)

        await self.app(scope, receive, guarded)
