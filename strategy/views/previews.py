"""Shared preview links: a draft shown read-only to someone without an account."""

from django.shortcuts import render
from django.template.response import TemplateResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from strategy.models import PreviewLink
from strategy.previews import preview_context


@never_cache
@require_safe
def shared_preview(request, token):
    """The draft, with the preview banner, never indexed; a polite page if the link is dead."""
    link = PreviewLink.from_token(token)
    obj = link.item if link is not None and link.is_usable() else None
    found = preview_context(obj)
    if found is None:
        response = render(
            request,
            "strategy/preview_link_unusable.html",
            {"page_title": "This preview link does not work", "breadcrumbs": []},
            status=404,
        )
    else:
        template, context = found
        response = TemplateResponse(request, template, context)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
