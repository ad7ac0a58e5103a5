"""The admin for newsletter managers: subscribers, issues, and the outbox.

Issues keep a history (who changed what, compare, restore, recover). Subscribers,
their consent records and the outbox never do: they are personal data or queue
rows, and erasing a person must leave no copy of them in a version table.
"""

import csv

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.clickjacking import xframe_options_sameorigin

from medway_send import admin_history
from medway_send.admin_history import HistoryAdmin
from medway_send.spreadsheets import csv_safe
from newsletter import services
from newsletter.admin_forms import NewsletterIssueForm
from newsletter.emails import issue_content
from newsletter.models import ConsentEvent, Delivery, NewsletterIssue, OutboundEmail, Subscriber

EXPORT_FIELDS = [
    "email",
    "status",
    "signed_up_at",
    "signup_page",
    "signup_wording_version",
    "privacy_notice_version",
    "confirmed_at",
    "unsubscribed_at",
]


class ConsentEventInline(admin.TabularInline):
    model = ConsentEvent
    extra = 0
    can_delete = False
    fields = ["kind", "at", "signup_page", "signup_wording_version", "privacy_notice_version"]
    readonly_fields = fields
    verbose_name_plural = "consent record"

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    list_display = ["email", "status", "signed_up_at", "confirmed_at", "unsubscribed_at"]
    list_filter = ["status", "signed_up_at"]
    search_fields = ["email"]
    date_hierarchy = "signed_up_at"
    readonly_fields = [
        "email",
        "status",
        "signed_up_at",
        "signup_page",
        "signup_wording_version",
        "privacy_notice_version",
        "confirmed_at",
        "unsubscribed_at",
    ]
    fields = readonly_fields
    inlines = [ConsentEventInline]
    actions = ["export_csv", "erase_completely"]

    def has_add_permission(self, request):
        # People sign themselves up, so there is always a consent record.
        return False

    def changelist_view(self, request, extra_context=None):
        counts = dict(Subscriber.objects.values_list("status").annotate(n=Count("pk")))
        extra_context = {
            **(extra_context or {}),
            "status_counts": [
                (label, counts.get(value, 0)) for value, label in Subscriber.Status.choices
            ],
            "export_url": reverse("admin:newsletter_subscriber_export"),
        }
        return super().changelist_view(request, extra_context)

    def get_urls(self):
        export = self.admin_site.admin_view(self.export_all_view)
        return [
            path("export.csv", export, name="newsletter_subscriber_export"),
            *super().get_urls(),
        ]

    def export_all_view(self, request):
        if not self.has_view_permission(request):
            return HttpResponse(status=403)
        return self._csv(Subscriber.objects.order_by("signed_up_at"))

    @admin.action(description="Download selected subscribers as CSV")
    def export_csv(self, request, queryset):
        return self._csv(queryset)

    def _csv(self, queryset):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        stamp = timezone.localtime().strftime("%Y-%m-%d")
        response["Content-Disposition"] = f'attachment; filename="subscribers-{stamp}.csv"'
        writer = csv.writer(response)
        writer.writerow(EXPORT_FIELDS)
        for row in queryset.values_list(*EXPORT_FIELDS):
            writer.writerow([csv_safe(value) for value in row])
        return response

    @admin.action(description="Erase selected people completely", permissions=["delete"])
    def erase_completely(self, request, queryset):
        count = 0
        for subscriber in queryset:
            services.erase(subscriber=subscriber)
            count += 1
        self.message_user(request, f"Erased {count} people and every email queued to them.")

    def delete_model(self, request, obj):
        services.erase(subscriber=obj)

    def delete_queryset(self, request, queryset):
        for subscriber in queryset:
            services.erase(subscriber=subscriber)


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
