"""Run the newsletter's background jobs once. For cron, where no email worker runs them.

    manage.py run_newsletter_jobs

Imports the subscriber files a manager asked to import, reads the bounce
mailbox (if BOUNCE_IMAP_HOST is set), sends scheduled
issues whose time has come, releases updates about changes and news posts,
builds the weekly summaries of a finished week and purges old data. The email
worker runs all of these by itself about once a minute; the emails they queue
are sent by the worker (or ``run_email_worker --once``).
"""

from django.core.management.base import BaseCommand

from newsletter.alerts import release_due_alerts
from newsletter.bounces.mailbox import enabled as bounces_enabled
from newsletter.bounces.mailbox import process_mailbox
from newsletter.digests import build_due_digests
from newsletter.importing import run_queued_imports
from newsletter.scheduling import send_scheduled_issues
from newsletter.services import purge


class Command(BaseCommand):
    help = "Import, read bounces, send scheduled issues, updates and summaries, purge old data."

    def handle(self, *args, **options):
        self.stdout.write(f"Imports done: {run_queued_imports()}.")
        if bounces_enabled():
            self.stdout.write(f"Bounce mailbox: {process_mailbox() or 'nothing new'}.")
        self.stdout.write(f"Scheduled issues sent: {send_scheduled_issues()}.")
        self.stdout.write(f"Updates released: {release_due_alerts()}.")
        self.stdout.write(f"Weekly summaries queued: {build_due_digests()}.")
        counts = purge()
        self.stdout.write("Purged: " + ", ".join(f"{n} {kind}" for kind, n in counts.items()))
