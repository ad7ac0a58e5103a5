"""Keeping the worker within the mail relay's sending rate, and off it while it is down."""

import logging
import time

logger = logging.getLogger(__name__)


class Pacer:
    """Spaces out sends so this process sends at most ``rate`` messages a second.

    The limit is per worker process: two workers at rate 10 send up to 20 a
    second between them. A rate of 0 means no limit. Time spent idle is not
    saved up, so a quiet spell is never followed by a burst.
    """

    def __init__(self, rate, *, sleep=time.sleep, clock=time.monotonic):
        self.interval = 1.0 / rate if rate and rate > 0 else 0.0
        self._sleep = sleep
        self._clock = clock
        self._next = None

    def wait(self):
        """Sleep until the next message may go."""
        if not self.interval:
            return
        now = self._clock()
        if self._next is not None and self._next > now:
            self._sleep(self._next - now)
            now = self._next
        self._next = now + self.interval


class RelayBackoff:
    """Pauses all sending while the relay is down, for longer each time it is still down.

    The pause doubles from ``base`` seconds with each failure in a row, up to
    ``cap``, so a relay that is back is tried again within ``cap`` seconds. One
    message accepted resets it. Each pause is logged once, however many
    messages were waiting.
    """

    def __init__(self, *, base, cap, clock=time.monotonic):
        self.base = base
        self.cap = cap
        self.failures = 0
        self._clock = clock
        self._resume_at = None
        self._down_since = None
        self._dropped_with = None

    def paused_for(self):
        """Seconds before the relay may be tried again; 0 when it may be tried now."""
        if self._resume_at is None:
            return 0.0
        return max(0.0, self._resume_at - self._clock())

    def failed(self, error):
        """The relay failed (``error`` says how): pause; return the pause in seconds."""
        now = self._clock()
        if self._down_since is None:
            self._down_since = now
        pause = min(self.base * 2**self.failures, self.cap)
        self.failures += 1
        self._resume_at = now + pause
        logger.warning(
            "%s. Sending paused for %g s (failed tries in a row: %d, over %.0f s).",
            error,
            pause,
            self.failures,
            now - self._down_since,
        )
        return pause

    def succeeded(self):
        """The relay accepted a message: no more pausing."""
        if self.failures:
            logger.warning(
                "The mail server is taking email again after %.0f s; sending resumed.",
                self._clock() - self._down_since,
            )
        self.failures = 0
        self._resume_at = self._down_since = None

    def dropped_again(self, key):
        """Note that the connection dropped while sending message ``key``.

        True if it dropped while sending that same message last time too: then
        the message, not the relay, may be the cause, so it should count an attempt.
        """
        again = self._dropped_with == key
        self._dropped_with = key
        return again
