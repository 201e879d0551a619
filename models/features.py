"""Attendance-anomaly features per employee-month, set-wise in DuckDB (no row loops).

Each feature is a count or a measure an analyst can check in the taps; ``FITUR`` says which
direction is suspicious. Detail columns (the partner NIP, the device, the fixed minute, the
letter number …) are kept to word the reasons.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import polars as pl

from models import harian
from models.sumber import koneksi
from orchestration.paths import DataDir

DETIK_TITIP = 30  # a tap this many seconds (or fewer) after a colleague's, same device
KM_JAUH = 1.0  # a MOBILE tap farther than this from the office counts as far
MIN_HARI_SD = 5  # fewer arrivals than this: no arrival-time spread


@dataclass(frozen=True)
class Fitur:
    nama: str
    arah: int  # +1: high is suspicious, -1: low is suspicious
    skala_min: float  # floor of the robust scale (units of the feature)
    label: str  # short Bahasa Indonesia name


FITUR = (
    Fitur("hari_titip", +1, 1.0, "tap beruntun dengan rekan"),
    Fitur("hari_menit_identik", +1, 1.0, "jam masuk identik"),
    Fitur("sd_menit_datang", -1, 1.0, "jam masuk terlalu teratur"),
    Fitur("hari_mobile_jauh", +1, 1.0, "tap MOBILE jauh dari kantor"),
    Fitur("km_mobile_median", +1, 0.5, "jarak tap MOBILE"),
    Fitur("hari_tap_saat_dl", +1, 1.0, "tap saat dinas luar"),
    Fitur("hari_tap_libur", +1, 1.0, "tap di hari libur"),
)
NAMA_FITUR = tuple(f.nama for f in FITUR)
KONTEKS = (
    "hari_kerja", "hari_hadir", "hari_libur", "hari_dl", "hari_mobile", "jumlah_tap",
    "rata_menit_datang",
)  # fmt: skip
DETAIL = (
    "nip_pasangan", "mesin_pasangan", "detik_titip", "jam_identik", "hari_datang",
    "nomor_surat_dl",
)  # fmt: skip

_HAVERSINE = """2 * 6371 * asin(sqrt(
    pow(sin(radians({lat2} - {lat1}) / 2), 2)
    + cos(radians({lat1})) * cos(radians({lat2})) * pow(sin(radians({lon2} - {lon1}) / 2), 2)))"""


def fitur_anomali(data: DataDir, periods: list[str], threads: int | None = None) -> pl.DataFrame:
    """One row per (periode, nip) of each month's master: features, context and details.

    Computed one month at a time: every feature belongs to one month (the month before is read
    for transfers either way), and the device-pairing join of a whole year at once held ~5 GB.
    """
    if not periods:
        return pl.DataFrame()
    months = [_fitur_bulan(data, p, threads) for p in sorted(set(periods))]
    return pl.concat(months, how="vertical_relaxed")


def _fitur_bulan(data: DataDir, periode: str, threads: int | None) -> pl.DataFrame:
    con = koneksi(data, [periode], threads)
    try:
        harian.bangun(con)
        return hitung(con)
    finally:
        con.close()


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
                count(*) filter (where not kerja) as hari_libur,
                count(*) filter (where not kerja and jumlah_tap > 0) as hari_tap_libur,
                count(*) filter (where kerja and kode_absen = 'DL') as hari_dl,
                count(*) filter (where kerja and kode_absen = 'DL'
                                 and waktu_datang is not null and waktu_pulang is not null)
                    as hari_tap_saat_dl,
                min(nomor_surat) filter (where kerja and kode_absen = 'DL'
                                         and waktu_datang is not null
                                         and waktu_pulang is not null) as nomor_surat_dl,
                sum(jumlah_tap) as jumlah_tap
            from h
            group by periode, nip
        ),
        menit as (
            select periode, nip, strftime(waktu_datang, '%H:%M') as jam, count(*) as n
            from h where datang_biasa
            group by all
        ),
        identik as (
            select periode, nip, n as hari_menit_identik, jam as jam_identik
            from menit
            qualify row_number() over (partition by periode, nip order by n desc, jam) = 1
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
               coalesce(b.hari_libur, 0) as hari_libur,
               coalesce(b.hari_dl, 0) as hari_dl,
               coalesce(m.hari_mobile, 0) as hari_mobile,
               coalesce(b.jumlah_tap, 0) as jumlah_tap,
               b.rata_menit_datang,
               t.nip_pasangan, t.mesin_pasangan, t.detik_titip,
               i.jam_identik, coalesce(b.hari_datang, 0) as hari_datang, b.nomor_surat_dl
        from staf s
        left join bulan b on b.periode = s.periode and b.nip = s.nip
        left join identik i on i.periode = s.periode and i.nip = s.nip
        left join titip t on t.periode = s.periode and t.nip = s.nip
        left join mobile m on m.periode = s.periode and m.nip = s.nip
        order by s.periode, s.nip
        """
    ).pl()


def _titip(con: duckdb.DuckDBPyConnection) -> None:
    """``titip``: per follower, the colleague whose device taps it followed on most days.

    Pairs are found with an equi-join on (device, time bucket) and the next bucket, so no tap is
    compared with more than a minute of the same device's taps. MOBILE taps are excluded (each
    phone is its own device).
    """
    w = DETIK_TITIP
    con.execute(
        f"""
        create or replace temp table titip as
        with t as (
            select periode, nip, id_mesin, tanggal, epoch(waktu) as s,
                   cast(floor(epoch(waktu) / {w}) as bigint) as ember
            from tap_unik where metode <> 'MOBILE'
        ),
        a as (select *, ember + unnest([0, 1]) as ember_cari from t),
        pasangan as (
            select b.periode, b.nip, a.nip as nip_pasangan, a.id_mesin, b.tanggal,
                   b.s - a.s as jeda
            from a
            join t as b on b.id_mesin = a.id_mesin and b.ember = a.ember_cari
            where b.s - a.s between 0 and {w} and b.nip <> a.nip and b.periode = a.periode
        ),
        per_pasangan as (
            select periode, nip, nip_pasangan, count(distinct tanggal) as hari,
                   min(id_mesin) as mesin_pasangan, median(jeda) as detik_titip
            from pasangan group by periode, nip, nip_pasangan
        )
        select periode, nip, hari, nip_pasangan, mesin_pasangan, detik_titip
        from per_pasangan
        qualify row_number() over (partition by periode, nip
                                   order by hari desc, nip_pasangan) = 1
        """
    )


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
               round(median(km), 6) as km_mobile_median
        from t group by periode, nip
        """
    )
