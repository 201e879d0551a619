"""Day level from the raw zone, in DuckDB: who was on duty, which taps, which approved absence.

Temporary tables built on a connection from ``sumber.koneksi``:

- ``staf``: one row per (periode, nip) of the month's master, with the department of the
  month before (transfers) and the active days in the month;
- ``tap_unik``: distinct taps (devices re-send exact duplicates), with ``datang`` (arrival)
  per tpp-rules §2 (MASUK, PULANG, or before/after 12:00 when the device does not say);
- ``absen_hari``: approved (DISETUJUI) absence per day, the first code in the rulebook order;
- ``hari_pegawai``: every active calendar day of every employee with the day's check-in,
  check-out, tap counts and approved absence.

This is the models' own mart-like view of the raw zone (tests and a missing warehouse use it);
the dbt marts stay the authority for pay.
"""

from __future__ import annotations

import duckdb

URUTAN_ABSEN = ("CLTN", "TB", "CM", "CB", "CS", "CAP", "CT", "DIKLAT", "DL", "IZIN")
_URUTAN_SQL = "[" + ", ".join(f"'{k}'" for k in URUTAN_ABSEN) + "]"


def bangun(con: duckdb.DuckDBPyConnection) -> None:
    """Create ``staf``, ``tap_unik``, ``absen_hari`` and ``hari_pegawai`` on ``con``."""
    con.execute(
        """
        create or replace temp table staf as
        with p as (
            select periode, nip,
                   min(kode_opd) as kode_opd, min(tmt_opd) as tmt_opd,
                   min(aktif_sampai) as aktif_sampai, min(kelas_jabatan) as kelas_jabatan,
                   min(jenis_jabatan) as jenis_jabatan, min(status) as status
            from raw_pegawai
            group by periode, nip
        ),
        b as (
            select periode, cast(strptime(periode || '-01', '%Y-%m-%d') as date) as awal,
                   cast(strptime(periode || '-01', '%Y-%m-%d') + interval 1 month
                        - interval 1 day as date) as akhir,
                   strftime(strptime(periode || '-01', '%Y-%m-%d') - interval 1 month, '%Y-%m')
                       as periode_lalu
            from _periode
        )
        select p.periode, p.nip, p.kode_opd, q.kode_opd as kode_opd_lalu, p.kelas_jabatan,
               p.jenis_jabatan, p.status,
               -- a newcomer (not in last month's master) starts on tmt_opd
               case when q.nip is null and p.tmt_opd > b.awal then p.tmt_opd else b.awal end
                   as aktif_mulai,
               least(coalesce(p.aktif_sampai, b.akhir), b.akhir) as aktif_akhir
        from p
        join b on b.periode = p.periode
        left join p as q on q.nip = p.nip and q.periode = b.periode_lalu
        """
    )
    con.execute(
        """
        create or replace temp table tap_unik as
        select distinct periode, nip, id_mesin, waktu, jenis, metode, lat, lon,
               cast(waktu as date) as tanggal,
               case when jenis = 'MASUK' then true when jenis = 'PULANG' then false
                    else hour(waktu) < 12 end as datang
        from raw_absensi
        """
    )
    con.execute(
        f"""
        create or replace temp table absen_hari as
        select k.periode, k.nip, c.tanggal,
               arg_min(k.kode, list_position({_URUTAN_SQL}, k.kode)) as kode_absen,
               arg_min(k.nomor_surat, list_position({_URUTAN_SQL}, k.kode)) as nomor_surat
        from raw_ketidakhadiran k
        join kalender c on c.periode = k.periode and c.tanggal between k.mulai and k.selesai
        where k.status = 'DISETUJUI'
        group by k.periode, k.nip, c.tanggal
        """
    )
    con.execute(
        """
        create or replace temp table hari_pegawai as
        with t as (
            select periode, nip, tanggal,
                   min(case when datang then waktu end) as waktu_datang,
                   max(case when not datang then waktu end) as waktu_pulang,
                   count(*) as jumlah_tap,
                   count(*) filter (where metode = 'MOBILE') as tap_mobile
            from tap_unik
            group by periode, nip, tanggal
        )
        select s.periode, s.nip, s.kode_opd, c.tanggal, c.kerja, c.ramadan,
               c.mulai_detik, c.selesai_detik,
               a.kode_absen, a.nomor_surat,
               t.waktu_datang, t.waktu_pulang,
               coalesce(t.jumlah_tap, 0) as jumlah_tap,
               coalesce(t.tap_mobile, 0) as tap_mobile,
               date_diff('second', cast(c.tanggal as timestamp), t.waktu_datang)
                   as detik_datang,
               date_diff('second', cast(c.tanggal as timestamp), t.waktu_pulang)
                   as detik_pulang
        from staf s
        join kalender c
          on c.periode = s.periode and c.tanggal between s.aktif_mulai and s.aktif_akhir
        left join absen_hari a
          on a.periode = s.periode and a.nip = s.nip and a.tanggal = c.tanggal
        left join t on t.periode = s.periode and t.nip = s.nip and t.tanggal = c.tanggal
        """
    )
