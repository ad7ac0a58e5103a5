"""Delete what the privacy notice says we no longer keep. Safe to run from cron at any time.

    manage.py purge_newsletter_data

Unconfirmed sign-ups go 7 days after our last email to them; unsubscribed
addresses (kept only so we never email them by mistake) after 12 months; sent
emails after 30 days; expired rate-limit counters straight away. The email
worker also runs this once an hour, so cron is only needed without a worker.
"""

from django.core.management.base import BaseCommand

from newsletter.services import purge


class Command(BaseCommand):
    help = "Delete unconfirmed sign-ups, old unsubscribes and old sent emails (privacy notice)."

    def handle(self, *args, **options):
        counts = purge()
        summary = ", ".join(f"{count} {kind}" for kind, count in counts.items())
        self.stdout.write(f"Deleted {summary}.")
