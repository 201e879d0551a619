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
    {{ ketidakhadiran_bertipe('src') }}
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
