"""Styled error pages.

The 500 page is rendered without the request's context processors: when the
server fails, the database may be the thing that failed.
"""

from django.http import (
    HttpResponseBadRequest,
    HttpResponseForbidden,
    HttpResponseNotFound,
    HttpResponseServerError,
)
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token


def bad_request(request, exception):
    """A request with something in it no page can use, such as a NUL character."""
    template = loader.get_template("errors/400.html")
    context = {"page_title": "Sorry, we could not use that request", "breadcrumbs": []}
    return HttpResponseBadRequest(template.render(context, request))


def page_not_found(request, exception):
    template = loader.get_template("errors/404.html")
    context = {"page_title": "Page not found", "breadcrumbs": []}
    return HttpResponseNotFound(template.render(context, request))


@requires_csrf_token
def server_error(request):
    template = loader.get_template("errors/500.html")
    context = {"page_title": "Sorry, there is a problem with the service", "breadcrumbs": []}
    return HttpResponseServerError(template.render(context))


def csrf_failure(request, reason=""):
    """A form sent without its security cookie: say what to do, in plain words."""
    template = loader.get_template("errors/403_csrf.html")
    context = {"page_title": "Sorry, we could not send that form", "breadcrumbs": []}
    return HttpResponseForbidden(template.render(context, request))
