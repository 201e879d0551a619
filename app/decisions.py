"""Analysts' decisions on anomaly flags from the app: role check, validation, audit.

The store is ``models.decisions`` (``DATA/models/keputusan.sqlite``, append-only: a new
decision on a flag is a new row, the latest one is in force). The app adds who may decide (ANALIS,
checked here on the server), that the flag exists in the published scores of the period, that the
note is not empty, and the audit: every decision recorded or refused is a line in
``DATA/audit.jsonl`` (``KEPUTUSAN_ANOMALI``).
"""

from __future__ import annotations

from app import audit
from app.data import AccessDenied, Data
from app.users import ANALIS

# decision -> (label for people, what it means)
PILIHAN = {
    "DIKONFIRMASI": ("Dikonfirmasi", "polanya memang seperti kata aturan (temuan benar)"),
    "DIJELASKAN": ("Dijelaskan", "polanya nyata tetapi ada alasan sah: jadwal, surat, alat rusak"),
    "DITOLAK": ("Ditolak", "temuan keliru: kesalahan data atau salah baca"),
}


class DecisionFailed(ValueError):
    """The decision was not recorded; the message is one sentence for people."""


def record(d: Data, periode: str, nip: str, aturan: str, keputusan: str, catatan: str) -> int:
    """Record ``keputusan`` on the flag (periode, nip, aturan) as the logged-in analyst;
    returns the decision's id. Audited whether recorded or refused."""
    sesi = d.scope
    objek = f"temuan {aturan}"

    def refuse(pesan: str, aksi: str = audit.KEPUTUSAN) -> None:
        audit.write(
            d.dir,
            aksi,
            sesi.username,
            sesi.role,
            objek=objek,
            periode=periode,
            nip=nip,
            aturan=aturan,
            keputusan=keputusan,
            hasil="DITOLAK",
            pesan=pesan,
        )

    if sesi.role != ANALIS:
        refuse(f"peran {sesi.role} tidak boleh mencatat keputusan", audit.AKSES_DITOLAK)
        raise AccessDenied("Hanya analis yang dapat mencatat keputusan atas temuan.")
    catatan = (catatan or "").strip()
    if keputusan not in PILIHAN:
        refuse("keputusan tidak dikenal")
        raise DecisionFailed("Pilih keputusan: Dikonfirmasi, Dijelaskan atau Ditolak.")
    if not catatan:
        refuse("catatan kosong")
        raise DecisionFailed("Catatan wajib diisi: tulis dasar keputusan (bukti yang diperiksa).")
    flags = d.temuan_anomali(periode)
    hit = (
        flags.filter((flags["nip"] == nip) & (flags["aturan"] == aturan))
        if not flags.is_empty()
        else flags
    )
    if hit.is_empty():
        refuse("temuan tidak ada pada skor periode ini")
        raise DecisionFailed("Temuan itu tidak ada pada skor periode ini.")
    row = hit.row(0, named=True)
    from models import decisions as store

    nomor = store.record(
        d.dir,
        periode,
        nip,
        aturan,
        keputusan,
        catatan,
        oleh=sesi.username,
        kasus_id=row.get("kasus_id"),
        versi_model=row.get("model_versi"),
    )
    audit.write(
        d.dir,
        audit.KEPUTUSAN,
        sesi.username,
        sesi.role,
        objek=objek,
        periode=periode,
        kode_opd=row.get("kode_opd"),
        nip=nip,
        aturan=aturan,
        keputusan=keputusan,
        catatan=catatan,
        hasil="OK",
        id_keputusan=nomor,
    )
    return nomor
