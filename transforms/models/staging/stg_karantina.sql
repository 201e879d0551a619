-- File-level quarantine written by the ingest validator (QUARANTINE_SCHEMA), all kinds.
select
    cast(kind as {{ dbt.type_string() }}) as kind,
    cast(periode as {{ dbt.type_string() }}) as periode,
    cast(source_file as {{ dbt.type_string() }}) as source_file,
    cast(line_no as integer) as line_no,
    cast(kolom as {{ dbt.type_string() }}) as kolom,
    cast(nilai as {{ dbt.type_string() }}) as nilai,
    cast(kode_alasan as {{ dbt.type_string() }}) as kode_alasan,
    cast(alasan as {{ dbt.type_string() }}) as alasan
from {{ source('raw', 'karantina_pegawai') }}
where {{ dalam_jendela('periode') }}
union all
select
    cast(kind as {{ dbt.type_string() }}) as kind,
    cast(periode as {{ dbt.type_string() }}) as periode,
    cast(source_file as {{ dbt.type_string() }}) as source_file,
    cast(line_no as integer) as line_no,
    cast(kolom as {{ dbt.type_string() }}) as kolom,
    cast(nilai as {{ dbt.type_string() }}) as nilai,
    cast(kode_alasan as {{ dbt.type_string() }}) as kode_alasan,
    cast(alasan as {{ dbt.type_string() }}) as alasan
from {{ source('raw', 'karantina_absensi') }}
where {{ dalam_jendela('periode') }}
union all
select
    cast(kind as {{ dbt.type_string() }}) as kind,
    cast(periode as {{ dbt.type_string() }}) as periode,
    cast(source_file as {{ dbt.type_string() }}) as source_file,
    cast(line_no as integer) as line_no,
    cast(kolom as {{ dbt.type_string() }}) as kolom,
    cast(nilai as {{ dbt.type_string() }}) as nilai,
    cast(kode_alasan as {{ dbt.type_string() }}) as kode_alasan,
    cast(alasan as {{ dbt.type_string() }}) as alasan
from {{ source('raw', 'karantina_ketidakhadiran') }}
where {{ dalam_jendela('periode') }}
union all
select
    cast(kind as {{ dbt.type_string() }}) as kind,
    cast(periode as {{ dbt.type_string() }}) as periode,
    cast(source_file as {{ dbt.type_string() }}) as source_file,
    cast(line_no as integer) as line_no,
    cast(kolom as {{ dbt.type_string() }}) as kolom,
    cast(nilai as {{ dbt.type_string() }}) as nilai,
    cast(kode_alasan as {{ dbt.type_string() }}) as kode_alasan,
    cast(alasan as {{ dbt.type_string() }}) as alasan
from {{ source('raw', 'karantina_kinerja') }}
where {{ dalam_jendela('periode') }}
union all
select
    cast(kind as {{ dbt.type_string() }}) as kind,
    cast(periode as {{ dbt.type_string() }}) as periode,
    cast(source_file as {{ dbt.type_string() }}) as source_file,
    cast(line_no as integer) as line_no,
    cast(kolom as {{ dbt.type_string() }}) as kolom,
    cast(nilai as {{ dbt.type_string() }}) as nilai,
    cast(kode_alasan as {{ dbt.type_string() }}) as kode_alasan,
    cast(alasan as {{ dbt.type_string() }}) as alasan
from {{ source('raw', 'karantina_aktivitas') }}
where {{ dalam_jendela('periode') }}
