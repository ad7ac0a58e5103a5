"""Fifty people (or one person's fifty tabs) signing up one address at the same moment."""

import threading

import pytest
from django.db import close_old_connections, connection

from newsletter import services
from newsletter.models import ConsentEvent, OutboundEmail, Subscriber

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs real concurrency"),
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]


def test_fifty_concurrent_signups_make_one_subscriber_and_one_email():
    barrier = threading.Barrier(50)
    errors = []

    def sign_up(n):
        try:
            barrier.wait()
            # Different spellings of one address: the database must treat them as one.
            services.subscribe(
                email="Same.Person@Example.com" if n % 2 else "Same.Person@EXAMPLE.COM"
            )
        except Exception as exc:  # collected and reported below
            errors.append(repr(exc))
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=sign_up, args=(n,)) for n in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert Subscriber.objects.count() == 1
    assert OutboundEmail.objects.filter(kind="confirmation").count() == 1
    assert ConsentEvent.objects.filter(kind="signed_up").count() == 1
