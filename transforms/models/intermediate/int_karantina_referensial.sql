-- Referential quarantine: every raw line (taps, absences, evaluations, activities) whose NIP is
-- not in that period's employee master. These lines never reach the TPP. Periods without any
-- master snapshot are not judged here (finding DATA_PEGAWAI_TIDAK_ADA instead).
with periode as (
    select periode from {{ ref('int_periode') }} where ada_pegawai
),

pegawai as (
    select distinct periode, nip from {{ ref('stg_pegawai') }}
),

ganda as (
    select distinct periode, nilai as nip
    from {{ ref('stg_karantina') }}
    where kind = 'pegawai' and kode_alasan = 'NIP_GANDA'
),

baris as (
    {%- for kind in ['absensi', 'ketidakhadiran', 'kinerja', 'aktivitas'] %}
    select '{{ kind }}' as kind, periode, source_file, line_no, nip
    from {{ ref('stg_' ~ kind) }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
)

select
    b.kind,
    b.periode,
    b.source_file,
    b.line_no,
    'nip' as kolom,
    b.nip as nilai,
    'NIP_TIDAK_DIKENAL' as kode_alasan,
    case
        when g.nip is not null then
            'NIP ' || {{ format_nip('b.nip') }} || ' tercatat ganda di data pegawai periode '
            || b.periode || ' (kedua baris dikarantina); baris ini tidak dipakai untuk perhitungan TPP.'
        else
            'NIP ' || {{ format_nip('b.nip') }} || ' tidak terdaftar di data pegawai periode '
            || b.periode || '; baris ini tidak dipakai untuk perhitungan TPP.'
    end as alasan
from baris as b
inner join periode as p on p.periode = b.periode
left join pegawai as pg on pg.periode = b.periode and pg.nip = b.nip
left join ganda as g on g.periode = b.periode and g.nip = b.nip
where pg.nip is null
