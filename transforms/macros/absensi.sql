{#- The typed tap columns of raw absensi rows (relation or CTE `src`): stg_absensi (the
    window) and stg_absensi_sesudah (the first mornings of the month after it) read the same
    export the same way. -#}
{% macro absensi_bertipe(src) -%}
select
    periode,
    source_file,
    line_no,
    id_mesin,
    nip,
    waktu,
    cast(waktu as date) as tanggal,
    {{ detik_hari('waktu') }} as detik,
    jenis,
    metode,
    lat,
    lon
from (
    select
        cast(periode as {{ dbt.type_string() }}) as periode,
        cast(source_file as {{ dbt.type_string() }}) as source_file,
        cast(line_no as integer) as line_no,
        trim(cast(id_mesin as {{ dbt.type_string() }})) as id_mesin,
        trim(cast(nip as {{ dbt.type_string() }})) as nip,
        cast(waktu as timestamp) as waktu,
        nullif(upper(trim(cast(jenis as {{ dbt.type_string() }}))), '') as jenis,
        upper(trim(cast(metode as {{ dbt.type_string() }}))) as metode,
        cast(lat as double) as lat,
        cast(lon as double) as lon
    from {{ src }}
) as typed
{%- endmacro %}
