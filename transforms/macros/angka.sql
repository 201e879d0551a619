{#-
  Exact money arithmetic. Rule numbers (percentages, points) are DECIMAL with at most 4
  decimals; they are carried as integers in "ppm" (parts per million of 1, i.e. percent x 10^4)
  and every amount is one integer fraction num/den, rounded half-up once, where the rules say so.
  DuckDB turns DECIMAL/DECIMAL into DOUBLE, so division is done on HUGEINT only.
-#}

{% macro tipe_bulat_besar() -%}{{ return(adapter.dispatch('tipe_bulat_besar')()) }}{%- endmacro %}
{% macro default__tipe_bulat_besar() -%}hugeint{%- endmacro %}
{% macro spark__tipe_bulat_besar() -%}decimal(38,0){%- endmacro %}

{#- integer division of non-negative integers (truncation = floor) -#}
{% macro bagi_bulat(a, b) -%}{{ return(adapter.dispatch('bagi_bulat')(a, b)) }}{%- endmacro %}
{% macro default__bagi_bulat(a, b) -%}(({{ a }}) // ({{ b }})){%- endmacro %}
{% macro spark__bagi_bulat(a, b) -%}(({{ a }}) div ({{ b }})){%- endmacro %}

{#- round_half_up(num / den) for num >= 0, den > 0, both integers: floor((2 num + den) / (2 den)) -#}
{% macro bulat_setengah_naik(num, den) -%}
  {{ bagi_bulat('2 * (' ~ num ~ ') + (' ~ den ~ ')', '2 * (' ~ den ~ ')') }}
{%- endmacro %}

{#- a percentage / point DECIMAL (<= 4 decimals) as integer ppm -#}
{% macro ke_ppm(x) -%}
  cast(({{ x }}) * 10000 as {{ tipe_bulat_besar() }})
{%- endmacro %}

{#- 10^n as a big integer literal -#}
{% macro pangkat10(n) -%}
  cast(1{{ '0' * n }} as {{ tipe_bulat_besar() }})
{%- endmacro %}

{#- value of `arg` on the row with the smallest / largest `val` (rows with null val ignored) -#}
{% macro min_by(arg, val) -%}{{ return(adapter.dispatch('min_by')(arg, val)) }}{%- endmacro %}
{% macro default__min_by(arg, val) -%}arg_min({{ arg }}, {{ val }}){%- endmacro %}
{% macro spark__min_by(arg, val) -%}min_by({{ arg }}, {{ val }}){%- endmacro %}
{% macro max_by(arg, val) -%}{{ return(adapter.dispatch('max_by')(arg, val)) }}{%- endmacro %}
{% macro default__max_by(arg, val) -%}arg_max({{ arg }}, {{ val }}){%- endmacro %}
{% macro spark__max_by(arg, val) -%}max_by({{ arg }}, {{ val }}){%- endmacro %}
