"""Jobs the email worker runs in the background between batches.

Each is a plain function the worker calls about once a minute; one that must
not run that often keeps its own interval (purge hourly, the bounce mailbox
every BOUNCE_IMAP_INTERVAL_SECONDS). The others are cheap when there is
nothing to do. ``NEWSLETTER_JOBS`` lists them in the order they should run.
"""

import logging
import time

from newsletter.alerts import release_due_alerts
from newsletter.bounces.mailbox import read_bounce_mailbox_if_due
from newsletter.digests import build_due_digests
from newsletter.importing import run_queued_imports
from newsletter.scheduling import send_scheduled_issues
from newsletter.services import purge

logger = logging.getLogger(__name__)

PURGE_INTERVAL_SECONDS = 3600
_last_purge = None


def purge_if_due(clock=time.monotonic):
    """Run the privacy purge at most once an hour in this worker process."""
    global _last_purge
    if _last_purge is not None and clock() - _last_purge < PURGE_INTERVAL_SECONDS:
        return
    _last_purge = clock()
    counts = purge()
    if any(counts.values()):
        logger.info("Purged newsletter data: %s", counts)


# Scheduled issues go before the summaries, so an issue due just before a
# week ends is in that week's summary; updates are released before it too.
NEWSLETTER_JOBS = [
    purge_if_due,
    run_queued_imports,
    read_bounce_mailbox_if_due,
    send_scheduled_issues,
    release_due_alerts,
    build_due_digests,
]
