"""The full strategy document, served from whatever storage holds uploads."""

import mimetypes

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from strategy.models import Strategy


@require_safe
@cache_control(public=True, max_age=3600)
def strategy_document(request, slug):
    """Open a published edition's document in the browser (PDF) or download it."""
    strategy = get_object_or_404(Strategy.objects.published(), slug=slug)
    if strategy.document_details() is None:
        raise Http404("This strategy has no document.")
    name = strategy.document.name.rsplit("/", 1)[-1]
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return FileResponse(
        strategy.document.open("rb"),
        content_type=content_type,
        as_attachment=content_type != "application/pdf",
        filename=name,
    )
