"""Day level for the models, from the dbt marts as published: nothing of the pay rules is
re-derived here.

Temporary tables built on a connection from ``sumber.koneksi``:

- ``staf``: one row per (periode, nip) with a paid segment in ``tpp_bulanan`` (the department
  of the UTAMA segment, last month's department for transfers, the active span = first to last
  day of the segments, golongan, status, jabatan);
- ``tap_unik``: distinct raw taps (devices re-send exact duplicates) with their date: the
  single taps the buddy-punching and MOBILE features need (no mart keeps device, second and
  coordinates of every tap);
- ``hari_pegawai``: every active calendar day of every employee. A day listed in
  ``tpp_harian`` for that employee is a working day (``kerja``) and carries dbt's check-in,
  check-out, tap count, approved absence (the code the rulebook's priority picked, its letter)
  and expected start; any other day of the active span is not a working day of that employee,
  and only its tap count comes from the raw taps.

Because "working day" means "a day tpp_harian lists for this employee", a future work schedule
(a roster that makes a Saturday a working day for a hospital nurse) changes the models' notion
of a non-working day with no change here: the rostered Saturday appears in tpp_harian.

What is gone (it lived here until issue 17): the absence priority order and the 12:00 split of
taps without a MASUK/PULANG flag, hard-coded copies of the rulebook's ``prioritas`` and
``jam_pemisah_tap``; the calendar and the expected hours from the seeds.
"""

from __future__ import annotations

import duckdb

BUKAN_ABSEN = ("HADIR", "TK")  # kode_hari values that are not an approved absence


def bangun(con: duckdb.DuckDBPyConnection) -> None:
    """Create ``staf``, ``tap_unik`` and ``hari_pegawai`` on ``con``."""
    con.execute(
        """
        create or replace temp table staf as
        with seg as (
            select periode, nip,
                   coalesce(max(kode_opd) filter (where segmen = 'UTAMA'), max(kode_opd))
                       as kode_opd,
                   max(kelas_jabatan) filter (where segmen = 'UTAMA') as kelas_jabatan,
                   max(jenis_jabatan) filter (where segmen = 'UTAMA') as jenis_jabatan,
                   max(status) filter (where segmen = 'UTAMA') as status,
                   max(golongan) filter (where segmen = 'UTAMA') as golongan,
                   min(tanggal_mulai) as aktif_mulai, max(tanggal_selesai) as aktif_akhir
            from tpp_bulanan
            group by periode, nip
        )
        select s.periode, s.nip, s.kode_opd, q.kode_opd as kode_opd_lalu, s.kelas_jabatan,
               s.jenis_jabatan, s.status, s.golongan, s.aktif_mulai, s.aktif_akhir
        from seg s
        join _periode p on p.periode = s.periode
        left join seg q
          on q.nip = s.nip
         and q.periode = strftime(strptime(s.periode || '-01', '%Y-%m-%d') - interval 1 month,
                                  '%Y-%m')
        """
    )
    con.execute(
        """
        create or replace temp table tap_unik as
        select distinct periode, nip, id_mesin, waktu, jenis, metode, lat, lon,
               cast(waktu as date) as tanggal
        from raw_absensi
        """
    )
    bukan = ", ".join(f"'{k}'" for k in BUKAN_ABSEN)
    con.execute(
        f"""
        create or replace temp table hari_pegawai as
        with hari as (
            select s.periode, s.nip, s.kode_opd, cast(g.d as date) as tanggal
            from staf s,
                 generate_series(cast(s.aktif_mulai as timestamp),
                                 cast(s.aktif_akhir as timestamp), interval 1 day) as g(d)
        ),
        kerja as (
            select periode, nip, tanggal, kode_hari, nomor_surat, waktu_datang, waktu_pulang,
                   jumlah_tap, epoch(cast(jam_masuk as time)) as mulai_detik
            from tpp_harian
        ),
        tap as (
            select periode, nip, tanggal, count(*) as jumlah_tap,
                   count(*) filter (where metode = 'MOBILE') as tap_mobile
            from tap_unik
            group by periode, nip, tanggal
        )
        select h.periode, h.nip, h.kode_opd, h.tanggal,
               k.tanggal is not null as kerja,
               case when k.kode_hari not in ({bukan}) then k.kode_hari end as kode_absen,
               k.nomor_surat, k.waktu_datang, k.waktu_pulang, k.mulai_detik,
               coalesce(k.jumlah_tap, t.jumlah_tap, 0) as jumlah_tap,
               coalesce(t.tap_mobile, 0) as tap_mobile,
               date_diff('second', cast(h.tanggal as timestamp), k.waktu_datang)
                   as detik_datang
        from hari h
        left join kerja k on k.periode = h.periode and k.nip = h.nip and k.tanggal = h.tanggal
        left join tap t on t.periode = h.periode and t.nip = h.nip and t.tanggal = h.tanggal
        """
    )
