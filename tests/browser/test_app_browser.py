"""The app in a real browser: ``streamlit run`` on 127.0.0.1 and headless Chromium over CDP.

Logs in, opens the main pages and saves a screenshot of each (in the test's tmp dir, or in
``$KINERJA_SCREENSHOTS`` when set). Skipped when ``/usr/bin/chromium`` is missing
(``apt-get install -y chromium``).
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path

import pytest

from app.launch import command, environment
from orchestration.tools.app_sample import sample_data

from .cdp import CHROMIUM, Chrome, free_port, wait_http

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(),
    reason=f"{CHROMIUM} tidak ada: pasang dengan 'apt-get install -y chromium' untuk uji browser",
)

ERROR = "[data-testid='stException'], [data-testid='stAlertContentError']"


@pytest.fixture(scope="module")
def app_data(tmp_path_factory):
    return sample_data(tmp_path_factory.mktemp("app-browser"))


@pytest.fixture(scope="module")
def server(app_data):
    data = app_data
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
    c.clear_cookies()  # a fresh browser: no session cookie of an earlier test
    c.navigate(url)
    c.wait_for(f"!!document.querySelector({USER_INPUT!r})", 90, "halaman masuk")
    c.idle()  # the first run may rewrite the URL and re-mount the form: type after it settled
    c.type(USER_INPUT, username)
    c.type(PASSWORD_INPUT, password)
    c.wait_for(
        f"document.querySelector({USER_INPUT!r}).value === {username!r} && "
        f"document.querySelector({PASSWORD_INPUT!r}).value.length === {len(password)}",
        10,
        "isian formulir masuk",
    )
    c.press_enter()
    c.wait_for(
        "!!document.querySelector('[data-testid=\"stSidebarNav\"]')", 60, "navigasi setelah masuk"
    )
    c.idle()


def no_errors(c: Chrome) -> None:
    assert c.eval(f'document.querySelectorAll("{ERROR}").length') == 0, c.text()[:2000]


def _marga(data) -> str:
    """The commonest family name (last word before the degrees) among March's people."""
    import polars as pl

    from orchestration.core.published import current_snapshot

    nama = current_snapshot(data).read("tpp_bulanan", ["2025-03"])["nama"]
    marga = nama.str.split(",").list.first().str.strip_chars().str.split(" ").list.last()
    counts = marga.value_counts(sort=True, name="n")
    return counts.filter(pl.col("n") == counts["n"].max()).sort(marga.name)[marga.name][0]


def test_analyst_pages_in_a_browser(server, app_data, shots, chrome):
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
    c.type('input[placeholder^="mis."]', _marga(app_data))
    c.press_enter()
    c.wait_for("document.body.innerText.includes('pegawai cocok')", 30, "hasil cari")
    c.idle()
    no_errors(c)
    c.screenshot(shots / "03_pegawai_cari.png")
    for p in sorted(shots.glob("0[0-3]_*.png")):
        assert p.stat().st_size > 10_000, p


def test_shift_roster_and_a_shift_workers_times_in_a_browser(server, app_data, shots, chrome):
    """The hospital's roster (people x days, colour = shift) and a nurse's taps against the
    day's own schedule render without error; screenshots to look at."""
    import polars as pl

    from orchestration.core.published import current_snapshot

    c = chrome
    login(c, f"{server}/opd?opd=1.02.02", "analis", "analis123")
    c.wait_for("document.body.innerText.includes('Jadwal dinas shift')", 60, "jadwal dinas")
    c.idle()
    no_errors(c)
    assert "Pola shift" in c.text()
    c.screenshot(shots / "05_jadwal_dinas_rsud.png")
    bulanan = current_snapshot(app_data).read("tpp_bulanan", ["2025-03"])
    nip = bulanan.filter(pl.col("pola_kerja") == "SHIFT").sort("nip")["nip"][0]
    c.navigate(f"{server}/pegawai?nip={nip}")
    c.wait_for("document.body.innerText.includes('Pola kerja: Shift')", 60, "pegawai shift")
    c.idle()
    c.select_tab("Jam datang & pulang")
    c.wait_for("document.body.innerText.includes('MALAM berakhir esok pagi')", 60, "jam shift")
    c.idle()
    no_errors(c)
    c.screenshot(shots / "06_pegawai_shift_jam.png")
    for p in sorted(shots.glob("0[5-6]_*.png")):
        assert p.stat().st_size > 10_000, p


