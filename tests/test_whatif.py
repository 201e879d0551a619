"""What-if: a candidate rulebook recomputed in a sandbox and compared with the published TPP.

One small simulated population through ``kinerja run`` (one pipeline run for the module); the
dbt sandbox path runs once (unchanged rulebook), the fast path for the rest.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from decimal import ROUND_HALF_UP, Decimal

import pytest

from orchestration.cli import main
from orchestration.core.paths import PROJECT_ROOT, DataDir
from orchestration.core.published import current_snapshot
from orchestration.tools.simulator import simulate
from orchestration.whatif import (
    AturanUsulan,
    WhatIfError,
    candidate_rows,
    compare,
    recompute_amounts,
    run_sandbox,
    whatif,
)

PERIODE = "2025-03"
CONTOH = PROJECT_ROOT / "transforms" / "whatif" / "contoh_aturan.yaml"


def _digest(data: DataDir) -> dict[str, str]:
    """sha256 of every file of the data directory that a what-if must never touch."""
    files = [
        *data.published.rglob("*"),
        data.warehouse,
        *data.raw.rglob("*"),
        *(PROJECT_ROOT / "transforms" / "seeds").glob("*.csv"),
    ]
    return {
        str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(files) if p.is_file()
    }


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    base = tmp_path_factory.mktemp("whatif")
    exports, data = base / "exports", DataDir.resolve(base / "data")
    simulate(
        out=exports,
        pegawai=80,
        opd=4,
        mulai=PERIODE,
        sampai=PERIODE,
        seed=7,
        kotor=0.0,
        xlsx=False,
        progress=False,
    )
    shutil.rmtree(exports / "_groundtruth")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("KINERJA_DATA", str(data.root))
        assert main(["run", "--exports", str(exports), "--data", str(data.root)]) == 0
    return data


@pytest.fixture(scope="module")
def sandbox_sama(data):
    """The unchanged rulebook through the full dbt sandbox, with digests before and after."""
    before = _digest(data)
    result = whatif(
        data, AturanUsulan.from_mapping({"nama": "sama-dbt"}), PERIODE, PERIODE, metode="dbt"
    )
    return before, result, _digest(data)


def test_aturan_tetap_lewat_dbt_sama_persis(sandbox_sama):
    _, result, _ = sandbox_sama
    assert result.metode == "dbt"
    t = result.total
    assert t["selisih_bruto"] == 0 and t["selisih_neto"] == 0
    assert t["pegawai_naik"] == 0 and t["pegawai_turun"] == 0 and t["pegawai"] > 50
    assert result.per_opd["selisih_bruto"].to_list() == [0] * result.per_opd.height


def test_sandbox_tidak_menyentuh_data(sandbox_sama, data):
    before, _, after = sandbox_sama
    assert before == after
    assert any("warehouse.duckdb" in k for k in before) and any("/published/" in k for k in before)


def test_aturan_tetap_jalur_cepat_sama_persis(data):
    result = whatif(data, AturanUsulan.from_mapping({"nama": "sama"}), PERIODE, PERIODE)
    assert result.metode == "cepat"
    assert result.total["selisih_bruto"] == 0 and result.total["selisih_neto"] == 0


def _rhu(x: Decimal) -> int:
    return int(x.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def test_bobot_70_30_sama_dengan_hitungan_tangan(data):
    lama = current_snapshot(data).read("tpp_bulanan", PERIODE)
    aturan = AturanUsulan.from_mapping(
        {"nama": "b7030", "versi": {"bobot_kinerja": 70, "bobot_disiplin": 30}}
    )
    baru = recompute_amounts(lama, aturan)
    got = {(r["nip"], r["kode_opd"]): r for r in baru.iter_rows(named=True)}
    changed = 0
    for r in lama.iter_rows(named=True):
        D = lambda v: Decimal(str(v))  # noqa: E731
        if r["hari_kerja"] == 0:
            continue
        basis = D(r["basis_jabatan"] or 0) * D(r["persen_basis"] or 0) / 100
        pro = basis * r["hari_efektif"] / r["hari_kerja"]
        kin = _rhu(pro * D(70) / 100 * D(r["persen_kinerja"]) / 100)
        dis = _rhu(pro * D(30) / 100 * D(r["persen_disiplin"]) / 100)
        bruto = kin + dis
        pph = _rhu(bruto * D(r["tarif_pph21"] or 0) / 100)
        bpjs = _rhu(bruto * D(r["persen_bpjs"]) / 100)
        g = got[(r["nip"], r["kode_opd"])]
        assert (g["tpp_kinerja"], g["tpp_disiplin"], g["tpp_bruto"], g["pph21"], g["tpp_neto"]) == (
            kin,
            dis,
            bruto,
            pph,
            bruto - pph - bpjs,
        ), r["nip"]
        changed += bruto != r["tpp_bruto"]
    assert changed > 0
    result = whatif(data, aturan, PERIODE, PERIODE)
    assert result.total["tpp_bruto_baru"] == int(baru["tpp_bruto"].sum())


def test_contoh_aturan_xlsx_dan_ringkasan(data, tmp_path):
    import datetime as dt

    from orchestration.core.formatting import WITA

    before = _digest(data)
    mulai = dt.datetime.now(WITA).replace(microsecond=0, tzinfo=None)
    result = whatif(data, CONTOH, PERIODE, PERIODE, out=tmp_path / "rapat")
    assert _digest(data) == before
    # the file is stamped in WITA, the time its readers live in (not the server's UTC)
    stamp = dt.datetime.strptime(result.xlsx.stem.rsplit("_", 1)[1], "%Y%m%d-%H%M%S")
    assert mulai <= stamp <= mulai + dt.timedelta(minutes=5), (mulai, stamp)
    assert result.total["selisih_bruto"] != 0
    assert (
        result.total["pegawai_naik"] + result.total["pegawai_turun"] + result.total["pegawai_tetap"]
        == result.total["pegawai"]
    )
    assert re.search(r"Rp \d{1,3}(\.\d{3})+", result.ringkasan) and "pegawai" in result.ringkasan
    assert int(result.per_opd["selisih_bruto"].sum()) == result.total["selisih_bruto"]
    assert (
        int(result.sebaran["pegawai"].sum())
        == result.total["pegawai_naik"] + result.total["pegawai_turun"]
    )
    from openpyxl import load_workbook

    wb = load_workbook(result.xlsx)
    assert wb.sheetnames == ["Ringkasan", "Per OPD", "Distribusi", "Sebaran", "Pagu", "Per Pegawai"]
    assert "pagu" in result.ringkasan and result.pagu is not None and result.pagu.height
    assert wb["Per OPD"].max_row == result.per_opd.height + 1
    # for a meeting: the headers, the NIPs and the flags as people read them
    assert [c.value for c in wb["Per OPD"][1]][:3] == [
        "Kode OPD",
        "Perangkat Daerah",
        "TPP bruto lama",
    ]
    nips = [r[0] for r in wb["Per Pegawai"].iter_rows(min_row=2, values_only=True)]
    assert nips and all(re.fullmatch(r"\d{8} \d{6} [12] \d{3}", n) for n in nips), nips[:3]
    assert {r[5] for r in wb["Pagu"].iter_rows(min_row=2, values_only=True)} <= {"ya", "tidak"}
    assert wb["Ringkasan"]["A1"].value == "Simulasi TPP: aturan usulan"


SEMUA_KUNCI = {  # every editable key, dasar_potongan TOTAL and 4-decimal numbers
    "nama": "semua-kunci",
    "versi": {
        "bobot_kinerja": 62.5,
        "bobot_disiplin": 37.5,
        "persen_bpjs": 1.2345,
        "dasar_potongan": "TOTAL",
    },
    "predikat": {"BUTUH_PERBAIKAN": 82.3333, "KURANG": 55},
    "status": {"CPNS": 85.5},
    "pph21": [{"kelompok": "PNS", "golongan": "III", "tarif": 6.25}],
    "basis_skala": [{"kelas_dari": 7, "kelas_sampai": 9, "persen": 97.5}],
}


@pytest.mark.parametrize("usulan", ["contoh", "semua_kunci"])
def test_jalur_cepat_sama_dengan_dbt(data, usulan):
    """The fast path (dbt model whatif_tpp_cepat over the published rows) and the full dbt
    sandbox give the same amounts row by row: one formula, macros/jumlah_tpp.sql."""
    import polars as pl

    aturan = (
        AturanUsulan.load(CONTOH) if usulan == "contoh" else AturanUsulan.from_mapping(SEMUA_KUNCI)
    )
    lama = current_snapshot(data).read("tpp_bulanan", PERIODE)
    cols = [
        "periode",
        "nip",
        "kode_opd",
        "tpp_kinerja",
        "tpp_disiplin",
        "tpp_bruto",
        "pph21",
        "iuran_bpjs",
        "tpp_neto",
    ]
    cepat = recompute_amounts(lama, aturan).select(cols).sort(cols[:3])
    dbt = run_sandbox(data, aturan, PERIODE, PERIODE).tpp.select(cols).sort(cols[:3])
    assert cepat.height == lama.height > 50
    assert cepat.schema == dbt.schema and cepat.equals(dbt)
    assert not cepat.select(pl.col("tpp_bruto")).equals(lama.select("tpp_bruto").cast(pl.Int64))


def test_basis_kelas_1_6_naik_10_persen():
    rows = candidate_rows(AturanUsulan.load(CONTOH), PROJECT_ROOT / "transforms" / "seeds")
    basis = {int(r["kelas_jabatan"]): int(r["basis"]) for r in rows["aturan_basis"]}
    assert basis[1] == 1925000 and basis[6] == 3300000 and basis[7] == 3400000
    assert rows["aturan_versi"][0]["bobot_kinerja"] == "70"


def test_cli_whatif(data, tmp_path, capsys):
    rc = main(
        [
            "whatif",
            "--data",
            str(data.root),
            "--aturan",
            str(CONTOH),
            "--mulai",
            PERIODE,
            "--sampai",
            PERIODE,
            "--out",
            str(tmp_path),
        ]
    )
    out = capsys.readouterr().out
    assert rc == 0 and "TPP bruto" in out and list(tmp_path.glob("*.xlsx"))


def test_aturan_usulan_salah_ditolak(data, tmp_path):
    with pytest.raises(WhatIfError, match="tidak dikenal"):
        AturanUsulan.from_mapping({"bobot": 70})
    with pytest.raises(WhatIfError, match="Jalur cepat"):
        whatif(
            data,
            AturanUsulan.from_mapping({"versi": {"jam_pemisah_tap": "11:00:00"}}),
            PERIODE,
            PERIODE,
            metode="cepat",
        )
    with pytest.raises(WhatIfError, match="sudah ada"):
        candidate_rows(
            AturanUsulan.from_mapping({"nama": "default-2024"}),
            PROJECT_ROOT / "transforms" / "seeds",
        )
    with pytest.raises(WhatIfError, match="periode terbit"):
        whatif(data, AturanUsulan.from_mapping({}), "2024-01", "2024-02")
    bad = tmp_path / "x.yaml"
    bad.write_text("- 1\n- 2\n")
    assert (
        main(
            [
                "whatif",
                "--data",
                str(data.root),
                "--aturan",
                str(bad),
                "--mulai",
                PERIODE,
                "--sampai",
                PERIODE,
            ]
        )
        == 1
    )


# ---- the app page (sample snapshot, no pipeline) ----------------------------------------------


def test_halaman_whatif_hanya_analis(tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from orchestration.tools.app_sample import sample_data

    sample = sample_data(tmp_path / "app")
    monkeypatch.setenv("KINERJA_DATA", str(sample.root))
    before = _digest(sample)

    def masuk(username: str, password: str) -> AppTest:
        at = AppTest.from_file(str(PROJECT_ROOT / "app" / "main.py"), default_timeout=60).run()
        at.text_input(key="masuk_username").input(username)
        at.text_input(key="masuk_password").input(password)
        return at.button(key="FormSubmitter:masuk-Masuk").click().run()

    at = masuk("analis", "analis123")
    at.switch_page("views/whatif.py").run()
    assert not at.exception and at.title[0].value.startswith("Simulasi Aturan")
    at.slider[0].set_value(70)
    at.button(key="FormSubmitter:whatif_form-Hitung").click().run()
    assert not at.exception, [e.value for e in at.exception]
    metrics = {m.label: m.value for m in at.metric}
    assert (
        metrics["TPP bruto usulan"].startswith("Rp ")
        and metrics["TPP bruto usulan"] != metrics["TPP bruto terbit"]
    )
    assert _digest(sample) == before
    for username, password in (("keuangan", "keuangan123"), ("kepala_1.01.01", "kepala123")):
        at = masuk(username, password)
        at.switch_page("views/whatif.py").run()  # other roles: refused (and audited)
        assert any("Akses ditolak" in e.value for e in at.error) and not at.metric


def test_satu_mesin_selisih_untuk_koreksi_dan_whatif():
    """whatif.compare and publish.koreksi_rows diff with the same function (selisih_baris):
    the same two frames give the same differences; compare does not depend on row order and
    shows a transferred employee in the department of the latest period's UTAMA row."""
    import polars as pl

    from orchestration.core.published import AMOUNTS as ALL
    from orchestration.publish import koreksi_rows

    def frame(rows):
        return pl.DataFrame(
            [
                {
                    "periode": p,
                    "nip": n,
                    "kode_opd": o,
                    "segmen": s,
                    "nama": n,
                    "nama_opd": o,
                    **{a: v + i for i, a in enumerate(ALL)},
                }
                for p, n, o, s, v in rows
            ]
        )

    lama = frame(
        [
            ("2025-03", "1", "B", "UTAMA", 100),
            ("2025-03", "2", "A", "UTAMA", 50),
            ("2025-03", "2", "C", "ASAL", 20),
            ("2025-03", "4", "A", "UTAMA", 5),
        ]
    )
    baru = frame(
        [
            ("2025-03", "1", "B", "UTAMA", 90),
            ("2025-03", "2", "A", "UTAMA", 70),
            ("2025-03", "2", "C", "ASAL", 20),
            ("2025-03", "3", "A", "UTAMA", 10),
        ]
    )
    empty = pl.DataFrame(
        schema={"nip": pl.String, "kode_opd": pl.String, **{f"selisih_{a}": pl.Int64 for a in ALL}}
    )
    koreksi = pl.from_arrow(koreksi_rows("2025-03", "2025-04", lama, baru, empty))
    hasil = compare(lama, baru)
    per_nip = dict(hasil.per_pegawai.select("nip", "selisih_neto").iter_rows())
    assert per_nip == {"1": -10, "2": 20, "3": 15, "4": -10}
    assert dict(koreksi.select("nip", "selisih_tpp_neto").iter_rows()) == per_nip
    assert dict(hasil.per_pegawai.select("nip", "kode_opd").iter_rows())["2"] == "A"
    again = compare(lama.reverse(), baru.sample(fraction=1.0, shuffle=True, seed=3))
    assert again.per_pegawai.equals(hasil.per_pegawai) and again.per_opd.equals(hasil.per_opd)


