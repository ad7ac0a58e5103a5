"""Counting sign-ups per client, in a store every web process shares.

The default store is the database, which every instance already shares and
which needs no extra service. With REDIS_URL set, the shared Redis cache is
used instead (its INCR is atomic). Per-process memory would let each gunicorn
worker grant the limit again, so it is never used.
"""

import hashlib
import hmac

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from newsletter.models import RateLimitCounter


def hashed(value):
    """A keyed hash of ``value`` (such as an IP address), so it is never stored in clear."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()[:40]


def hit(scope, identifier, *, limit, window_seconds, now=None):
    """Count one hit for ``identifier``; return True while it is within ``limit`` per window."""
    now = now or timezone.now()
    window = int(now.timestamp() // window_seconds)
    key = f"{scope}:{hashed(identifier)}:{window}"
    if settings.RATE_LIMIT_STORE == "cache":
        count = _hit_cache(key, window_seconds)
    else:
        expires_at = timezone.datetime.fromtimestamp(
            (window + 1) * window_seconds, tz=timezone.get_current_timezone()
        )
        count = _hit_database(key, expires_at)
    return count <= limit


def _hit_cache(key, window_seconds):
    cache.add(key, 0, timeout=window_seconds)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window_seconds)
        return 1


def _hit_database(key, expires_at):
    # An UPDATE with F() is atomic; the INSERT races only once per window and
    # the loser of that race falls back to the UPDATE.
    with transaction.atomic():
        if not RateLimitCounter.objects.filter(key=key).update(count=F("count") + 1):
            try:
                with transaction.atomic():
                    RateLimitCounter.objects.create(key=key, count=1, expires_at=expires_at)
            except IntegrityError:
                RateLimitCounter.objects.filter(key=key).update(count=F("count") + 1)
        return RateLimitCounter.objects.filter(key=key).values_list("count", flat=True).get()


def client_ip(request):
    """The client's address, trusting X-Forwarded-For only as far as our own proxies.

    With TRUSTED_PROXY_COUNT = N, the address is the one the outermost of our N
    proxies saw: the N-th entry from the right. Entries further left were written
    by the client and could say anything, so they are never used.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < proxies:
        return remote
    return forwarded[-proxies]
