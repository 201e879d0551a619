-- File-level quarantine written by the ingest validator (QUARANTINE_SCHEMA), all kinds: one
-- source per kind (raw.karantina_<kind>), the same typed columns, stacked.
{%- set kinds = ['pegawai', 'absensi', 'ketidakhadiran', 'kinerja', 'aktivitas', 'jadwal'] %}
{%- for kind in kinds %}
select
    cast(kind as {{ dbt.type_string() }}) as kind,
    cast(periode as {{ dbt.type_string() }}) as periode,
    cast(source_file as {{ dbt.type_string() }}) as source_file,
    cast(line_no as integer) as line_no,
    cast(kolom as {{ dbt.type_string() }}) as kolom,
    cast(nilai as {{ dbt.type_string() }}) as nilai,
    cast(kode_alasan as {{ dbt.type_string() }}) as kode_alasan,
    cast(alasan as {{ dbt.type_string() }}) as alasan,
    cast(nip as {{ dbt.type_string() }}) as nip
from {{ source('raw', 'karantina_' ~ kind) }}
where {{ dalam_jendela('periode') }}
{%- if not loop.last %}
union all
{%- endif %}
{%- endfor %}