@pytest.mark.parametrize(
    ("isi", "pesan"),
    [
        ("pph21: [{kelompok: PNS, tarif: 5}]\n", "Kunci 'pph21': isian 'golongan' wajib ada"),
        ("versi: {persen_bpjs: dua}\n", "Kunci 'versi': persen_bpjs 'dua' bukan angka"),
        ("versi: {dasar_potongan: SEMUA}\n", "dasar_potongan 'SEMUA' harus DISIPLIN atau TOTAL"),
        ("predikat: [BAIK]\n", "Kunci 'predikat' harus berupa pemetaan"),
        ("status: {HONORER: 80}\n", "status 'HONORER' tidak ada"),
        ("bobot: 70\n", "Kunci tidak dikenal di aturan usulan: bobot"),
        ("potongan: {XX9: {poin: 1}}\n", "aturan_potongan: kode 'XX9' tidak ada"),
        ("potongan: {TL1: {prioritas: 1}}\n", "Kolom aturan_potongan 'prioritas' tidak bisa"),
        ("potongan: {TL1: {menit_min: 1.5}}\n", "harus bilangan bulat menit"),
        ("potongan: [TL1]\n", "Kunci 'potongan' harus berupa pemetaan"),
        ("jam_kerja: [{pola: SEKOLAH, hari: 1, jam_masuk: 5:30}]\n", "dalam tanda kutip"),
        ('jam_kerja: [{pola: SEKOLAH, hari: 8, jam_masuk: "05:30"}]\n', "1 (Senin) s.d. 7"),
        ('jam_kerja: [{pola: SEKOLAH, hari: 1, jam_masuk: "25:00"}]\n', "bukan jam HH:MM"),
        ('jam_kerja: [{pola: SHIFT, hari: 1, jam_masuk: "05:30"}]\n', "lewat kunci 'shift'"),
        ('jam_kerja: [{pola: SEKOLAH, hari: 1, jam_masuk: "10:30"}]\n', "jam_masuk < jam_pemisah"),
        ('jam_kerja: [{pola: KANTOR, hari: 6, jam_masuk: "08:00"}]\n', "perlu jam_pulang"),
        ("jam_kerja: [{pola: KANTOR, hari: 1, libur: true, jam_masuk: x}]\n", "tidak punya jam"),
        ("jam_kerja: [{pola: KANTOR, hari: 1, mulai: x}]\n", "isian mulai tidak dikenal"),
        ("jam_kerja: [{hari: 1}]\n", "isian 'pola' wajib ada"),
        ('shift: {SUBUH: {jam_masuk: "04:00"}}\n', "kode 'SUBUH' tidak ada"),
        ('shift: {PAGI: {jam_pemisah: "10:00"}}\n', "Kolom aturan_shift 'jam_pemisah'"),
    ],
)
def test_aturan_usulan_salah_menyebut_berkas_dan_kunci(tmp_path, isi, pesan):
    """A malformed candidate is refused when the file is read, with the file and the key named
    (not a KeyError / decimal error mid-run, not a DISIPLIN fallback for an unknown basis)."""
    berkas = tmp_path / "usulan.yaml"
    berkas.write_text(isi)
    with pytest.raises(WhatIfError) as error:
        AturanUsulan.load(berkas)
    assert str(berkas) in str(error.value) and pesan in str(error.value)


