"""Keep the secrets that travel in web addresses out of every log line.

Confirm, unsubscribe and preview links carry a signed token in the path:
anyone reading the logs could otherwise confirm or unsubscribe the person it
belongs to, or read a draft. The same token also turns up as the Referer of
the CSS and images such a page loads. ``redact`` is the one place that knows
what a token looks like; ``RedactingFormatter`` applies it to whole formatted
log records (tracebacks included), and the project's logging settings and
gunicorn's loggers (medway_send.gunicorn_logging) all format through it.
"""

import logging
import re

TOKEN = "[token]"  # noqa: S105 (the placeholder written instead of a token)
# Paths whose next segment is a token: the newsletter links and shared previews.
_TOKEN_PATHS = re.compile(r"(/(?:newsletter/(?:confirm|unsubscribe|manage)|preview)/)[^/\s?#\"']+")
# Anything else that looks like django.core.signing output (value:signature, or
# value:timestamp:signature, URL-safe base64, the colons perhaps %-encoded), so a
# token route added later is covered too.
_SIGNED_VALUE = re.compile(
    r"[A-Za-z0-9_\-.]+(?::|%3[Aa])(?:[A-Za-z0-9_\-]+(?::|%3[Aa]))?[A-Za-z0-9_\-]{20,}"
)


def redact(text):
    """``text`` with every link token replaced by "[token]"."""
    text = _TOKEN_PATHS.sub(rf"\1{TOKEN}", text)
    return _SIGNED_VALUE.sub(TOKEN, text)


class RedactingFormatter(logging.Formatter):
    """A formatter whose output never contains a link token.

    Give it ``inner`` to redact what another formatter (gunicorn's own) writes.
    """

    def __init__(self, *args, inner=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.inner = inner

    def format(self, record):
        text = self.inner.format(record) if self.inner else super().format(record)
        return redact(text)
