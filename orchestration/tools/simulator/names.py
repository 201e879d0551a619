"""Indonesian names with academic titles, drawn to fit NTT (Timor, Rote, Sabu, Flores, Sumba, Alor)."""

from __future__ import annotations

import numpy as np
import polars as pl

PRIA = np.array(
    [
        "Yohanes",
        "Yosef",
        "Petrus",
        "Paulus",
        "Markus",
        "Lukas",
        "Matius",
        "Stefanus",
        "Fransiskus",
        "Agustinus",
        "Aloysius",
        "Benediktus",
        "Dominikus",
        "Kornelis",
        "Gabriel",
        "Yakobus",
        "Simon",
        "Andreas",
        "Bernardus",
        "Hendrik",
        "Frans",
        "Daniel",
        "Yunus",
        "Ebenhaezer",
        "Samuel",
        "Melkianus",
        "Ferdinandus",
        "Theodorus",
        "Vinsensius",
        "Wilhelmus",
        "Robert",
        "Alfonsus",
        "Marthen",
        "Yeremias",
        "Yonas",
        "Nikolaus",
        "Arnoldus",
        "Piter",
        "Mikael",
        "Rikardus",
        "Emanuel",
        "Kristian",
        "Anderias",
        "Yosua",
        "Obed",
        "Yusak",
        "Semuel",
        "Godlief",
        "Jefri",
        "Roni",
        "Deni",
        "Marselinus",
        "Hironimus",
        "Kristoforus",
        "Adrianus",
        "Blasius",
        "Yulius",
        "Silvester",
        "Gregorius",
        "Leonardus",
        "Wenseslaus",
        "Fabianus",
        "Ignasius",
        "Laurensius",
        "Heribertus",
        "Konstantinus",
        "Maksimus",
        "Imanuel",
        "Yohanis",
        "Melki",
        "Alexander",
        "Ferdi",
        "Ricky",
        "Erwin",
        "Oktavianus",
        "Benyamin",
        "Zakarias",
        "Yoseph",
        "Albertus",
        "Antonius",
        "Karolus",
        "Kanisius",
        "Mateus",
        "Rofinus",
        "Servasius",
        "Yosafat",
        "Lambertus",
        "Germanus",
    ]
)
WANITA = np.array(
    [
        "Maria",
        "Yuliana",
        "Agustina",
        "Fransiska",
        "Margaretha",
        "Elisabeth",
        "Theresia",
        "Yohana",
        "Katarina",
        "Veronika",
        "Anastasia",
        "Regina",
        "Bernadeta",
        "Magdalena",
        "Sisilia",
        "Florentina",
        "Yasinta",
        "Selfiana",
        "Mariana",
        "Deseria",
        "Naomi",
        "Rut",
        "Debora",
        "Ester",
        "Rahel",
        "Ribka",
        "Sarlota",
        "Welhelmina",
        "Dorkas",
        "Adriana",
        "Kristina",
        "Imelda",
        "Novita",
        "Yanti",
        "Lusia",
        "Agnes",
        "Angela",
        "Getrudis",
        "Oktaviana",
        "Meri",
        "Yosefina",
        "Paulina",
        "Hendrika",
        "Martha",
        "Susana",
        "Yunita",
        "Dewi",
        "Erna",
        "Febriana",
        "Lidia",
        "Orpa",
        "Yublina",
        "Serlin",
        "Aprilia",
        "Emiliana",
        "Kornelia",
        "Antonia",
        "Benedikta",
        "Skolastika",
        "Helena",
        "Natalia",
        "Goreti",
        "Yustina",
        "Fidelia",
        "Marselina",
        "Sofia",
        "Priska",
        "Rosalia",
        "Sabina",
        "Silvia",
        "Viktoria",
        "Elfrida",
        "Ermelinda",
        "Hermina",
        "Maria",
    ]
)
PRIA_MUSLIM = np.array(
    [
        "Muhammad",
        "Ahmad",
        "Abdul",
        "Ismail",
        "Yusuf",
        "Hasan",
        "Ridwan",
        "Syamsuddin",
        "Abdullah",
        "Hamzah",
        "Idris",
        "Nasrun",
        "Arifin",
        "Rahmat",
        "Hidayat",
        "Suryadi",
        "Budi",
        "Agus",
        "Eko",
        "Rudi",
        "Hendra",
        "Irwan",
        "Rizal",
        "Fajar",
        "Andi",
    ]
)
WANITA_MUSLIM = np.array(
    [
        "Siti",
        "Nur",
        "Aminah",
        "Fatimah",
        "Halimah",
        "Rahmawati",
        "Nurhayati",
        "Sri",
        "Wahyuni",
        "Ratna",
        "Hasnah",
        "Rosmini",
        "Fitri",
        "Aisyah",
        "Nurul",
        "Saodah",
        "Yuliati",
        "Dewi",
    ]
)

