{#- The folder of the paid rows of LOCKED periods: DATA/terkunci/<YYYY-MM>.parquet, copied by
    `kinerja lock` (orchestration/periods.py) and never changed afterwards. Read only when
    executing, so the data directory is not part of dbt's parse state (macros/sumber.sql). -#}
{% macro lokasi_terkunci() -%}
  {%- if not execute -%}{{ return('terkunci') }}{%- endif -%}
  {{ return(env_var('KINERJA_DATA') ~ '/terkunci') }}
{%- endmacro %}

{#- pre_hook of tpp_dibayar: the empty schema of tpp_bulanan as DATA/terkunci/_skema_0.parquet,
    so the folder exists and its glob matches a file before any period is locked (COPY with
    per_thread_output creates the folder and leaves the locked files alone). -#}
{% macro tulis_skema_terkunci() -%}
  copy (select * from {{ ref('tpp_bulanan') }} limit 0) to '{{ lokasi_terkunci() }}'
  (format parquet, per_thread_output true, overwrite_or_ignore true, filename_pattern '_skema_{i}')
{%- endmacro %}
