"""Weekly summaries: one email a week, for each person who chose one, never two.

A week runs from Monday 00:00 to the next Monday 00:00, UK time. Once a week
is over, ``build_due_digests`` (a worker job) writes one SubscriberEmail of
kind "digest" for each person who wants something weekly that the week had:

- the newsletter issues sent that week (``send_started_at``), unless the
  person was already sent that issue as it happened;
- the changes and news posts released that week (``ContentAlert.released_at``;
  see ``newsletter.alerts``), for the kinds they chose weekly.

The database allows one summary per person and week, and building goes in
chunks, each its own transaction, skipping rows already written; so a worker
killed halfway builds the rest on the next run and nobody gets two. A
DigestRun notes each week once it is fully built. The email itself is written
when it is sent, for the choices the person has then; if nothing in the week
is still for them, it is not sent.
"""

import datetime
import functools
import logging

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from newsletter.models import (
    ContentAlert,
    Delivery,
    DigestRun,
    Frequency,
    NewsletterIssue,
    Subscriber,
    SubscriberEmail,
    Topic,
)
from newsletter.models.subscribers import frequency_field

logger = logging.getLogger(__name__)

BUILD_CHUNK = 1000
# After a long outage, weeks older than this are not summarised any more.
MAX_WEEKS_BEHIND = 4
WEEK = datetime.timedelta(days=7)


def week_containing(moment):
    """(start, end) of the Monday-to-Monday week, UK time, that ``moment`` is in."""
    local = timezone.localtime(moment)
    monday = local.date() - datetime.timedelta(days=local.weekday())
    start = timezone.make_aware(datetime.datetime.combine(monday, datetime.time.min))
    end = timezone.make_aware(datetime.datetime.combine(monday + WEEK, datetime.time.min))
    return start, end


def week_items(start, end):
    """Everything that happened in the week, by topic."""
    alerts = ContentAlert.objects.filter(
        state=ContentAlert.State.RELEASED, released_at__gte=start, released_at__lt=end
    ).order_by("released_at", "pk")
    return {
        Topic.ISSUES: list(
            NewsletterIssue.objects.filter(
                send_started_at__gte=start, send_started_at__lt=end
            ).order_by("send_started_at", "pk")
        ),
        Topic.PROGRESS: [alert for alert in alerts if alert.topic == Topic.PROGRESS],
        Topic.NEWS: [alert for alert in alerts if alert.topic == Topic.NEWS],
    }


@functools.lru_cache(maxsize=8)
def _built_week_items(start, end, run):
    return week_items(start, end)


def items_of_built_week(start, end):
    """``week_items``, fetched once per worker for a week whose summaries are all built.

    What such a week holds no longer changes: later updates and issues belong
    to later weeks, and a released update is never edited. So ten thousand
    summaries of it need one look at the database, not ten thousand. The key
    is the run itself (its id, and when it started and finished), so a run made
    again (a database restored from a backup, or a test) is never served old items.
    """
    run = (
        DigestRun.objects.filter(period_start=start, finished_at__isnull=False)
        .values_list("pk", "started_at", "finished_at")
        .first()
    )
    if run is None:
        return week_items(start, end)
    return _built_week_items(start, end, run)


def digest_items(subscriber, start, end):
    """What goes in ``subscriber``'s summary of the week, by topic (empty lists if nothing)."""
    items = items_of_built_week(start, end)
    chosen = {
        topic: (items[topic] if subscriber.frequency(topic) == Frequency.WEEKLY else [])
        for topic in Topic.values
    }
    if chosen[Topic.ISSUES]:
        already = set(
            Delivery.objects.filter(
                subscriber=subscriber, status=Delivery.Status.SENT, issue__in=chosen[Topic.ISSUES]
            ).values_list("issue_id", flat=True)
        )
        chosen[Topic.ISSUES] = [issue for issue in chosen[Topic.ISSUES] if issue.pk not in already]
    return chosen


def build(*, period_start, period_end, now=None, chunk=BUILD_CHUNK):
    """Queue the week's summaries (once; safe to run again after a crash); return how many."""
    now = now or timezone.now()
    run, _ = DigestRun.objects.get_or_create(
        period_start=period_start, defaults={"period_end": period_end}
    )
    if run.finished_at is not None:
        return run.digest_count
    items = week_items(period_start, period_end)
    topics = [topic for topic in Topic.values if items[topic]]
    people = Subscriber.objects.none()
    if topics:
        wants_weekly = Q()
        for topic in topics:
            wants_weekly |= Q(**{frequency_field(topic): Frequency.WEEKLY})
        people = Subscriber.objects.sendable().filter(wants_weekly)
    last_pk = 0
    while ids := list(
        people.filter(pk__gt=last_pk).order_by("pk").values_list("pk", flat=True)[:chunk]
    ):
        with transaction.atomic():
            SubscriberEmail.objects.bulk_create(
                (
                    SubscriberEmail(
                        kind=SubscriberEmail.Kind.DIGEST,
                        subscriber_id=pk,
                        period_start=period_start,
                        period_end=period_end,
                    )
                    for pk in ids
                ),
                ignore_conflicts=True,
            )
        last_pk = ids[-1]
    run.digest_count = SubscriberEmail.objects.filter(
        kind=SubscriberEmail.Kind.DIGEST, period_start=period_start
    ).count()
    run.finished_at = now
    run.save(update_fields=["digest_count", "finished_at"])
    if run.digest_count:
        logger.info("Weekly summaries for %s: %d queued", run, run.digest_count)
    return run.digest_count


def weeks_due(now):
    """The finished weeks whose summaries are not built yet, oldest first."""
    this_week, _ = week_containing(now)
    latest = week_containing(this_week - datetime.timedelta(seconds=1))
    last_run = DigestRun.objects.order_by("-period_start").first()
    if last_run is None:
        return [latest]
    start = last_run.period_start if last_run.finished_at is None else last_run.period_end
    start = max(start, latest[0] - WEEK * (MAX_WEEKS_BEHIND - 1))
    weeks = []
    while start <= latest[0]:
        weeks.append(week_containing(start))
        start = weeks[-1][1]
    return weeks


def build_due_digests(now=None):
    """Worker job: build the summaries of every finished week not built yet; return how many."""
    now = now or timezone.now()
    return sum(build(period_start=start, period_end=end, now=now) for start, end in weeks_due(now))
