"""The admin's read-only lists of what the worker sends and what came back.

Queue rows can be tried again when they failed; nothing else here is edited
by hand. Bounce and complaint reports are what the bounce mailbox job read
(newsletter.bounces); updates for subscribers are the changes and news posts
the website announced (newsletter.alerts).
"""

from django.contrib import admin
from django.utils import timezone

from newsletter.models import (
    ContentAlert,
    Delivery,
    MailboxMessage,
    OutboundEmail,
    SubscriberEmail,
)

QUEUE_FIELDS = [
    "status",
    "attempts",
    "next_attempt_at",
    "claimed_at",
    "sent_at",
    "last_error",
    "feedback",
    "feedback_at",
]


class QueuedMessageAdmin(admin.ModelAdmin):
    """Read-only rows of a mail queue, with a permission-checked "try again" action.

    Subclasses set ``retry_permission`` (sending again is a change, though the
    rows themselves are read-only) and ``noun`` for the message.
    """

    actions = ["retry_now"]
    retry_permission = ""
    noun = "messages"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_retry_permission(self, request):
        return request.user.has_perm(self.retry_permission)

    @admin.action(description="Try the selected failed ones again", permissions=["retry"])
    def retry_now(self, request, queryset):
        count = queryset.filter(status=OutboundEmail.Status.FAILED).update(
            status=OutboundEmail.Status.QUEUED, attempts=0, next_attempt_at=timezone.now()
        )
        self.message_user(request, f"{count} {self.noun} queued again.")


@admin.register(OutboundEmail)
class OutboundEmailAdmin(QueuedMessageAdmin):
    """What the worker has sent, is sending, or could not send."""

    list_display = ["kind", "to_email", "status", "attempts", "next_attempt_at", "sent_at"]
    list_filter = ["status", "kind"]
    search_fields = ["to_email", "subject"]
    readonly_fields = ["kind", "to_email", "subject", *QUEUE_FIELDS, "created_at"]
    fields = readonly_fields
    retry_permission = "newsletter.change_outboundemail"
    noun = "emails"


@admin.register(Delivery)
class DeliveryAdmin(QueuedMessageAdmin):
    """One row per issue and subscriber: who was sent what, and what went wrong."""

    list_display = ["issue", "recipient", "status", "attempts", "sent_at", "feedback", "last_error"]
    list_filter = ["status", "feedback", "issue"]
    search_fields = ["subscriber__email", "issue__subject"]
    list_select_related = ["issue", "subscriber"]
    readonly_fields = ["issue", "subscriber", *QUEUE_FIELDS]
    fields = readonly_fields
    retry_permission = "newsletter.change_newsletterissue"
    noun = "deliveries"

    @admin.display(description="recipient")
    def recipient(self, obj):
        return obj.subscriber.email if obj.subscriber else "(erased)"


@admin.register(SubscriberEmail)
class SubscriberEmailAdmin(QueuedMessageAdmin):
    """Updates as they happen, weekly summaries and import confirmations, one row per person."""

    list_display = ["kind", "recipient", "status", "attempts", "sent_at", "feedback"]
    list_filter = ["status", "kind", "feedback"]
    search_fields = ["subscriber__email"]
    list_select_related = ["subscriber", "alert"]
    readonly_fields = ["kind", "subscriber", "alert", "period_start", "period_end", *QUEUE_FIELDS]
    fields = readonly_fields
    retry_permission = "newsletter.change_subscriberemail"
    noun = "emails"

    @admin.display(description="recipient")
    def recipient(self, obj):
        return obj.subscriber.email


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(MailboxMessage)
class MailboxMessageAdmin(ReadOnlyAdmin):
    """What the bounce mailbox job read, and what it did about each message."""

    list_display = ["received_at", "outcome", "status_code", "subscriber", "issue", "moved_at"]
    list_filter = ["outcome", "received_at", "issue"]
    search_fields = ["subscriber__email", "message_id", "detail"]
    list_select_related = ["subscriber", "issue"]
    date_hierarchy = "received_at"
    fields = [
        "received_at",
        "outcome",
        "status_code",
        "detail",
        "reported_by",
        "subscriber",
        "issue",
        "message_ref",
        "message_id",
        "folder",
        "uid",
        "moved_at",
    ]
    readonly_fields = fields


@admin.register(ContentAlert)
class ContentAlertAdmin(ReadOnlyAdmin):
    """Changes and news posts the website announced, and who they were sent to."""

    list_display = ["title", "topic", "published_at", "state", "recipient_count"]
    list_filter = ["topic", "state"]
    search_fields = ["title"]
    fields = [
        "title",
        "topic",
        "text",
        "url",
        "published_at",
        "state",
        "released_at",
        "recipient_count",
    ]
    readonly_fields = fields
