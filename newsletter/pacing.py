"""Keeping the worker within the mail relay's sending rate."""

import time


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
