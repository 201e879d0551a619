"""Capture servers for the alert tests: a webhook (HTTP, JSON bodies) and an SMTP server, both
from the standard library, bound to 127.0.0.1 on an ephemeral port; each records what it received
(``CaptureServer.received``).
"""

from __future__ import annotations

import http.server
import json
import socketserver
import threading
from dataclasses import dataclass


class _WebhookHandler(http.server.BaseHTTPRequestHandler):
    def do_POST(self) -> None:  # noqa: N802 - http.server API
        length = int(self.headers.get("Content-Length", 0))
        body = self.rfile.read(length)
        self.server.received.append(  # type: ignore[attr-defined]
            {"path": self.path, "headers": dict(self.headers), "json": json.loads(body)}
        )
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"ok": true}')

    def log_message(self, *args) -> None:
        pass


@dataclass
class CaptureServer:
    server: socketserver.BaseServer
    thread: threading.Thread

    @property
    def port(self) -> int:
        return self.server.server_address[1]

    @property
    def received(self) -> list:
        return self.server.received  # type: ignore[attr-defined]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


def _serve(server: socketserver.BaseServer) -> CaptureServer:
    server.received = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    return CaptureServer(server, thread)


def webhook_server() -> CaptureServer:
    """HTTP server on 127.0.0.1:<ephemeral> recording every POSTed JSON body."""
    return _serve(http.server.ThreadingHTTPServer(("127.0.0.1", 0), _WebhookHandler))


class _SmtpHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP (RFC 5321) for smtplib: EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT."""

    def reply(self, text: str) -> None:
        self.wfile.write((text + "\r\n").encode())

    def handle(self) -> None:
        self.reply("220 localhost SMTP uji")
        sender, recipients = None, []
        while line := self.rfile.readline():
            command = line.decode(errors="replace").strip()
            verb = command[:4].upper()
            if verb in ("EHLO", "HELO"):
                self.reply("250 localhost")
            elif verb == "MAIL":
                sender, recipients = command.split(":", 1)[1].strip(" <>"), []
                self.reply("250 OK")
            elif verb == "RCPT":
                recipients.append(command.split(":", 1)[1].strip(" <>"))
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 akhiri dengan <CRLF>.<CRLF>")
                lines = []
                while (data := self.rfile.readline()) not in (b".\r\n", b".\n", b""):
                    lines.append(data[1:] if data.startswith(b"..") else data)
                self.server.received.append(  # type: ignore[attr-defined]
                    {"from": sender, "to": recipients, "data": b"".join(lines)}
                )
                self.reply("250 OK diterima")
            elif verb in ("RSET", "NOOP"):
                self.reply("250 OK")
            elif verb == "QUIT":
                self.reply("221 sampai jumpa")
                return
            else:
                self.reply("502 perintah tidak didukung")


class _ThreadingTCPServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


def smtp_server() -> CaptureServer:
    """SMTP server on 127.0.0.1:<ephemeral> recording every message (``data`` = raw bytes)."""
    return _serve(_ThreadingTCPServer(("127.0.0.1", 0), _SmtpHandler))
