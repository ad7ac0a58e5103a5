"""Top-level URLs: the public site, the admin, and machine-readable endpoints."""

from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps import views as sitemaps
from django.urls import include, path
from django.views.decorators.cache import cache_control

from strategy.sitemaps import SITEMAPS
from strategy.views import errors, service

admin.site.site_header = "Medway SEND Strategy – content management"
admin.site.site_title = "Medway SEND Strategy admin"
admin.site.index_title = "Keep the strategy, action plan and news up to date"
admin.site.site_url = "/"

# Crawlers may keep the sitemap for an hour, so a new page can take that long to be listed.
sitemap_cache = cache_control(public=True, max_age=3600)

urlpatterns = [
    # The second sign-in step (staff app); before admin/, whose catch-all would answer 404.
    path("admin/two-factor/", include("staff.urls")),
    path("admin/", admin.site.urls),
    path(
        "sitemap.xml",
        sitemap_cache(sitemaps.index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        sitemap_cache(sitemaps.sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap_section",
    ),
    path("robots.txt", service.robots_txt, name="robots_txt"),
    path("healthz", service.healthz, name="healthz"),
    path("newsletter/", include("newsletter.urls")),
    path("", include("strategy.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler400 = errors.bad_request
handler404 = errors.page_not_found
handler500 = errors.server_error
