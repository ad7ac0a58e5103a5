"""The admin for newsletter managers: issues and the outbox (subscribers: subscriber_admin).

Issues keep a history (who changed what, compare, restore, recover). Subscribers,
their consent records and the outbox never do: they are personal data or queue
rows, and erasing a person must leave no copy of them in a version table.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.views.decorators.clickjacking import xframe_options_sameorigin

from medway_send import admin_history
from medway_send.admin_history import HistoryAdmin
from newsletter import (
    services,
    subscriber_admin,  # noqa: F401 (registers the pages about people)
)
from newsletter.admin_forms import NewsletterIssueForm
from newsletter.emails import issue_content
from newsletter.models import Delivery, NewsletterIssue, OutboundEmail, Subscriber

admin_history.register(NewsletterIssue)


@admin.register(NewsletterIssue)
class NewsletterIssueAdmin(HistoryAdmin):
    list_display = ["subject", "status", "recipient_count", "send_started_at", "updated_at"]
    list_filter = ["status"]
    search_fields = ["subject", "body"]
    form = NewsletterIssueForm
    fields = ["subject", "body"]
    change_form_template = "admin/newsletter/newsletterissue/change_form.html"

    def get_readonly_fields(self, request, obj=None):
        # Once sent, an issue is a record of what people were sent.
        return ["subject", "body"] if obj and not obj.can_be_sent else []

    def has_delete_permission(self, request, obj=None):
        return (obj is None or obj.can_be_sent) and super().has_delete_permission(request, obj)

    def restore_refused(self, obj):
        # Restoring would make a sent issue a draft again, which could be sent twice.
        if not obj.can_be_sent:
            return (
                "This issue has been sent, so it is a record of what people received. "
                "It cannot be changed back."
            )
        return None

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/preview/", view(self.preview_view), name="newsletter_issue_preview"),
            path(
                "<int:pk>/preview/email.html",
                view(self.preview_html_view),
                name="newsletter_issue_preview_html",
            ),
            path("<int:pk>/send-test/", view(self.send_test_view), name="newsletter_issue_test"),
            path("<int:pk>/send/", view(self.send_view), name="newsletter_issue_send"),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        issue = self.get_object(request, object_id)
        if issue is not None:
            extra_context = {**(extra_context or {}), "progress": issue.progress()}
        return super().change_view(request, object_id, form_url, extra_context)

    def _issue(self, request, pk):
        issue = get_object_or_404(NewsletterIssue, pk=pk)
        if not self.has_view_permission(request, issue):
            raise PermissionDenied
        return issue

    def preview_view(self, request, pk):
        issue = self._issue(request, pk)
        content = issue_content(issue)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Preview: {issue.subject}",
            "issue": issue,
            "content": content,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/newsletter/newsletterissue/preview.html", context)

    @xframe_options_sameorigin
    def preview_html_view(self, request, pk):
        # The email's own HTML, exactly as sent; its inline styles are allowed
        # here only, and scripts nowhere.
        html = issue_content(self._issue(request, pk))["html"]
        response = HttpResponse(html)
        response["Content-Security-Policy"] = (
            "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; "
            "frame-ancestors 'self'"
        )
        return response

    def send_test_view(self, request, pk):
        issue = self._issue(request, pk)
        if not self.has_change_permission(request, issue):
            raise PermissionDenied
        if request.method != "POST":
            context = {
                **self.admin_site.each_context(request),
                "title": "Send a test copy to yourself",
                "issue": issue,
                "opts": self.model._meta,
            }
            return TemplateResponse(
                request, "admin/newsletter/newsletterissue/send_test.html", context
            )
        if not request.user.email:
            self.message_user(
                request, "Add an email address to your account first.", messages.ERROR
            )
        else:
            services.send_test(issue=issue, to=request.user.email)
            self.message_user(request, f"A test copy is on its way to {request.user.email}.")
        return redirect("admin:newsletter_newsletterissue_change", issue.pk)

    def send_view(self, request, pk):
        issue = self._issue(request, pk)
        if not self.has_change_permission(request, issue):
            return HttpResponse(status=403)
        if request.method == "POST":
            try:
                count = services.send_issue(issue_id=issue.pk, user=request.user)
            except services.AlreadySent:
                self.message_user(request, "This issue has already been sent.", messages.ERROR)
            else:
                self.message_user(request, f"Sending “{issue.subject}” to {count} people.")
            return redirect("admin:newsletter_newsletterissue_change", issue.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": "Send this issue to everyone?",
            "issue": issue,
            "recipient_count": Subscriber.objects.confirmed().count(),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/newsletter/newsletterissue/send.html", context)


QUEUE_FIELDS = ["status", "attempts", "next_attempt_at", "claimed_at", "sent_at", "last_error"]


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

    list_display = ["issue", "recipient", "status", "attempts", "sent_at", "last_error"]
    list_filter = ["status", "issue"]
    search_fields = ["subscriber__email", "issue__subject"]
    list_select_related = ["issue", "subscriber"]
    readonly_fields = ["issue", "subscriber", *QUEUE_FIELDS]
    fields = readonly_fields
    retry_permission = "newsletter.change_newsletterissue"
    noun = "deliveries"

    @admin.display(description="recipient")
    def recipient(self, obj):
        return obj.subscriber.email if obj.subscriber else "(erased)"
