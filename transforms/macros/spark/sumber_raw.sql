{#-
  The raw zone on Spark. DuckDB reads the Parquet files directly (meta.external_location of
  models/staging/_sources.yml); Spark needs catalog objects, so on every run (on-run-start) each
  `raw` source becomes an external table over the same files, with the columns declared in
  _sources.yml (= orchestration.contract.raw_schema, checked by tests/test_spark_tpp.py):

    meta.spark.lokasi  folder under the raw root (env KINERJA_RAW_URI, default $KINERJA_DATA/raw;
                       on a cluster e.g. s3a://kinerja-raw/provinsi=53)
    meta.spark.tabel   optional: one external table for several sources (karantina), read
                       recursively; the source is then a view filtered by meta.spark.filter.

  Only *.parquet files count; `_schema.parquet` and `.tmp` files of an atomic write are hidden
  files for Spark. Dropping an external table leaves its files alone, so re-registering on every
  run is safe and picks up new periods and schema changes.
-#}

{% macro daftarkan_sumber_raw() -%}{{ return(adapter.dispatch('daftarkan_sumber_raw')()) }}{%- endmacro %}

{#- DuckDB: nothing to do (read_parquet via external_location) -#}
{% macro default__daftarkan_sumber_raw() -%}{%- endmacro %}

{% macro spark__daftarkan_sumber_raw() -%}
  {%- if execute -%}
    {%- set akar = env_var('KINERJA_RAW_URI', env_var('KINERJA_DATA', '') ~ '/raw') -%}
    {%- if akar.endswith('/') -%}{%- set akar = akar[:-1] -%}{%- endif -%}
    {%- set sumber = [] -%}
    {%- for node in graph.sources.values() if node.package_name == project_name and node.source_name == 'raw' -%}
      {%- do sumber.append(node) -%}
    {%- endfor -%}
    {%- set dibuat = [] -%}
    {%- for node in sumber | sort(attribute='name') -%}
      {%- set spark = (node.config.meta or node.meta or {}).get('spark') -%}
      {%- if not spark or not spark.get('lokasi') -%}
        {{ exceptions.raise_compiler_error("source raw." ~ node.name ~ ": meta.spark.lokasi is missing (_sources.yml)") }}
      {%- endif -%}
      {%- set kolom = [] -%}
      {%- for c in node.columns.values() -%}
        {%- if not c.data_type -%}
          {{ exceptions.raise_compiler_error("source raw." ~ node.name ~ "." ~ c.name ~ ": data_type is missing") }}
        {%- endif -%}
        {%- do kolom.append(c.name ~ ' ' ~ c.data_type) -%}
      {%- endfor -%}
      {%- set tabel = spark.get('tabel') or node.identifier -%}
      {%- set lokasi = akar ~ '/' ~ spark.lokasi -%}
      {%- if tabel not in dibuat -%}
        {%- do run_query('create database if not exists ' ~ node.schema) -%}
        {%- do run_query('drop table if exists ' ~ node.schema ~ '.' ~ tabel) -%}
        {%- do run_query(
            'create table ' ~ node.schema ~ '.' ~ tabel ~ ' (' ~ (kolom | join(', ')) ~ ') using parquet'
            ~ " options (pathGlobFilter '*.parquet'"
            ~ (", recursiveFileLookup 'true'" if spark.get('tabel') else '') ~ ")"
            ~ " location '" ~ lokasi ~ "'") -%}
        {%- do dibuat.append(tabel) -%}
      {%- endif -%}
      {%- if tabel != node.identifier -%}
        {%- do run_query(
            'create or replace view ' ~ node.schema ~ '.' ~ node.identifier
            ~ ' as select * from ' ~ node.schema ~ '.' ~ tabel
            ~ (' where ' ~ spark.filter if spark.get('filter') else '')) -%}
      {%- endif -%}
    {%- endfor -%}
  {%- endif -%}
{%- endmacro %}
