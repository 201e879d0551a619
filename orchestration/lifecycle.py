"""The transitions of the period lifecycle (``orchestration.periods``): verify and lock.

Lock requires the period to be published and verified, and its published files to be exactly
the verified ones. Verify and lock write a new snapshot (every file carried over) so that the
published manifest shows the status; lock also keeps the paid rows for the warehouse view
``tpp_dibayar``. The CLI (``kinerja verify`` / ``kinerja lock``) and the app call these.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager

from orchestration.core.formatting import waktu_iso
from orchestration.core.paths import DataDir, sha256_file
from orchestration.core.published import Snapshot, current_snapshot
from orchestration.periods import (
    DIBLOKIR,
    LOCKED,
    VERIFIED,
    PeriodeError,
    StatusPeriode,
    default_oleh,
    now_wita,
    record_transition,
    status,
)
from orchestration.publish import publish, publishing


def _published(data: DataDir, periode: str):
    """(current snapshot, fingerprint of the period's published files), or refuse."""
    snapshot = current_snapshot(data)
    if snapshot is None or periode not in snapshot.periods:
        raise PeriodeError(
            f"Periode {periode} belum diterbitkan (published); jalankan pipeline untuk periode "
            "ini terlebih dahulu."
        )
    return snapshot, snapshot.period(periode)["sidik"]


def _refuse_locked(current: StatusPeriode) -> None:
    if current.locked:
        raise PeriodeError(
            f"Periode {current.periode} sudah dikunci (LOCKED) oleh {current.oleh} pada "
            f"{waktu_iso(current.pada)}; status tidak dapat diubah lagi."
        )


@contextmanager
def _transition(data: DataDir, periode: str) -> Iterator[tuple[StatusPeriode, Snapshot, str]]:
    """Under the publish lock: the period's status (refused when LOCKED), its published snapshot
    and fingerprint; after a transition recorded inside, a new snapshot shows the status."""
    with publishing(data):
        current = status(data, periode)
        _refuse_locked(current)
        snapshot, sha = _published(data, periode)
        if periode in snapshot.blocked:
            raise PeriodeError(
                f"Periode {periode} diblokir: {DIBLOKIR}; perbaiki sumber data dan jalankan "
                "ulang pipeline sebelum verifikasi atau penguncian."
            )
        yield current, snapshot, sha
    publish(data, [])


def verify(data: DataDir, periode: str, oleh: str | None = None) -> StatusPeriode:
    """DRAFT/VERIFIED -> VERIFIED for what is published now (no ERROR findings allowed)."""
    oleh = oleh or default_oleh()
    with _transition(data, periode) as (current, snapshot, sha):
        temuan = snapshot.read("temuan", [periode])
        if temuan.height and "tingkat" in temuan.columns:
            errors = temuan.filter(temuan["tingkat"] == "ERROR").height
            if errors:
                raise PeriodeError(
                    f"Periode {periode} masih punya {errors} temuan ERROR; perbaiki sumber data "
                    "dan jalankan ulang pipeline sebelum verifikasi."
                )
        new = StatusPeriode(periode, VERIFIED, oleh, now_wita().isoformat(), snapshot.id, sha)
        record_transition(data, new, current)
    return new


def lock(data: DataDir, periode: str, oleh: str | None = None) -> StatusPeriode:
    """VERIFIED -> LOCKED, only when the published TPP table is still the verified one."""
    oleh = oleh or default_oleh()
    with _transition(data, periode) as (current, snapshot, sha):
        if current.status != VERIFIED:
            raise PeriodeError(
                f"Periode {periode} belum diverifikasi (status {current.status}); jalankan "
                f"'kinerja verify --periode {periode}' terlebih dahulu."
            )
        if current.sidik != sha:
            raise PeriodeError(
                f"Data periode {periode} berubah sejak diverifikasi oleh {current.oleh} "
                f"(snapshot {current.snapshot}, sekarang {snapshot.id}); verifikasi ulang dulu."
            )
        new = StatusPeriode(periode, LOCKED, oleh, now_wita().isoformat(), snapshot.id, sha)
        _keep_paid_rows(data, snapshot, periode)
        record_transition(data, new, current)
    return new


def _keep_paid_rows(data: DataDir, snapshot, periode: str) -> None:
    """The period's published ``tpp_bulanan`` (what is paid) copied for the warehouse view
    ``tpp_dibayar``: from now on the warehouse shows these amounts for the period, whatever a
    later recomputation gives (that difference is ``tpp_koreksi`` in the next open period)."""
    [source] = snapshot.files("tpp_bulanan", [periode])
    target = data.locked / f"{periode}.parquet"
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.tmp")
    shutil.copyfile(source, partial)
    if sha256_file(partial) != snapshot.file_entry("tpp_bulanan", periode)["sha256"]:
        partial.unlink()
        raise PeriodeError(f"Salinan tpp_bulanan periode {periode} tidak sama dengan yang terbit.")
    os.replace(partial, target)
