"""A small SMTP server for the tests: it speaks just enough SMTP (EHLO, AUTH PLAIN, MAIL, RCPT,
DATA) for Django's SMTP backend, and keeps what it receives."""

from __future__ import annotations

import base64
import contextlib
import email
import email.policy
import socket
import threading
import time
from email.message import EmailMessage

from tests.process import free_port


class SmtpServer:
    """Listens on a free loopback port in a thread; `messages` and `logins` fill as mail comes."""

    def __init__(self) -> None:
        self.port = free_port()
        self.messages: list[EmailMessage] = []
        self.logins: list[tuple[str, str]] = []
        self._listener = socket.create_server(("127.0.0.1", self.port))
        self._thread = threading.Thread(target=self._accept, daemon=True)

    def __enter__(self) -> SmtpServer:
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._listener.close()

    def wait_for_message(self, timeout: float = 20) -> EmailMessage:
        deadline = time.monotonic() + timeout
        while not self.messages:
            if time.monotonic() > deadline:
                raise AssertionError("no mail reached the SMTP server")
            time.sleep(0.05)
        return self.messages[-1]

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self._listener.accept()
            except OSError:  # closed
                return
            threading.Thread(target=self._session, args=(connection,), daemon=True).start()

    def _session(self, connection: socket.socket) -> None:
        with connection, contextlib.suppress(OSError), connection.makefile("rb") as lines:

            def say(line: str) -> None:
                connection.sendall(line.encode() + b"\r\n")

            say("220 test.example ESMTP")
            for raw in lines:
                command = raw.decode("ascii", "replace").strip()
                verb = command[:4].upper()
                if verb == "EHLO":
                    say("250-test.example")
                    say("250-AUTH PLAIN")
                    say("250 8BITMIME")
                elif verb == "HELO":
                    say("250 test.example")
                elif verb == "AUTH":
                    _, user, password = base64.b64decode(command.split()[2]).split(b"\0")
                    self.logins.append((user.decode(), password.decode()))
                    say("235 2.7.0 Authentication successful")
                elif verb in {"MAIL", "RCPT", "RSET", "NOOP"}:
                    say("250 OK")
                elif verb == "DATA":
                    say("354 End data with <CR><LF>.<CR><LF>")
                    body = b""
                    for data in lines:
                        if data == b".\r\n":
                            break
                        body += data[1:] if data.startswith(b"..") else data
                    self.messages.append(
                        email.message_from_bytes(body, policy=email.policy.default)
                    )
                    say("250 OK queued")
                elif verb == "QUIT":
                    say("221 Bye")
                    return
                else:
                    say("502 Command not implemented")