def test_department_head_url_tampering_in_a_browser(server, shots, chrome):
    # the URL asks for another department; after login the app refuses and shows none of it
    login(chrome, f"{server}/opd?opd=1.02.01", "kepala_1.01.01", "kepala123")
    chrome.wait_for("document.body.innerText.includes('Akses ditolak')", 30, "penolakan")
    text = chrome.text()
    assert "Dinas Kesehatan" not in text and "1.02.01" not in text
    # signed in, a bookmark of /opd (this role's home page, which Streamlit serves at /): the
    # page, not Streamlit's English "Page not found" notice
    chrome.navigate(f"{server}/opd")
    chrome.wait_for("document.body.innerText.includes('Perlu perhatian')", 60, "perangkat daerah")
    chrome.idle()
    text = chrome.text()
    assert "Page not found" not in text and "tidak ditemukan" not in text, text[-500:]
    chrome.screenshot(shots / "04_kepala_ditolak.png", full=False)


def audit(data) -> list[dict]:
    path = data.root / "audit.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def test_finance_cannot_open_analyst_pages_by_url(server, app_data, shots, chrome):
    # /kualitas is not a page of KEUANGAN: refused (and logged), with a way to its home page
    login(chrome, f"{server}/kualitas", "keuangan", "keuangan123")
    chrome.wait_for("document.body.innerText.includes('Akses ditolak')", 60, "penolakan")
    text = chrome.text()
    assert "Karantina" not in text and "Temuan ERROR" not in text
    event = [e for e in audit(app_data) if e["aksi"] == "AKSES_DITOLAK"][-1]
    assert event["pengguna"] == "keuangan" and event["objek"] == "halaman kualitas"
    chrome.screenshot(shots / "05_keuangan_ditolak.png", full=False)
    chrome.click("a", "Ke Keuangan")
    chrome.wait_for("document.body.innerText.includes('Daftar Nominatif')", 60, "halaman keuangan")
    no_errors(chrome)


SESI = "!!document.querySelector('[data-testid=\"stSidebarNav\"]')"
FORM = f"!!document.querySelector({USER_INPUT!r})"


def session_cookie(c: Chrome) -> dict | None:
    return next((k for k in c.cookies() if k["name"] == "sik_sesi"), None)


def test_refresh_and_new_tab_keep_the_session_logout_ends_it(server, shots, chrome):
    c = chrome
    login(c, server, "analis", "analis123")
    cookie = _wait_cookie(c)
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict" and cookie["expires"] > 0
    assert not c.eval("document.cookie.includes('sik_sesi')")  # invisible to page scripts
    c.reload()  # F5
    c.wait_for("document.body.innerText.includes('Peringkat Perangkat Daerah')", 60, "ringkasan")
    assert not c.eval(FORM)
    c.navigate(f"{server}/pegawai")  # a link opened in a new tab
    c.wait_for("document.body.innerText.includes('Perlu perhatian pada')", 60, "pegawai")
    assert c.eval(SESI)
    no_errors(c)
    c.click("button", "Keluar")
    c.wait_for(FORM, 60, "halaman masuk setelah keluar")
    deadline = time.monotonic() + 10
    while session_cookie(c) is not None and time.monotonic() < deadline:
        time.sleep(0.2)
    assert session_cookie(c) is None  # the browser dropped it
    # the old cookie, put back by hand, opens nothing: the session ended on the server
    c.call(
        "Network.setCookie",
        name="sik_sesi",
        value=cookie["value"],
        domain=cookie["domain"],
        path="/",
        httpOnly=True,
        sameSite="Strict",
    )
    c.reload()
    c.wait_for(FORM, 60, "halaman masuk dengan cookie lama")
    c.idle()
    assert not c.eval(SESI)
    c.screenshot(shots / "06_setelah_keluar.png", full=False)


def _wait_cookie(c: Chrome) -> dict:
    deadline = time.monotonic() + 15
    while (cookie := session_cookie(c)) is None:
        if time.monotonic() > deadline:
            raise TimeoutError("cookie sesi tidak dipasang")
        time.sleep(0.2)
    return cookie


