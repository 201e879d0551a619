"""Day level for the models, from the dbt marts as published: nothing of the pay rules is
re-derived here.

Temporary relations built on a connection from ``sumber.koneksi`` (``staf`` a table, the other
two views over the Parquet files, so each consumer reads only the columns it needs):

- ``staf``: one row per (periode, nip) with a paid segment in ``tpp_bulanan`` (the department
  of the UTAMA segment, last month's department for transfers, the active span = first to last
  day of the segments, golongan, status, jabatan);
- ``tap_unik``: the raw taps with their date (MOBILE ones distinct): the single taps the
  buddy-punching and MOBILE features need (no mart keeps device, second and coordinates of
  every tap);
- ``hari_pegawai``: the employee-days the features look at. Every day ``tpp_harian`` lists for
  the employee is a working day (``kerja``) with dbt's check-in, check-out, tap count, approved
  absence (the code the rulebook's priority picked, its letter) and expected start; any other
  day of the active span is not a working day of that employee, and it is listed (with its raw
  tap count) only when it has taps. The number of non-working days is the span
  (``staf.aktif_mulai``..``aktif_akhir``) less the working days. The working days are not
  joined to ``staf`` (every tpp_harian day belongs to a tpp_bulanan segment, and the features
  keep only staf's people): two hash joins a month fewer.

Because "working day" means "a day tpp_harian lists for this employee", a work schedule (a
roster that makes a Saturday a working day for a hospital nurse, a teacher's Saturday) changes
the models' notion of a non-working day with no change here: the rostered Saturday appears in
tpp_harian. A night shift ends the next morning: the taps inside a listed shift's window
(jadwal.md §4: start − 4 h to end + 4 h), also of the last month's month-end night shift
(``tpp_harian_lalu``), belong to that shift and are no taps on a day off, even when that
morning is a LIBUR day.

What is gone (it lived here until issue 17): the absence priority order and the 12:00 split of
taps without a MASUK/PULANG flag, hard-coded copies of the rulebook's ``prioritas`` and
``jam_pemisah_tap``; the calendar and the expected hours from the seeds.
"""

from __future__ import annotations

import duckdb

BUKAN_ABSEN = ("HADIR", "TK")  # kode_hari values that are not an approved absence


def build(con: duckdb.DuckDBPyConnection) -> None:
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
        create or replace temp table tap_mobile as
        -- devices re-send exact duplicates: MOBILE taps (few, their distances are averaged) are
        -- made distinct (and kept: three consumers read them); the others are not (a distinct
        -- over ~7 M taps a year cost ~3 CPU seconds), their consumers count distinct days or
        -- distinct pairs instead
        select distinct periode, nip, id_mesin, waktu, metode, lat, lon,
               cast(waktu as date) as tanggal
        from raw_absensi where metode = 'MOBILE'
        """
    )
    # views, not tables: each consumer reads only the columns it needs from the Parquet files
    con.execute(
        """
        create or replace temp view tap_unik as
        select periode, nip, id_mesin, waktu, metode, lat, lon, cast(waktu as date) as tanggal
        from raw_absensi where metode <> 'MOBILE'
        union all
        select * from tap_mobile
        """
    )
    # taps on days tpp_harian does not list for the employee are found with the listed days of
    # each employee and calendar month as a bit mask: the taps are probed against one small row
    # per employee (2.5x faster than an anti join on the days; a table, so that the join builds
    # on it), and the year's ~7 M taps are not grouped, only the few on other days
    con.execute(
        """
        create or replace temp table hari_daftar as
        select periode, nip, date_trunc('month', tanggal) as bulan,
               bit_or(cast(1 as bigint) << day(tanggal)) as hari
        from tpp_harian
        group by all
        """
    )
    bukan = ", ".join(f"'{k}'" for k in BUKAN_ABSEN)
    con.execute(
        f"""
        create or replace temp view hari_pegawai as
        with kerja as (
            select h.periode, h.nip, h.tanggal, true as kerja,
                   case when h.kode_hari not in ({bukan}) then h.kode_hari end as kode_absen,
                   h.nomor_surat, h.waktu_datang, h.waktu_pulang,
                   epoch(cast(h.jam_masuk as time)) as mulai_detik, h.jumlah_tap,
                   date_diff('second', cast(h.tanggal as timestamp), h.waktu_datang)
                       as detik_datang
            from tpp_harian h
        ),
        libur_semua as (
            select t.periode, t.nip, t.tanggal, t.id_mesin, t.waktu, t.metode
            from tap_unik t
            left join hari_daftar h
              on h.periode = t.periode and h.nip = t.nip
             and h.bulan = date_trunc('month', t.tanggal)
            where coalesce((h.hari >> day(t.tanggal)) & 1, 0) = 0
        ),
        -- shifts that end the next day (night shifts), this and last month
        lintas as (
            select nip, jadwal_mulai, jadwal_selesai from tpp_harian
            where cast(jadwal_selesai as date) > tanggal
            union all
            select nip, jadwal_mulai, jadwal_selesai from tpp_harian_lalu
            where cast(jadwal_selesai as date) > tanggal
        ),
        libur as (
            select l.* from libur_semua l
            anti join lintas s
              on s.nip = l.nip
             and l.waktu >= s.jadwal_mulai - interval 4 hour
             and l.waktu < s.jadwal_selesai + interval 4 hour
        )
        select * from kerja
        union all by name
        select l.periode, l.nip, l.tanggal, false as kerja,
               count(distinct (l.id_mesin, l.waktu, l.metode)) as jumlah_tap
        from libur l
        join staf s on s.periode = l.periode and s.nip = l.nip
                   and l.tanggal between s.aktif_mulai and s.aktif_akhir
        group by l.periode, l.nip, l.tanggal
        """
    )
