"""The admin where council staff keep the strategy, action plan and news up to date.

Ordered items use a number field rather than drag-and-drop, so they can be
reordered with a keyboard or screen reader. Every admin here keeps a history
(medway_send.admin_history): who changed what and when, compare, restore,
recover deleted items, and a stop when two editors would overwrite each other.
"""

from django import forms
from django.contrib import admin
from django.db import models

from medway_send import admin_history
from medway_send.admin_history import HistoryAdmin
from strategy.admin_checks import ContentChecksMixin
from strategy.admin_previews import PreviewAdminMixin
from strategy.admin_publishing import (
    HoldInlineChangesMixin,
    PublishingAdminMixin,
    PublishingInlineMixin,
)
from strategy.models import (
    ActionPlanItem,
    Ambition,
    Board,
    ChildRight,
    NewsPost,
    Page,
    ParentCarerCommitment,
    Priority,
    ProgressUpdate,
    RelatedStrategy,
    Strategy,
    VisionStatement,
)

# What the history keeps. An edition's versions include its own text items (the
# inlines on its page), so restoring an edition restores the page as it was.
# Action items and progress updates are not bundled into an ambition's or an
# edition's versions: each has its own history, and restoring an ambition must
# not rewind, or delete, the action plan's progress recorded since. When they
# are edited on an ambition's page they are still saved in the same revision.
admin_history.register(
    Strategy,
    follow=[
        "vision_statements",
        "related_strategies",
        "priorities",
        "ambitions",
        "rights",
        "parent_carer_commitments",
    ],
)
for versioned_model in [
    VisionStatement,
    RelatedStrategy,
    Priority,
    Ambition,
    ChildRight,
    ParentCarerCommitment,
    Board,
    ActionPlanItem,
    ProgressUpdate,
    NewsPost,
    Page,
]:
    admin_history.register(versioned_model)

# A link typed without a scheme is taken as https (Django 6's default).
URL_FIELDS_ASSUME_HTTPS = {models.URLField: {"assume_scheme": "https"}}


class OrderedItemInline(PublishingInlineMixin, admin.StackedInline):
    extra = 0
    fields = ["order", "text", "easy_read"]


class VisionStatementInline(OrderedItemInline):
    model = VisionStatement


class RelatedStrategyInline(PublishingInlineMixin, admin.StackedInline):
    model = RelatedStrategy
    extra = 0
    fields = ["order", "title", "description", "url", "easy_read"]
    show_change_link = True
    formfield_overrides = URL_FIELDS_ASSUME_HTTPS


