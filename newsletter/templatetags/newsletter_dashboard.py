"""The newsletter panel on the admin home page: the list at a glance, for newsletter managers."""

import datetime

from django import template
from django.db.models import Count
from django.utils import timezone

from newsletter.models import MailboxMessage, ScheduledSend, Subscriber

register = template.Library()

RECENT_DAYS = 7


@register.inclusion_tag("admin/newsletter/dashboard.html", takes_context=True)
def newsletter_dashboard(context):
    """Subscribers by status, suppressed addresses, recent bounces, the next scheduled issue."""
    if not context["request"].user.has_perm("newsletter.view_subscriber"):
        return {"show": False}
    by_status = dict(Subscriber.objects.values_list("status").annotate(n=Count("pk")))
    since = timezone.now() - datetime.timedelta(days=RECENT_DAYS)
    reports = dict(
        MailboxMessage.objects.filter(received_at__gte=since)
        .values_list("outcome")
        .annotate(n=Count("pk"))
    )
    outcome = MailboxMessage.Outcome
    return {
        "show": True,
        "statuses": [
            (label, by_status.get(value, 0)) for value, label in Subscriber.Status.choices
        ],
        "suppressed": Subscriber.objects.filter(suppressed_at__isnull=False).count(),
        "recent_days": RECENT_DAYS,
        "recent": [
            ("Hard bounces", reports.get(outcome.HARD_BOUNCE, 0)),
            ("Soft bounces", reports.get(outcome.SOFT_BOUNCE, 0)),
            ("Spam complaints", reports.get(outcome.COMPLAINT, 0)),
            (
                "Messages left in the mailbox for a person to read",
                reports.get(outcome.UNMATCHED, 0) + reports.get(outcome.NOT_A_REPORT, 0),
            ),
        ],
        "next_send": ScheduledSend.objects.select_related("issue").order_by("send_at").first(),
    }
