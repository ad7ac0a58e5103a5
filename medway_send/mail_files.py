"""An email backend for development: each message is an .eml file a mail program opens.

Django's own file backend appends every message of a connection to one .log
file with dashed separators, which no mail client can read. Here each message
is written whole to its own file, named by time and a random suffix so two
workers never write to the same file.
"""

import secrets
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone


class EmlFileBackend(BaseEmailBackend):
    """Write each message to ``EMAIL_FILE_PATH/<time>-<random>.eml``."""

    def __init__(self, *args, file_path=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.file_path = Path(file_path or settings.EMAIL_FILE_PATH).resolve()
        try:
            self.file_path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ImproperlyConfigured(
                f"Could not create the folder for email files, {self.file_path}: {exc}"
            ) from exc

    def send_messages(self, email_messages):
        """Write each message with a recipient; return how many were written."""
        written = 0
        for message in email_messages:
            if not message.recipients():
                continue
            stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
            path = self.file_path / f"{stamp}-{secrets.token_hex(4)}.eml"
            # "x": never overwrite, even in the unlikely event of a clash.
            with path.open("xb") as handle:
                handle.write(message.message().as_bytes(linesep="\r\n"))
            written += 1
        return written
