{#-
  What finance pays, per (periode, nip, kode_opd): for a LOCKED period the rows that were locked
  (paid), read at query time from DATA/terkunci/<periode>.parquet, so the view is right from the
  moment `kinerja lock` returns; for any other period the rows of tpp_bulanan (the latest
  computation, which may still change). tpp_bulanan itself is always the computation under the
  current rules and exports: for a locked period it can differ from what was paid, and that
  difference is paid as tpp_koreksi in the next open period (published snapshot).
  DuckDB only: it reads the locked Parquet files by path.
-#}
{{ config(
    materialized='view',
    enabled=target.type == 'duckdb',
    pre_hook="{{ tulis_skema_terkunci() }}",
) }}

{%- set kolom = ['periode', 'nip', 'kode_opd'] %}
{%- if execute %}
  {%- set kolom = adapter.get_columns_in_relation(ref('tpp_bulanan')) | map(attribute='name') | list %}
{%- endif %}

with terkunci as (
    select {{ kolom | join(', ') }}
    from read_parquet('{{ lokasi_terkunci() }}/*.parquet', union_by_name = true)
),

periode_terkunci as (
    select distinct periode from terkunci
)

select 'TERKUNCI' as status_bayar, {{ kolom | join(', ') }}
from terkunci
union all
select 'BELUM_DIKUNCI' as status_bayar, {{ kolom | join(', ') }}
from {{ ref('tpp_bulanan') }}
where periode not in (select periode from periode_terkunci)
