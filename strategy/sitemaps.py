"""/sitemap.xml: every public page, so search engines and our own tests can find them."""

from django.contrib.sitemaps import Sitemap
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


class StandardPagesSitemap(Sitemap):
    def items(self):
        return Page.objects.published()

    def lastmod(self, page):
        return page.updated_at


class EditionSitemap(Sitemap):
    def items(self):
        return Strategy.objects.filter(status=Strategy.Status.SUPERSEDED)

    def lastmod(self, strategy):
        return strategy.updated_at


class AmbitionSitemap(Sitemap):
    def items(self):
        return Ambition.objects.published().filter(strategy__in=Strategy.objects.published())

    def lastmod(self, ambition):
        return ambition.updated_at


class ActionItemSitemap(Sitemap):
    def items(self):
        return ActionPlanItem.objects.published()

    def lastmod(self, item):
        return item.updated_at


class NewsSitemap(Sitemap):
    def items(self):
        return NewsPost.objects.published()

    def lastmod(self, post):
        return post.updated_at


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