def test_basis_skala_satu_opd_memakai_basis_cadangan():
    """basis_skala with kode_opd scales that department's effective basis: with only `*` rows
    in the base version it gets rows of its own (it was silently a no-op); others keep `*`."""
    rows = candidate_rows(
        AturanUsulan.from_mapping(
            {"basis_skala": [{"kelas_dari": 1, "kelas_sampai": 2, "persen": 110, "kode_opd": "X"}]}
        ),
        PROJECT_ROOT / "transforms" / "seeds",
    )
    basis = {
        (r["kode_opd"], int(r["kelas_jabatan"])): int(r["basis"]) for r in rows["aturan_basis"]
    }
    assert basis[("X", 1)] == 1925000 and basis[("X", 2)] == 2090000
    assert basis[("*", 1)] == 1750000 and ("X", 3) not in basis


@pytest.mark.parametrize("tabel", ["aturan_shift", "aturan_pola_opd"])
def test_jalur_cepat_menolak_dasar_dengan_hari_lain(tmp_path, tabel):
    """Shifts and department patterns decide hari_kerja / hari_efektif like the working hours:
    a base version that differs there cannot reuse the published day facts."""
    from orchestration.whatif import fast_path_reason

    seeds = tmp_path / "seeds"
    shutil.copytree(PROJECT_ROOT / "transforms" / "seeds", seeds)
    for path in seeds.glob("aturan_*.csv"):
        lines = path.read_text().splitlines()
        baru = [
            ln.replace("default-2024,", "lain-2024,", 1)
            for ln in lines
            if ln.startswith("default-2024,")
        ]
        if path.stem == tabel:
            baru[0] = baru[0].replace("07:00:00", "06:00:00").replace("KANTOR", "LAIN")
        path.write_text("\n".join(lines + baru) + "\n")
    aturan = AturanUsulan.from_mapping({"dasar": "lain-2024"})
    assert tabel in (fast_path_reason(aturan, {"default-2024"}, seeds) or "")


