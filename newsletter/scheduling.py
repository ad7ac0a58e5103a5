"""Sending a newsletter issue at a time chosen in advance.

A newsletter manager schedules an issue for a date and time; the worker's
``send_scheduled_issues`` sends it once that time has come, through the same
``services.send_issue`` as the "Send" button, so it can only ever be sent once
(and sending it by hand first simply drops the schedule). Every schedule,
cancellation and scheduled send is recorded in the issue's history.
"""

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from medway_send.versioning import save_revision_now
from newsletter import services
from newsletter.models import NewsletterIssue, ScheduledSend

logger = logging.getLogger(__name__)


def when(moment):
    """A date and time as the admin shows it: "3 December 2026, 09:00"."""
    return date_format(timezone.localtime(moment), "j F Y, H:i")


@transaction.atomic
def schedule(*, issue_id, send_at, user, now=None):
    """Schedule (or move) the sending of a draft issue; raise AlreadySent if it has gone."""
    issue = NewsletterIssue.objects.select_for_update().get(pk=issue_id)
    if not issue.can_be_sent:
        raise services.AlreadySent
    ScheduledSend.objects.update_or_create(
        issue=issue, defaults={"send_at": send_at, "scheduled_by": user}
    )
    save_revision_now([issue], user=user, comment=f"Scheduled to send on {when(send_at)}.")


@transaction.atomic
def cancel(*, issue_id, user):
    """Stop a scheduled issue going out; return True if there was a schedule to cancel."""
    issue = NewsletterIssue.objects.select_for_update().get(pk=issue_id)
    deleted, _ = ScheduledSend.objects.filter(issue=issue).delete()
    if deleted:
        save_revision_now([issue], user=user, comment="Schedule cancelled: it will not be sent.")
    return bool(deleted)


def send_now(*, issue_id, user, comment):
    """``services.send_issue``, with the send recorded in the issue's history."""
    with transaction.atomic():
        count = services.send_issue(issue_id=issue_id, user=user)
        ScheduledSend.objects.filter(issue_id=issue_id).delete()
        issue = NewsletterIssue.objects.get(pk=issue_id)
        people = "1 person" if count == 1 else f"{count} people"
        save_revision_now([issue], user=user, comment=comment.format(people=people))
    return count


def send_scheduled_issues(now=None):
    """Worker job: send every issue whose scheduled time has come; return how many."""
    now = now or timezone.now()
    sent = 0
    due = ScheduledSend.objects.filter(send_at__lte=now).select_related("scheduled_by")
    for scheduled in due:
        try:
            send_now(
                issue_id=scheduled.issue_id,
                user=scheduled.scheduled_by,
                comment="Sent at its scheduled time to {people}.",
            )
        except services.AlreadySent:
            ScheduledSend.objects.filter(pk=scheduled.pk).delete()
            continue
        sent += 1
        logger.info("Sent scheduled newsletter issue %s", scheduled.issue_id)
    return sent
