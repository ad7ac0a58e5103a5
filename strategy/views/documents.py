"""The full strategy document, served from whatever storage holds uploads."""

import hashlib

from django.http import FileResponse, Http404
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from strategy.documents import document_type
from strategy.models import Strategy
from strategy.views.base import redirect_from_old_slug


def _version(document):
    """(ETag, last-modified timestamp) of the stored file, or (ETag, None)."""
    storage = document.storage
    try:
        modified = storage.get_modified_time(document.name).timestamp()
    except (NotImplementedError, OSError):
        modified = None
    fingerprint = f"{document.name}:{document.size}:{modified}".encode()
    return f'"{hashlib.sha256(fingerprint).hexdigest()[:32]}"', modified


@require_safe
def strategy_document(request, slug):
    """Open a published edition's document in the browser (PDF) or download it.

    Browsers and proxies may keep a copy but must check it with us every time
    (``no-cache``), so a replaced or withdrawn document is never shown stale;
    the check costs a 304 with no body while the file is unchanged.
    """
    strategy = Strategy.objects.published().filter(slug=slug).first()
    if strategy is None:
        editions = Strategy.objects.published()
        moved = redirect_from_old_slug(request, editions, slug, url=Strategy.get_document_url)
        if moved is None:
            raise Http404("No published edition has this address.")
        return moved
    if strategy.document_details() is None:
        raise Http404("This strategy has no document.")
    document = strategy.document
    etag, modified = _version(document)
    response = get_conditional_response(request, etag=etag, last_modified=modified)
    if response is None:
        name = document.name.rsplit("/", 1)[-1]
        kind = document_type(name)
        response = FileResponse(
            document.open("rb"),
            content_type=kind.content_type if kind else "application/octet-stream",
            as_attachment=kind is None or kind.extension != "pdf",
            filename=name,
        )
    response["ETag"] = etag
    if modified is not None:
        response["Last-Modified"] = http_date(modified)
    patch_cache_control(response, public=True, no_cache=True)
    return response
