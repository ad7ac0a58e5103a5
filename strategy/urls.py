from django.urls import path

from strategy.views import action_plan, documents, news, pages, previews, strategy

app_name = "strategy"

urlpatterns = [
    path("", strategy.OverviewView.as_view(), name="overview"),
    path("editions/", strategy.EditionListView.as_view(), name="editions"),
    path("editions/<slug:slug>/", strategy.EditionView.as_view(), name="edition"),
    path("editions/<slug:slug>/document/", documents.strategy_document, name="document"),
    path("vision/", strategy.VisionView.as_view(), name="vision"),
    path("priorities/", strategy.PrioritiesView.as_view(), name="priorities"),
    path("ambitions/", strategy.AmbitionListView.as_view(), name="ambitions"),
    path("ambitions/<slug:slug>/", strategy.AmbitionDetailView.as_view(), name="ambition"),
    path("rights/", strategy.RightsView.as_view(), name="rights"),
    path("action-plan/", action_plan.ActionPlanView.as_view(), name="action_plan"),
    path("action-plan/action-plan.csv", action_plan.download_csv, name="action_plan_csv"),
    path("action-plan/action-plan.json", action_plan.download_json, name="action_plan_json"),
    path(
        "action-plan/<slug:slug>/", action_plan.ActionItemDetailView.as_view(), name="action_item"
    ),
    path("news/", news.NewsListView.as_view(), name="news"),
    path("news/feed/", news.LatestNewsFeed(), name="news_feed"),
    path("news/feed/atom/", news.LatestNewsAtomFeed(), name="news_feed_atom"),
    path("news/<slug:slug>/", news.NewsDetailView.as_view(), name="news_detail"),
    path("accessibility/", pages.page_view, {"kind": "accessibility"}, name="accessibility"),
    path("privacy/", pages.page_view, {"kind": "privacy"}, name="privacy"),
    path("cookies/", pages.page_view, {"kind": "cookies"}, name="cookies"),
    path("contact/", pages.page_view, {"kind": "contact"}, name="contact"),
    path("preview/<str:token>/", previews.shared_preview, name="shared_preview"),
]
