"""Attendance-anomaly features per employee-month, set-wise in DuckDB (no row loops).

Each feature is a count or a measure an analyst can check in the taps; ``FITUR`` says which
direction is suspicious. Detail columns (the partner NIP, the device, the fixed minute, the
letter number …) are kept to word the reasons.
"""

from __future__ import annotations

import hashlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import duckdb
import numpy as np
import polars as pl

from models import day_tables
from models.config import ATURAN, KODE_VERSI
from models.inputs import connect
from orchestration.core.paths import DataDir

# thresholds shared with the rules (models/anomaly_rules.toml)
DETIK_TITIP = int(ATURAN["titip_absen"]["detik_maks"])  # a tap <= this after a colleague's
METER_MOBILE = float(ATURAN["titip_absen"]["meter_mobile_maks"])  # lent phone: same spot
KM_JAUH = float(ATURAN["mobile_jauh"]["km_min"])  # a MOBILE tap farther than this is far
MIN_HARI_SD = 5  # fewer arrivals than this: no arrival-time spread
BULAN_PARALEL = 2  # months computed side by side (each ~0.2 GB)


@dataclass(frozen=True)
class FeatureSet:
    nama: str
    arah: int  # +1: high is suspicious, -1: low is suspicious
    skala_min: float  # floor of the robust scale (units of the feature)
    label: str  # short Bahasa Indonesia name


FITUR = (
    FeatureSet("hari_titip", +1, 1.0, "tap beruntun dengan rekan"),
    FeatureSet("hari_menit_identik", +1, 1.0, "jam masuk identik"),
    FeatureSet("sd_menit_datang", -1, 1.0, "jam masuk terlalu teratur"),
    FeatureSet("hari_mobile_jauh", +1, 1.0, "tap MOBILE jauh dari kantor"),
    FeatureSet("km_mobile_median", +1, 0.5, "jarak tap MOBILE"),
    FeatureSet("hari_tap_saat_dl", +1, 1.0, "tap saat dinas luar"),
    FeatureSet("hari_tap_libur", +1, 1.0, "tap di hari libur"),
)
NAMA_FITUR = tuple(f.nama for f in FITUR)
KONTEKS = (
    "hari_kerja",
    "hari_hadir",
    "hari_libur",
    "hari_dl",
    "hari_mobile",
    "jumlah_tap",
    "rata_menit_datang",
)
DETAIL = (
    "nip_pasangan",
    "mesin_pasangan",
    "detik_titip",
    "titip_mobile",
    "tgl_titip",
    "jam_identik",
    "hari_datang",
    "nomor_surat_dl",
    "tgl_tap_saat_dl",
    "tgl_tap_libur",
    "tgl_mobile_jauh",
    "km_mobile_maks",
)

_HAVERSINE = """2 * 6371 * asin(sqrt(
    pow(sin(radians({lat2} - {lat1}) / 2), 2)
    + cos(radians({lat1})) * cos(radians({lat2})) * pow(sin(radians({lon2} - {lon1}) / 2), 2)))"""


def anomaly_features(data: DataDir, periods: list[str], threads: int | None = None) -> pl.DataFrame:
    """One row per (periode, nip) of each month's master: features, context and details.

    One month at a time, on its own connection: a month's features depend only on its own taps
    and marts and on the month before (last month's department, the night shifts that end on
    its first morning), exactly what ``sidik_bulan`` fingerprints, so a year is twelve months
    and memory is one month's (a whole year at once peaked at ~2.4 GB). ``BULAN_PARALEL``
    months run side by side, each on a single DuckDB thread (``threads`` overrides it): small
    queries waste less on a pool of one than on a shared one.
    """
    periods = sorted(set(periods))
    if not periods:
        return pl.DataFrame()
    months = _side_by_side(lambda p: month_features(data, p, threads), periods)
    return pl.concat(months, how="vertical_relaxed")


def _side_by_side(compute, periods: list[str]) -> list[pl.DataFrame]:
    """``compute`` of each period, ``BULAN_PARALEL`` months at a time, in the periods' order."""
    with ThreadPoolExecutor(min(BULAN_PARALEL, len(periods))) as pool:
        return list(pool.map(compute, periods))


def month_features(data: DataDir, periode: str, threads: int | None = None) -> pl.DataFrame:
    """One month of ``anomaly_features``, on a connection of its own."""
    con = connect(data, [periode], threads or 1)
    try:
        day_tables.build(con)
        return compute(con)
    finally:
        con.close()


