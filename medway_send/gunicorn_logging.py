"""gunicorn's access and error logs, formatted without the tokens in link paths."""

from gunicorn.glogging import Logger

from medway_send.redaction import RedactingFormatter


class RedactingLogger(Logger):
    """gunicorn's standard logger, with every handler's output redacted.

    Redacting the formatted line, rather than chosen fields, covers the request
    line, the path, the query string and the Referer alike.
    """

    def setup(self, cfg):
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                if not isinstance(handler.formatter, RedactingFormatter):
                    handler.setFormatter(RedactingFormatter(inner=handler.formatter))