def test_potongan_usulan_dihitung_ulang_lewat_dbt(data):
    """tpp-rules.md: a region's own deduction points or minute-sum deductions are rulebook
    data; a candidate may change a code's band and points (``potongan``). The fast path keeps the
    published discipline, so such a candidate goes through the dbt sandbox: TL1 at 2 points
    instead of 0.5 takes 1.5 more points per TL1 day off persen_disiplin, floored at 0."""
    import polars as pl

    from orchestration.whatif.sandbox import fast_path_reason

    aturan = AturanUsulan.from_mapping(
        {"nama": "tl1-dua-poin", "potongan": {"TL1": {"poin": 2}, "PSW4": {"menit_max": None}}}
    )
    rows = {
        r["kode"]: r
        for r in candidate_rows(aturan, PROJECT_ROOT / "transforms" / "seeds")["aturan_potongan"]
    }
    assert rows["TL1"]["poin"] == "2" and rows["TL2"]["poin"] in ("1.0", "1")
    assert "aturan_potongan" in fast_path_reason(aturan, {"default-2024"})
    lama = current_snapshot(data).read("tpp_bulanan", PERIODE)
    baru = run_sandbox(data, aturan, PERIODE, PERIODE).tpp
    key = ["periode", "nip", "kode_opd"]
    j = lama.select(*key, "tl1", pl.col("persen_disiplin").cast(pl.Float64).alias("lama")).join(
        baru.select(*key, pl.col("persen_disiplin").cast(pl.Float64).alias("baru")), on=key
    )
    assert j.height == lama.height and j.filter(pl.col("tl1") > 0).height > 5
    harap = (pl.col("lama") - 1.5 * pl.col("tl1")).clip(lower_bound=0)
    assert j.filter((pl.col("baru") - harap).abs() > 1e-9).is_empty()


