from django.apps import AppConfig


class StrategyConfig(AppConfig):
    name = "strategy"
    verbose_name = "SEND strategy content"

    def ready(self):
        from django.db.models.signals import post_save

        from strategy.announcements import announce
        from strategy.models import ActionPlanItem, Ambition, ChangeNote, NewsPost, Strategy
        from strategy.models.old_slugs import track_old_slugs

        # Public content whose address contains its slug.
        for model in (Strategy, Ambition, ActionPlanItem, NewsPost):
            track_old_slugs(model)
        # What the newsletter (or anything else) may announce: strategy.public's signals.
        for model in (ChangeNote, NewsPost):
            post_save.connect(announce, sender=model, dispatch_uid=f"announce-{model.__name__}")