class PriorityInline(OrderedItemInline):
    model = Priority
    fields = ["order", "text", "source", "easy_read"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Only offer related strategies of the edition being edited.
        if db_field.name == "source" and request.resolver_match.kwargs.get("object_id"):
            kwargs["queryset"] = RelatedStrategy.objects.filter(
                strategy_id=request.resolver_match.kwargs["object_id"]
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class AmbitionInline(OrderedItemInline):
    model = Ambition
    fields = ["order", "text", "slug", "easy_read"]
    show_change_link = True


class ChildRightInline(OrderedItemInline):
    model = ChildRight


class ParentCarerCommitmentInline(OrderedItemInline):
    model = ParentCarerCommitment


@admin.register(Strategy)
class StrategyAdmin(
    HoldInlineChangesMixin,
    PreviewAdminMixin,
    PublishingAdminMixin,
    ContentChecksMixin,
    HistoryAdmin,
):
    list_display = ["title", "period", "status", "published_at", "updated_at"]
    list_filter = ["status"]
    search_fields = ["title"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "published_at"
    save_on_top = True
    inlines = [
        VisionStatementInline,
        RelatedStrategyInline,
        PriorityInline,
        AmbitionInline,
        ChildRightInline,
        ParentCarerCommitmentInline,
    ]
    fieldsets = [
        (None, {"fields": ["title", "slug", ("start_year", "end_year"), "status", "published_at"]}),
        ("Opening", {"fields": ["introduction", "document", "document_link_text"]}),
        ("Summary", {"fields": ["summary_heading", "summary", "partnership"]}),
        ("Ambitions", {"fields": ["ambitions_heading", "ambitions_introduction"]}),
        ("Children's rights", {"fields": ["rights_introduction"]}),
        ("Action plan", {"fields": ["action_plan_heading", "action_plan_introduction"]}),
        ("News and updates", {"fields": ["news_heading", "newsletter_prompt"]}),
    ]

    @admin.display(description="period")
    def period(self, obj):
        return obj.period


class LabelledOrderForm(forms.ModelForm):
    """A changelist row form whose order box is named after its row, for screen readers.

    Django's list-editable inputs have no label of their own; without one a
    screen reader announces a row of unnamed number boxes.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "order" in self.fields:
            self.fields["order"].widget.attrs["aria-label"] = f"Order of “{self.instance}”"


class LabelledOrderMixin:
    def get_changelist_form(self, request, **kwargs):
        return super().get_changelist_form(request, form=LabelledOrderForm, **kwargs)


class StrategyItemAdmin(
    PreviewAdminMixin, PublishingAdminMixin, ContentChecksMixin, LabelledOrderMixin, HistoryAdmin
):
    """Shared set-up for the short ordered items of a strategy."""

    list_display = ["text", "strategy", "order", "updated_at"]
    list_editable = ["order"]
    list_filter = ["strategy"]
    search_fields = ["text", "easy_read"]
    list_select_related = ["strategy"]
    ordering = ["strategy", "order", "pk"]


@admin.register(VisionStatement)
class VisionStatementAdmin(StrategyItemAdmin):
    pass


@admin.register(ChildRight)
class ChildRightAdmin(StrategyItemAdmin):
    pass


@admin.register(ParentCarerCommitment)
class ParentCarerCommitmentAdmin(StrategyItemAdmin):
    pass


@admin.register(Priority)
class PriorityAdmin(StrategyItemAdmin):
    list_display = ["text", "source", "strategy", "order", "updated_at"]
    list_filter = ["strategy", "source"]


class ActionPlanItemInline(PublishingInlineMixin, admin.StackedInline):
    model = ActionPlanItem
    extra = 0
    fields = ["order", "title", "slug", "lead", "board", "status", "target_date"]
    prepopulated_fields = {"slug": ["title"]}
    show_change_link = True


@admin.register(Ambition)
class AmbitionAdmin(HoldInlineChangesMixin, StrategyItemAdmin):
    list_display = ["text", "strategy", "order", "action_item_count", "updated_at"]
    prepopulated_fields = {"slug": ["text"]}
    fields = ["strategy", "order", "text", "slug", "description", "easy_read"]
    inlines = [ActionPlanItemInline]

    @admin.display(description="actions")
    def action_item_count(self, obj):
        return obj.action_items.count()


@admin.register(RelatedStrategy)
class RelatedStrategyAdmin(
    PreviewAdminMixin, PublishingAdminMixin, ContentChecksMixin, LabelledOrderMixin, HistoryAdmin
):
    list_display = ["title", "strategy", "order", "updated_at"]
    list_editable = ["order"]
    list_filter = ["strategy"]
    search_fields = ["title", "description"]
    ordering = ["strategy", "order", "pk"]
    formfield_overrides = URL_FIELDS_ASSUME_HTTPS


@admin.register(Board)
class BoardAdmin(ContentChecksMixin, LabelledOrderMixin, HistoryAdmin):
    list_display = ["name", "order"]
    list_editable = ["order"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class ProgressUpdateInline(PublishingInlineMixin, admin.StackedInline):
    model = ProgressUpdate
    extra = 0
    fields = ["date", "what_we_said", "what_we_did"]


@admin.register(ActionPlanItem)
class ActionPlanItemAdmin(
    HoldInlineChangesMixin,
    PreviewAdminMixin,
    PublishingAdminMixin,
    ContentChecksMixin,
    HistoryAdmin,
):
    list_display = ["title", "ambition", "status", "lead", "board", "target_date", "updated_at"]
    list_filter = ["status", "board", "ambition__strategy", "ambition"]
    search_fields = ["title", "description", "lead", "co_produced_with"]
    list_select_related = ["ambition", "board"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "target_date"
    save_on_top = True
    inlines = [ProgressUpdateInline]
    fieldsets = [
        (None, {"fields": ["ambition", "title", "slug", "description", "order"]}),
        ("Who", {"fields": ["lead", "board", "co_produced_with"]}),
        ("When and how it is going", {"fields": [("start_date", "target_date"), "status"]}),
    ]


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(
    PreviewAdminMixin, PublishingAdminMixin, ContentChecksMixin, HistoryAdmin
):
    list_display = ["action_item", "date", "what_we_said"]
    list_filter = ["date", "action_item__status"]
    search_fields = ["what_we_said", "what_we_did", "action_item__title"]
    list_select_related = ["action_item"]
    date_hierarchy = "date"


@admin.register(NewsPost)
class NewsPostAdmin(PreviewAdminMixin, PublishingAdminMixin, ContentChecksMixin, HistoryAdmin):
    list_display = ["title", "published_at", "updated_at"]
    search_fields = ["title", "summary", "body"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "published_at"
    fields = ["title", "slug", "summary", "body", "published_at"]


@admin.register(Page)
class PageAdmin(PreviewAdminMixin, PublishingAdminMixin, ContentChecksMixin, HistoryAdmin):
    list_display = ["title", "kind", "updated_at"]
    search_fields = ["title", "body"]
    fields = ["kind", "title", "summary", "body", "published_at"]

    def has_add_permission(self, request):
        # Each kind of page exists once; once all four exist there is nothing to add.
        existing = Page.objects.values_list("kind", flat=True)
        return set(Page.Kind.values) > set(existing) and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        # These pages are linked from every page footer; edit them, don't delete them.
        return False
