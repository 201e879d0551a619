-- Approved absences whose range continues past the end of their file's month (sources.md: a
-- range may cross a month end, and every row belongs to its file's month: the days of the next
-- month count only when the next month's file lists the absence too). Over the window and the
-- month before it, so that each window month can tell what the month before carried into it
-- and its own file left out (temuan: KETIDAKHADIRAN_LANJUTAN_TIDAK_ADA). Exact duplicate lines
-- count once (the first line).
with src as (
    select * from {{ source('raw', 'ketidakhadiran') }}
    where {{ dalam_jendela('periode', with_previous=true) }}
),

typed as (
    select
        cast(periode as {{ dbt.type_string() }}) as periode,
        cast(source_file as {{ dbt.type_string() }}) as source_file,
        cast(line_no as integer) as line_no,
        trim(cast(nip as {{ dbt.type_string() }})) as nip,
        upper(trim(cast(kode as {{ dbt.type_string() }}))) as kode,
        cast(mulai as date) as mulai,
        cast(selesai as date) as selesai,
        upper(trim(cast(status as {{ dbt.type_string() }}))) as status,
        nullif(trim(cast(nomor_surat as {{ dbt.type_string() }})), '') as nomor_surat
    from src
)

select
    periode,
    nip,
    kode,
    mulai,
    selesai,
    nomor_surat,
    min(source_file) as source_file,
    min(line_no) as line_no
from typed
where status = 'DISETUJUI'
    and selesai > cast({{ dbt.last_day(awal_periode('periode'), 'month') }} as date)
group by periode, nip, kode, mulai, selesai, nomor_surat
