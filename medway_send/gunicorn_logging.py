"""gunicorn's access log, without the secrets in newsletter links.

Confirm and unsubscribe links carry a signed token in the path: anyone reading
the logs could otherwise confirm or unsubscribe the person it belongs to.
"""

import re

from gunicorn.glogging import Logger

_TOKEN_IN_PATH = re.compile(r"(/newsletter/(?:confirm|unsubscribe)/)[^/\s?\"]+")


def redact(text):
    """``text`` with every newsletter link token replaced by "[token]"."""
    return _TOKEN_IN_PATH.sub(r"\1[token]", text)


class RedactingLogger(Logger):
    """The standard access logger, with tokens removed from every logged value."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {
            key: redact(value) if isinstance(value, str) else value for key, value in atoms.items()
        }
