"""The admin pages about people: subscribers, their consent records, imports and erasures.

None of this is versioned: it is personal data, and erasing a person must leave
no copy of them in a version table. Changes to people (lifting a suppression)
are recorded in Django's admin log instead; an import leaves an ImportRecord.
Erasing asks first, on a page that says exactly what goes, and leaves an
ErasureRecord that says who erased how many.
"""

import csv

from django.contrib import admin
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone

from medway_send.spreadsheets import csv_safe
from newsletter import services, suppression
from newsletter.import_admin import SubscriberImportMixin
from newsletter.models import ConsentEvent, ErasureRecord, ImportRecord, MailboxMessage, Subscriber

EXPORT_FIELDS = [
    "email",
    "status",
    "signed_up_at",
    "signup_page",
    "signup_wording_version",
    "privacy_notice_version",
    "confirmed_at",
    "unsubscribed_at",
    "issues_frequency",
    "progress_frequency",
    "news_frequency",
    "suppressed_at",
    "suppression_reason",
    "imported_from",
    "original_consent_at",
]
# How many addresses the erase confirmation lists before "and N more".
ADDRESSES_SHOWN = 10


def people(count):
    """ "1 person", "3 people"."""
    return "1 person" if count == 1 else f"{count} people"


class ConsentEventInline(admin.TabularInline):
    model = ConsentEvent
    extra = 0
    can_delete = False
    fields = [
        "kind",
        "at",
        "note",
        "signup_page",
        "signup_wording_version",
        "privacy_notice_version",
    ]
    readonly_fields = fields
    verbose_name_plural = "consent record"

    def has_add_permission(self, request, obj=None):
        return False


class SuppressedFilter(admin.SimpleListFilter):
    title = "email suppressed"
    parameter_name = "suppressed"

    def lookups(self, request, model_admin):
        return [("yes", "Yes: emails to it bounced"), ("no", "No")]

    def queryset(self, request, queryset):
        if self.value() in {"yes", "no"}:
            return queryset.filter(suppressed_at__isnull=self.value() == "no")
        return queryset


