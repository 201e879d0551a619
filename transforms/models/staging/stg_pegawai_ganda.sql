-- NIPs of a master snapshot listed on more than one different row (sources.md: NIP_GANDA). The
-- ingest quarantines every such row, so they are not in stg_pegawai; the window's months and
-- the month before it (a previous snapshot that lists a NIP twice gives that person no known
-- previous department: int_pegawai_segmen).
select distinct
    cast(periode as {{ dbt.type_string() }}) as periode,
    cast(nilai as {{ dbt.type_string() }}) as nip
from {{ source('raw', 'karantina_pegawai') }}
where kode_alasan = 'NIP_GANDA' and {{ dalam_jendela('periode', with_previous=true) }}
