{#- The combination of `columns` is unique (dbt_utils.unique_combination_of_columns without the package). -#}
{% test kombinasi_unik(model, columns) %}
select {{ columns | join(', ') }}, count(*) as jumlah
from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1
{% endtest %}
