{{ config(materialized='table') }}
-- Realisation of the annual TPP budget (pagu) per department, by PAYMENT month: the TPP of
-- period M is paid in M+1 (December's in January of the next fiscal year). A plain table
-- rebuilt from every period of tpp_bulanan on each build (cheap: one row per department-month),
-- so it ignores the run window vars on purpose.
-- Forecast (run rate): average realised month so far x jumlah_pembayaran of the budget year
-- (12, or 13 when the year's budget includes a 13th TPP payment; seed pagu_tpp).
-- Not included: correction rows (tpp_koreksi, added at publish time) and non-TPP spending.
with bayar as (
    select
        periode,
        kode_opd,
        tpp_bruto,
        tpp_neto,
        nip,
        case when cast(substr(periode, 6, 2) as integer) = 12
             then cast(substr(periode, 1, 4) as integer) + 1
             else cast(substr(periode, 1, 4) as integer) end as tahun,
        case when cast(substr(periode, 6, 2) as integer) = 12 then 1
             else cast(substr(periode, 6, 2) as integer) + 1 end as bulan
    from {{ ref('tpp_bulanan') }}
),

realisasi as (
    select
        tahun,
        bulan,
        kode_opd,
        max(periode) as periode_tpp,
        cast(sum(tpp_bruto) as bigint) as realisasi_bruto,
        cast(sum(tpp_neto) as bigint) as realisasi_neto,
        cast(count(distinct nip) as integer) as jumlah_pegawai
    from bayar
    group by tahun, bulan, kode_opd
),

-- payment months that happened (the province pays every department in the same run)
bulan_bayar as (
    select distinct tahun, bulan from realisasi
),

pagu_berlaku as (
    select
        b.tahun,
        b.bulan,
        p.kode_opd,
        {{ max_by('p.pagu', 'cast(p.berlaku_mulai as date)') }} as pagu,
        {{ max_by('p.versi', 'cast(p.berlaku_mulai as date)') }} as pagu_versi,
        {{ max_by('p.jumlah_pembayaran', 'cast(p.berlaku_mulai as date)') }} as jumlah_pembayaran
    from bulan_bayar b
    join {{ ref('pagu_tpp') }} p
        on p.tahun = b.tahun
        and cast(p.berlaku_mulai as date) <= make_date(b.tahun, b.bulan, 1)
    group by b.tahun, b.bulan, p.kode_opd
),

kunci as (
    select tahun, bulan, kode_opd from pagu_berlaku
    union
    select tahun, bulan, kode_opd from realisasi
),

gabung as (
    select
        k.tahun,
        k.bulan,
        k.kode_opd,
        r.periode_tpp,
        coalesce(r.realisasi_bruto, 0) as realisasi_bruto,
        coalesce(r.realisasi_neto, 0) as realisasi_neto,
        coalesce(r.jumlah_pegawai, 0) as jumlah_pegawai,
        p.pagu,
        p.pagu_versi,
        coalesce(p.jumlah_pembayaran, 12) as jumlah_pembayaran
    from kunci k
    left join realisasi r on r.tahun = k.tahun and r.bulan = k.bulan and r.kode_opd = k.kode_opd
    left join pagu_berlaku p on p.tahun = k.tahun and p.bulan = k.bulan and p.kode_opd = k.kode_opd
),

kumulatif as (
    select
        *,
        cast(sum(realisasi_bruto) over (
            partition by tahun, kode_opd order by bulan
            rows between unbounded preceding and current row
        ) as bigint) as realisasi_kumulatif,
        cast(count(*) over (
            partition by tahun, kode_opd order by bulan
            rows between unbounded preceding and current row
        ) as integer) as bulan_terbayar
    from gabung
),

proyeksi as (
    select
        *,
        -- run rate: whole rupiah, rounded half up
        cast({{ bulat_setengah_naik('cast(realisasi_kumulatif as ' ~ tipe_bulat_besar() ~ ') * jumlah_pembayaran', 'bulan_terbayar') }} as bigint) as proyeksi_akhir_tahun
    from kumulatif
)

select
    tahun,
    bulan,
    cast(tahun as string) || '-' || lpad(cast(bulan as string), 2, '0') as periode_bayar,
    periode_tpp,
    kode_opd,
    pagu,
    pagu_versi,
    jumlah_pembayaran,
    realisasi_bruto,
    realisasi_neto,
    jumlah_pegawai,
    realisasi_kumulatif,
    bulan_terbayar,
    proyeksi_akhir_tahun,
    pagu - realisasi_kumulatif as sisa_pagu,
    case when pagu > 0
         then cast(round(100.0 * realisasi_kumulatif / pagu, 2) as decimal(9, 2)) end as persen_serapan,
    case when pagu > 0
         then cast(round(100.0 * proyeksi_akhir_tahun / pagu, 2) as decimal(9, 2)) end as persen_proyeksi,
    coalesce(proyeksi_akhir_tahun > pagu, false) as melebihi_pagu
from proyeksi
