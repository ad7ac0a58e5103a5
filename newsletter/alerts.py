"""Emails about changes and news on the website, for the people who chose them.

Strategy announces a major change to an action or ambition, or a published
news post, through the signals in ``strategy.public``; ``record_change`` and
``record_news`` (connected in ``NewsletterConfig.ready``) write one
ContentAlert for it, in the same transaction as the change itself. The worker's
``release_due_alerts`` then sends each alert whose time has come, once:

- a news post with a date in the future waits until that date;
- before release the website is asked whether the thing is still public
  (``strategy.public.is_public``): a post taken down, or a change note on an
  item that is still a draft, waits, and is dropped if it is not public
  within WITHDRAW_AFTER_DAYS;
- release writes one SubscriberEmail for each person who wants that kind of
  update as it happens (unique per alert and person), and marks the alert
  released: its ``released_at`` puts it in that week's summary for the people
  who want it weekly (``newsletter.digests``).

A second announcement of the same thing (a news post saved again) updates an
alert that is still waiting and is ignored once it has been released.
"""

import datetime
import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from newsletter.models import ContentAlert, Frequency, Subscriber, SubscriberEmail, Topic
from strategy.public import is_public

logger = logging.getLogger(__name__)

WITHDRAW_AFTER_DAYS = 30


def _record(*, key, topic, title, url, text, published_at):
    fields = {
        "topic": topic,
        "title": title[:300],
        "url": url[:500],
        "text": text,
        "published_at": published_at,
    }
    waiting = ContentAlert.objects.filter(key=key, state=ContentAlert.State.WAITING)
    if waiting.update(**fields) or ContentAlert.objects.filter(key=key).exists():
        return
    try:
        with transaction.atomic():
            ContentAlert.objects.create(key=key, **fields)
    except IntegrityError:
        pass  # announced twice at the same moment: the first one stands


def record_change(sender, *, key, title, url, note, published_at, **kwargs):
    """Receiver for ``strategy.public.major_change_published``."""
    _record(
        key=key, topic=Topic.PROGRESS, title=title, url=url, text=note, published_at=published_at
    )


def record_news(sender, *, key, title, url, summary, published_at, **kwargs):
    """Receiver for ``strategy.public.news_published``."""
    _record(
        key=key, topic=Topic.NEWS, title=title, url=url, text=summary, published_at=published_at
    )


@transaction.atomic
def release(*, alert_id, now=None):
    """Queue one alert for everyone who wants it as it happens; return how many (None: not now)."""
    now = now or timezone.now()
    alert = (
        ContentAlert.objects.select_for_update()
        .filter(pk=alert_id, state=ContentAlert.State.WAITING, published_at__lte=now)
        .first()
    )
    if alert is None:
        return None
    if not is_public(alert.key):
        if alert.published_at < now - datetime.timedelta(days=WITHDRAW_AFTER_DAYS):
            alert.state = ContentAlert.State.WITHDRAWN
            alert.save(update_fields=["state"])
            logger.info("Update %s dropped: not on the website", alert.key)
        return None
    people = Subscriber.objects.wanting(alert.topic, Frequency.IMMEDIATELY)
    ids = list(people.values_list("pk", flat=True))
    SubscriberEmail.objects.bulk_create(
        (
            SubscriberEmail(kind=SubscriberEmail.Kind.ALERT, alert=alert, subscriber_id=pk)
            for pk in ids
        ),
        batch_size=1000,
        ignore_conflicts=True,
    )
    alert.state = ContentAlert.State.RELEASED
    alert.released_at = now
    alert.recipient_count = len(ids)
    alert.save(update_fields=["state", "released_at", "recipient_count"])
    return len(ids)


def release_due_alerts(now=None):
    """Worker job: release every waiting alert whose time has come; return how many went."""
    now = now or timezone.now()
    due = ContentAlert.objects.filter(state=ContentAlert.State.WAITING, published_at__lte=now)
    released = 0
    for alert_id in due.order_by("published_at", "pk").values_list("pk", flat=True):
        if release(alert_id=alert_id, now=now) is not None:
            released += 1
    if released:
        logger.info("Released %d updates to subscribers", released)
    return released
