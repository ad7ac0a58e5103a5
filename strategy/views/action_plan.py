"""The action plan: a filterable list, one page per action, and open-data downloads."""

import csv
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.views.generic import DetailView, TemplateView

from medway_send.spreadsheets import csv_safe
from strategy.forms import ActionPlanFilterForm
from strategy.models import ActionPlanItem, Board, Strategy
from strategy.views.base import CurrentStrategyMixin, FollowsOldSlugsMixin, PublicPageMixin

DOWNLOAD_FIELDS = [
    "ambition",
    "action",
    "lead_service",
    "monitored_by",
    "co_produced_with",
    "start_date",
    "target_date",
    "status",
    "latest_update_date",
    "latest_update_what_we_said",
    "page",
]


def _filtered_items(request, strategy):
    form = ActionPlanFilterForm(request.GET or None, strategy=strategy)
    items = ActionPlanItem.objects.published().filter(ambition__strategy=strategy).with_related()
    return form, form.filter(items)


def _current_strategy():
    strategy = Strategy.objects.current()
    if strategy is None:
        raise Http404("No strategy has been published yet.")
    return strategy


def _as_row(item, request):
    latest = item.latest_update
    return {
        "ambition": item.ambition.heading,
        "action": item.title,
        "lead_service": item.lead,
        "monitored_by": item.board.name,
        "co_produced_with": item.co_produced_with,
        "start_date": item.start_date,
        "target_date": item.target_date,
        "status": item.get_status_display(),
        "latest_update_date": latest.date if latest else None,
        "latest_update_what_we_said": latest.what_we_said if latest else "",
        "page": request.build_absolute_uri(item.get_absolute_url()),
    }


class ActionPlanView(CurrentStrategyMixin, TemplateView):
    """Every action, filterable by ambition, status and board."""

    template_name = "strategy/action_plan.html"
    page_title = "Action plan"
    meta_description = (
        "What Medway's partners will do to deliver each ambition of the SEND strategy, "
        "who leads it and how it is going."
    )
    breadcrumbs = [("Action plan", None)]

    def get_context_data(self, **kwargs):
        strategy = self.get_strategy()
        form, items = _filtered_items(self.request, strategy)
        items = list(items)
        query = self.request.GET.urlencode()
        kwargs.update(
            strategy=strategy,
            form=form,
            action_items=items,
            is_filtered=form.is_bound and any(form.data.get(f) for f in form.fields),
            boards=Board.objects.all(),
            query=f"?{query}" if query else "",
        )
        if items:
            kwargs["updated"] = max([strategy.last_updated(), *(i.updated_at for i in items)])
        return super().get_context_data(**kwargs)


class ActionItemDetailView(FollowsOldSlugsMixin, PublicPageMixin, DetailView):
    """One action with its full history of progress updates."""

    template_name = "strategy/action_item_detail.html"
    context_object_name = "item"

    def get_queryset(self):
        return ActionPlanItem.objects.published().with_related()

    def get_page_title(self):
        return self.object.title

    def get_meta_description(self):
        return f"Action plan: {self.object.title}. Led by {self.object.lead}."

    def get_breadcrumbs(self):
        return [*super().get_breadcrumbs(), ("Action plan", reverse("strategy:action_plan"))]

    def get_context_data(self, **kwargs):
        kwargs.update(
            strategy=self.object.ambition.strategy,
            published=self.object.created_at,
            updated=self.object.updated_at,
        )
        return super().get_context_data(**kwargs)


def download_csv(request):
    """The (filtered) action plan as CSV, for spreadsheets."""
    _form, items = _filtered_items(request, _current_strategy())
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="medway-send-action-plan.csv"'
    # A byte-order mark makes Excel read the file as UTF-8.
    response.write("\ufeff")
    writer = csv.DictWriter(response, fieldnames=DOWNLOAD_FIELDS)
    writer.writeheader()
    for item in items:
        writer.writerow({k: csv_safe(v) for k, v in _as_row(item, request).items()})
    return response


def download_json(request):
    """The (filtered) action plan as JSON, for other systems."""
    strategy = _current_strategy()
    _form, items = _filtered_items(request, strategy)
    data = {
        "strategy": strategy.title,
        "source": request.build_absolute_uri(reverse("strategy:action_plan")),
        "items": [_as_row(item, request) for item in items],
    }
    return HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
