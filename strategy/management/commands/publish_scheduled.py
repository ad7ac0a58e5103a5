"""Publish scheduled content whose time has come. Safe to run from cron at any time.

    manage.py publish_scheduled

The email worker (make worker) also does this every minute; cron is only
needed where no worker runs.
"""

from django.core.management.base import BaseCommand

from strategy.publishing_jobs import publish_due


class Command(BaseCommand):
    help = "Publish every scheduled item whose publish time has passed."

    def handle(self, *args, **options):
        self.stdout.write(f"Published {publish_due()} scheduled items.")
