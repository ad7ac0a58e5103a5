"""Rendering the sign-in pages with what the admin's base template expects."""

from django.contrib import admin
from django.template.response import TemplateResponse


def sign_in_page(request, template, context, status=200):
    """A rendered admin-styled page, without the admin's navigation.

    Rendered at once, because the lockout and "finish signing in" pages are
    returned from middleware, where nothing would render them later.
    """
    base = {
        "site_header": admin.site.site_header,
        "site_title": admin.site.site_title,
        "site_url": admin.site.site_url,
        "is_nav_sidebar_enabled": False,
    }
    return TemplateResponse(request, template, {**base, **context}, status=status).render()
