"""Styled error pages.

The 500 page is rendered without the request's context processors: when the
server fails, the database may be the thing that failed.
"""

from django.http import HttpResponseNotFound, HttpResponseServerError
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token


def page_not_found(request, exception):
    template = loader.get_template("errors/404.html")
    context = {"page_title": "Page not found", "breadcrumbs": []}
    return HttpResponseNotFound(template.render(context, request))


@requires_csrf_token
def server_error(request):
    template = loader.get_template("errors/500.html")
    context = {"page_title": "Sorry, there is a problem with the service", "breadcrumbs": []}
    return HttpResponseServerError(template.render(context))
