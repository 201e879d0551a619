{#- The typed columns of raw ketidakhadiran rows (relation or CTE `src`): stg_ketidakhadiran
    (the window) and stg_ketidakhadiran_lanjutan (the window and the month before it) read the
    same export the same way. -#}
{% macro ketidakhadiran_bertipe(src) -%}
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
from {{ src }}
{%- endmacro %}