MARGA = {
    "TIMOR": """Nubatonis Tefa Nope Kase Sanam Banunaek Taneo Kolo Boimau Nenometa Oematan Tlonaen
        Selan Nitbani Bani Lopo Tallo Missa Taek Bere Seran Atok Manehat Neonufa Ataupah Amnifu
        Tanesib Naitboho Mella Tiran Benu Liu Sae Kause Tamelab Nomleni Bana Teflopo Faot Asbanu
        Nahak Klau Mali Tahu Bria Luan Manek""",
    "ROTE": """Ndun Messakh Ndoen Pah Henukh Manafe Mooy Ndolu Adoe Fanggidae Foeh Lenggu Nalle
        Ndaumanu Pello Pandie Dethan Mandala Amalo Haning Saudale Manu Kiuk Lerik Tungga Zacharias
        Daik Toelle Nggili Bessie""",
    "SABU": """Riwu Kaho Djami Radja Wadu Lado Ga Bire Hede Lobo Ratu Dima Heke Ludji Rohi Hina
        Tede Dju Djari Bela Lay Kana Huru Pono Jara""",
    "FLORES": """da_Costa da_Silva Parera Fernandez Nggadas Wuwur Beribe Koten Kedang Lewar Making
        Hurint Kelen Gae Bupu Lena Laka Wula Rangga Ngeta Djawa Ndona Rewo Woda Mbete Jehadun
        Jehamat Sareng Jelahu Ngganggus Sandur Halu Moat Gadi Wangge Sebho Bhoki Meze Dhae Tay
        Lamanepa Ritan Langoday Lagadoni Pareira Nai Goa Seda Mandalangi Tukan Kerans Sogen Hayon
        Riberu Diaz Openg Baon Kumanireng Djogo Dopo Lalo Mite Niron Tokan Kopong""",
    "SUMBA": """Ngongo Taka Bili Lede Djara Mbilijora Hunggu Wungo Ranggambani Landukara Tara Pati
        Ngara Maramba Malo Dapawole Kadiwanu Lunggi Ndapa Kondi Hamba Kaborang Praing Mehang Dendo
        Liku Kaka Lulu""",
    "ALOR": """Mau Maro Lelang Lakapu Djahamou Atamau Mautuka Padakari Kolly Lamma Dolpai Mokoni
        Pulinggomang Lanlu Bolang""",
    "MUSLIM": """Hamid Rahman Saleh Djafar Latif Bahri Wahab Umar Kadir Syukur Lamaau Sanusi
        Bahtiar Ladjar Hasanuddin Mahmud""",
}
MARGA = {k: np.array([w.replace("_", " ") for w in v.split()]) for k, v in MARGA.items()}
ASAL = np.array(list(MARGA))
ASAL_P = np.array([0.27, 0.13, 0.09, 0.28, 0.08, 0.05, 0.10])

# Education levels.
SMA, D3, S1, S2, S3 = range(5)

