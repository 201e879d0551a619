-- Work patterns: hours and split time per pattern and ISO weekday, inside / outside Ramadan, as
-- text and seconds since midnight (jadwal.md §1).
select
    cast(versi as {{ dbt.type_string() }}) as aturan_versi,
    cast(pola as {{ dbt.type_string() }}) as pola,
    cast(ramadan as boolean) as ramadan,
    cast(hari as integer) as hari_iso,
    cast(jam_masuk as {{ dbt.type_string() }}) as jam_masuk,
    cast(jam_pulang as {{ dbt.type_string() }}) as jam_pulang,
    cast(jam_pemisah as {{ dbt.type_string() }}) as jam_pemisah,
    {{ detik_dari_teks('jam_masuk') }} as detik_masuk,
    {{ detik_dari_teks('jam_pulang') }} as detik_pulang,
    {{ detik_dari_teks('jam_pemisah') }} as detik_pemisah
from {{ ref('aturan_jam_kerja') }}
