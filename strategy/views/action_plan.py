"""The action plan: a filterable list, one page per action, and open-data downloads."""

import csv
import functools
import json
import textwrap

from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, StreamingHttpResponse
from django.urls import reverse
from django.views.generic import DetailView, ListView

from medway_send.spreadsheets import csv_safe
from strategy.forms import ActionPlanFilterForm
from strategy.models import ActionPlanItem, Board, Strategy
from strategy.views.base import (
    ACTIONS_PER_PAGE,
    CurrentStrategyMixin,
    FollowsOldSlugsMixin,
    PublicPageMixin,
)

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
    items = ActionPlanItem.objects.published().filter(ambition__strategy=strategy)
    return form, form.filter(items)


def _current_strategy():
    strategy = Strategy.objects.current()
    if strategy is None:
        raise Http404("No strategy has been published yet.")
    return strategy


def _as_row(item, request):
    """One download row; ``item`` comes from ``ActionPlanItemQuerySet.for_download``."""
    latest = item.published_updates[0] if item.published_updates else None
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


class ActionPlanView(CurrentStrategyMixin, ListView):
    """Every action, filterable by ambition, status and board, a page at a time."""

    template_name = "strategy/action_plan.html"
    context_object_name = "action_items"
    paginate_by = ACTIONS_PER_PAGE
    page_title = "Action plan"
    meta_description = (
        "What Medway's partners will do to deliver each ambition of the SEND strategy, "
        "who leads it and how it is going."
    )
    breadcrumbs = [("Action plan", None)]

    def get_queryset(self):
        self.form, items = _filtered_items(self.request, self.get_strategy())
        return items.for_list()

    def get_context_data(self, **kwargs):
        strategy = self.get_strategy()
        kwargs.update(
            form=self.form,
            is_filtered=self.form.is_bound and any(self.form.data.get(f) for f in self.form.fields),
            boards=Board.objects.all(),
            query=self._query_without_page(),
        )
        last_changed = self.object_list.last_changed()
        if last_changed:
            kwargs["updated"] = max(strategy.last_updated(), last_changed)
        return super().get_context_data(**kwargs)

    def _query_without_page(self):
        """The filters as a query string, for the download links (which have no pages)."""
        query = self.request.GET.copy()
        query.pop(self.page_kwarg, None)
        return f"?{query.urlencode()}" if query else ""


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


# Actions read from the database at a time, each chunk with one query for its
# updates, so a download's memory stays the same however long the plan grows.
DOWNLOAD_CHUNK_SIZE = 500
# Text is sent in pieces of about this many characters rather than a row at a time.
DOWNLOAD_PIECE_SIZE = 64 * 1024

_to_json = functools.partial(json.dumps, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)


class _Echo:
    """A "file" whose write() hands back what it is given, so csv.writer returns each line."""

    def write(self, value):
        return value


def _rows(items, request):
    """Download rows, read a chunk of actions (and one query for their updates) at a time."""
    for item in items.for_download().iterator(chunk_size=DOWNLOAD_CHUNK_SIZE):
        yield _as_row(item, request)
        del item.published_updates  # frees the chunk as soon as it is written (for_download)


def _in_pieces(texts):
    """Join many short strings into fewer, larger ones: one write to the network each."""
    buffer, size = [], 0
    for text in texts:
        buffer.append(text)
        size += len(text)
        if size >= DOWNLOAD_PIECE_SIZE:
            yield "".join(buffer)
            buffer, size = [], 0
    if buffer:
        yield "".join(buffer)


def _csv_lines(rows):
    writer = csv.DictWriter(_Echo(), fieldnames=DOWNLOAD_FIELDS)
    yield "\ufeff"  # a byte-order mark makes Excel read the file as UTF-8
    yield writer.writeheader()
    for row in rows:
        yield writer.writerow({k: csv_safe(v) for k, v in row.items()})


def _json_text(about, rows):
    """``about`` with an "items" list of ``rows``, as json.dumps(indent=2) would write it."""
    head = _to_json(about)
    yield head.removesuffix("\n}") + ',\n  "items": ['
    separator = "\n"
    for row in rows:
        yield separator + textwrap.indent(_to_json(row), "    ")
        separator = ",\n"
    yield "\n  ]\n}\n"


def download_csv(request):
    """The (filtered) action plan as CSV, for spreadsheets, streamed as it is read."""
    _form, items = _filtered_items(request, _current_strategy())
    response = StreamingHttpResponse(
        _in_pieces(_csv_lines(_rows(items, request))), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="medway-send-action-plan.csv"'
    return response


def download_json(request):
    """The (filtered) action plan as JSON, for other systems, streamed as it is read."""
    strategy = _current_strategy()
    _form, items = _filtered_items(request, strategy)
    about = {
        "strategy": strategy.title,
        "source": request.build_absolute_uri(reverse("strategy:action_plan")),
    }
    return StreamingHttpResponse(
        _in_pieces(_json_text(about, _rows(items, request))),
        content_type="application/json; charset=utf-8",
    )
