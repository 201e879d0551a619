"""Test oracle (issue 20): the anomaly features as they were computed before the cost work,
kept verbatim (the whole window on one connection; day tables and taps materialised; non-working
days by an anti join; the fixed minute by a window; the colleague pairing by a bucket
self-join). ``tests/test_models_biaya.py`` checks the new code gives the same table.

Recorded on the full simulated year (15,794 ASN x 12 months, seed 42, with work schedules,
190,170 employee-months): features, anomaly scores, flags, reasons, cases, early-warning
probabilities and monitoring identical before and after (``models/compare.py``: maximum
absolute difference 0.0 in every floating-point column).
"""

from __future__ import annotations

import duckdb
import polars as pl

from models.features import _HAVERSINE, DETIK_TITIP, KM_JAUH, METER_MOBILE, MIN_HARI_SD
from models.inputs import connect

BUKAN_ABSEN = ("HADIR", "TK")


def fitur_anomali(data, periods: list[str], threads: int | None = None) -> pl.DataFrame:
    if not periods:
        return pl.DataFrame()
    con = connect(data, sorted(set(periods)), threads)
    try:
        bangun(con)
        return hitung(con)
    finally:
        con.close()


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
        -- devices re-send exact duplicates: MOBILE taps (few, their distances are averaged) are
        -- made distinct here; the others are not (a distinct over ~7 M taps a year cost ~3 CPU
        -- seconds), their consumers count distinct days or distinct pairs instead
        select periode, nip, id_mesin, waktu, metode, lat, lon, cast(waktu as date) as tanggal
        from raw_absensi where metode <> 'MOBILE'
        union all
        select distinct periode, nip, id_mesin, waktu, metode, lat, lon,
               cast(waktu as date) as tanggal
        from raw_absensi where metode = 'MOBILE'
        """
    )
    bukan = ", ".join(f"'{k}'" for k in BUKAN_ABSEN)
    con.execute(
        f"""
        create or replace temp table hari_pegawai as
        with kerja as (
            select h.periode, h.nip, s.kode_opd, h.tanggal, true as kerja,
                   case when h.kode_hari not in ({bukan}) then h.kode_hari end as kode_absen,
                   h.nomor_surat, h.waktu_datang, h.waktu_pulang,
                   epoch(cast(h.jam_masuk as time)) as mulai_detik, h.jumlah_tap,
                   date_diff('second', cast(h.tanggal as timestamp), h.waktu_datang)
                       as detik_datang
            from tpp_harian h
            join staf s on s.periode = h.periode and s.nip = h.nip
        ),
        -- taps on days tpp_harian does not list for the employee (anti join first: the
        -- year's ~7 M taps are not grouped, only the few on non-working days)
        libur_semua as (
            select t.periode, t.nip, t.tanggal, t.id_mesin, t.waktu, t.metode
            from tap_unik t
            anti join tpp_harian h
              on h.periode = t.periode and h.nip = t.nip and h.tanggal = t.tanggal
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
        select l.periode, l.nip, s.kode_opd, l.tanggal, false as kerja,
               count(distinct (l.id_mesin, l.waktu, l.metode)) as jumlah_tap
        from libur l
        join staf s on s.periode = l.periode and s.nip = l.nip
                   and l.tanggal between s.aktif_mulai and s.aktif_akhir
        group by l.periode, l.nip, s.kode_opd, l.tanggal
        """
    )


def hitung(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Features from the day tables of ``harian.bangun`` on ``con``."""
    _titip(con)
    _mobile(con)
    return con.sql(
        f"""
        with h as (
            select *, (detik_datang - mulai_detik) / 60.0 as menit_datang,
                   kerja and kode_absen is null and waktu_datang is not null as datang_biasa
            from hari_pegawai
        ),
        bulan as (
            select periode, nip,
                count(*) filter (where kerja) as hari_kerja,
                count(*) filter (where kerja and kode_absen is null and jumlah_tap > 0)
                    as hari_hadir,
                count(*) filter (where datang_biasa) as hari_datang,
                -- rounded: a parallel sum's last bits vary, the version fingerprint must not
                case when count(*) filter (where datang_biasa) >= {MIN_HARI_SD}
                     then round(stddev_samp(menit_datang) filter (where datang_biasa), 6) end
                    as sd_menit_datang,
                round(avg(menit_datang) filter (where datang_biasa), 6) as rata_menit_datang,
                count(*) filter (where not kerja and jumlah_tap > 0) as hari_tap_libur,
                count(*) filter (where kerja and kode_absen = 'DL') as hari_dl,
                count(*) filter (where kerja and kode_absen = 'DL'
                                 and waktu_datang is not null and waktu_pulang is not null)
                    as hari_tap_saat_dl,
                min(nomor_surat) filter (where kerja and kode_absen = 'DL'
                                         and waktu_datang is not null
                                         and waktu_pulang is not null) as nomor_surat_dl,
                {
            _tanggal(
                "kerja and kode_absen = 'DL' and waktu_datang is not null "
                "and waktu_pulang is not null",
                unik=False,
            )
        } as tgl_tap_saat_dl,
                {_tanggal("not kerja and jumlah_tap > 0", unik=False)} as tgl_tap_libur,
                sum(jumlah_tap) as jumlah_tap
            from h
            group by periode, nip
        ),
        menit as (  -- the minute of the day as an integer: formatting 3.5 M times is slow
            select periode, nip, detik_datang // 60 as m, count(*) as n
            from h where datang_biasa
            group by all
        ),
        identik as (
            select periode, nip, n as hari_menit_identik,
                   printf('%02d:%02d', m // 60, m % 60) as jam_identik
            from menit
            qualify row_number() over (partition by periode, nip order by n desc, m) = 1
        )
        select s.periode, s.nip, s.kode_opd,
               coalesce(t.hari, 0) as hari_titip,
               coalesce(i.hari_menit_identik, 0) as hari_menit_identik,
               b.sd_menit_datang,
               coalesce(m.hari_mobile_jauh, 0) as hari_mobile_jauh,
               coalesce(m.km_mobile_median, 0.0) as km_mobile_median,
               coalesce(b.hari_tap_saat_dl, 0) as hari_tap_saat_dl,
               coalesce(b.hari_tap_libur, 0) as hari_tap_libur,
               coalesce(b.hari_kerja, 0) as hari_kerja,
               coalesce(b.hari_hadir, 0) as hari_hadir,
               greatest(0, date_diff('day', s.aktif_mulai, s.aktif_akhir) + 1
                            - coalesce(b.hari_kerja, 0)) as hari_libur,
               coalesce(b.hari_dl, 0) as hari_dl,
               coalesce(m.hari_mobile, 0) as hari_mobile,
               coalesce(b.jumlah_tap, 0) as jumlah_tap,
               b.rata_menit_datang,
               t.nip_pasangan, t.mesin_pasangan, t.detik_titip,
               coalesce(t.titip_mobile, false) as titip_mobile, t.tgl_titip,
               i.jam_identik, coalesce(b.hari_datang, 0) as hari_datang, b.nomor_surat_dl,
               b.tgl_tap_saat_dl, b.tgl_tap_libur, m.tgl_mobile_jauh, m.km_mobile_maks
        from staf s
        left join bulan b on b.periode = s.periode and b.nip = s.nip
        left join identik i on i.periode = s.periode and i.nip = s.nip
        left join titip t on t.periode = s.periode and t.nip = s.nip
        left join mobile m on m.periode = s.periode and m.nip = s.nip
        order by s.periode, s.nip
        """
    ).pl()


def _tanggal(kondisi: str, kolom: str = "tanggal", unik: bool = True) -> str:
    """SQL: the days of the month (``'3, 4, 17'``) of the rows meeting ``kondisi``. ``unik``
    = False where the rows are days already (a distinct aggregate is a slow path in DuckDB)."""
    d = "distinct " if unik else ""
    return f"array_to_string(list_sort(list({d}day({kolom})) filter (where {kondisi})), ', ')"


def _titip(con: duckdb.DuckDBPyConnection) -> None:
    """``titip``: per follower, the colleague whose taps it followed on most days.

    Two ways to follow: on the same physical device (fingerprint / face), at most
    ``DETIK_TITIP`` seconds later; or with MOBILE taps at most ``DETIK_TITIP`` seconds later and
    at most ``METER_MOBILE`` metres away, whatever the device id (a lent phone taps from the same
    spot). Pairs are found with an equi-join on (device or MOBILE, time bucket) and the next
    bucket, so no tap is compared with more than a minute of taps.
    """
    w = DETIK_TITIP
    jarak = _HAVERSINE.format(lat1="a.lat", lon1="a.lon", lat2="b.lat", lon2="b.lon")
    periods = [r[0] for r in con.execute("select periode from _periode order by 1").fetchall()]
    con.execute("drop table if exists titip")
    for i, periode in enumerate(periods):
        buat = "create temp table titip as" if i == 0 else "insert into titip"
        con.execute(f"{buat} {_sql_titip(w, jarak)}", [periode])


def _sql_titip(w: int, jarak: str) -> str:
    """One month (parameter: the periode) of ``_titip``. NIPs (18 digits) and devices are joined
    and grouped as integers (a third of the time of string keys)."""
    return f"""
        with t as (
            select cast(nip as bigint) as n, id_mesin, tanggal, lat, lon,
                   cast(epoch(waktu) as bigint) as s,
                   metode = 'MOBILE' as mobile,
                   hash(case when metode = 'MOBILE' then 'MOBILE' else id_mesin end) as k,
                   cast(epoch(waktu) as bigint) // {w} as ember
            from tap_unik
            where periode = $1 and (metode <> 'MOBILE' or (lat is not null and lon is not null))
        ),
        a as (select n, s, lat, lon, k, ember + unnest([0, 1]) as ember_cari from t),
        pasangan as (  -- distinct: a re-sent duplicate tap gives the same pair twice
            select distinct b.n, a.n as n_pasangan, b.mobile, b.k, b.tanggal,
                   b.s - a.s as jeda, b.s as s_ikut
            from a
            join t as b on b.k = a.k and b.ember = a.ember_cari
            where b.s - a.s between 0 and {w} and b.n <> a.n
              and (not b.mobile or {jarak} * 1000 <= {METER_MOBILE})
        ),
        mesin as (  -- device names, only for the reasons of the top pairs
            select distinct k, case when mobile then 'MOBILE' else id_mesin end as id_mesin
            from t
        ),
        hari_pasangan as (select distinct n, n_pasangan, tanggal from pasangan),
        per_pasangan as (  -- count(*) of distinct days: a distinct aggregate is a slow path
            select n, n_pasangan, count(*) as hari from hari_pasangan group by n, n_pasangan
        ),
        teratas as (
            select * from per_pasangan
            qualify row_number() over (partition by n order by hari desc, n_pasangan) = 1
        )
        -- details only for the top colleague of each follower
        select $1 as periode, lpad(cast(t.n as varchar), 18, '0') as nip, any_value(t.hari) as hari,
               lpad(cast(t.n_pasangan as varchar), 18, '0') as nip_pasangan,
               min(m.id_mesin) as mesin_pasangan, median(p.jeda) as detik_titip,
               bool_or(p.mobile) as titip_mobile,
               {_tanggal("true", "p.tanggal")} as tgl_titip
        from teratas t
        join pasangan p on p.n = t.n and p.n_pasangan = t.n_pasangan
        join mesin m on m.k = p.k
        group by t.n, t.n_pasangan
        """


def _mobile(con: duckdb.DuckDBPyConnection) -> None:
    """``mobile``: MOBILE taps' distance to the office (this or last month's department)."""
    jarak = _HAVERSINE.format(lat1="t.lat", lon1="t.lon", lat2="{o}.lat", lon2="{o}.lon")
    con.execute(
        f"""
        create or replace temp table mobile as
        with o as (
            select kode_opd, cast(lat as double) as lat, cast(lon as double) as lon from ref_opd
        ),
        t as (
            select t.periode, t.nip, t.tanggal,
                   least({jarak.format(o="o1")}, coalesce({jarak.format(o="o2")}, 1e9)) as km
            from tap_unik t
            join staf s on s.periode = t.periode and s.nip = t.nip
            join o as o1 on o1.kode_opd = s.kode_opd
            left join o as o2 on o2.kode_opd = s.kode_opd_lalu
            where t.metode = 'MOBILE' and t.lat is not null and t.lon is not null
        )
        select periode, nip, count(distinct tanggal) as hari_mobile,
               count(distinct tanggal) filter (where km > {KM_JAUH}) as hari_mobile_jauh,
               round(median(km), 6) as km_mobile_median,
               round(max(km), 3) as km_mobile_maks,
               {_tanggal(f"km > {KM_JAUH}")} as tgl_mobile_jauh
        from t group by periode, nip
        """
    )
