{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='sync_all_columns',
        pre_hook="{{ hapus_periode_jendela() }}",
    )
}}
-- Everything that did not reach the TPP, with file, line, column, value and reason
-- (QUARANTINE_SCHEMA): the ingest's file-level quarantine plus the referential quarantine
-- (NIP not in the period's master).
select kind, periode, source_file, line_no, kolom, nilai, kode_alasan, alasan, nip
from {{ ref('stg_karantina') }}
union all
select kind, periode, source_file, line_no, kolom, nilai, kode_alasan, alasan, nip
from {{ ref('int_karantina_referensial') }}
