"""A real SMTP server on 127.0.0.1 (aiosmtpd) for the e-mail tests (a pytest plugin, declared in
conftest.py's ``pytest_plugins``): ``smtp`` records each message, and ``mail_config`` is the MAIL_*
configuration that points the app at it (or, without ``smtp``, at a port where nothing listens).
A module uses it with ``def app_config(mail_config): return mail_config``."""
from __future__ import annotations

import socket
from email import message_from_bytes

import pytest
from sqlalchemy import create_engine, text


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Recorder:
    """Keeps each message and, at the moment it arrives, the shop's status in the database."""

    def __init__(self):
        self.messages, self.status_seen, self.database_url, self.shop_id = [], [], None, None

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content)))
        if self.database_url and self.shop_id:
            engine = create_engine(self.database_url)
            with engine.connect() as connection:
                self.status_seen.append(connection.execute(
                    text("SELECT status FROM shop WHERE id = :id"), {"id": self.shop_id}).scalar())
            engine.dispose()
        return "250 OK"


@pytest.fixture
def smtp():
    from aiosmtpd.controller import Controller

    recorder = Recorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=free_port())
    controller.start()
    recorder.port = controller.port
    yield recorder
    controller.stop()


@pytest.fixture
def mail_config(request):
    smtp = request.getfixturevalue("smtp") if "smtp" in request.fixturenames else None
    port = smtp.port if smtp else free_port()  # nothing listens on a fresh free port
    return {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": port, "MAIL_TIMEOUT": 5,
            "MAIL_DEFAULT_SENDER": "Belanja Warung Tetangga <noreply@bwt.test>"}
