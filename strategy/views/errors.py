"""Styled error pages.

The 500 and 503 pages are rendered without the request's context processors:
when the server fails, the database may be the thing that failed.
"""

import sys

from django.db import InterfaceError, OperationalError
from django.http import (
    HttpResponseBadRequest,
    HttpResponseForbidden,
    HttpResponseNotFound,
    HttpResponseServerError,
)
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

# How long to suggest a browser or proxy waits before trying again, in seconds.
RETRY_AFTER_SECONDS = 30


def bad_request(request, exception):
    """A request with something in it no page can use, such as a NUL character."""
    template = loader.get_template("errors/400.html")
    context = {"page_title": "Sorry, we could not use that request", "breadcrumbs": []}
    return HttpResponseBadRequest(template.render(context, request))


def page_not_found(request, exception):
    template = loader.get_template("errors/404.html")
    context = {"page_title": "Page not found", "breadcrumbs": []}
    return HttpResponseNotFound(template.render(context, request))


def _database_unavailable():
    """Whether the exception being handled means the database cannot be reached now.

    OperationalError covers a server that is down, restarting, out of
    connections or (SQLite) locked; InterfaceError a connection that broke.
    All of them pass, so the honest answer is "try again later" (503), not 500.
    """
    return isinstance(sys.exc_info()[1], OperationalError | InterfaceError)


@requires_csrf_token
def server_error(request):
    """The 500 page, or the 503 page with Retry-After when the database is away."""
    context = {"page_title": "Sorry, there is a problem with the service", "breadcrumbs": []}
    if _database_unavailable():
        template = loader.get_template("errors/503.html")
        response = HttpResponseServerError(template.render(context), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    template = loader.get_template("errors/500.html")
    return HttpResponseServerError(template.render(context))


def csrf_failure(request, reason=""):
    """A form sent without its security cookie: say what to do, in plain words."""
    template = loader.get_template("errors/403_csrf.html")
    context = {"page_title": "Sorry, we could not send that form", "breadcrumbs": []}
    return HttpResponseForbidden(template.render(context, request))
