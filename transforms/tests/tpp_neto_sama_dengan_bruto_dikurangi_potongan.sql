-- tpp_bruto = tpp_kinerja + tpp_disiplin and tpp_neto = tpp_bruto - pph21 - iuran_bpjs, on every row.
select periode, nip, kode_opd, tpp_kinerja, tpp_disiplin, tpp_bruto, pph21, iuran_bpjs, tpp_neto
from {{ ref('tpp_bulanan') }}
where tpp_bruto <> tpp_kinerja + tpp_disiplin
   or tpp_neto <> tpp_bruto - pph21 - iuran_bpjs