class BounceReportInline(admin.TabularInline):
    model = MailboxMessage
    extra = 0
    can_delete = False
    fields = ["received_at", "outcome", "status_code", "detail", "issue"]
    readonly_fields = fields
    verbose_name_plural = "bounce and complaint reports"

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Subscriber)
class SubscriberAdmin(SubscriberImportMixin, admin.ModelAdmin):
    list_display = ["email", "status", "suppressed", "signed_up_at", "confirmed_at"]
    list_filter = ["status", SuppressedFilter, "issues_frequency", "signed_up_at"]
    search_fields = ["email"]
    date_hierarchy = "signed_up_at"
    readonly_fields = [*EXPORT_FIELDS, "import_record"]
    fieldsets = [
        (None, {"fields": ["email", "status", "signed_up_at", "confirmed_at", "unsubscribed_at"]}),
        ("What they get", {"fields": ["issues_frequency", "progress_frequency", "news_frequency"]}),
        ("Suppression (emails bounced)", {"fields": ["suppressed_at", "suppression_reason"]}),
        (
            "Consent",
            {
                "fields": [
                    "signup_page",
                    "signup_wording_version",
                    "privacy_notice_version",
                    "imported_from",
                    "original_consent_at",
                    "import_record",
                ]
            },
        ),
    ]
    inlines = [ConsentEventInline, BounceReportInline]
    actions = ["export_csv", "lift_suppression", "erase_completely"]
    delete_confirmation_template = "admin/newsletter/subscriber/erase_one_confirmation.html"

    def has_add_permission(self, request):
        # People sign themselves up (or are imported), so there is always a consent record.
        return False

    def has_change_permission(self, request, obj=None):
        # Nothing on the page is edited by hand; "change" is what lifting a suppression needs.
        return False

    def has_lift_permission(self, request):
        return request.user.has_perm("newsletter.change_subscriber")

    @admin.display(boolean=True, description="suppressed")
    def suppressed(self, obj):
        return obj.is_suppressed

    @admin.action(description="Lift the suppression: send them email again", permissions=["lift"])
    def lift_suppression(self, request, queryset):
        lifted = 0
        for subscriber in queryset.filter(suppressed_at__isnull=False):
            reason = subscriber.suppression_reason
            suppression.lift(subscriber=subscriber)
            self.log_change(request, subscriber, f"Lifted the suppression ({reason[:150]}).")
            lifted += 1
        self.message_user(request, f"Lifted the suppression of {people(lifted)}.")

    def get_actions(self, request):
        # "Erase selected people completely" is the one way to remove several
        # people; Django's own "Delete selected" would be a second, vaguer one.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def changelist_view(self, request, extra_context=None):
        counts = dict(Subscriber.objects.values_list("status").annotate(n=Count("pk")))
        extra_context = {
            **(extra_context or {}),
            "status_counts": [
                *((label, counts.get(value, 0)) for value, label in Subscriber.Status.choices),
                ("Suppressed", Subscriber.objects.filter(suppressed_at__isnull=False).count()),
            ],
            "export_url": reverse("admin:newsletter_subscriber_export"),
            "import_url": (
                reverse("admin:newsletter_subscriber_import")
                if self.has_import_permission(request)
                else None
            ),
        }
        return super().changelist_view(request, extra_context)

    def get_urls(self):
        export = self.admin_site.admin_view(self.export_all_view)
        return [
            path("export.csv", export, name="newsletter_subscriber_export"),
            *super().get_urls(),  # the import pages, then the admin's own
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
        """First show what will go and ask; erase only when that page's button is pressed."""
        if request.POST.get("post") != "yes":
            count = queryset.count()
            context = {
                **self.admin_site.each_context(request),
                "title": f"Erase {people(count)} completely?",
                "opts": self.model._meta,
                "people": people(count),
                "selected": queryset,
                "shown": queryset.order_by("email")[:ADDRESSES_SHOWN],
                "not_shown": max(count - ADDRESSES_SHOWN, 0),
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            }
            return TemplateResponse(
                request, "admin/newsletter/subscriber/erase_confirmation.html", context
            )
        record = services.erase_people(
            subscribers=queryset, by=request.user, action=ErasureRecord.Action.ERASE_SELECTED
        )
        self.message_user(
            request, f"Erased {people(record.people_count)} and every email queued to them."
        )
        return None

    def delete_view(self, request, object_id, extra_context=None):
        extra_context = {**(extra_context or {}), "title": "Erase this person completely?"}
        return super().delete_view(request, object_id, extra_context)

    def delete_model(self, request, obj):
        services.erase_people(
            subscribers=[obj], by=request.user, action=ErasureRecord.Action.DELETE_ONE
        )

    def delete_queryset(self, request, queryset):
        # Not reached while "Delete selected" is switched off; should it come
        # back, deleting people still erases them completely.
        services.erase_people(
            subscribers=queryset, by=request.user, action=ErasureRecord.Action.ERASE_SELECTED
        )

    def response_delete(self, request, obj_display, obj_id):
        # Django's message would repeat the erased address.
        self.message_user(request, "Erased 1 person and every email queued to them.")
        return redirect("admin:newsletter_subscriber_changelist")


@admin.register(ImportRecord)
class ImportRecordAdmin(admin.ModelAdmin):
    """The list of imports: read-only, the record of where imported people came from."""

    list_display = ["imported_at", "imported_by_username", "file_name", "added_count"]
    list_filter = ["imported_at", "asked_to_confirm"]
    date_hierarchy = "imported_at"
    fields = [
        "imported_at",
        "imported_by_username",
        "imported_by",
        "file_name",
        "added_count",
        "existing_count",
        "invalid_count",
        "duplicate_count",
        "asked_to_confirm",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False  # made by the import pages only

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ErasureRecord)
class ErasureRecordAdmin(admin.ModelAdmin):
    """The list of erasures: read-only, so nobody can hide one."""

    list_display = ["erased_at", "erased_by_username", "people_count", "action"]
    list_filter = ["action", "erased_at"]
    date_hierarchy = "erased_at"
    fields = ["erased_at", "erased_by_username", "erased_by", "people_count", "action"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
