-- File-level quarantine written by the ingest validator (QUARANTINE_SCHEMA), all kinds.
select
    cast(kind as varchar) as kind,
    cast(periode as varchar) as periode,
    cast(source_file as varchar) as source_file,
    cast(line_no as integer) as line_no,
    cast(kolom as varchar) as kolom,
    cast(nilai as varchar) as nilai,
    cast(kode_alasan as varchar) as kode_alasan,
    cast(alasan as varchar) as alasan
from {{ source('raw', 'karantina_pegawai') }}
where {{ dalam_jendela('periode') }}
union all
select
    cast(kind as varchar) as kind,
    cast(periode as varchar) as periode,
    cast(source_file as varchar) as source_file,
    cast(line_no as integer) as line_no,
    cast(kolom as varchar) as kolom,
    cast(nilai as varchar) as nilai,
    cast(kode_alasan as varchar) as kode_alasan,
    cast(alasan as varchar) as alasan
from {{ source('raw', 'karantina_absensi') }}
where {{ dalam_jendela('periode') }}
union all
select
    cast(kind as varchar) as kind,
    cast(periode as varchar) as periode,
    cast(source_file as varchar) as source_file,
    cast(line_no as integer) as line_no,
    cast(kolom as varchar) as kolom,
    cast(nilai as varchar) as nilai,
    cast(kode_alasan as varchar) as kode_alasan,
    cast(alasan as varchar) as alasan
from {{ source('raw', 'karantina_ketidakhadiran') }}
where {{ dalam_jendela('periode') }}
union all
select
    cast(kind as varchar) as kind,
    cast(periode as varchar) as periode,
    cast(source_file as varchar) as source_file,
    cast(line_no as integer) as line_no,
    cast(kolom as varchar) as kolom,
    cast(nilai as varchar) as nilai,
    cast(kode_alasan as varchar) as kode_alasan,
    cast(alasan as varchar) as alasan
from {{ source('raw', 'karantina_kinerja') }}
where {{ dalam_jendela('periode') }}
union all
select
    cast(kind as varchar) as kind,
    cast(periode as varchar) as periode,
    cast(source_file as varchar) as source_file,
    cast(line_no as integer) as line_no,
    cast(kolom as varchar) as kolom,
    cast(nilai as varchar) as nilai,
    cast(kode_alasan as varchar) as kode_alasan,
    cast(alasan as varchar) as alasan
from {{ source('raw', 'karantina_aktivitas') }}
where {{ dalam_jendela('periode') }}
