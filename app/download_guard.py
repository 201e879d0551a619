"""Download files are served only to a request that carries a valid session of the account
that built them.

Streamlit serves a download button's file at ``/media/<id>.<ext>`` to anyone holding the URL
(browser history, a proxy's log), for as long as the file is kept (``app.processes.UMUR_MEDIA``
with several processes). This ASGI middleware lets such a response (``Content-Disposition:
attachment``) through only when the request's session cookie names a session that is still valid
(``app.sessions``: not ended, expired or idle) of an account that still exists with the same
role and department, and, for a file built by the audited builder (``app.ui.download``), only
to that account (``app.media_owner``: finance's payment list is not a department head's file
because the head holds its URL); otherwise it answers 403 and writes the refusal
to the audit log. Other media (the login page's logo) are not touched: they hold no data.
"""

from __future__ import annotations

import time

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app import audit, media_owner, sessions
from app.auth import IDLE_SECONDS, account_unchanged
from orchestration.core.paths import DataDir


def session_user(data: DataDir, cookie: str | None, now: float | None = None) -> str | None:
    """The account of the request's session when it is still valid, else None."""
    sesi_id = sessions.read_cookie(data, cookie)
    if not sesi_id:
        return None
    row = sessions.fetch(data, sesi_id)
    if sessions.valid(row, IDLE_SECONDS, time.time() if now is None else now) is not None:
        return None
    return row.username if account_unchanged(data, row.username, row.role, row.kode_opd) else None


def session_valid(data: DataDir, cookie: str | None, now: float | None = None) -> bool:
    return session_user(data, cookie, now) is not None


def allowed(data: DataDir, cookie: str | None, path: str) -> tuple[bool, str | None, str]:
    """(may the request have the file at ``path``, its account, why not): a valid session, and
    for a file built by the audited builder, the account it was built for (``app.media_owner``)."""
    username = session_user(data, cookie)
    if username is None:
        return False, None, "tanpa sesi yang sah"
    file_id = path.removeprefix("/media/").split(".", 1)[0]
    pemilik = media_owner.owners(data, file_id)
    if pemilik and username not in pemilik:
        return False, username, "berkas dibuat untuk pengguna lain"
    return True, username, ""


async def _refuse(
    data: DataDir, scope: Scope, receive: Receive, send: Send, username: str, why: str, teks: str
) -> None:
    """A 403 with ``teks`` for people, written to the audit log with ``why``."""
    await run_in_threadpool(
        audit.write,
        data,
        audit.AKSES_DITOLAK,
        username,
        None,
        objek=f"unduh {scope['path']}",
        pesan=why,
    )
    response = PlainTextResponse(teks, status_code=403, headers={"Cache-Control": "no-store"})
    await response(scope, receive, send)


class DownloadsNeedASession:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/media/"):
            await self.app(scope, receive, send)
            return
        data = DataDir.resolve()
        cookie = Request(scope).cookies.get(sessions.COOKIE)
        ok, username, why = await run_in_threadpool(allowed, data, cookie, scope["path"])
        if ok:
            await self.app(scope, receive, send)
            return
        if username is not None:  # a file built for another account: refused whatever it is
            await _refuse(
                data, scope, receive, send, username, why, "Berkas ini dibuat untuk pengguna lain."
            )
            return
        refused = False

        async def guarded(message: Message) -> None:
            nonlocal refused
            if message["type"] == "http.response.start":
                disposition = dict(message.get("headers") or []).get(b"content-disposition", b"")
                if b"attachment" in disposition.lower():
                    refused = True
                    await _refuse(
                        data,
                        scope,
                        receive,
                        send,
                        "-",
                        why,
                        "Masuk dulu untuk mengunduh berkas ini.",
                    )
                    return
            if not refused:  # the refused file's own body is dropped
                await send(message)

        await self.app(scope, receive, guarded)