# Degree titles by the base name of the post: (D3, S1, S2).
GELAR_JABATAN = {
    "Guru": ("A.Md.", "S.Pd.", "M.Pd."),
    "Pengawas Sekolah": ("A.Md.", "S.Pd.", "M.Pd."),
    "Perawat": ("A.Md.Kep.", "S.Kep., Ns.", "M.Kep."),
    "Bidan": ("A.Md.Keb.", "S.Tr.Keb.", "M.Keb."),
    "Apoteker": ("A.Md.Farm.", "S.Farm., Apt.", "M.Farm."),
    "Tenaga Teknis Kefarmasian": ("A.Md.Farm.", "S.Farm.", "M.Farm."),
    "Nutrisionis": ("A.Md.Gz.", "S.Gz.", "M.Gz."),
    "Perekam Medis": ("A.Md.RMIK", "S.Tr.RMIK", "M.K.M."),
    "Radiografer": ("A.Md.Rad.", "S.Tr.Rad.", "M.Kes."),
    "Pranata Laboratorium Kesehatan": ("A.Md.AK", "S.Tr.AK", "M.Kes."),
    "Sanitarian": ("A.Md.KL", "S.K.M.", "M.Kes."),
    "Administrator Kesehatan": ("A.Md.Kes.", "S.K.M.", "M.Kes."),
    "Epidemiolog Kesehatan": ("A.Md.Kes.", "S.K.M.", "M.Epid."),
    "Penyuluh Kesehatan Masyarakat": ("A.Md.Kes.", "S.K.M.", "M.Kes."),
    "Psikolog Klinis": ("A.Md.", "S.Psi., Psikolog", "M.Psi."),
    "Fisioterapis": ("A.Md.Ft.", "S.Tr.Ft.", "M.Fis."),
    "Teknik Jalan dan Jembatan": ("A.Md.T.", "S.T.", "M.T."),
    "Teknik Pengairan": ("A.Md.T.", "S.T.", "M.T."),
    "Penata Ruang": ("A.Md.T.", "S.T.", "M.T."),
    "Pranata Komputer": ("A.Md.Kom.", "S.Kom.", "M.Kom."),
    "Penyuluh Pertanian": ("A.Md.P.", "S.P.", "M.P."),
    "Medik Veteriner": ("A.Md.Vet.", "drh.", "M.Si."),
    "Paramedik Veteriner": ("A.Md.Vet.", "S.Pt.", "M.Si."),
    "Penyuluh Kehutanan": ("A.Md.Hut.", "S.Hut.", "M.Hut."),
    "Polisi Kehutanan": ("A.Md.Hut.", "S.Hut.", "M.Hut."),
    "Pengawas Perikanan": ("A.Md.Pi.", "S.Pi.", "M.Si."),
    "Auditor": ("A.Md.Ak.", "S.E., Ak.", "M.Ak."),
    "Analis Keuangan Pusat dan Daerah": ("A.Md.Ak.", "S.E.", "M.Ak."),
    "Perancang Peraturan Perundang-undangan": ("A.Md.", "S.H.", "M.H."),
    "Analis Hukum": ("A.Md.", "S.H.", "M.H."),
}
S1_UMUM = np.array(
    [
        "S.Sos.",
        "S.H.",
        "S.E.",
        "S.IP.",
        "S.AP.",
        "S.Kom.",
        "S.T.",
        "S.Si.",
        "S.Psi.",
        "S.Pd.",
        "S.Ak.",
        "S.Stat.",
    ]
)
S2_UMUM = np.array(["M.Si.", "M.M.", "M.H.", "M.A.P.", "M.T.", "M.Pd.", "M.Ak.", "M.Sc."])
SPESIALIS = np.array(
    [
        "Sp.PD",
        "Sp.A",
        "Sp.OG",
        "Sp.B",
        "Sp.An",
        "Sp.Rad",
        "Sp.P",
        "Sp.JP",
        "Sp.M",
        "Sp.THT-KL",
        "Sp.N",
        "Sp.KJ",
    ]
)


def teks(a: np.ndarray, name: str = "") -> pl.Series:
    """A String series from a numpy array that may hold None."""
    return pl.Series(name, np.asarray(a, dtype=object).tolist(), dtype=pl.String)


def _pick(rng: np.random.Generator, pool: np.ndarray, n: int) -> np.ndarray:
    return pool[rng.integers(0, len(pool), n)]


