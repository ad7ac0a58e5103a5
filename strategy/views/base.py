"""What every public page view shares: its title, description and breadcrumbs."""

from django.http import Http404, HttpResponsePermanentRedirect
from django.urls import reverse

from strategy.models import ChangeNote, OldSlug, Strategy

# Actions per page of the action plan and of each ambition: ten cards, a few screens on a
# phone, and a page of about 25 KB (4 KB gzipped) however long the plan grows.
ACTIONS_PER_PAGE = 10


class PublicPageMixin:
    """Adds the page title, meta description and breadcrumbs to the template context.

    Views set ``page_title`` and ``meta_description`` or override the getters;
    ``breadcrumbs`` are (label, url) pairs between the home page and this page.
    On a later page of a paginated list the title says which page it is, so
    every page has its own title.
    """

    page_title = ""
    meta_description = ""
    breadcrumbs = ()

    def get_page_title(self):
        return self.page_title

    def get_meta_description(self):
        return self.meta_description

    def get_breadcrumbs(self):
        return [("Home", reverse("strategy:overview")), *self.breadcrumbs]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("page_title", self.get_page_title())
        context.setdefault("meta_description", self.get_meta_description())
        context.setdefault("breadcrumbs", self.get_breadcrumbs())
        page = context.get("page_obj")
        if page is not None and page.number > 1:
            context["page_title"] += f" (page {page.number:,} of {page.paginator.num_pages:,})"
        item = getattr(self, "object", None)
        if item is not None and "change_notes" not in context:
            context["change_notes"] = ChangeNote.for_item(item)
        return context


class CurrentStrategyMixin(PublicPageMixin):
    """For pages about the current strategy edition; 404 until one is published."""

    def get_strategy(self):
        if not hasattr(self, "_strategy"):
            self._strategy = Strategy.objects.with_content().current()
        if self._strategy is None:
            raise Http404("No strategy has been published yet.")
        return self._strategy

    def get_context_data(self, **kwargs):
        strategy = self.get_strategy()
        kwargs.setdefault("strategy", strategy)
        kwargs.setdefault("published", strategy.published_at)
        kwargs.setdefault("updated", strategy.last_updated())
        return super().get_context_data(**kwargs)


def redirect_from_old_slug(request, queryset, slug, url=None):
    """A permanent redirect to the public item that used to have ``slug``, or None.

    ``url`` turns the item into the address to send people to (by default its
    page); the query string is kept.
    """
    item = OldSlug.find(queryset, slug)
    if item is None:
        return None
    target = url(item) if url else item.get_absolute_url()
    query = request.META.get("QUERY_STRING")
    return HttpResponsePermanentRedirect(f"{target}?{query}" if query else target)


class FollowsOldSlugsMixin:
    """For a DetailView found by slug: an old slug redirects to the item's address now.

    Only items the view itself would show are found, so a draft that once had
    the slug stays a 404.
    """

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            return self.redirect_from_old_slug(kwargs["slug"])

    def get_slug_queryset(self):
        """The items found by slug (a view listing something else says which)."""
        return self.get_queryset()

    def redirect_from_old_slug(self, slug):
        """The redirect for a slug this view does not find; Http404 if it never had one."""
        redirect = redirect_from_old_slug(self.request, self.get_slug_queryset(), slug)
        if redirect is None:
            raise Http404("Nothing has this address.")
        return redirect
