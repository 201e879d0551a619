-- Performance evaluations, one row per raw line. `predikat_sumber` is the predikat as stated by
-- the source (only used for a finding; the matrix decides). `duplikat`: exact copy of an earlier line.
with src as (
    select * from {{ source('raw', 'kinerja') }}
    where {{ dalam_jendela('periode') }}
),

typed as (
    select
        cast(periode as {{ dbt.type_string() }}) as periode,
        cast(source_file as {{ dbt.type_string() }}) as source_file,
        cast(line_no as integer) as line_no,
        trim(cast(nip as {{ dbt.type_string() }})) as nip,
        upper(trim(cast(hasil_kerja as {{ dbt.type_string() }}))) as hasil_kerja,
        upper(trim(cast(perilaku as {{ dbt.type_string() }}))) as perilaku,
        nullif(upper(trim(cast(predikat as {{ dbt.type_string() }}))), '') as predikat_sumber,
        upper(trim(cast(status as {{ dbt.type_string() }}))) as status,
        trim(cast(nip_penilai as {{ dbt.type_string() }})) as nip_penilai,
        cast(tanggal_penilaian as date) as tanggal_penilaian
    from src
)

select
    *,
    row_number() over (
        partition by periode, nip, hasil_kerja, perilaku, predikat_sumber, status, nip_penilai,
            tanggal_penilaian
        order by line_no
    ) > 1 as duplikat
from typed