def test_jam_kerja_dan_shift_usulan_ditulis_sebagai_baris_aturan():
    """jadwal.md: hours are rulebook data ("hours change by decree": a school start at 05:30).
    A candidate changes a weekday's hours, adds a working day (all three times) or removes one
    (``libur``), and changes a shift's hours; the other rows of the base version stay."""
    aturan = AturanUsulan.from_mapping(
        {
            "jam_kerja": [
                {"pola": "SEKOLAH", "hari": [1, 2, 3, 4, 6], "jam_masuk": "05:30"},
                {
                    "pola": "KANTOR",
                    "hari": 6,
                    "jam_masuk": "07:30",
                    "jam_pulang": "12:00:00",
                    "jam_pemisah": "10:00",
                },
                {"pola": "SEKOLAH", "hari": 6, "ramadan": True, "libur": True},
            ],
            "shift": {"MALAM": {"jam_masuk": "22:00", "jam_pulang": "06:00"}},
        }
    )
    seeds = PROJECT_ROOT / "transforms" / "seeds"
    rows = candidate_rows(aturan, seeds)
    jam = {(r["pola"], r["ramadan"], int(r["hari"])): r for r in rows["aturan_jam_kerja"]}
    dasar = {
        (r["pola"], r["ramadan"], int(r["hari"])): r
        for r in candidate_rows(AturanUsulan.from_mapping({}), seeds)["aturan_jam_kerja"]
    }
    for h in (1, 2, 3, 4, 6):
        assert jam[("SEKOLAH", "false", h)]["jam_masuk"] == "05:30:00"
        assert (
            jam[("SEKOLAH", "false", h)]["jam_pulang"]
            == dasar[("SEKOLAH", "false", h)]["jam_pulang"]
        )
    assert jam[("SEKOLAH", "false", 5)] == {**dasar[("SEKOLAH", "false", 5)], "versi": aturan.nama}
    assert ("KANTOR", "false", 6) not in dasar
    assert (
        jam[("KANTOR", "false", 6)]["jam_pulang"],
        jam[("KANTOR", "false", 6)]["jam_pemisah"],
    ) == (
        "12:00:00",
        "10:00:00",
    )
    assert ("SEKOLAH", "true", 6) in dasar and ("SEKOLAH", "true", 6) not in jam
    assert len(jam) == len(dasar)  # one weekday added, one removed
    shift = {r["kode_shift"]: r for r in rows["aturan_shift"]}
    assert (shift["MALAM"]["jam_masuk"], shift["MALAM"]["jam_pulang"]) == ("22:00:00", "06:00:00")
    assert shift["PAGI"]["jam_masuk"] == "07:00:00"


