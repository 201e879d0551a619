{#- NIP display form: 19900815 201601 1 005 -#}
{% macro format_nip(nip) -%}
  case when length({{ nip }}) = 18 then
    substr({{ nip }}, 1, 8) || ' ' || substr({{ nip }}, 9, 6) || ' ' || substr({{ nip }}, 15, 1) || ' ' || substr({{ nip }}, 16, 3)
  else {{ nip }} end
{%- endmacro %}

{#- string_agg of `measure` ordered by `urutan` (a list of 'expr [nulls first|last]', ascending;
    nulls last when not said, as DuckDB). dbt-spark's listagg ignores the order, so Spark sorts
    the collected (keys..., value) structs itself. -#}
{% macro gabung_teks(measure, delimiter_text, urutan) -%}{{ return(adapter.dispatch('gabung_teks')(measure, delimiter_text, urutan)) }}{%- endmacro %}
{% macro default__gabung_teks(measure, delimiter_text, urutan) -%}
  {{ dbt.listagg(measure, delimiter_text, 'order by ' ~ (urutan | join(', '))) }}
{%- endmacro %}
{% macro spark__gabung_teks(measure, delimiter_text, urutan) -%}
  {%- set fields = [] -%}
  {%- for u in urutan -%}
    {%- set m = modules.re.match('^(.*?)(\\s+nulls\\s+(first|last))?\\s*$', u, modules.re.I) -%}
    {%- set expr = m.group(1) -%}
    {%- if modules.re.search('\\s(asc|desc)$', expr, modules.re.I) -%}
      {{ exceptions.raise_compiler_error("gabung_teks: only ascending keys, not '" ~ u ~ "'") }}
    {%- endif -%}
    {%- set nulls_first = m.group(3) is not none and m.group(3) | lower == 'first' -%}
    {%- do fields.append("'n" ~ loop.index ~ "', (" ~ expr ~ ") is " ~ ('not ' if nulls_first else '') ~ "null") -%}
    {%- do fields.append("'k" ~ loop.index ~ "', " ~ expr) -%}
  {%- endfor -%}
  array_join(transform(array_sort(collect_list(named_struct({{ fields | join(', ') }}, 'v', {{ measure }}))), x -> x.v), {{ delimiter_text }})
{%- endmacro %}

{#- a date for people: 29 Nov 2026 (orchestration.core.formatting.tanggal); plain SQL, the same
    on DuckDB and Spark -#}
{% macro tanggal_teks(tanggal) -%}
  (cast(day({{ tanggal }}) as {{ dbt.type_string() }}) || ' ' || case month({{ tanggal }})
    {%- for nama in ['Jan', 'Feb', 'Mar', 'Apr', 'Mei', 'Jun', 'Jul', 'Agu', 'Sep', 'Okt', 'Nov', 'Des'] %}
    when {{ loop.index }} then '{{ nama }}'
    {%- endfor %}
  end || ' ' || cast(year({{ tanggal }}) as {{ dbt.type_string() }}))
{%- endmacro %}
