"""Jobs the email worker runs in the background between batches."""

import logging
import time

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
