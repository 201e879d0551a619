-- Working hours per ISO weekday, inside / outside Ramadan, as text and seconds since midnight.
select
    cast(versi as {{ dbt.type_string() }}) as aturan_versi,
    cast(ramadan as boolean) as ramadan,
    cast(hari as integer) as hari_iso,
    cast(jam_masuk as {{ dbt.type_string() }}) as jam_masuk,
    cast(jam_pulang as {{ dbt.type_string() }}) as jam_pulang,
    {{ detik_dari_teks('jam_masuk') }} as detik_masuk,
    {{ detik_dari_teks('jam_pulang') }} as detik_pulang
from {{ ref('aturan_jam_kerja') }}
