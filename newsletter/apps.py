from django.apps import AppConfig


class NewsletterConfig(AppConfig):
    name = "newsletter"
    verbose_name = "Newsletter"

    def ready(self):
        from newsletter.alerts import record_change, record_news
        from strategy.public import major_change_published, news_published

        major_change_published.connect(record_change, dispatch_uid="newsletter-record-change")
        news_published.connect(record_news, dispatch_uid="newsletter-record-news")