def test_downloads_only_through_audited_buttons(server, app_data, shots, chrome, tmp_path):
    c = chrome
    login(c, server, "kepala_1.01.01", "kepala123")
    c.wait_for("document.body.innerText.includes('Perlu perhatian')", 60, "perangkat daerah")
    c.idle()
    # the tables' own toolbar has no CSV download (client.disableDataExport)
    c.eval("document.querySelector('[data-testid=\"stDataFrame\"]').scrollIntoView()")
    box = c.eval(
        "(() => { const r = document.querySelector('[data-testid=\"stDataFrame\"]')"
        ".getBoundingClientRect(); return [r.x + r.width / 2, r.y + 20]; })()"
    )
    c.call("Input.dispatchMouseEvent", type="mouseMoved", x=box[0], y=box[1])
    time.sleep(1)
    labels = c.eval(
        "[...document.querySelectorAll('[data-testid=\"stElementToolbar\"] button')]"
        ".map(b => b.getAttribute('aria-label') || b.innerText)"
    )
    # (charts keep "Download as PNG": a picture, like a screenshot; their "Show data" table has
    # no CSV download either)
    assert labels and not any("CSV" in (x or "") for x in labels), labels
    # ... and Streamlit's toolbar speaks Bahasa Indonesia; "Copy Vega-Lite spec" (the chart's
    # data to the clipboard, unaudited) is not offered
    assert "Tampilkan data" in labels and "Show data" not in labels, labels
    assert c.eval(
        "[...document.querySelectorAll('button[aria-label=\"Copy Vega-Lite spec\"]')]"
        ".every(b => getComputedStyle(b).display === 'none')"
    )
    # the audited button does download, and the download is in the log
    c.call("Browser.setDownloadBehavior", behavior="allow", downloadPath=str(tmp_path))
    before = len(audit(app_data))
    # the click lands at the button's coordinates (click scrolls it into view): let the page
    # settle first (the table above was scrolled to and hovered); one more click if the first
    # met a page still settling
    for _ in range(2):
        c.idle()
        c.click("[data-testid='stDownloadButton'] button", "baris)")
        deadline = time.monotonic() + 20
        while not list(tmp_path.glob("*.csv")) and time.monotonic() < deadline:
            time.sleep(0.3)
        if list(tmp_path.glob("*.csv")):
            break
    assert list(tmp_path.glob("*.csv")), "unduhan tidak terjadi"
    events = audit(app_data)[before:]
    assert any(
        e["aksi"] == "UNDUH" and e["pengguna"] == "kepala_1.01.01" and e["kode_opd"] == "1.01.01"
        for e in events
    ), events


@pytest.fixture(scope="module")
def server_dua(app_data):
    """The app with two server processes on one port (python -m app.launch --proses 2)."""
    import sys

    port = free_port()
    log = open(app_data.root / "streamlit-2.log", "w")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "app.launch",
            "--data",
            str(app_data.root),
            "--address",
            "127.0.0.1",
            "--port",
            str(port),
            "--proses",
            "2",
        ],
        env=environment(app_data.root),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_http(f"http://127.0.0.1:{port}/_stcore/health", 120)
        time.sleep(8)  # the second process finishes its warm-up and joins the port
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def test_two_processes_serve_downloads_and_refresh(server_dua, app_data, chrome, tmp_path):
    import urllib.error
    import urllib.request

    c = chrome
    login(c, server_dua, "kepala_1.01.01", "kepala123")
    c.wait_for("document.body.innerText.includes('Perlu perhatian')", 60, "perangkat daerah")
    c.idle()
    c.call("Browser.setDownloadBehavior", behavior="allow", downloadPath=str(tmp_path))
    c.click("[data-testid='stDownloadButton'] button", "baris)")
    deadline = time.monotonic() + 30
    while not list(tmp_path.glob("*.csv")) and time.monotonic() < deadline:
        time.sleep(0.3)
    (csv,) = list(tmp_path.glob("*.csv"))
    # the download's /media URL answers from either process: ten fresh connections, which the
    # kernel spreads over both (the logo is inline, not a media file)
    media = app_data.root / ".media"
    ids = [m.stem for m in media.glob("*.json")]
    download = next(
        i for i in ids if json.loads((media / f"{i}.json").read_text())["filename"] == csv.name
    )
    cookie = session_cookie(c)
    sesi = urllib.request.Request(
        f"{server_dua}/media/{download}.csv", headers={"Cookie": f"sik_sesi={cookie['value']}"}
    )
    for _ in range(10):
        with urllib.request.urlopen(sesi, timeout=10) as r:
            assert r.status == 200 and r.read() == csv.read_bytes()
    # the URL alone (browser history, a proxy's log) gets nothing, from either process
    for _ in range(4):
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(f"{server_dua}/media/{download}.csv", timeout=10)
        assert refused.value.code == 403
    for i in range(3):  # refreshes land on either process: the cookie keeps the session
        c.reload()
        c.wait_for("document.body.innerText.includes('Perlu perhatian')", 60, f"muat ulang {i}")
    no_errors(c)
