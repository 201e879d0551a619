-- Monthly discipline per (periode, nip, kode_opd) (tpp-rules §3): day counts per code, minutes,
-- points, persen_disiplin = max(0, 100 - points), and hari_efektif = working days not on an
-- absence the rulebook marks as not effective (CLTN, TB).
with hari as (
    select * from {{ ref('int_hari_pegawai') }}
)

select
    periode,
    nip,
    kode_opd,
    segmen,
    count(*) as hari_kerja_segmen,
    sum(case when hari_efektif then 1 else 0 end) as hari_efektif,
    sum(case when kode_hari = 'HADIR' then 1 else 0 end) as hadir,
    sum(case when kode_hari = 'TK' then 1 else 0 end) as tk,
    {%- for k in ['TL1', 'TL2', 'TL3', 'TL4'] %}
    sum(case when kode_datang = '{{ k }}' then 1 else 0 end) as {{ k | lower }},
    {%- endfor %}
    {%- for k in ['PSW1', 'PSW2', 'PSW3', 'PSW4'] %}
    sum(case when kode_pulang = '{{ k }}' then 1 else 0 end) as {{ k | lower }},
    {%- endfor %}
    {%- for k in ['CT', 'CS', 'CB', 'CM', 'CAP', 'CLTN', 'DL', 'DIKLAT', 'TB', 'IZIN'] %}
    sum(case when kode_hari = '{{ k }}' then 1 else 0 end) as {{ k | lower }},
    {%- endfor %}
    sum(case when not hari_efektif then 1 else 0 end) as hari_tidak_efektif,
    coalesce(sum(menit_terlambat), 0) as menit_terlambat,
    coalesce(sum(menit_pulang_cepat), 0) as menit_pulang_cepat,
    cast(sum(poin) as decimal(18, 4)) as jumlah_poin,
    cast(greatest(100 - sum(poin), 0) as decimal(9, 4)) as persen_disiplin
from hari
group by periode, nip, kode_opd, segmen
