{#-
  Per-period incremental marts on Spark. A Parquet table has no DELETE, so the marts are
  partitioned by periode (dbt_project.yml) and the pre-hook drops the window's partitions before
  the append: a rerun replaces exactly its periods, a period that now yields nothing is emptied,
  other periods are untouched (as DuckDB's delete + insert; not one transaction). With
  file_format delta / iceberg / hudi the DuckDB statement (DELETE) is used as is.
-#}
{% macro spark__hapus_periode_jendela() -%}
  {%- if is_incremental() -%}
    {%- if config.get('file_format', 'parquet') in ['delta', 'iceberg', 'hudi'] -%}
      delete from {{ this }} where {{ dalam_jendela('periode') }}
    {%- else -%}
      {%- if execute -%}
        {%- set mulai = periode_mulai() -%}
        {%- set sampai = periode_sampai() -%}
        {%- for row in run_query('show partitions ' ~ this) -%}
          {%- set p = row[0].split('=', 1)[1] -%}
          {%- if (mulai is none or p >= mulai) and (sampai is none or p <= sampai) -%}
            {%- do run_query("alter table " ~ this ~ " drop if exists partition (periode = '" ~ p ~ "')") -%}
          {%- endif -%}
        {%- endfor -%}
      {%- endif -%}
      select 1
    {%- endif -%}
  {%- else -%}
    select 1
  {%- endif -%}
{%- endmacro %}
