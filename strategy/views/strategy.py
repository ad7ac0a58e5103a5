"""The strategy itself: overview, editions, vision, priorities, ambitions and rights."""

from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import DetailView, ListView, TemplateView
from django.views.generic.detail import SingleObjectMixin

from strategy.models import Ambition, Strategy
from strategy.views.base import (
    ACTIONS_PER_PAGE,
    CurrentStrategyMixin,
    FollowsOldSlugsMixin,
    PublicPageMixin,
)


class OverviewView(CurrentStrategyMixin, TemplateView):
    """The home page: the whole current strategy, with a contents list."""

    template_name = "strategy/overview.html"

    def get_context_data(self, **kwargs):
        strategy = self.get_strategy()
        kwargs.update(strategy=strategy, page_title=strategy.title, breadcrumbs=[])
        kwargs.setdefault(
            "meta_description",
            f"How Medway's councils, health services, schools and families will support "
            f"children and young people with SEND, {strategy.period}: vision, priorities, "
            f"ambitions, children's rights and the action plan.",
        )
        return super().get_context_data(**kwargs)


class EditionListView(PublicPageMixin, ListView):
    """Every edition the public may read, newest first."""

    template_name = "strategy/edition_list.html"
    context_object_name = "editions"
    page_title = "All editions of the strategy"
    meta_description = "The current Medway Local Area SEND Strategy and the editions before it."
    breadcrumbs = [("All editions", None)]

    def get_queryset(self):
        return Strategy.objects.published()


class EditionView(FollowsOldSlugsMixin, PublicPageMixin, DetailView):
    """Any published edition in full; superseded ones carry a banner."""

    template_name = "strategy/overview.html"
    context_object_name = "strategy"

    def get_queryset(self):
        return Strategy.objects.published().with_content()

    def get(self, request, *args, **kwargs):
        try:
            self.object = self.get_object()
        except Http404:
            return self.redirect_from_old_slug(kwargs["slug"])
        if self.object.is_current:
            return redirect("strategy:overview", permanent=False)
        return self.render_to_response(self.get_context_data(object=self.object))

    def get_page_title(self):
        return f"{self.object.title} (superseded)"

    def get_meta_description(self):
        return f"The {self.object.title}, kept for reference. It has been replaced."

    def get_breadcrumbs(self):
        return [*super().get_breadcrumbs(), ("All editions", reverse("strategy:editions"))]

    def get_context_data(self, **kwargs):
        kwargs.update(published=self.object.published_at, updated=self.object.last_updated())
        return super().get_context_data(**kwargs)


class VisionView(CurrentStrategyMixin, TemplateView):
    template_name = "strategy/vision.html"
    page_title = "Our vision for children and young people with SEND"
    meta_description = "What Medway wants for every child and young person with SEND."
    breadcrumbs = [("Vision", None)]


class PrioritiesView(CurrentStrategyMixin, TemplateView):
    template_name = "strategy/priorities.html"
    page_title = "Priorities and related strategies"
    meta_description = (
        "The Medway People Strategy priorities and the Child-friendly Medway strategy "
        "that the SEND strategy builds on."
    )
    breadcrumbs = [("Priorities", None)]


class RightsView(CurrentStrategyMixin, TemplateView):
    template_name = "strategy/rights.html"
    page_title = "Children's rights"
    meta_description = "The rights every child and young person with SEND in Medway has."
    breadcrumbs = [("Children's rights", None)]


class AmbitionListView(CurrentStrategyMixin, TemplateView):
    template_name = "strategy/ambition_list.html"
    meta_description = "The five ambitions of the Medway Local Area SEND Strategy."
    breadcrumbs = [("Ambitions", None)]

    def get_page_title(self):
        return self.get_strategy().get_ambitions_heading()


class AmbitionDetailView(FollowsOldSlugsMixin, PublicPageMixin, SingleObjectMixin, ListView):
    """One ambition and, a page at a time, the action-plan items that deliver it.

    The ambition is the single object and its actions the paginated list: the
    pattern Django's documentation gives for "SingleObjectMixin with ListView".
    """

    template_name = "strategy/ambition_detail.html"
    paginate_by = ACTIONS_PER_PAGE

    def get(self, request, *args, **kwargs):
        try:
            self.object = self.get_object(queryset=self.get_slug_queryset())
        except Http404:
            return self.redirect_from_old_slug(kwargs["slug"])
        return super().get(request, *args, **kwargs)

    def get_slug_queryset(self):
        return (
            Ambition.objects.published()
            .filter(strategy__in=Strategy.objects.published())
            .select_related("strategy")
        )

    def get_queryset(self):
        return self.object.action_items.published().for_list()

    def get_page_title(self):
        return self.object.heading

    def get_meta_description(self):
        return f"Ambition: {self.object.heading}. What we will do and how it is going."

    def get_breadcrumbs(self):
        return [*super().get_breadcrumbs(), ("Ambitions", reverse("strategy:ambitions"))]

    def get_context_data(self, **kwargs):
        last_changed = self.object_list.last_changed()
        kwargs.update(
            strategy=self.object.strategy,
            published=self.object.created_at,
            updated=max(filter(None, [self.object.updated_at, last_changed])),
        )
        context = super().get_context_data(**kwargs)
        context["action_items"] = context["object_list"]
        return context
