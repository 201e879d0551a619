{#- NIP display form: 19900815 201601 1 005 -#}
{% macro format_nip(nip) -%}
  case when length({{ nip }}) = 18 then
    substr({{ nip }}, 1, 8) || ' ' || substr({{ nip }}, 9, 6) || ' ' || substr({{ nip }}, 15, 1) || ' ' || substr({{ nip }}, 16, 3)
  else {{ nip }} end
{%- endmacro %}
