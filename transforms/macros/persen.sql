{#- A rate in percent (per 100) as DOUBLE: pembilang / penyebut x 100; null when the denominator
    is 0 or null (no division error on either engine, ANSI mode included). The app totals a
    selection the same way from the summed columns (app/data.py, _persen): a ratio of sums,
    never an average of the rows' rates. -#}
{% macro persen_dari(pembilang, penyebut) -%}
  (cast({{ pembilang }} as double) / nullif(cast({{ penyebut }} as double), 0) * 100)
{%- endmacro %}
