{{ config(meta={'dagster': {'ref': {'name': 'aturan_versi'}}}) }}
-- Rule numbers are carried exactly as integer ppm (percent x 10^4): at most 4 decimals.
{%- set kolom = [
    ('aturan_versi', 'bobot_kinerja'), ('aturan_versi', 'bobot_disiplin'), ('aturan_versi', 'persen_bpjs'),
    ('aturan_status', 'persen_basis'), ('aturan_pph21', 'tarif'), ('aturan_predikat', 'persen_kinerja'),
    ('aturan_potongan', 'poin'), ('aturan_potongan', 'poin_per_menit'),
] %}
{%- for tabel, k in kolom %}
select '{{ tabel }}.{{ k }}' as kolom, cast({{ k }} as {{ dbt.type_string() }}) as nilai
from {{ ref(tabel) }}
where {{ k }} * 10000 <> round({{ k }} * 10000)
{%- if not loop.last %}
union all
{%- endif %}
{%- endfor %}
