"""News and updates: a paginated list, one page per post, and RSS/Atom feeds."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse, reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.views.generic import DetailView, ListView

from strategy.models import NewsPost
from strategy.views.base import FollowsOldSlugsMixin, PublicPageMixin


class NewsListView(PublicPageMixin, ListView):
    template_name = "strategy/news_list.html"
    context_object_name = "posts"
    paginate_by = 10
    page_title = "News and updates"
    meta_description = "News and updates about the Medway Local Area SEND Strategy."
    breadcrumbs = [("News and updates", None)]

    def get_queryset(self):
        return NewsPost.objects.published()


class NewsDetailView(FollowsOldSlugsMixin, PublicPageMixin, DetailView):
    template_name = "strategy/news_detail.html"
    context_object_name = "post"

    def get_queryset(self):
        return NewsPost.objects.published()

    def get_page_title(self):
        return self.object.title

    def get_meta_description(self):
        return self.object.summary

    def get_breadcrumbs(self):
        return [*super().get_breadcrumbs(), ("News and updates", reverse("strategy:news"))]

    def get_context_data(self, **kwargs):
        kwargs.update(published=self.object.published_at, updated=self.object.updated_at)
        return super().get_context_data(**kwargs)


class LatestNewsFeed(Feed):
    """RSS 2.0 feed of the 20 latest posts."""

    title = f"News and updates – {settings.SITE_NAME}"
    link = reverse_lazy("strategy:news")
    description = "News and updates about the Medway Local Area SEND Strategy."
    feed_copyright = settings.ORGANISATION_NAME

    def items(self):
        return NewsPost.objects.published()[:20]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at


class LatestNewsAtomFeed(LatestNewsFeed):
    feed_type = Atom1Feed
    subtitle = LatestNewsFeed.description
