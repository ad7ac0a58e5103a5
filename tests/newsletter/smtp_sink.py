"""A real SMTP server for tests, so the mail code is tested against the protocol.

    sink = SmtpSink(); sink.start()
    sink.fail_rcpt["a@example.com"] = (451, "try later", 2)   # twice, then accept
    sink.fail_rcpt["b@example.com"] = (550, "no such user", None)  # for ever
    sink.disconnect_rcpt["c@example.com"] = 1   # drop the connection once
    sink.delay_seconds = 0.005                  # per message, before replying 250
    ...
    sink.wait_for(3, timeout=5); sink.messages[0]["Subject"]; sink.stop()
    sink.start()   # an outage over: the same port, the messages so far kept

Other test modules get the ``smtp_sink`` fixture with
``from tests.newsletter.smtp_sink import smtp_sink_fixture  # noqa: F401``.
"""

import asyncio
import email
import email.policy
import logging
import socket
import threading
import time

import pytest
from aiosmtpd.controller import Controller

# aiosmtpd logs every SMTP command at INFO; a benchmark sends tens of thousands.
logging.getLogger("mail.log").setLevel(logging.WARNING)


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on (at least right now)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _Handler:
    def __init__(self, sink):
        self.sink = sink

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        sink = self.sink
        with sink._lock:
            sink.rcpt_log.append(address)
            drop = _take(sink.disconnect_rcpt, address)
            failure = _take(sink.fail_rcpt, address)
        if drop:
            # The client sees the connection vanish mid-conversation.
            server.transport.close()
            return "421 4.3.0 Closing connection"
        if failure:
            code, text = failure
            return f"{code} {text}"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        sink = self.sink
        first = envelope.rcpt_tos[0] if envelope.rcpt_tos else ""
        with sink._lock:
            failure = _take(sink.fail_data, first)
        if failure:
            code, text = failure
            return f"{code} {text}"
        if sink.delay_seconds:
            await asyncio.sleep(sink.delay_seconds)
        # Recorded even if the client has gone by now: like a real relay, the
        # sink has the whole message, and may well deliver it.
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        message.envelope_from = envelope.mail_from
        message.envelope_to = list(envelope.rcpt_tos)
        with sink._arrived:
            sink.messages.append(message)
            sink._arrived.notify_all()
        return "250 Message accepted"


def _take(failures, address):
    """Use up one programmed failure for ``address``; return (code, text), True or None."""
    if address not in failures:
        return None
    entry = failures[address]
    if isinstance(entry, tuple):
        code, text, times = entry
        result = (code, text)
    else:
        times, result = entry, True
    if times is not None:
        if times <= 1:
            del failures[address]
        elif isinstance(entry, tuple):
            failures[address] = (code, text, times - 1)
        else:
            failures[address] = times - 1
    return result


class SmtpSink:
    """An SMTP server on 127.0.0.1 that keeps every message and can be told to fail.

    ``fail_rcpt`` and ``fail_data`` map an address to ``(code, text, times)``
    (``times`` None for ever) for replies to RCPT TO, or to DATA for a message
    whose first recipient it is. ``disconnect_rcpt`` maps an address to how
    many times the connection is dropped at its RCPT TO. ``messages`` holds
    parsed ``email.message.EmailMessage`` objects, each with ``envelope_from``
    and ``envelope_to`` attributes; ``rcpt_log`` every RCPT TO address tried.
    """

    def __init__(self, *, port=None):
        self.port = port or free_port()
        self.messages = []
        self.rcpt_log = []
        self.fail_rcpt = {}
        self.fail_data = {}
        self.disconnect_rcpt = {}
        self.delay_seconds = 0.0
        self._lock = threading.Lock()
        self._arrived = threading.Condition(self._lock)
        self._controller = None

    def start(self):
        """Start listening (again, after ``stop``, on the same port); returns once it answers."""
        # A controller's event loop is closed when it stops, so each start has its own.
        self._controller = Controller(
            _Handler(self), hostname="127.0.0.1", port=self.port, server_hostname="sink.test"
        )
        self._controller.start()
        return self

    def stop(self):
        """Stop listening: connections are refused until ``start`` is called again."""
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def snapshot(self):
        """A copy of the messages received so far, safe to iterate while mail arrives."""
        with self._lock:
            return list(self.messages)

    def recipients(self):
        """Every envelope recipient of every message received, in order."""
        return [address for message in self.snapshot() for address in message.envelope_to]

    def wait_for(self, count, timeout=10.0):
        """Wait until at least ``count`` messages have arrived; return them all.

        Raises AssertionError with what did arrive if the time runs out.
        """
        deadline = time.monotonic() + timeout
        with self._arrived:
            while len(self.messages) < count:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(
                        f"expected {count} messages within {timeout} s, got {len(self.messages)}"
                    )
                self._arrived.wait(remaining)
            return list(self.messages)


def use_sink(settings, port):
    """Point Django's SMTP backend (via pytest-django's ``settings``) at 127.0.0.1:``port``."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5


@pytest.fixture(name="smtp_sink")
def smtp_sink_fixture(settings):
    """A started SmtpSink, with Django's email settings pointing at it."""
    sink = SmtpSink().start()
    use_sink(settings, sink.port)
    try:
        yield sink
    finally:
        sink.stop()


# The fixture is called "smtp_sink" either way. Importing it as smtp_sink_fixture
# keeps ruff quiet: a test's ``smtp_sink`` argument would otherwise count as
# redefining the imported name (F811).
smtp_sink = smtp_sink_fixture
