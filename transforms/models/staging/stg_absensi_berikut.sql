-- The month after the window when its attendance file is loaded (one row: the period and the
-- file's name), whatever its first days hold (jadwal.md §4: a night shift of the window's last
-- day has no known check-out only while that file is not loaded; a loaded file without a tap
-- on its first morning means the check-out is missing, and that file is the one named). Empty
-- when the window is open at the end: every loaded month is then in stg_absensi.
{%- set sampai = periode_sampai() %}
select distinct
    cast(periode as {{ dbt.type_string() }}) as periode,
    cast(source_file as {{ dbt.type_string() }}) as source_file
from {{ source('raw', 'absensi') }}
{%- if sampai is not none %}
where periode = '{{ periode_sesudah(sampai) }}'
{%- else %}
where 1 = 0
{%- endif %}