def month_fingerprint(data: DataDir, periode: str) -> str:
    """What one month's features are computed from: the raw taps file (bytes), the published
    tpp_harian / tpp_bulanan of the month and of the month before (manifest sha256; last month's
    night shifts end on this month's first morning), the office coordinates and the code and rule version."""
    from models.inputs import published_fingerprint, shift_month
    from models.registry import files_fingerprint
    from orchestration.core.paths import SEEDS_DIR

    taps = data.raw_file("absensi", periode)
    isi = [
        KODE_VERSI,
        files_fingerprint([p for p in (taps, SEEDS_DIR / "ref_opd.csv") if p.exists()]),
        *published_fingerprint(data, ("tpp_harian", "tpp_bulanan"), [periode]),
        *published_fingerprint(data, ("tpp_bulanan", "tpp_harian"), [shift_month(periode, -1)]),
    ]
    return hashlib.sha256("\n".join(isi).encode()).hexdigest()


def cached_features(data: DataDir, periods: list[str], threads: int | None = None) -> pl.DataFrame:
    """``fitur_anomali`` with a per-month cache (``DATA/models/fitur_anomali/<periode>``): a
    month is computed once per version of its inputs, so training and scoring in one run, and
    a monthly run after a year, compute each month's features once."""
    from models.registry import folder, write_parquet_atomic

    cache = folder(data) / "fitur_anomali"
    months, hitung_ulang = [], {}
    for p in sorted(set(periods)):
        sidik = month_fingerprint(data, p)
        f, tanda = cache / f"{p}.parquet", cache / f"{p}.sidik"
        if f.exists() and tanda.exists() and tanda.read_text().strip() == sidik:
            months.append(pl.read_parquet(f))
            continue
        hitung_ulang[p] = sidik

    def compute_and_keep(p: str) -> pl.DataFrame:  # the write beside the next month's work
        df = month_features(data, p, threads)
        write_parquet_atomic(df, cache / f"{p}.parquet")
        (cache / f"{p}.sidik").write_text(hitung_ulang[p] + "\n")
        return df

    if hitung_ulang:
        months.extend(_side_by_side(compute_and_keep, list(hitung_ulang)))
    if not months:
        return pl.DataFrame()
    return pl.concat(months, how="vertical_relaxed").sort("periode", "nip")


def compute(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Features from the day tables of ``harian.bangun`` on ``con``."""
    _buddy(con)
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
            _days_sql(
                "kerja and kode_absen = 'DL' and waktu_datang is not null "
                "and waktu_pulang is not null",
                unik=False,
            )
        } as tgl_tap_saat_dl,
                {_days_sql("not kerja and jumlah_tap > 0", unik=False)} as tgl_tap_libur,
                sum(jumlah_tap) as jumlah_tap
            from h
            group by periode, nip
        ),
        menit as (  -- the minute of the day as an integer: formatting 3.5 M times is slow;
                    -- its own scan of the day rows (the filter leaves out the non-working days'
                    -- part of the view), so that h is not materialised for two readers
            select periode, nip, detik_datang // 60 as m, count(*) as n
            from hari_pegawai
            where kerja and kode_absen is null and waktu_datang is not null
            group by all
        ),
        identik as (  -- the most frequent minute, the earliest of a tie: the largest
                      -- n * 2^40 - m (|m| < 2^39, minutes of any timestamp), no window
            select periode, nip, max(n) as hari_menit_identik,
                   arg_max(m, n * 1099511627776 - m) as m
            from menit
            group by periode, nip
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
               printf('%02d:%02d', i.m // 60, i.m % 60) as jam_identik,
               coalesce(b.hari_datang, 0) as hari_datang, b.nomor_surat_dl,
               b.tgl_tap_saat_dl, b.tgl_tap_libur, m.tgl_mobile_jauh, m.km_mobile_maks
        from staf s
        left join bulan b on b.periode = s.periode and b.nip = s.nip
        left join identik i on i.periode = s.periode and i.nip = s.nip
        left join titip t on t.periode = s.periode and t.nip = s.nip
        left join mobile m on m.periode = s.periode and m.nip = s.nip
        order by s.periode, s.nip
        """
    ).pl()


def _days_sql(kondisi: str, kolom: str = "tanggal", unik: bool = True) -> str:
    """SQL: the days of the month (``'3, 4, 17'``) of the rows meeting ``kondisi``. ``unik``
    = False where the rows are days already (a distinct aggregate is a slow path in DuckDB)."""
    d = "distinct " if unik else ""
    return f"array_to_string(list_sort(list({d}day({kolom})) filter (where {kondisi})), ', ')"


