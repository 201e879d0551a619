-- Absences (all statuses), one row per raw line; `duplikat` marks exact copies of an earlier line.
with src as (
    select * from {{ source('raw', 'ketidakhadiran') }}
    where {{ dalam_jendela('periode') }}
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
    *,
    row_number() over (
        partition by periode, nip, kode, mulai, selesai, status, nomor_surat
        order by line_no
    ) > 1 as duplikat
from typed
