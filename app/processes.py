"""Several server processes behind one port (``KINERJA_APP_PROSES``, see ``app.launch``).

Every page run is Python, so one process uses at most one core. With ``N > 1`` the launcher
starts N ``app.server`` processes that all listen on the same address and port
(``SO_REUSEPORT``: the kernel spreads new connections over them). What a page needs from
another request must then be reachable from every process:

- sessions, the login throttle and the audit log already live in files of the data directory;
- Streamlit's media store (the logo, every ``st.download_button`` file) is per process, and the
  browser fetches ``/media/<id>`` over a connection that may reach another process: with N > 1
  it is replaced by ``MediaBersama``, which also writes each file to ``DATA/.media/`` (mode 0600,
  removed after ``UMUR_MEDIA`` seconds) and serves files of the other processes from there.

A websocket that reconnects to another process gets a new Streamlit session; the session cookie
logs it back in.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import socket
import tempfile
import time
from pathlib import Path

from app import media_owner
from app.media_owner import media_folder
from orchestration.core.paths import DataDir

UMUR_MEDIA = 3600
_ID = re.compile(r"^[0-9a-f]{16,128}$")


def process_count() -> int:
    return max(1, int(os.environ.get("KINERJA_APP_PROSES", "1")))


def install(data: DataDir) -> None:
    """Install the shared port and the shared media store (before the st.App is created)."""
    import streamlit.runtime.memory_media_file_storage as media_mod
    from streamlit.web.server.starlette import starlette_server

    starlette_server._bind_socket = _bind_shared_socket
    folder = media_folder(data)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    media_owner.install()
    basis = media_mod.MemoryMediaFileStorage

    class SharedMedia(basis):
        """Streamlit's in-memory media store, mirrored to files every process can read, with
        the accounts that built each file (``app.media_owner``)."""

        def owners_of(self, file_id: str, pemilik: set[str]) -> None:
            if not _ID.match(file_id):
                return
            target = folder / file_id
            shared = media_owner.shared_owners(data, file_id)
            if shared is not None and pemilik <= shared and target.exists():
                return  # stored before with these owners (the logo: every login page)
            berkas = self._files_by_id[file_id]
            meta = {
                "mimetype": berkas.mimetype,
                "kind": berkas.kind.value,
                "filename": berkas.filename,
                "pemilik": sorted(pemilik | (shared or set())),
            }
            _write(folder / f"{file_id}.json", json.dumps(meta).encode())
            if not target.exists():
                _write(target, berkas.content)

        def get_file(self, filename: str):
            try:
                return super().get_file(filename)
            except media_mod.MediaFileStorageError:
                file_id = os.path.splitext(filename)[0]
                if not _ID.match(file_id):
                    raise
                try:
                    meta = json.loads((folder / f"{file_id}.json").read_text())
                    content = (folder / file_id).read_bytes()
                except (OSError, ValueError):
                    raise media_mod.MediaFileStorageError(
                        f"Bad filename '{filename}'. (No media file with id '{file_id}')"
                    ) from None
                from streamlit.runtime.media_file_storage import MediaFileKind

                return media_mod.MemoryFile(
                    content=content,
                    mimetype=meta["mimetype"],
                    kind=MediaFileKind(meta["kind"]),
                    filename=meta["filename"],
                )

    media_mod.MemoryMediaFileStorage = SharedMedia


def clean_media(data: DataDir, now: float | None = None) -> int:
    """Remove shared media files older than ``UMUR_MEDIA``; returns how many."""
    now = time.time() if now is None else now
    n = 0
    for path in media_folder(data).glob("*"):
        with contextlib.suppress(OSError):
            if now - path.stat().st_mtime > UMUR_MEDIA:
                path.unlink()
                n += 1
    return n


def _write(path: Path, content: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    with os.fdopen(fd, "wb") as f:
        f.write(content)
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)


def _bind_shared_socket(address: str, port: int, backlog: int) -> socket.socket:
    """Streamlit's socket binding, plus SO_REUSEPORT: every process listens on the port."""
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    sock = socket.socket(family=family)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        if family == socket.AF_INET6:
            sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
        sock.bind((address, port))
        sock.listen(backlog)
        sock.setblocking(False)
        sock.set_inheritable(True)
        return sock
    except BaseException:
        sock.close()
        raise