def nama_diri(rng: np.random.Generator, pria: np.ndarray) -> np.ndarray:
    """Given names and family name, without titles."""
    n = len(pria)
    asal = ASAL[rng.choice(len(ASAL), n, p=ASAL_P)]
    muslim = asal == "MUSLIM"
    depan = np.where(pria, _pick(rng, PRIA, n), _pick(rng, WANITA, n))
    kedua = np.where(pria, _pick(rng, PRIA, n), _pick(rng, WANITA, n))
    depan = np.where(
        muslim, np.where(pria, _pick(rng, PRIA_MUSLIM, n), _pick(rng, WANITA_MUSLIM, n)), depan
    )
    marga = np.empty(n, dtype=object)
    for a, pool in MARGA.items():
        m = asal == a
        marga[m] = _pick(rng, pool, int(m.sum()))
    dua = (rng.random(n) < 0.4) & ~muslim & (kedua != depan)
    sumba = (asal == "SUMBA") & (rng.random(n) < 0.5)
    frame = pl.DataFrame(
        [
            teks(np.where(sumba, np.where(pria, "Umbu", "Rambu"), None)),
            teks(depan),
            teks(np.where(dua, kedua, None)),
            teks(marga),
        ]
    )
    return (
        frame.select(pl.concat_str(pl.all(), separator=" ", ignore_nulls=True))
        .to_series()
        .to_numpy()
    )


def gelar(
    rng: np.random.Generator,
    pendidikan: np.ndarray,
    jabatan_dasar: np.ndarray,
    lahir_tahun: np.ndarray,
    pria: np.ndarray,
    kelas: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """(front titles, back titles) consistent with education and post; None where none."""
    n = len(pendidikan)
    s = pl.Series(jabatan_dasar, dtype=pl.String)

    def title(i: int, fallback: np.ndarray) -> np.ndarray:
        mapped = s.replace_strict({k: v[i] for k, v in GELAR_JABATAN.items()}, default=None)
        return np.where(mapped.is_null().to_numpy(), fallback, mapped.to_numpy())

    d3 = title(0, np.full(n, "A.Md."))
    s1 = title(1, _pick(rng, S1_UMUM, n))
    s2 = title(2, _pick(rng, S2_UMUM, n))

    dokter = np.isin(jabatan_dasar, ["Dokter", "Dokter Gigi"]) | (
        np.char.startswith(jabatan_dasar.astype(str), "Direktur RSUD") & (rng.random(n) < 0.8)
    )
    depan = np.full(n, None, dtype=object)
    belakang = np.full(n, None, dtype=object)
    belakang[pendidikan == D3] = d3[pendidikan == D3]
    sarjana = pendidikan >= S1
    belakang[sarjana] = s1[sarjana]
    magister = pendidikan >= S2
    belakang[magister] = s1[magister].astype(str) + ", " + s2[magister].astype(str)
    # Older graduates often carry Drs./Dra./Ir. in front instead of a degree behind.
    lama = sarjana & (lahir_tahun <= 1968) & (rng.random(n) < 0.5) & ~dokter
    insinyur = lama & np.char.startswith(s1.astype(str), "S.T.")
    depan[lama] = np.where(insinyur[lama], "Ir.", np.where(pria[lama], "Drs.", "Dra."))
    belakang[lama & ~magister] = None
    belakang[lama & magister] = s2[lama & magister]
    # Medical doctors: dr./drg. in front, a specialty behind for senior ones.
    depan[dokter] = np.where(jabatan_dasar[dokter] == "Dokter Gigi", "drg.", "dr.")
    spesialis = dokter & (kelas >= 10)
    belakang[dokter] = np.where(spesialis[dokter], _pick(rng, SPESIALIS, int(dokter.sum())), None)
    belakang[dokter & magister & ~spesialis] = "M.Kes."
    doktor = pendidikan == S3
    depan[doktor & ~dokter] = "Dr."
    depan[doktor & dokter] = "Dr. dr."
    return depan, belakang


def nama_lengkap(depan: np.ndarray, diri: np.ndarray, belakang: np.ndarray) -> np.ndarray:
    """``Dr. Yohanes Nggadas, S.Pd., M.Si.``"""
    frame = pl.DataFrame([teks(depan, "d"), teks(diri, "n"), teks(belakang, "b")])
    out = frame.select(
        pl.concat_str([pl.col("d"), pl.col("n")], separator=" ", ignore_nulls=True)
        + pl.when(pl.col("b").is_not_null()).then(pl.lit(", ") + pl.col("b")).otherwise(pl.lit(""))
    )
    return out.to_series().to_numpy()