def test_jam_sekolah_usulan_dihitung_ulang_lewat_dbt(data):
    """A school start moved to 05:30 in Ramadan (March 2025 is Ramadan but its last day):
    through the dbt sandbox, every teacher's present Ramadan school day (Mon-Thu, Sat) is late
    by the minutes from 05:30 to the published check-in, banded as tpp-rules §2; Fridays, other
    days and every office row keep their published codes and amounts."""
    import polars as pl

    from orchestration.whatif.sandbox import fast_path_reason

    aturan = AturanUsulan.from_mapping(
        {
            "nama": "sekolah-0530",
            "jam_kerja": [
                {"pola": "SEKOLAH", "hari": [1, 2, 3, 4, 6], "ramadan": True, "jam_masuk": "05:30"}
            ],
        }
    )
    assert "aturan_jam_kerja" in fast_path_reason(aturan, {"default-2024"})
    snap = current_snapshot(data)
    lama = snap.read("tpp_bulanan", PERIODE)
    key = ["periode", "nip", "kode_opd"]
    hari = snap.read("tpp_harian", PERIODE).join(lama.select(*key, "pola_kerja"), on=key)
    berubah = (
        (pl.col("pola_kerja") == "SEKOLAH")
        & pl.col("ramadan")
        & pl.col("hari_iso").is_in([1, 2, 3, 4, 6])
        & (pl.col("kode_hari") == "HADIR")
    )
    menit = (
        (pl.col("waktu_datang") - pl.col("tanggal").cast(pl.Datetime("us")))
        .dt.total_seconds()
        .sub(5.5 * 3600)
        .floordiv(60)
        .clip(lower_bound=0)
        .cast(pl.Int64)
    )
    harap_hari = hari.with_columns(
        pl.when(berubah)
        .then(
            pl.when(pl.col("waktu_datang").is_null())
            .then(pl.lit("TL4"))
            .when(menit > 90)
            .then(pl.lit("TL4"))
            .when(menit > 60)
            .then(pl.lit("TL3"))
            .when(menit > 30)
            .then(pl.lit("TL2"))
            .when(menit > 0)
            .then(pl.lit("TL1"))
        )
        .otherwise(pl.col("kode_datang"))
        .alias("kode_datang")
    )
    assert harap_hari.filter(berubah).height > 100  # teachers' present Ramadan school days
    harap = harap_hari.group_by(key).agg(
        (pl.col("kode_datang") == f"TL{i}").sum().cast(pl.Int64).alias(f"tl{i}")
        for i in (1, 2, 3, 4)
    )
    baru = run_sandbox(data, aturan, PERIODE, PERIODE).tpp
    tl = [f"tl{i}" for i in (1, 2, 3, 4)]
    got = baru.select(*key, *(pl.col(c).cast(pl.Int64) for c in tl)).sort(key)
    want = (
        lama.select(key)
        .join(harap, on=key, how="left")
        .with_columns(pl.col(tl).fill_null(0))
        .sort(key)
    )
    assert got.equals(want)
    assert (
        got.filter(pl.col("nip").is_in(harap_hari.filter(berubah)["nip"].unique().implode()))[
            "tl4"
        ].sum()
        > lama.filter(pl.col("pola_kerja") == "SEKOLAH")["tl4"].sum()
    )
    # office and shift rows: the same codes and amounts
    kolom = [*key, *tl, "persen_disiplin", "tpp_bruto", "tpp_neto"]
    lain = lama.filter(pl.col("pola_kerja") != "SEKOLAH").select(kolom)
    assert lain.height > 20
    assert (
        baru.select(kolom)
        .join(lain.select(key), on=key)
        .with_columns(pl.col(c).cast(lain.schema[c]) for c in kolom)
        .sort(key)
        .equals(lain.sort(key))
    )
