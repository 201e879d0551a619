-- Daily activity log (analytics only; checked against the master for the quarantine).
with src as (
    select * from {{ source('raw', 'aktivitas') }}
    where {{ dalam_jendela('periode') }}
)

select
    cast(periode as {{ dbt.type_string() }}) as periode,
    cast(source_file as {{ dbt.type_string() }}) as source_file,
    cast(line_no as integer) as line_no,
    trim(cast(nip as {{ dbt.type_string() }})) as nip,
    cast(tanggal as date) as tanggal,
    cast(uraian as {{ dbt.type_string() }}) as uraian,
    cast(durasi_menit as integer) as durasi_menit,
    upper(trim(cast(status as {{ dbt.type_string() }}))) as status
from src
