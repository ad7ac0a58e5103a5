"""The admin home page's "needs attention" lists for content staff."""

from django import template
from django.urls import reverse
from django.utils import timezone

from strategy.models.publishing import PublishingStatus
from strategy.publishing_jobs import publishable_models

register = template.Library()

LIMIT = 20


def _rows(request, queryset_for):
    rows = []
    for model in publishable_models():
        opts = model._meta
        if not request.user.has_perm(f"{opts.app_label}.change_{opts.model_name}"):
            continue
        for obj in queryset_for(model._default_manager)[:LIMIT]:
            url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
            rows.append({"kind": opts.verbose_name.capitalize(), "item": obj, "url": url})
    return rows[:LIMIT]


@register.inclusion_tag("admin/strategy/dashboard.html", takes_context=True)
def editor_dashboard(context):
    """Drafts waiting for review, scheduled items, and items past their review date."""
    request = context["request"]
    today = timezone.localdate()
    return {
        "awaiting": _rows(request, lambda m: m.awaiting_review().order_by("-updated_at")),
        "scheduled": _rows(
            request,
            lambda m: m.filter(publishing_status=PublishingStatus.SCHEDULED).order_by("publish_at"),
        ),
        "overdue": _rows(request, lambda m: m.due_for_review(today).order_by("review_by")),
    }
