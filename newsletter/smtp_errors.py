"""Telling a relay that is down from a message that failed, and a retry from a lost cause.

Three kinds of failure, treated differently by ``newsletter.mailer``:

* an outage: the relay, or the way to it, failed, whatever the message
  (refused or timed-out connections, TLS, a dropped line, the relay refusing
  *us*: authentication, HELO, the From address, "421 closing"). The worker
  pauses and the message is put back untried; no attempt is counted.
* permanent: this message can never be sent (an address that is not valid, a
  header with a line break in it, a 5xx reply about this message). It fails
  at once, with a reason a newsletter manager can read.
* temporary: anything else (a 4xx reply, a rendering bug). Retried with
  back-off, up to EMAIL_MAX_ATTEMPTS.
"""

import smtplib
from dataclasses import dataclass
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import BadHeaderError
from django.core.mail.message import sanitize_address


@dataclass(frozen=True)
class Failure:
    """How to treat one sending error."""

    permanent: bool
    outage: bool
    error: str
    # The connection vanished without an SMTP reply. Usually the relay's
    # fault, but a message the relay chokes on would do it every time.
    dropped: bool = False


# "Service not available, closing channel": the relay speaking about itself.
SERVICE_CLOSING = 421
# "Syntax error in parameters" and "mailbox name not allowed" at RCPT TO.
BAD_ADDRESS_CODES = {501, 553}


class InvalidAddress(ValueError):
    """A recipient address no mail server could deliver to."""

    def __init__(self, address, reason):
        super().__init__(f"The address is not valid: {address!r} ({reason})")


class InvalidSender(ValueError):
    """The From address (DEFAULT_FROM_EMAIL) cannot be used: a setting to fix."""

    def __init__(self, address, reason):
        super().__init__(f"The From address is not valid: {address!r} ({reason})")


def check_addresses(message):
    """Raise InvalidAddress or InvalidSender if ``message`` has an address that cannot be sent to.

    Django's SMTP backend raises a bare ValueError (or UnicodeError, for a
    domain that cannot be encoded) for these, like any other bug; checking
    first, with the same function it uses, tells them apart for certain.
    """
    encoding = message.encoding or settings.DEFAULT_CHARSET
    for address, problem in [
        (message.from_email, InvalidSender),
        *((recipient, InvalidAddress) for recipient in message.recipients()),
    ]:
        try:
            formatted = sanitize_address(address, encoding)
        except ValueError as exc:  # UnicodeError is a ValueError
            raise problem(address, exc) from None
        # Without a domain a relay may add its own and deliver to a local user.
        local, _, domain = parseaddr(formatted)[1].rpartition("@")
        if not local or not domain:
            raise problem(address, "no domain after the @")


def classify(exc):
    """Decide whether a sending error is an outage, permanent or worth retrying."""
    if isinstance(exc, InvalidAddress):
        return Failure(permanent=True, outage=False, error=str(exc))
    if isinstance(exc, InvalidSender):
        return Failure(permanent=False, outage=True, error=str(exc))
    if isinstance(exc, BadHeaderError):
        # Django refuses a header with a line break in it (header injection).
        error = f"A header of this email has a line break in it, so it cannot be sent: {exc}"
        return Failure(permanent=True, outage=False, error=error)
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return _recipients_refused(exc)
    if isinstance(
        exc,
        smtplib.SMTPConnectError
        | smtplib.SMTPHeloError
        | smtplib.SMTPAuthenticationError
        | smtplib.SMTPSenderRefused,
    ):
        # The relay refused us, not this message (wrong credentials, or a From
        # address it will not take): a problem to fix, never a reason to fail
        # a whole newsletter's deliveries.
        error = f"The mail server refused us: {_reply(exc.smtp_code, exc.smtp_error)}"
        return Failure(permanent=False, outage=True, error=error)
    if isinstance(exc, smtplib.SMTPResponseException):
        code = exc.smtp_code
        reply = _reply(code, exc.smtp_error)
        if code == SERVICE_CLOSING:
            return Failure(permanent=False, outage=True, error=f"The mail server closed: {reply}")
        if 500 <= code <= 599:
            error = f"The mail server refused this email: {reply}"
            return Failure(permanent=True, outage=False, error=error)
        return Failure(permanent=False, outage=False, error=f"The mail server said later: {reply}")
    if isinstance(exc, OSError):
        # SMTPServerDisconnected, refused connections, timeouts, TLS errors, and
        # any other SMTPException: the connection cannot be trusted any more.
        error = f"Cannot reach the mail server: {type(exc).__name__}: {exc}"
        return Failure(permanent=False, outage=True, error=error, dropped=True)
    # Anything else (a rendering bug) is retried a few times, so a fix deployed
    # within the hour still gets the message out.
    return Failure(permanent=False, outage=False, error=f"{type(exc).__name__}: {exc}")


def _recipients_refused(exc):
    replies = list(exc.recipients.values())
    codes = [code for code, _ in replies]
    text = "; ".join(_reply(code, message) for code, message in replies)
    if SERVICE_CLOSING in codes:
        return Failure(permanent=False, outage=True, error=f"The mail server closed: {text}")
    if not codes or not all(500 <= code <= 599 for code in codes):
        error = f"The mail server refused this address for now: {text}"
        return Failure(permanent=False, outage=False, error=error)
    if any(_bad_address(code, message) for code, message in replies):
        return Failure(permanent=True, outage=False, error=f"The address is not valid: {text}")
    error = f"The mail server refused this address: {text}"
    return Failure(permanent=True, outage=False, error=error)


def _bad_address(code, message):
    # 5.1.3 is the enhanced status code for "bad destination mailbox address syntax".
    return code in BAD_ADDRESS_CODES or _decode(message).startswith("5.1.3")


def _reply(code, message):
    return f"{code} {_decode(message)}"


def _decode(value):
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
