"""The admin for newsletter managers: issues (people: subscriber_admin; queues: queue_admin).

Issues keep a history (who changed what, compare, restore, recover), and
sending, scheduling and cancelling a schedule are recorded in it too.
Subscribers, their consent records and the outbox never do: they are personal
data or queue rows, and erasing a person must leave no copy of them in a
version table.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import widgets
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
    queue_admin,  # noqa: F401 (registers the queues and reports)
    scheduling,
    services,
    subscriber_admin,  # noqa: F401 (registers the pages about people)
)
from newsletter.admin_forms import NewsletterIssueForm
from newsletter.emails import issue_content
from newsletter.models import Frequency, NewsletterIssue, Subscriber

admin_history.register(NewsletterIssue)


class ScheduleForm(forms.Form):
    send_at = forms.SplitDateTimeField(
        label="Send it on",
        widget=widgets.AdminSplitDateTime,
        help_text="UK time. The worker sends it within a minute or two of this time.",
        error_messages={"required": "Enter the date and time to send it"},
    )

    def clean_send_at(self):
        send_at = self.cleaned_data["send_at"]
        if send_at <= timezone.now():
            raise forms.ValidationError("Choose a time in the future, or send it now instead")
        return send_at


def audience():
    """How many people get an issue as it is sent, and how many in their weekly summary."""
    return {
        "recipient_count": services.issue_audience().count(),
        "weekly_count": Subscriber.objects.wanting("issues", Frequency.WEEKLY).count(),
    }


@admin.register(NewsletterIssue)
class NewsletterIssueAdmin(HistoryAdmin):
    list_display = ["subject", "status", "scheduled", "recipient_count", "send_started_at"]
    list_filter = ["status"]
    list_select_related = ["schedule"]
    search_fields = ["subject", "body"]
    form = NewsletterIssueForm
    fields = ["subject", "body"]
    change_form_template = "admin/newsletter/newsletterissue/change_form.html"

    @admin.display(description="scheduled for")
    def scheduled(self, obj):
        schedule = obj.scheduled_send
        return scheduling.when(schedule.send_at) if schedule else "—"

    def get_readonly_fields(self, request, obj=None):
        # Once sent, an issue is a record of what people were sent.
        return ["subject", "body"] if obj and not obj.can_be_sent else []

    def save_model(self, request, obj, form, change):
        if change:
            # Only what the form holds: never the sending fields, which the
            # worker may have changed (a scheduled send) since the form opened.
            changed = [name for name in form.changed_data if name in self.fields]
            obj.save(update_fields=[*changed, "updated_at"])
        else:
            super().save_model(request, obj, form, change)

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
            path("<int:pk>/schedule/", view(self.schedule_view), name="newsletter_issue_schedule"),
            path("<int:pk>/report/", view(self.report_view), name="newsletter_issue_report"),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        issue = self.get_object(request, object_id)
        if issue is not None:
            extra_context = {
                **(extra_context or {}),
                "progress": issue.progress(),
                "schedule": issue.scheduled_send,
            }
        return super().change_view(request, object_id, form_url, extra_context)

    def _issue(self, request, pk, *, change=False):
        issue = get_object_or_404(NewsletterIssue, pk=pk)
        allowed = self.has_change_permission if change else self.has_view_permission
        if not allowed(request, issue):
            raise PermissionDenied
        return issue

    def _page(self, request, template, title, issue, **context):
        return TemplateResponse(
            request,
            f"admin/newsletter/newsletterissue/{template}.html",
            {
                **self.admin_site.each_context(request),
                "title": title,
                "issue": issue,
                "opts": self.model._meta,
                **context,
            },
        )

    def preview_view(self, request, pk):
        issue = self._issue(request, pk)
        content = issue_content(issue)
        return self._page(request, "preview", f"Preview: {issue.subject}", issue, content=content)

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
        issue = self._issue(request, pk, change=True)
        if request.method != "POST":
            return self._page(request, "send_test", "Send a test copy to yourself", issue)
        if not request.user.email:
            self.message_user(
                request, "Add an email address to your account first.", messages.ERROR
            )
        else:
            services.send_test(issue=issue, to=request.user.email)
            self.message_user(request, f"A test copy is on its way to {request.user.email}.")
        return redirect("admin:newsletter_newsletterissue_change", issue.pk)

    def send_view(self, request, pk):
        issue = self._issue(request, pk, change=True)
        if request.method == "POST":
            try:
                count = scheduling.send_now(
                    issue_id=issue.pk, user=request.user, comment="Sent to {people}."
                )
            except services.AlreadySent:
                self.message_user(request, "This issue has already been sent.", messages.ERROR)
            else:
                self.message_user(request, f"Sending “{issue.subject}” to {count} people.")
            return redirect("admin:newsletter_newsletterissue_change", issue.pk)
        return self._page(request, "send", "Send this issue to everyone?", issue, **audience())

    def schedule_view(self, request, pk):
        """Choose when to send a draft, or cancel its schedule; only a POST changes anything."""
        issue = self._issue(request, pk, change=True)
        schedule = issue.scheduled_send
        initial = {"send_at": timezone.localtime(schedule.send_at)} if schedule else {}
        form = ScheduleForm(request.POST or None, initial=initial)
        if request.method == "POST" and issue.can_be_sent and request.POST.get("cancel"):
            if scheduling.cancel(issue_id=issue.pk, user=request.user):
                self.message_user(request, "Schedule cancelled. The issue will not be sent.")
            return redirect("admin:newsletter_newsletterissue_change", issue.pk)
        if request.method == "POST" and issue.can_be_sent and form.is_valid():
            send_at = form.cleaned_data["send_at"]
            scheduling.schedule(issue_id=issue.pk, send_at=send_at, user=request.user)
            self.message_user(
                request, f"“{issue.subject}” will be sent on {scheduling.when(send_at)}."
            )
            return redirect("admin:newsletter_newsletterissue_change", issue.pk)
        return self._page(
            request,
            "schedule",
            "Schedule this issue",
            issue,
            form=form,
            schedule=schedule,
            media=self.media + form.media,
            **audience(),
        )

    def report_view(self, request, pk):
        issue = self._issue(request, pk)
        return self._page(
            request, "report", f"Report: {issue.subject}", issue, report=issue.report()
        )