def _buddy(con: duckdb.DuckDBPyConnection) -> None:
    """``titip``: per follower, the colleague whose taps it followed on most days.

    Two ways to follow: on the same physical device (fingerprint / face), at most
    ``DETIK_TITIP`` seconds later; or with MOBILE taps at most ``DETIK_TITIP`` seconds later and
    at most ``METER_MOBILE`` metres away, whatever the device id (a lent phone taps from the same
    spot). Pairs are found by sorting, not by a join: the taps of a month ordered by (device or
    MOBILE, second), each tap is paired with the taps before it on the same key while they are
    at most ``DETIK_TITIP`` seconds earlier (``pasangan_tap``), so no tap is compared with more
    than the few taps of its half minute.
    """
    periods = [r[0] for r in con.execute("select periode from _periode order by 1").fetchall()]
    con.execute("drop table if exists titip")
    jarak = _HAVERSINE.format(lat1="lat_a", lon1="lon_a", lat2="lat", lon2="lon")
    kunci = "hash(case when metode = 'MOBILE' then 'MOBILE' else id_mesin end)"
    for i, periode in enumerate(periods):
        # the month's taps as integers: NIP (18 digits), device key, epoch second
        t = con.sql(
            f"""
            select cast(nip as bigint) as n, cast(epoch(waktu) as bigint) as s, {kunci} as k,
                   metode = 'MOBILE' as mobile, tanggal, lat, lon
            from tap_unik
            where periode = $1 and (metode <> 'MOBILE' or (lat is not null and lon is not null))
            """,
            params=[periode],
        ).pl()
        n, s, k = (t[c].to_numpy() for c in ("n", "s", "k"))
        urut = np.lexsort((s, k))
        ib, ia = tap_pairs(k[urut], s[urut], DETIK_TITIP)
        ib, ia = urut[ib], urut[ia]
        lain = n[ib] != n[ia]  # a colleague, not oneself
        ib, ia = ib[lain], ia[lain]
        calon = pl.DataFrame(
            {
                "n": n[ib],
                "n_pasangan": n[ia],
                "mobile": t["mobile"].gather(ib),
                "k": k[ib],
                "tanggal": t["tanggal"].gather(ib),
                "jeda": s[ib] - s[ia],
                "s_ikut": s[ib],
                "lat": t["lat"].gather(ib),
                "lon": t["lon"].gather(ib),
                "lat_a": t["lat"].gather(ia),
                "lon_a": t["lon"].gather(ia),
            }
        )
        con.register("_calon_titip", calon)
        buat = "create temp table titip as" if i == 0 else "insert into titip"
        con.execute(f"{buat} {_buddy_sql(jarak, kunci)}", [periode])
        con.unregister("_calon_titip")


def tap_pairs(k: np.ndarray, s: np.ndarray, w: int) -> tuple[np.ndarray, np.ndarray]:
    """Every (follower, leader) pair of row indices with the same key ``k`` and
    ``0 <= s[follower] - s[leader] <= w``, rows sorted by (``k``, ``s``); a tie (same second) is
    a pair both ways. Row ``i`` is compared with row ``i - d`` for d = 1, 2, …, and drops out at
    the first ``d`` that is too far back (sorted: every earlier row is as well)."""
    ikut, pimpin = [], []
    calon = np.arange(1, len(s))
    d = 1
    while calon.size:
        j = calon - d
        ok = (k[calon] == k[j]) & (s[calon] - s[j] <= w)
        calon, j = calon[ok], j[ok]
        ikut.append(calon)
        pimpin.append(j)
        sama = s[calon] == s[j]  # the same second: each follows the other
        ikut.append(j[sama])
        pimpin.append(calon[sama])
        d += 1
        calon = calon[calon >= d]
    if not ikut:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    return np.concatenate(ikut), np.concatenate(pimpin)


def _buddy_sql(jarak: str, kunci: str) -> str:
    """One month (parameter: the periode) of ``_titip`` from the candidate pairs
    (``_calon_titip``: follower ``n``, leader ``n_pasangan``, both as integers)."""
    return f"""
        with mesin as (  -- device names, only for the reasons of the top pairs
            select distinct {kunci} as k,
                   case when metode = 'MOBILE' then 'MOBILE' else id_mesin end as id_mesin
            from tap_unik
            where periode = $1 and (metode <> 'MOBILE' or (lat is not null and lon is not null))
        ),
        pasangan as (  -- distinct: a re-sent duplicate tap gives the same pair twice
            select distinct n, n_pasangan, mobile, k, tanggal, jeda, s_ikut
            from _calon_titip
            where not mobile or {jarak} * 1000 <= {METER_MOBILE}
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
               {_days_sql("true", "p.tanggal")} as tgl_titip
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
               {_days_sql(f"km > {KM_JAUH}")} as tgl_mobile_jauh
        from t group by periode, nip
        """
    )
