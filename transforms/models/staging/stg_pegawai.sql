-- Employee master snapshots, typed and trimmed; exact duplicate rows count once (the first line
-- is kept as lineage). The window includes the month before it: a transfer month needs the
-- previous snapshot.
with src as (
    select * from {{ source('raw', 'pegawai') }}
    where {{ dalam_jendela('periode', with_previous=true) }}
),

typed as (
    select
        cast(periode as {{ dbt.type_string() }}) as periode,
        cast(source_file as {{ dbt.type_string() }}) as source_file,
        cast(line_no as integer) as line_no,
        trim(cast(nip as {{ dbt.type_string() }})) as nip,
        trim(cast(nama as {{ dbt.type_string() }})) as nama,
        upper(trim(cast(status as {{ dbt.type_string() }}))) as status,
        trim(cast(golongan as {{ dbt.type_string() }})) as golongan,
        upper(trim(cast(jenis_jabatan as {{ dbt.type_string() }}))) as jenis_jabatan,
        trim(cast(nama_jabatan as {{ dbt.type_string() }})) as nama_jabatan,
        cast(kelas_jabatan as integer) as kelas_jabatan,
        trim(cast(kode_opd as {{ dbt.type_string() }})) as kode_opd,
        trim(cast(nama_opd as {{ dbt.type_string() }})) as nama_opd,
        cast(tmt_opd as date) as tmt_opd,
        cast(aktif_sampai as date) as aktif_sampai,
        -- optional column (jadwal.md §1): null = the department's pattern from the rulebook
        upper(trim(cast(pola_kerja as {{ dbt.type_string() }}))) as pola_kerja
    from src
)

select
    periode,
    nip,
    nama,
    status,
    golongan,
    -- rank group of the golongan: 'III/b' -> 'III'; PPPK golongan has no slash ('IX' -> 'IX')
    {{ dbt.split_part('golongan', "'/'", 1) }} as golongan_pokok,
    jenis_jabatan,
    nama_jabatan,
    kelas_jabatan,
    kode_opd,
    nama_opd,
    tmt_opd,
    aktif_sampai,
    pola_kerja,
    min(source_file) as source_file,
    min(line_no) as line_no,
    count(*) as jumlah_baris
from typed
group by
    periode, nip, nama, status, golongan, jenis_jabatan, nama_jabatan, kelas_jabatan,
    kode_opd, nama_opd, tmt_opd, aktif_sampai, pola_kerja
