{#-
  Period window of a run: vars periode_mulai / periode_sampai ('YYYY-MM', inclusive), else the
  environment variables KINERJA_PERIODE_MULAI / KINERJA_PERIODE_SAMPAI (what the pipeline sets:
  a var on the command line changes dbt's parse state and costs a full re-parse every run; the
  environment is read only when executing, so partial parsing keeps working).
  Unset (null or '') = open on that side, i.e. every period found in the raw zone.
-#}

{% macro _kosong(value) -%}
  {{ return(value is none or (value | string | trim) in ('', 'None', 'null')) }}
{%- endmacro %}

{% macro _periode_var(name) -%}
  {%- set value = var(name, none) -%}
  {%- if _kosong(value) and execute -%}
    {%- set value = env_var('KINERJA_' ~ (name | upper), '') -%}
  {%- endif -%}
  {%- if _kosong(value) -%}
    {{ return(none) }}
  {%- endif -%}
  {%- set value = value | string | trim -%}
  {%- if not modules.re.match('^[0-9]{4}-(0[1-9]|1[0-2])$', value) -%}
    {{ exceptions.raise_compiler_error("var " ~ name ~ " harus berformat YYYY-MM, bukan '" ~ value ~ "'") }}
  {%- endif -%}
  {{ return(value) }}
{%- endmacro %}

{% macro periode_mulai() -%}{{ return(_periode_var('periode_mulai')) }}{%- endmacro %}
{% macro periode_sampai() -%}{{ return(_periode_var('periode_sampai')) }}{%- endmacro %}

{#- 'YYYY-MM' one month before p (Jinja, compile time). -#}
{% macro periode_sebelum(p) -%}
  {%- set y = p[:4] | int -%}
  {%- set m = p[5:] | int -%}
  {%- if m == 1 -%}{{ return((y - 1) ~ '-12') }}{%- endif -%}
  {{ return(y ~ '-' ~ ('%02d' | format(m - 1))) }}
{%- endmacro %}

{#- 'YYYY-MM' one month after p (Jinja, compile time). -#}
{% macro periode_sesudah(p) -%}
  {%- set y = p[:4] | int -%}
  {%- set m = p[5:] | int -%}
  {%- if m == 12 -%}{{ return((y + 1) ~ '-01') }}{%- endif -%}
  {{ return(y ~ '-' ~ ('%02d' | format(m + 1))) }}
{%- endmacro %}

{#- SQL predicate: column is inside the window. with_previous also admits the month before the
    window (the previous master snapshot is needed for transfers), with_next the month after it
    (a night shift of the window's last day ends there: jadwal.md §4). -#}
{% macro dalam_jendela(column, with_previous=false, with_next=false) -%}
  {%- set mulai = periode_mulai() -%}
  {%- set sampai = periode_sampai() -%}
  {%- if mulai is not none and with_previous -%}{%- set mulai = periode_sebelum(mulai) -%}{%- endif -%}
  {%- if sampai is not none and with_next -%}{%- set sampai = periode_sesudah(sampai) -%}{%- endif -%}
  ({%- if mulai is none and sampai is none -%} 1 = 1
  {%- else -%}
    {%- if mulai is not none -%} {{ column }} >= '{{ mulai }}'{%- endif -%}
    {%- if mulai is not none and sampai is not none %} and {% endif -%}
    {%- if sampai is not none -%} {{ column }} <= '{{ sampai }}'{%- endif -%}
  {%- endif -%})
{%- endmacro %}

{#- pre_hook of the per-period incremental marts: a rerun of a window replaces exactly the
    periods of that window (idempotent per month; a period that now yields no rows is emptied). -#}
{% macro hapus_periode_jendela() -%}{{ return(adapter.dispatch('hapus_periode_jendela')()) }}{%- endmacro %}
{% macro default__hapus_periode_jendela() -%}
  {%- if is_incremental() -%}
    delete from {{ this }} where {{ dalam_jendela('periode') }}
  {%- else -%}
    select 1
  {%- endif -%}
{%- endmacro %}

{#- Rulebook version forced by var aturan_versi (none = effective-dated choice). -#}
{% macro aturan_versi_paksa() -%}
  {%- set value = var('aturan_versi', none) -%}
  {%- if _kosong(value) -%}{{ return(none) }}{%- endif -%}
  {{ return(value | string | trim) }}
{%- endmacro %}

{#- The relation a generic data test reads (dbt's get_where_subquery, overridden): the test's
    `where` config as dbt does it, and, for a test of a per-period mart (a model whose pre-hook is
    hapus_periode_jendela: tpp_bulanan, tpp_harian, tpp_opd_bulanan, karantina, temuan), only the
    periods of the run's window. The build replaced exactly those periods; every other period is
    unchanged since the build that tested it (a changed dbt project recomputes every period:
    orchestration/run.py), so a month's run no longer re-tests the whole year. Without a window
    (a plain `dbt build`) every period is tested. The window is read from the environment when
    the test executes, which a `where` config cannot do (it is rendered when dbt parses). -#}
{% macro get_where_subquery(relation) -%}
  {%- set filters = [] -%}
  {%- set where = config.get('where', '') -%}
  {%- if where -%}{%- do filters.append('(' ~ where ~ ')') -%}{%- endif -%}
  {%- if execute and _diuji_per_periode() and (periode_mulai() is not none or periode_sampai() is not none) -%}
    {%- do filters.append(dalam_jendela('periode')) -%}
  {%- endif -%}
  {%- if filters -%}
    {%- set filtered -%}
      (select * from {{ relation }} where {{ filters | join(' and ') }}) dbt_subquery
    {%- endset -%}
    {%- do return(filtered) -%}
  {%- endif -%}
  {%- do return(relation) -%}
{%- endmacro %}

{#- true when the current test is attached to a model whose pre-hook replaces the window's periods -#}
{% macro _diuji_per_periode() -%}
  {%- set node = graph.nodes.get(model.attached_node) if model.attached_node else none -%}
  {%- if node is none -%}{%- do return(false) -%}{%- endif -%}
  {%- for hook in node.config.get('pre-hook', []) -%}
    {%- if 'hapus_periode_jendela' in hook.sql -%}{%- do return(true) -%}{%- endif -%}
  {%- endfor -%}
  {%- do return(false) -%}
{%- endmacro %}
