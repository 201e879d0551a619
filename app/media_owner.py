"""Who built each download file: ``/media/<id>`` is served only to the account that built it.

A download button's file is built when it is asked for (``app.ui.download``: Streamlit runs the
audited builder, then stores the bytes with ``load_and_get_id`` on the same thread) and then
served at ``/media/<id>.<ext>``. A valid session of any account used to be enough to fetch that
URL, so a department head holding a URL finance had built (a shared screen, a proxy log) got
every department's payment list. Now the builder names its account (``built_for``), the media
store records it with the file (``OwnedMedia``; with several processes also in the shared
file's metadata, ``app.processes``) and ``app.download_guard`` answers 403 to anyone else.
Files nobody built through the builder (the login page's logo) have no owner and stay public.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path

from orchestration.core.paths import DataDir

_THREAD = threading.local()  # the account whose file this thread's next store call holds
_OWNERS: dict[str, set[str]] = {}  # file id -> usernames, files stored by this process
_LOCK = threading.Lock()
MAX_REMEMBERED = 10_000  # the oldest are forgotten first (Streamlit drops them long before)


def media_folder(data: DataDir) -> Path:
    """Where the server processes share their media files (``app.processes``)."""
    return data.root / ".media"


def built_for(username: str) -> None:
    """The file this thread stores next was built for ``username`` (called by the builder right
    before it returns the bytes; the store reads it once)."""
    _THREAD.username = username


def take() -> str | None:
    """The account of the file being stored on this thread, once (then forgotten)."""
    username = getattr(_THREAD, "username", None)
    _THREAD.username = None
    return username


def remember(file_id: str, username: str | None) -> set[str]:
    """Record that ``username`` built ``file_id`` (Streamlit names a file by its content: two
    accounts building the same bytes share one id, and both may fetch it); the file's owners."""
    with _LOCK:
        owners = _OWNERS.setdefault(file_id, set())
        if username is not None:
            owners.add(username)
        while len(_OWNERS) > MAX_REMEMBERED:
            del _OWNERS[next(iter(_OWNERS))]
        return set(owners)


def shared_owners(data: DataDir, file_id: str) -> set[str] | None:
    """The owners in the shared file's metadata (``app.processes``); None when there is none."""
    try:
        meta = json.loads((media_folder(data) / f"{file_id}.json").read_text())
    except (OSError, ValueError):
        return None
    return set(meta.get("pemilik") or []) if isinstance(meta, dict) else None


def owners(data: DataDir, file_id: str) -> set[str]:
    """The accounts that built ``file_id``: this process's record and the shared file's
    metadata written by another process; empty for a file nobody built through the audited
    builder (public)."""
    with _LOCK:
        here = set(_OWNERS.get(file_id, ()))
    return here | (shared_owners(data, file_id) or set())


def install() -> None:
    """Streamlit's media store records the owner of each file it stores (before the st.App is
    created; ``app.processes.install`` builds its shared store on this one)."""
    import streamlit.runtime.memory_media_file_storage as media_mod

    basis = media_mod.MemoryMediaFileStorage
    if getattr(basis, "records_owner", False):
        return

    class OwnedMedia(basis):
        records_owner = True

        def load_and_get_id(self, path_or_data, mimetype, kind, filename=None) -> str:
            pemilik = take()
            file_id = super().load_and_get_id(path_or_data, mimetype, kind, filename)
            self.owners_of(file_id, remember(file_id, pemilik))
            return file_id

        def owners_of(self, file_id: str, pemilik: set[str]) -> None:
            """Where a subclass keeps the owners for other processes (here: nowhere)."""

    media_mod.MemoryMediaFileStorage = OwnedMedia
