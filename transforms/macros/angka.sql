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
{#- Spark's `div` returns a BIGINT (and wraps silently beyond it): only for small integers such as
    minutes; money goes through bulat_setengah_naik, exact on DECIMAL(38,0). -#}
{% macro spark__bagi_bulat(a, b) -%}(({{ a }}) div ({{ b }})){%- endmacro %}

{#- round_half_up(num / den) for num >= 0, den > 0, both integers: floor((2 num + den) / (2 den)) -#}
{% macro bulat_setengah_naik(num, den) -%}{{ return(adapter.dispatch('bulat_setengah_naik')(num, den)) }}{%- endmacro %}
{% macro default__bulat_setengah_naik(num, den) -%}
  {{ bagi_bulat('2 * (' ~ num ~ ') + (' ~ den ~ ')', '2 * (' ~ den ~ ')') }}
{%- endmacro %}
{#- Spark: no integer division on DECIMAL(38,0), and DECIMAL / DECIMAL rounds at scale 6, so
    subtract the remainder first: (n - n % d) / d is an exact integer quotient (at most 32
    digits), cast back to DECIMAL(38,0). Overflow of the products fails the query (ANSI mode,
    macros/spark/sesi.sql) instead of yielding NULL. -#}
{% macro spark__bulat_setengah_naik(num, den) -%}
  {%- set n = '(2 * (' ~ num ~ ') + (' ~ den ~ '))' -%}
  {%- set d = '(2 * (' ~ den ~ '))' -%}
  cast(({{ n }} - ({{ n }} % {{ d }})) / {{ d }} as decimal(38,0))
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

{#- an integer x scaled down by 10^n, as DECIMAL(38, n) (exact: x has at most 28 digits) -#}
{% macro skala_turun(x, n) -%}{{ return(adapter.dispatch('skala_turun')(x, n)) }}{%- endmacro %}
{% macro default__skala_turun(x, n) -%}
  cast(cast({{ x }} as decimal(28, 0)) * cast(0.{{ '0' * (n - 1) }}1 as decimal({{ n + 1 }}, {{ n }})) as decimal(38, {{ n }}))
{%- endmacro %}
{#- Spark: DECIMAL(28,0) * DECIMAL(11,10) would lose two decimals (precision 40 > 38); a
    DECIMAL(38,n) / 10^n keeps scale n exactly. -#}
{% macro spark__skala_turun(x, n) -%}
  cast(cast({{ x }} as decimal(38, {{ n }})) / cast(1{{ '0' * n }} as decimal({{ n + 1 }}, 0)) as decimal(38, {{ n }}))
{%- endmacro %}

{#- a 64-bit hash of the columns, as a join / grouping key for finding candidates only (equal
    values give equal hashes; two different values may collide, so equality is checked after) -#}
{% macro hash_kunci(columns) -%}{{ return(adapter.dispatch('hash_kunci')(columns)) }}{%- endmacro %}
{% macro default__hash_kunci(columns) -%}hash({{ columns | join(', ') }}){%- endmacro %}
{% macro spark__hash_kunci(columns) -%}xxhash64({{ columns | join(', ') }}){%- endmacro %}
