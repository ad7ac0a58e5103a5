"""/sitemap.xml: every public page, so search engines and our own tests can find them.

/sitemap.xml is an index of sections (``/sitemap-<section>.xml``); a section of
more than ``SITEMAP_PAGE_SIZE`` items is split into pages (``?p=2``), so no
single file grows with the content.
"""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from strategy.models import ActionPlanItem, Ambition, NewsPost, Page, Strategy


class FixedPagesSitemap(Sitemap):
    """Pages with a fixed address that exist whenever a strategy is published."""

    names = [
        "strategy:overview",
        "strategy:vision",
        "strategy:priorities",
        "strategy:ambitions",
        "strategy:rights",
        "strategy:action_plan",
        "strategy:news",
        "strategy:editions",
    ]

    def items(self):
        return self.names if Strategy.objects.current() else ["strategy:news"]

    def location(self, item):
        return reverse(item)


# About 100 KB of XML (3 KB gzipped) per page, well under the protocol's 50,000 URLs,
# and quick to make.
SITEMAP_PAGE_SIZE = 1000


class ContentSitemap(Sitemap):
    """A section of content items, each dated by its last change."""

    limit = SITEMAP_PAGE_SIZE

    def lastmod(self, item):
        return item.updated_at

    def get_latest_lastmod(self):
        """The section's last change, for the index; Django's own default loads every item."""
        return self.items().aggregate(latest=Max("updated_at"))["latest"]


class StandardPagesSitemap(ContentSitemap):
    def items(self):
        return Page.objects.published()


class EditionSitemap(ContentSitemap):
    def items(self):
        return Strategy.objects.filter(status=Strategy.Status.SUPERSEDED)


class AmbitionSitemap(ContentSitemap):
    def items(self):
        return Ambition.objects.published().filter(strategy__in=Strategy.objects.published())


class ActionItemSitemap(ContentSitemap):
    def items(self):
        # Only what the address and the date need: the rest of each row is never read.
        return ActionPlanItem.objects.published().only("slug", "updated_at")


class NewsSitemap(ContentSitemap):
    def items(self):
        return NewsPost.objects.published()


class NewsletterSitemap(Sitemap):
    def items(self):
        return ["newsletter:signup"]

    def location(self, item):
        return reverse(item)


SITEMAPS = {
    "pages": FixedPagesSitemap,
    "standard": StandardPagesSitemap,
    "editions": EditionSitemap,
    "ambitions": AmbitionSitemap,
    "actions": ActionItemSitemap,
    "news": NewsSitemap,
    "newsletter": NewsletterSitemap,
}
