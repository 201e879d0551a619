{#-
  THE money formula of the TPP (tpp-rules §5, §7): the only place it is written. Used by
  int_tpp_bulanan (the pipeline) and whatif_tpp_cepat (the what-if fast path over published rows).

  jumlah_tpp(relasi) is a select over `relasi` (a CTE or relation) that keeps every column and
  adds the amounts as exact integers (HUGEINT on DuckDB, DECIMAL(38,0) on Spark):
    tpp_basis_hitung, basis_efektif_e10 (basis_efektif x 10^10), tpp_kinerja_hitung,
    tpp_disiplin_hitung, tpp_bruto_hitung, pph21_hitung, iuran_bpjs_hitung, tpp_neto_hitung.
  `relasi` must have the columns
    basis_jabatan (rupiah / month, null = 0), persen_basis_ppm, hari_efektif, hari_kerja,
    persen_kinerja, persen_disiplin (DECIMAL percent, <= 4 decimals), bobot_kinerja_ppm,
    bobot_disiplin_ppm, persen_bpjs_ppm, dasar_potongan (DISIPLIN / TOTAL), tarif_pph21_ppm.

  Every amount is ONE integer fraction rounded half-up once, every rule number as integer ppm
  (percent x 10^4):
    basis_x      = basis_jabatan x persen_basis_ppm                     (rupiah x 10^6)
    tpp_kinerja  = rhu(basis_x x hari_efektif x bobot_kinerja_ppm x persen_kinerja_ppm
                       x [persen_disiplin_ppm if dasar_potongan = TOTAL else 10^6] / (hari_kerja x 10^24))
    tpp_disiplin = rhu(basis_x x hari_efektif x bobot_disiplin_ppm x persen_disiplin_ppm / (hari_kerja x 10^18))
    pph21 = rhu(bruto x tarif_ppm / 10^6); iuran_bpjs = rhu(bruto x persen_bpjs_ppm / 10^6)
    tpp_neto = bruto - pph21 - iuran_bpjs
  which is exactly round_half_up(basis x faktor x hari_efektif / hari_kerja x bobot x persen ...).
-#}
{% macro jumlah_tpp(relasi) -%}
{%- set bb = tipe_bulat_besar() -%}
select
    *,
    tpp_bruto_hitung - pph21_hitung - iuran_bpjs_hitung as tpp_neto_hitung
from (
    select
        *,
        {{ bulat_setengah_naik('tpp_bruto_hitung * coalesce(tarif_pph21_ppm, 0)', pangkat10(6)) }} as pph21_hitung,
        {{ bulat_setengah_naik('tpp_bruto_hitung * persen_bpjs_ppm', pangkat10(6)) }} as iuran_bpjs_hitung
    from (
        select
            *,
            tpp_kinerja_hitung + tpp_disiplin_hitung as tpp_bruto_hitung
        from (
            select
                *,
                {{ bulat_setengah_naik('basis_x', pangkat10(6)) }} as tpp_basis_hitung,
                case when hk > 0 then
                    {{ bulat_setengah_naik('basis_x * he * ' ~ pangkat10(10), 'hk * ' ~ pangkat10(6)) }}
                else 0 end as basis_efektif_e10,
                case when hk > 0 then
                    {{ bulat_setengah_naik(
                        'basis_x * he * bobot_kinerja_ppm * persen_kinerja_ppm * faktor_potongan_kinerja_ppm',
                        'hk * ' ~ pangkat10(24)) }}
                else 0 end as tpp_kinerja_hitung,
                case when hk > 0 then
                    {{ bulat_setengah_naik(
                        'basis_x * he * bobot_disiplin_ppm * persen_disiplin_ppm',
                        'hk * ' ~ pangkat10(18)) }}
                else 0 end as tpp_disiplin_hitung
            from (
                select
                    *,
                    cast(coalesce(basis_jabatan, 0) as {{ bb }}) * cast(coalesce(persen_basis_ppm, 0) as {{ bb }}) as basis_x,
                    cast(hari_efektif as {{ bb }}) as he,
                    cast(hari_kerja as {{ bb }}) as hk,
                    {{ ke_ppm('persen_kinerja') }} as persen_kinerja_ppm,
                    {{ ke_ppm('persen_disiplin') }} as persen_disiplin_ppm,
                    case
                        when dasar_potongan = 'TOTAL' then {{ ke_ppm('persen_disiplin') }}
                        else {{ pangkat10(6) }}
                    end as faktor_potongan_kinerja_ppm
                from {{ relasi }}
            ) as bilangan
        ) as jumlah
    ) as bruto
) as potongan
{%- endmacro %}
