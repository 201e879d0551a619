-- Shift codes with their hours; lintas_hari = the shift ends the next calendar day.
select
    cast(versi as {{ dbt.type_string() }}) as aturan_versi,
    upper(trim(cast(kode_shift as {{ dbt.type_string() }}))) as kode_shift,
    cast(jam_masuk as {{ dbt.type_string() }}) as jam_masuk,
    cast(jam_pulang as {{ dbt.type_string() }}) as jam_pulang,
    {{ detik_dari_teks('jam_masuk') }} as detik_masuk,
    {{ detik_dari_teks('jam_pulang') }} as detik_pulang,
    {{ detik_dari_teks('jam_pulang') }} <= {{ detik_dari_teks('jam_masuk') }} as lintas_hari
from {{ ref('aturan_shift') }}
