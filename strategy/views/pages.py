"""Standard pages: accessibility statement, privacy notice, cookies and contact."""

from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from strategy.models import ChangeNote, Page


def page_view(request, kind):
    """Show the page of this kind; each kind has a fixed address in urls.py."""
    page = get_object_or_404(Page.objects.published(), kind=kind)
    return render(
        request,
        "strategy/page.html",
        {
            "page": page,
            "page_title": page.title,
            "meta_description": page.summary,
            "breadcrumbs": [("Home", reverse("strategy:overview")), (page.title, None)],
            "published": page.published_at,
            "updated": page.updated_at,
            "change_notes": ChangeNote.for_item(page),
        },
    )
