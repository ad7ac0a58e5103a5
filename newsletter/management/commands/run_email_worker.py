"""Run the outbox worker: send queued emails until stopped.

Run one or more of these alongside the web servers (systemd, a container, or
several machines against one PostgreSQL database). SIGTERM or Ctrl-C lets the
message being sent finish, puts the rest of the batch back and exits; a second
Ctrl-C stops at once. While the relay is down the worker pauses (see
``newsletter.mailer``); a signal ends the pause at once too.
"""

import signal
import threading

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import import_string

from newsletter import jobs, mailer
from newsletter.mailer import run_worker


class Command(BaseCommand):
    help = "Send emails from the outbox, retrying temporary failures, until stopped."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="send whatever is due, then exit")
        parser.add_argument(
            "--batch-size", type=int, default=None, help="rows claimed at a time (EMAIL_BATCH_SIZE)"
        )
        parser.add_argument(
            "--rate",
            type=float,
            default=None,
            help="messages per second from this process, 0 for no limit (EMAIL_RATE_LIMIT)",
        )
        parser.add_argument(
            "--claim-timeout",
            type=float,
            default=None,
            help="seconds before a row left 'sending' is re-queued (EMAIL_CLAIM_TIMEOUT_SECONDS)",
        )

    def handle(self, *args, once, batch_size, rate, claim_timeout, **options):
        if batch_size is not None and batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        if rate is not None and rate < 0:
            raise CommandError("--rate must be 0 (no limit) or more.")
        if claim_timeout is not None and claim_timeout <= 0:
            raise CommandError("--claim-timeout must be more than 0.")
        self.stdout.write(f"Sending through {describe_backend()}.")
        # The worker also keeps the privacy notice's promises on retention, reads
        # the bounce mailbox, sends scheduled issues, updates and weekly summaries
        # (newsletter.jobs), and runs the other apps' periodic jobs named in
        # settings (scheduled publishing).
        for job in [*jobs.NEWSLETTER_JOBS, *map(import_string, settings.WORKER_PERIODIC_JOBS)]:
            if job not in mailer.PERIODIC_JOBS:
                mailer.PERIODIC_JOBS.append(job)
        stop = threading.Event()
        previous = self._handle_signals(stop)
        try:
            handled = run_worker(
                once=once,
                batch_size=batch_size,
                rate=rate,
                claim_timeout=claim_timeout,
                stop_event=stop,
            )
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)
        self.stdout.write(f"Stopped after handling {handled} messages.")

    def _handle_signals(self, stop):
        """Turn SIGTERM and SIGINT into a graceful stop; return the handlers replaced."""
        if threading.current_thread() is not threading.main_thread():
            return {}  # only the main thread may set handlers (e.g. call_command in a test)
        previous = {}

        def on_signal(signum, frame):
            stop.set()
            # A second signal gets the default behaviour: stop now.
            for number, handler in previous.items():
                signal.signal(number, handler)

        for signum in (signal.SIGTERM, signal.SIGINT):
            previous[signum] = signal.signal(signum, on_signal)
        return previous


def describe_backend():
    """One line saying where email goes, for the operator starting the worker."""
    backend = settings.EMAIL_BACKEND
    if backend.endswith("smtp.EmailBackend"):
        security = (
            "SSL" if settings.EMAIL_USE_SSL else "STARTTLS" if settings.EMAIL_USE_TLS else "no TLS"
        )
        return f"SMTP {settings.EMAIL_HOST}:{settings.EMAIL_PORT} ({security})"
    if backend.endswith(("filebased.EmailBackend", "EmlFileBackend")):
        return f"files in {settings.EMAIL_FILE_PATH}"
    return backend
