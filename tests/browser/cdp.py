"""A tiny Chrome DevTools Protocol client: headless Chromium driven over one websocket.

Only what the browser test needs (navigate, evaluate, type, click, screenshot), built on
``websockets`` (already installed with the project) so no browser-automation dependency is
added.
"""

from __future__ import annotations

import base64
import contextlib
import json
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

from websockets.sync.client import connect

CHROMIUM = "/usr/bin/chromium"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise TimeoutError(f"{url} tidak menjawab dalam {timeout:.0f} detik")
        time.sleep(0.2)


class Chrome:
    def __init__(self, width: int = 1440, height: int = 900, binary: str = CHROMIUM) -> None:
        self.width, self.height = width, height
        self.profile = tempfile.mkdtemp(prefix="sik-chromium-")
        port = free_port()
        self.proc = subprocess.Popen(
            [
                binary,
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--no-first-run",
                "--no-default-browser-check",
                "--hide-scrollbars",
                f"--remote-debugging-port={port}",
                "--remote-allow-origins=*",
                f"--user-data-dir={self.profile}",
                f"--window-size={width},{height}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self._stack = contextlib.ExitStack()
        try:
            wait_http(f"http://127.0.0.1:{port}/json/version", 30)
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list") as response:
                pages = [t for t in json.load(response) if t["type"] == "page"]
            self.ws = self._stack.enter_context(
                connect(pages[0]["webSocketDebuggerUrl"], max_size=None, open_timeout=30)
            )
        except BaseException:
            self.close()  # never leave a browser behind
            raise
        self._id = 0
        self.call("Page.enable")
        self.call("Runtime.enable")

    def call(self, method: str, timeout: float = 60, **params) -> dict:
        self._id += 1
        my = self._id
        self.ws.send(json.dumps({"id": my, "method": method, "params": params}))
        deadline = time.monotonic() + timeout
        while True:
            message = json.loads(self.ws.recv(timeout=max(0.1, deadline - time.monotonic())))
            if message.get("id") == my:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def eval(self, expression: str):
        result = self.call(
            "Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True
        )
        if "exceptionDetails" in result:
            raise RuntimeError(result["exceptionDetails"].get("text", "JS error"))
        return result["result"].get("value")

    def wait_for(self, expression: str, timeout: float = 30, what: str | None = None):
        deadline = time.monotonic() + timeout
        while True:
            with contextlib.suppress(RuntimeError):
                if value := self.eval(expression):
                    return value
            if time.monotonic() > deadline:
                raise TimeoutError(f"tidak muncul dalam {timeout:.0f} detik: {what or expression}")
            time.sleep(0.2)

    def clear_cookies(self) -> None:
        self.call("Network.clearBrowserCookies")

    def cookies(self) -> list[dict]:
        return self.call("Network.getAllCookies").get("cookies", [])

    def reload(self, timeout: float = 20) -> None:
        """F5. Right after a download the page target is briefly detached ("Not attached to an
        active page"): Chromium refuses the reload then, so it is asked again until it takes."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.call("Page.reload", ignoreCache=True)
                return
            except RuntimeError as refused:
                if "Not attached" not in str(refused) or time.monotonic() > deadline:
                    raise
                time.sleep(0.5)

    def navigate(self, url: str) -> None:
        self.call("Page.navigate", url=url)

    def text(self) -> str:
        return self.eval("document.body ? document.body.innerText : ''") or ""

    def idle(self, timeout: float = 30) -> None:
        """Wait until Streamlit finished the script run and the page settled (charts drawn).

        "Settled": no running-status widget, no stale element and no skeleton for 0.9 seconds
        in a row (the status widget only shows up after a run has taken a moment).
        """
        busy = (
            '!!document.querySelector(\'[data-testid="stStatusWidget"], [data-stale="true"], '
            '[data-testid="stSkeleton"]\')'
        )
        deadline = time.monotonic() + timeout
        quiet = 0
        while quiet < 3:
            if time.monotonic() > deadline:
                raise TimeoutError(f"aplikasi tidak selesai memuat dalam {timeout:.0f} detik")
            quiet = 0 if self.eval(busy) else quiet + 1
            time.sleep(0.3)

    def _center(self, find: str, what: str) -> tuple[float, float]:
        """Centre of the element the JS expression ``find`` returns (scrolled into view)."""
        box = self.wait_for(
            f"(() => {{ const e = {find}; if (!e) return null;"
            " e.scrollIntoView({block: 'center'}); const r = e.getBoundingClientRect();"
            " return [r.x + r.width / 2, r.y + r.height / 2]; })()",
            what=what,
        )
        return box[0], box[1]

    def click(self, selector: str, text: str | None = None) -> None:
        """Click the first element matching ``selector`` (and whose text ends with ``text``)."""
        if text is None:
            find = f"document.querySelector({json.dumps(selector)})"
        else:
            find = (
                f"[...document.querySelectorAll({json.dumps(selector)})]"
                f".find(e => e.innerText.trim().endsWith({json.dumps(text)}))"
            )
        self._click_at(*self._center(find, f"{selector} {text or ''}"))

    def select_tab(self, text: str, timeout: float = 30) -> None:
        """Open the tab labelled ``text``: a click lands where the tab was when it was found,
        and a page still drawing (a chart above it) can move it; so click until it is the
        selected tab."""
        selected = (
            '[...document.querySelectorAll(\'[role="tab"][aria-selected="true"]\')]'
            f".some(e => e.innerText.trim().endsWith({json.dumps(text)}))"
        )
        deadline = time.monotonic() + timeout
        while not self.eval(selected):
            if time.monotonic() > deadline:
                raise TimeoutError(f"tab '{text}' tidak terbuka dalam {timeout:.0f} detik")
            self.click('[role="tab"]', text)
            with contextlib.suppress(TimeoutError):
                self.wait_for(selected, 3, f"tab {text}")

    def _click_at(self, x: float, y: float) -> None:
        for kind in ("mousePressed", "mouseReleased"):
            self.call("Input.dispatchMouseEvent", type=kind, x=x, y=y, button="left", clickCount=1)

    def type(self, selector: str, text: str) -> None:
        self.click(selector)
        self.call("Input.insertText", text=text)

    def press_enter(self) -> None:
        key = {"key": "Enter", "code": "Enter", "windowsVirtualKeyCode": 13}
        self.call("Input.dispatchKeyEvent", type="keyDown", text="\r", **key)
        self.call("Input.dispatchKeyEvent", type="keyUp", **key)

    def screenshot(self, path: Path, full: bool = True) -> Path:
        """PNG of the page; ``full`` grows the viewport to the app's scroll height first."""
        height = self.height
        if full:
            height = int(
                self.eval(
                    'Math.max(...[...document.querySelectorAll(\'[data-testid="stMain"], '
                    '[data-testid="stAppScrollToBottomContainer"], section.main, body\')]'
                    ".map(e => e.scrollHeight), 0)"
                )
                or self.height
            )
            height = max(self.height, min(height + 40, 12000))
            self.call(
                "Emulation.setDeviceMetricsOverride",
                width=self.width,
                height=height,
                deviceScaleFactor=1,
                mobile=False,
            )
            time.sleep(0.7)
        shot = self.call("Page.captureScreenshot", format="png")
        path.write_bytes(base64.b64decode(shot["data"]))
        if full:
            self.call(
                "Emulation.setDeviceMetricsOverride",
                width=self.width,
                height=self.height,
                deviceScaleFactor=1,
                mobile=False,
            )
        return path

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._stack.close()
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        shutil.rmtree(self.profile, ignore_errors=True)
