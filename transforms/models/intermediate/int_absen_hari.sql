-- Approved (DISETUJUI) absences of each period's file, expanded to the days of the month they
-- cover (ranges crossing month ends are clipped to the month). One row per (periode, nip,
-- tanggal): where approved absences overlap, the code with the best rulebook priority wins
-- (tpp-rules §2 rule 1; tie -> earlier line). `jumlah_absen` > 1 marks an overlap.
with periode as (
    select periode, aturan_versi from {{ ref('int_periode') }}
),

kalender as (
    select distinct periode, tanggal from {{ ref('int_kalender') }}
),

absen as (
    select periode, nip, kode, mulai, selesai, nomor_surat, source_file, line_no
    from {{ ref('stg_ketidakhadiran') }}
    where status = 'DISETUJUI' and not duplikat
),

prioritas as (
    select aturan_versi, kode, prioritas
    from {{ ref('stg_aturan_potongan') }}
    where kategori = 'KETIDAKHADIRAN'
),

per_hari as (
    select
        a.periode,
        a.nip,
        k.tanggal,
        a.kode,
        pr.prioritas,
        a.nomor_surat,
        a.source_file,
        a.line_no
    from absen as a
    inner join kalender as k
        on k.periode = a.periode
        and k.tanggal between a.mulai and a.selesai
    inner join periode as p on p.periode = a.periode
    left join prioritas as pr on pr.aturan_versi = p.aturan_versi and pr.kode = a.kode
),

berurut as (
    select
        *,
        row_number() over (
            partition by periode, nip, tanggal
            order by prioritas nulls last, line_no
        ) as urutan
    from per_hari
),

ringkas as (
    select
        periode,
        nip,
        tanggal,
        count(*) as jumlah_absen,
        {{ gabung_teks('kode', "','", ['prioritas nulls last', 'line_no']) }} as kode_absen_semua
    from per_hari
    group by periode, nip, tanggal
)

select
    b.periode,
    b.nip,
    b.tanggal,
    b.kode as kode_absen,
    b.nomor_surat,
    b.source_file,
    b.line_no,
    r.jumlah_absen,
    r.kode_absen_semua
from berurut as b
inner join ringkas as r
    on r.periode = b.periode and r.nip = b.nip and r.tanggal = b.tanggal
where b.urutan = 1
