{#- Date/time helpers. DuckDB-specific SQL lives only here (spark__ variants where they differ). -#}

{#- first day of a 'YYYY-MM' text period -#}
{% macro awal_periode(periode) -%}
  cast({{ periode }} || '-01' as date)
{%- endmacro %}

{#- 'YYYY-MM' of a date -#}
{% macro periode_dari(tanggal) -%}{{ return(adapter.dispatch('periode_dari')(tanggal)) }}{%- endmacro %}
{% macro default__periode_dari(tanggal) -%}strftime({{ tanggal }}, '%Y-%m'){%- endmacro %}
{% macro spark__periode_dari(tanggal) -%}date_format({{ tanggal }}, 'yyyy-MM'){%- endmacro %}

{#- 'YYYY-MM' of the month after the one of a date -#}
{% macro periode_berikut(tanggal) -%}
  {{ periode_dari(tambah_hari(dbt.last_day(tanggal, 'month'), 1)) }}
{%- endmacro %}

{#- date + n days, as a date -#}
{% macro tambah_hari(tanggal, n) -%}{{ return(adapter.dispatch('tambah_hari')(tanggal, n)) }}{%- endmacro %}
{% macro default__tambah_hari(tanggal, n) -%}
  cast({{ dbt.dateadd('day', n, tanggal) }} as date)
{%- endmacro %}
{#- dbt-spark's dateadd goes through unix timestamps (session time zone); date_add is a pure date -#}
{% macro spark__tambah_hari(tanggal, n) -%}date_add({{ tanggal }}, {{ n }}){%- endmacro %}

{#- ISO day of week: 1 = Monday .. 7 = Sunday -#}
{% macro hari_iso(tanggal) -%}{{ return(adapter.dispatch('hari_iso')(tanggal)) }}{%- endmacro %}
{% macro default__hari_iso(tanggal) -%}isodow({{ tanggal }}){%- endmacro %}
{% macro spark__hari_iso(tanggal) -%}(((dayofweek({{ tanggal }}) + 5) % 7) + 1){%- endmacro %}

{#- seconds since midnight of a timestamp (fractions of a second dropped) -#}
{% macro detik_hari(ts) -%}
  (cast(extract(hour from {{ ts }}) as integer) * 3600
   + cast(extract(minute from {{ ts }}) as integer) * 60
   + cast(floor(extract(second from {{ ts }})) as integer))
{%- endmacro %}

{#- seconds since midnight of a 'HH:MM:SS' text -#}
{% macro detik_dari_teks(jam) -%}
  (cast({{ dbt.split_part(jam, "':'", 1) }} as integer) * 3600
   + cast({{ dbt.split_part(jam, "':'", 2) }} as integer) * 60
   + cast({{ dbt.split_part(jam, "':'", 3) }} as integer))
{%- endmacro %}

{#- the timestamp `detik` seconds after midnight of a date (may pass midnight: a night shift) -#}
{% macro tambah_detik(tanggal, detik) -%}{{ return(adapter.dispatch('tambah_detik')(tanggal, detik)) }}{%- endmacro %}
{% macro default__tambah_detik(tanggal, detik) -%}
  (cast({{ tanggal }} as timestamp) + to_seconds(cast({{ detik }} as bigint)))
{%- endmacro %}
{% macro spark__tambah_detik(tanggal, detik) -%}
  (cast({{ tanggal }} as timestamp) + make_dt_interval(0, 0, 0, {{ detik }}))
{%- endmacro %}

{#- jadwal.md §4: a tap `detik` seconds after midnight of the shift's start day lies in the
    window [S - 4 h, E + 4 h) of `shift` (a relation with detik_masuk S and detik_selesai E) -#}
{% macro dalam_jendela_shift(detik, shift) -%}
  ({{ detik }} >= {{ shift }}.detik_masuk - 14400 and {{ detik }} < {{ shift }}.detik_selesai + 14400)
{%- endmacro %}
