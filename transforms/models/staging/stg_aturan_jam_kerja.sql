-- Working hours per ISO weekday, inside / outside Ramadan, as text and seconds since midnight.
select
    cast(versi as varchar) as aturan_versi,
    cast(ramadan as boolean) as ramadan,
    cast(hari as integer) as hari_iso,
    cast(jam_masuk as varchar) as jam_masuk,
    cast(jam_pulang as varchar) as jam_pulang,
    {{ detik_dari_teks('jam_masuk') }} as detik_masuk,
    {{ detik_dari_teks('jam_pulang') }} as detik_pulang
from {{ ref('aturan_jam_kerja') }}
