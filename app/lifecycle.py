"""The period lifecycle from the app: verify (ANALIS) and lock (KEUANGAN).

The same functions and rules as ``kinerja verify`` / ``kinerja lock``
(``orchestration.periods``): verify needs the period published and free of ERROR findings;
lock needs it verified and its published files unchanged since; nothing leaves LOCKED. The app
adds who may do what (by role, checked here on the server) and the audit: every step done or
refused is a line in ``DATA/audit.jsonl``.
"""

from __future__ import annotations

from app import audit
from app.data import AccessDenied
from app.users import ANALIS, KEUANGAN
from orchestration.core.paths import DataDir
from orchestration.lifecycle import lock, verify
from orchestration.periods import LOCKED, VERIFIED, PeriodeError, StatusPeriode
from orchestration.publish import PublishError

LANGKAH = {
    VERIFIED: (ANALIS, verify, audit.VERIFIKASI, "memverifikasi"),
    LOCKED: (KEUANGAN, lock, audit.KUNCI, "mengunci"),
}


class LifecycleFailed(RuntimeError):
    """The lifecycle refused the step; the message is one sentence for people."""


def run(data: DataDir, username: str, role: str, periode: str, ke: str) -> StatusPeriode:
    """Move ``periode`` to ``ke`` (VERIFIED or LOCKED) as ``username``; audited either way."""
    peran, langkah, aksi, kata = LANGKAH[ke]
    if role != peran:
        audit.write(
            data,
            audit.AKSES_DITOLAK,
            username,
            role,
            objek=f"periode {ke}",
            periode=periode,
            pesan=f"peran {role} tidak boleh {kata} periode",
        )
        raise AccessDenied(f"Hanya peran {peran} yang dapat {kata} periode.")
    try:
        hasil = langkah(data, periode, oleh=username)
    except (PeriodeError, PublishError) as error:
        audit.write(data, aksi, username, role, periode=periode, hasil="DITOLAK", pesan=str(error))
        raise LifecycleFailed(str(error)) from None
    audit.write(
        data,
        aksi,
        username,
        role,
        periode=periode,
        hasil="OK",
        snapshot=hasil.snapshot,
        sidik=hasil.sidik,
    )
    return hasil
