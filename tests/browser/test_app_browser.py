"""The app in a real browser: ``streamlit run`` on 127.0.0.1 and headless Chromium over CDP.

Logs in, opens the main pages and saves a screenshot of each (in the test's tmp dir, or in
``$KINERJA_SCREENSHOTS`` when set). Skipped when ``/usr/bin/chromium`` is missing
(``apt-get install -y chromium``).
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from app.launch import command, environment
from app.sample import sample_data

from .cdp import CHROMIUM, Chrome, free_port, wait_http

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(),
    reason=f"{CHROMIUM} tidak ada: pasang dengan 'apt-get install -y chromium' untuk uji browser",
)

ERROR = "[data-testid='stException'], [data-testid='stAlertContentError']"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    data = sample_data(tmp_path_factory.mktemp("app-browser"), pegawai=80, opd=4)
    port = free_port()
    log = open(data.root / "streamlit.log", "w")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        command("127.0.0.1", port), env=environment(data.root), stdout=log, stderr=subprocess.STDOUT
    )
    try:
        wait_http(f"http://127.0.0.1:{port}/_stcore/health", 120)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory):
    folder = Path(os.environ.get("KINERJA_SCREENSHOTS") or tmp_path_factory.mktemp("screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"\nscreenshots: {folder}")
    return folder


@pytest.fixture(scope="module")
def chrome():
    browser = Chrome(width=1440, height=900)
    yield browser
    browser.close()


USER_INPUT = 'input[aria-label="Nama pengguna"]'
PASSWORD_INPUT = 'input[aria-label="Kata sandi"]'


def login(c: Chrome, url: str, username: str, password: str) -> None:
    c.navigate(url)
    c.wait_for(f"!!document.querySelector({USER_INPUT!r})", 90, "halaman masuk")
    c.idle()  # the first run may rewrite the URL and re-mount the form: type after it settled
    c.type(USER_INPUT, username)
    c.type(PASSWORD_INPUT, password)
    c.wait_for(
        f"document.querySelector({USER_INPUT!r}).value === {username!r} && "
        f"document.querySelector({PASSWORD_INPUT!r}).value.length === {len(password)}",
        10, "isian formulir masuk",
    )  # fmt: skip
    c.press_enter()
    c.wait_for(
        "!!document.querySelector('[data-testid=\"stSidebarNav\"]')", 60, "navigasi setelah masuk"
    )
    c.idle()


def no_errors(c: Chrome) -> None:
    assert c.eval(f'document.querySelectorAll("{ERROR}").length') == 0, c.text()[:2000]


def test_analyst_pages_in_a_browser(server, shots, chrome):
    c = chrome
    c.navigate(server)
    c.wait_for(f"!!document.querySelector({USER_INPUT!r})", 90, "halaman masuk")
    c.idle()
    assert "Pengguna demo" in c.text()
    c.screenshot(shots / "00_masuk.png", full=False)

    login(c, server, "analis", "analis123")
    c.wait_for("document.body.innerText.includes('Peringkat Perangkat Daerah')", 60, "ringkasan")
    no_errors(c)
    c.screenshot(shots / "01_ringkasan_provinsi.png")

    c.click('[data-testid="stSidebarNavLink"]', "Perangkat Daerah")
    c.wait_for("document.body.innerText.includes('Perlu perhatian')", 60, "perangkat daerah")
    c.idle()
    no_errors(c)
    c.screenshot(shots / "02_perangkat_daerah.png")

    # a person: the attention list, then a search by name
    c.click('[data-testid="stSidebarNavLink"]', "Pegawai")
    c.wait_for("document.body.innerText.includes('Perlu perhatian pada')", 60, "daftar pegawai")
    c.type('input[placeholder^="mis."]', "Ndun")
    c.press_enter()
    c.wait_for("document.body.innerText.includes('pegawai cocok')", 30, "hasil cari")
    c.idle()
    no_errors(c)
    c.screenshot(shots / "03_pegawai_cari.png")
    for p in sorted(shots.glob("0[0-3]_*.png")):
        assert p.stat().st_size > 10_000, p


def test_department_head_url_tampering_in_a_browser(server, shots, chrome):
    # the URL asks for another department; after login the app refuses and shows none of it
    login(chrome, f"{server}/opd?opd=1.02.01", "kepala_1.01.01", "kepala123")
    chrome.wait_for("document.body.innerText.includes('Akses ditolak')", 30, "penolakan")
    text = chrome.text()
    assert "Dinas Kesehatan" not in text and "1.02.01" not in text
    chrome.screenshot(shots / "04_kepala_ditolak.png", full=False)


def test_finance_cannot_open_analyst_pages_by_url(server, shots, chrome):
    # /kualitas is not a page of KEUANGAN: Streamlit says so and opens the role's home page
    login(chrome, f"{server}/kualitas", "keuangan", "keuangan123")
    chrome.wait_for("document.body.innerText.includes('Daftar Nominatif')", 60, "halaman keuangan")
    text = chrome.text()
    assert "Karantina" not in text and "Kualitas Data" not in text
    no_errors(chrome)
    chrome.screenshot(shots / "05_keuangan.png", full=False)
