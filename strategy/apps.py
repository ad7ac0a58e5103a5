from django.apps import AppConfig


class StrategyConfig(AppConfig):
    name = "strategy"
    verbose_name = "SEND strategy content"

    def ready(self):
        from strategy.models import ActionPlanItem, Ambition, NewsPost, Strategy
        from strategy.models.old_slugs import track_old_slugs

        # Public content whose address contains its slug.
        for model in (Strategy, Ambition, ActionPlanItem, NewsPost):
            track_old_slugs(model)
