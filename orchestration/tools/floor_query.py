"""The bench's floor: one hand-written DuckDB query computing tpp-rules §1-5 with the default
rulebook straight from the raw zone, and the columns ``kinerja bench`` compares with
``tpp_bulanan`` (0 rows may differ).

An independent implementation on purpose: it is a measurement of how fast the same result can be
had (the floor of the pipeline's time) and an oracle the pipeline is compared with, never a pay
rule of the product (a developer tool, outside the wheel). It knows only the office week, so the
bench simulates its province ``--tanpa-jadwal``.
"""

from __future__ import annotations

from pathlib import Path

from orchestration.core.paths import SEEDS_DIR

FLOOR_SQL = """
with
peg as (
    select periode, nip, status, golongan, kelas_jabatan, kode_opd, tmt_opd, aktif_sampai
    from read_parquet('{raw}/pegawai/*.parquet', union_by_name = true)
),
per as (  -- the periods computed (the month before is read for transfers)
    select distinct periode, cast(periode || '-01' as date) as awal,
        last_day(cast(periode || '-01' as date)) as akhir,
        strftime(cast(periode || '-01' as date) - interval 1 month, '%Y-%m') as sebelum
    from peg
    where periode between '{mulai}' and '{sampai}'
),
libur as (
    select distinct cast(tanggal as date) as tanggal
    from read_csv('{seeds}/kalender_libur.csv', header = true, all_varchar = true)
),
ramadan as (
    select cast(mulai as date) as mulai, cast(selesai as date) as selesai
    from read_csv('{seeds}/kalender_ramadan.csv', header = true, all_varchar = true)
),
hari as (  -- §1 working days (Mon-Fri, not a holiday) and hours, in seconds of the day
    select d.periode, d.tanggal,
        case when r.mulai is null then 27000 else 28800 end as masuk,
        case when r.mulai is null then (case when isodow(d.tanggal) = 5 then 59400 else 57600 end)
             else (case when isodow(d.tanggal) = 5 then 55800 else 54000 end) end as pulang
    from (select periode, cast(unnest(generate_series(cast(awal as timestamp),
                 cast(akhir as timestamp), interval 1 day)) as date) as tanggal from per) as d
    left join ramadan as r on d.tanggal between r.mulai and r.selesai
    where isodow(d.tanggal) <= 5 and d.tanggal not in (select tanggal from libur)
),
hk as (select periode, count(*) as hari_kerja from hari group by periode),
seg as (  -- §5 transfer month: UTAMA from tmt_opd (this snapshot), ASAL before it (previous one)
    select c.periode, c.nip, c.kode_opd, 'UTAMA' as segmen, c.status, c.golongan, c.kelas_jabatan,
        case when c.tmt_opd <= p.awal or s.kode_opd = c.kode_opd then p.awal else c.tmt_opd end
            as mulai,
        least(coalesce(c.aktif_sampai, p.akhir), p.akhir) as selesai
    from peg as c
    join per as p on p.periode = c.periode
    left join peg as s on s.periode = p.sebelum and s.nip = c.nip
    union all
    select c.periode, c.nip, s.kode_opd, 'ASAL', s.status, s.golongan, s.kelas_jabatan, p.awal,
        least(cast(c.tmt_opd - 1 as date), coalesce(c.aktif_sampai, p.akhir), p.akhir,
              coalesce(s.aktif_sampai, p.akhir))
    from peg as c
    join per as p on p.periode = c.periode
    join peg as s on s.periode = p.sebelum and s.nip = c.nip
    where c.tmt_opd > p.awal and s.kode_opd <> c.kode_opd
),
tap as (  -- §2 check-in = earliest arrival, check-out = latest departure (no jenis: 12:00 split)
    select periode, nip, cast(waktu as date) as tanggal,
        min(case when jenis = 'MASUK' or (jenis is null and hour(waktu) < 12) then waktu end)
            as datang,
        max(case when jenis = 'PULANG' or (jenis is null and hour(waktu) >= 12) then waktu end)
            as pulang
    from read_parquet('{raw}/absensi/*.parquet', union_by_name = true)
    where periode between '{mulai}' and '{sampai}'
    group by all
),
absen as (  -- §2 rule 1: approved absences on working days; overlap -> priority, then line
    select a.periode, a.nip, h.tanggal,
        arg_min(a.kode, (case a.kode when 'CLTN' then 1 when 'TB' then 2 when 'CM' then 3
            when 'CB' then 4 when 'CS' then 5 when 'CAP' then 6 when 'CT' then 7
            when 'DIKLAT' then 8 when 'DL' then 9 else 10 end) * 1000000000::bigint + a.line_no)
            as kode
    from read_parquet('{raw}/ketidakhadiran/*.parquet', union_by_name = true) as a
    join hari as h on h.periode = a.periode and h.tanggal between a.mulai and a.selesai
    where a.status = 'DISETUJUI' and a.periode between '{mulai}' and '{sampai}'
    group by all
),
harian as (  -- §2 minutes late / early, whole minutes rounded down, never negative
    select s.periode, s.nip, s.kode_opd, s.segmen, ab.kode as absen,
        case when t.datang is not null then greatest(hour(t.datang) * 3600
            + minute(t.datang) * 60 + second(t.datang) - h.masuk, 0) // 60 end as telat,
        case when t.pulang is not null then greatest(h.pulang - (hour(t.pulang) * 3600
            + minute(t.pulang) * 60 + second(t.pulang)), 0) // 60 end as cepat,
        t.datang is null and t.pulang is null as tanpa_tap
    from seg as s
    join hari as h on h.periode = s.periode and h.tanggal between s.mulai and s.selesai
    left join tap as t on t.periode = s.periode and t.nip = s.nip and t.tanggal = h.tanggal
    left join absen as ab on ab.periode = s.periode and ab.nip = s.nip and ab.tanggal = h.tanggal
),
kode as (  -- §2 classification; TL/PSW band 1..4 (4 also for a missing tap)
    select *,
        case when absen is not null then absen when tanpa_tap then 'TK' else 'HADIR' end as hari,
        case when absen is null and not tanpa_tap then
            case when telat is null or telat > 90 then 4 when telat > 60 then 3
                 when telat > 30 then 2 when telat > 0 then 1 end end as tl,
        case when absen is null and not tanpa_tap then
            case when cepat is null or cepat > 90 then 4 when cepat > 60 then 3
                 when cepat > 30 then 2 when cepat > 0 then 1 end end as psw
    from harian
),
disiplin as (  -- §3 points in hundredths; CLTN / TB days are not effective
    select periode, nip, kode_opd, segmen,
        count(*) as hari_segmen,
        count(*) filter (where hari not in ('CLTN', 'TB')) as hari_efektif,
        count(*) filter (where hari = 'HADIR') as hadir,
        count(*) filter (where hari = 'TK') as tk,
        count(*) filter (where tl = 1) as tl1, count(*) filter (where tl = 2) as tl2,
        count(*) filter (where tl = 3) as tl3, count(*) filter (where tl = 4) as tl4,
        count(*) filter (where psw = 1) as psw1, count(*) filter (where psw = 2) as psw2,
        count(*) filter (where psw = 3) as psw3, count(*) filter (where psw = 4) as psw4,
        sum(case hari when 'TK' then 300 when 'IZIN' then 100 else 0 end
            + coalesce([0, 50, 100, 125, 150][tl + 1], 0)
            + coalesce([0, 50, 100, 125, 150][psw + 1], 0)) as poin
    from kode
    group by all
),
kinerja as (  -- §4 the latest FINAL evaluation (tie: the later line), predikat from the matrix
    select periode, nip, arg_max(case
            when hasil_kerja = 'DI_BAWAH' and perilaku = 'DI_BAWAH' then 'SANGAT_KURANG'
            when hasil_kerja = 'DI_BAWAH' then 'BUTUH_PERBAIKAN'
            when perilaku = 'DI_BAWAH' then 'KURANG'
            when hasil_kerja = 'DI_ATAS' and perilaku = 'DI_ATAS' then 'SANGAT_BAIK'
            else 'BAIK' end,
            (tanggal_penilaian - date '2000-01-01') * 1000000000::bigint + line_no) as predikat
    from read_parquet('{raw}/kinerja/*.parquet', union_by_name = true)
    where status = 'FINAL' and periode between '{mulai}' and '{sampai}'
    group by all
),
baris as (  -- §7 rows: every active UTAMA segment, ASAL with at least one working day
    select s.periode, s.nip, s.kode_opd,
        cast(hk.hari_kerja as hugeint) as hk, cast(coalesce(d.hari_efektif, 0) as hugeint) as he,
        coalesce(d.hadir, 0) as hadir, coalesce(d.tk, 0) as tk,
        coalesce(d.tl1, 0) as tl1, coalesce(d.tl2, 0) as tl2, coalesce(d.tl3, 0) as tl3,
        coalesce(d.tl4, 0) as tl4, coalesce(d.psw1, 0) as psw1, coalesce(d.psw2, 0) as psw2,
        coalesce(d.psw3, 0) as psw3, coalesce(d.psw4, 0) as psw4,
        k.predikat,
        case k.predikat when 'SANGAT_BAIK' then 100 when 'BAIK' then 100
            when 'BUTUH_PERBAIKAN' then 75 when 'KURANG' then 50 when 'SANGAT_KURANG' then 25
            else 0 end as persen_kinerja,
        greatest(10000 - coalesce(d.poin, 0), 0) as disiplin_x100,
        cast([1750000, 1900000, 2100000, 2350000, 2650000, 3000000, 3400000, 3900000, 4600000,
              5300000, 6100000, 7200000, 8500000, 11000000, 14500000, 19000000,
              25000000][s.kelas_jabatan] as hugeint)
            * case when s.status = 'CPNS' then 80 else 100 end as basis_x100,
        case when s.status = 'PPPK' then
                case when s.golongan in ('IX', 'X', 'XI', 'XII') then 5
                     when s.golongan in ('XIII', 'XIV', 'XV', 'XVI', 'XVII') then 15 else 0 end
             else case split_part(s.golongan, '/', 1) when 'III' then 5 when 'IV' then 15
                  else 0 end end as tarif
    from seg as s
    join hk on hk.periode = s.periode
    left join disiplin as d on d.periode = s.periode and d.nip = s.nip
        and d.kode_opd = s.kode_opd and d.segmen = s.segmen
    left join kinerja as k on k.periode = s.periode and k.nip = s.nip
    where s.mulai <= s.selesai and (s.segmen = 'UTAMA' or d.hari_segmen >= 1)
),
uang as (  -- §5 exact integers, rounded half up once: rhu(n / d) = (2n + d) // 2d
    select *,
        (2 * basis_x100 + 100) // 200 as tpp_basis,
        (2 * basis_x100 * he * 60 * persen_kinerja + hk * 1000000)
            // (2 * hk * 1000000) as tpp_kinerja,
        (2 * basis_x100 * he * 40 * disiplin_x100 + hk * 100000000)
            // (2 * hk * 100000000) as tpp_disiplin
    from baris
),
bruto as (select *, tpp_kinerja + tpp_disiplin as tpp_bruto from uang)
select periode, nip, kode_opd, cast(hk as integer) as hari_kerja,
    cast(he as integer) as hari_efektif, hadir, tk, tl1, tl2, tl3, tl4, psw1, psw2, psw3, psw4,
    predikat, persen_kinerja, disiplin_x100 / 100 as persen_disiplin,
    cast(tpp_basis as bigint) as tpp_basis, cast(tpp_kinerja as bigint) as tpp_kinerja,
    cast(tpp_disiplin as bigint) as tpp_disiplin, cast(tpp_bruto as bigint) as tpp_bruto,
    cast((2 * tpp_bruto * tarif + 100) // 200 as bigint) as pph21,
    cast((2 * tpp_bruto + 100) // 200 as bigint) as iuran_bpjs,
    cast(tpp_bruto - (2 * tpp_bruto * tarif + 100) // 200 - (2 * tpp_bruto + 100) // 200
         as bigint) as tpp_neto
from bruto
"""

COMPARED = (
    "hari_kerja",
    "hari_efektif",
    "hadir",
    "tk",
    "tl1",
    "tl2",
    "tl3",
    "tl4",
    "psw1",
    "psw2",
    "psw3",
    "psw4",
    "predikat",
    "persen_kinerja",
    "persen_disiplin",
    "tpp_basis",
    "tpp_kinerja",
    "tpp_disiplin",
    "tpp_bruto",
    "pph21",
    "iuran_bpjs",
    "tpp_neto",
)


def floor_sql(raw: Path, mulai: str, sampai: str) -> str:
    return FLOOR_SQL.format(
        raw=raw.as_posix(), seeds=SEEDS_DIR.as_posix(), mulai=mulai, sampai=sampai
    )
