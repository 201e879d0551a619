{#- source() as dbt's, with the data directory put into the raw zone's Parquet globs
    (`@KINERJA_DATA@` in models/staging/_sources.yml) only when executing: read at parse time,
    the environment variable would be part of dbt's parse state, and every new data directory
    would parse the sources again (kinerja-dbt, orchestration/dbt_in_data.py). The views of
    the warehouse keep the full path, so any process can query them. -#}
{% macro source(source_name, table_name) -%}
  {%- set relation = builtins.source(source_name, table_name) -%}
  {%- if execute and relation.external is defined and relation.external -%}
    {%- set folder = env_var('KINERJA_DATA') -%}
    {%- do return(relation.incorporate(external=relation.external | replace('@KINERJA_DATA@', folder))) -%}
  {%- endif -%}
  {%- do return(relation) -%}
{%- endmacro %}
