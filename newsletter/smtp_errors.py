"""Telling SMTP errors that are worth retrying from those that never will succeed."""

import smtplib
from dataclasses import dataclass


@dataclass(frozen=True)
class Failure:
    """How to treat one sending error."""

    permanent: bool
    connection_lost: bool
    error: str


# "Service not available, closing channel": smtplib hangs up after it.
SERVICE_CLOSING = 421


def classify(exc):
    """Decide whether a sending error is worth retrying, and whether the connection is dead."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in exc.recipients.values()]
        text = "; ".join(f"{code} {_decode(msg)}" for code, msg in exc.recipients.values())
        permanent = bool(codes) and all(500 <= code <= 599 for code in codes)
        lost = SERVICE_CLOSING in codes
        return Failure(permanent=permanent, connection_lost=lost, error=f"Refused: {text}")
    if isinstance(
        exc,
        smtplib.SMTPConnectError
        | smtplib.SMTPHeloError
        | smtplib.SMTPAuthenticationError
        | smtplib.SMTPSenderRefused,
    ):
        # The relay refused us, not this message (wrong credentials, or a From
        # address it will not take): a configuration problem to fix and retry,
        # never a reason to fail a whole newsletter's deliveries at once.
        error = f"{type(exc).__name__}: {exc.smtp_code} {_decode(exc.smtp_error)}"
        return Failure(permanent=False, connection_lost=True, error=error)
    if isinstance(exc, smtplib.SMTPResponseException):
        # 5xx: the relay will never take this message; 4xx and anything odd: try again.
        code = exc.smtp_code
        error = f"{type(exc).__name__}: {code} {_decode(exc.smtp_error)}"
        lost = code == SERVICE_CLOSING
        return Failure(permanent=500 <= code <= 599, connection_lost=lost, error=error)
    if isinstance(exc, OSError):
        # SMTPServerDisconnected, refused connections, timeouts, TLS errors, and
        # any other SMTPException: the connection cannot be trusted any more.
        return Failure(permanent=False, connection_lost=True, error=f"{type(exc).__name__}: {exc}")
    # Anything else (a bad header, a rendering bug) is retried a few times, so a
    # fix deployed within the hour still gets the message out.
    return Failure(permanent=False, connection_lost=False, error=f"{type(exc).__name__}: {exc}")


def _decode(value):
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
