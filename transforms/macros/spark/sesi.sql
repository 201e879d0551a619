{#-
  Session settings of a Spark model (pre-hook of every model, dbt_project.yml: each thrift / http
  thread has its own session). dbt-spark switches ANSI mode off for its own compatibility; the
  TPP wants it on: an overflow of the DECIMAL(38,0) money products or an invalid cast then fails
  the run instead of silently yielding NULL or a wrapped number.
-#}
{% macro atur_sesi() -%}{{ return(adapter.dispatch('atur_sesi')()) }}{%- endmacro %}
{% macro default__atur_sesi() -%}{%- endmacro %}
{% macro spark__atur_sesi() -%}set spark.sql.ansi.enabled = true{%- endmacro %}
