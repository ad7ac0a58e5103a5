"""What each subscriber chooses to get, changed from the "manage your subscription" page.

The page is reached from a signed link in every email: no accounts, no
passwords. Only its POST changes anything, so a mail scanner opening the link
changes nothing.
"""

from django.db import transaction
from django.utils import timezone

from newsletter import suppression
from newsletter.models import ConsentEvent, Frequency, Subscriber, Topic
from newsletter.models.subscribers import frequency_field
from newsletter.services import count_against_issue
from newsletter.tokens import read_manage_token


def subscriber_for_manage(token):
    """(subscriber or None, issue id or None) for a manage link; LinkInvalid if tampered with."""
    public_id, issue_id = read_manage_token(token)
    return Subscriber.objects.filter(public_id=public_id).first(), issue_id


def current_choices(subscriber):
    """{topic: frequency} as the person has them now."""
    return {topic: subscriber.frequency(topic) for topic in Topic.values}


@transaction.atomic
def update_choices(*, token, choices, now=None):
    """Save what the link's subscriber wants ({topic: frequency}); return the subscriber.

    Saving from one of our emails also shows the mailbox is theirs and works,
    so an address suppressed for bouncing gets email again. Turning newsletters
    off from a newsletter issue's link counts against that issue.
    Raises LinkInvalid for a tampered link; returns None if the person is gone
    or has unsubscribed (they sign up again to come back).
    """
    now = now or timezone.now()
    public_id, issue_id = read_manage_token(token)
    subscriber = Subscriber.objects.select_for_update().filter(public_id=public_id).first()
    if subscriber is None or subscriber.status == Subscriber.Status.UNSUBSCRIBED:
        return None
    before = current_choices(subscriber)
    changed = [topic for topic in Topic.values if choices[topic] != before[topic]]
    for topic in changed:
        setattr(subscriber, frequency_field(topic), choices[topic])
    if changed:
        subscriber.save(update_fields=[frequency_field(topic) for topic in changed])
        ConsentEvent.objects.create(
            subscriber=subscriber,
            kind=ConsentEvent.Kind.CHOICES_CHANGED,
            at=now,
            note=subscriber.choices_summary(),
        )
        if before[Topic.ISSUES] != Frequency.OFF and choices[Topic.ISSUES] == Frequency.OFF:
            count_against_issue(issue_id, "opted_out_count")
    if subscriber.is_suppressed:
        suppression.lift(subscriber=subscriber)
    return subscriber
