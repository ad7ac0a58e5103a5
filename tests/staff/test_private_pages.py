"""No staff page may be stored by a browser or proxy; public pages stay cacheable.

The admin URLs are read from the URL resolver, so a new admin view is walked
without anyone adding it here. A route whose parameters this file cannot fill
fails the test, rather than being skipped.
"""

import re

import pytest
import reversion
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import URLResolver, get_resolver, resolve
from django_otp.plugins.otp_static.models import StaticDevice

from newsletter.models import (
    Delivery,
    ErasureRecord,
    ImportRecord,
    ImportUpload,
    MailboxMessage,
    OutboundEmail,
    SubscriberEmail,
)
from strategy.models import NewsPost
from tests.factories import NewsPostFactory, ProgressUpdateFactory
from tests.newsletter.factories import NewsletterIssueFactory, SubscriberFactory

from .conftest import PASSWORD, sign_in_fully

pytestmark = pytest.mark.django_db

# <converter:name>, (?P<name>…) and unnamed (…) groups in a route.
PARAMETER = re.compile(
    r"<(?:\w+:)?(?P<route>\w+)>|\(\?P<(?P<named>\w+)>(?P<choices>[^)]*)\)|\((?P<unnamed>[^)]*)\)"
)
# The unnamed groups django-reversion's history and recover URLs use.
UNNAMED_GROUPS = {r"[^/]+": "object_id", r"\d+": "version_id"}


def admin_routes():
    """(route, pattern) for every URL pattern under /admin/, nested includes followed."""

    def walk(patterns, prefix):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, route)
            else:
                yield route, pattern

    return [(r, p) for r, p in walk(get_resolver().url_patterns, "") if r.startswith("admin/")]


def model_of(route):
    """The registered model whose ModelAdmin a route belongs to, or None."""
    for model in admin.site._registry:
        if route.startswith(f"admin/{model._meta.app_label}/{model._meta.model_name}/"):
            return model
    return None


class Filler:
    """Values for route parameters: real objects of each model, their versions, app labels."""

    def __init__(self):
        self.default = NewsPost.objects.first()  # has a public page, for "view on site"

    def object_for(self, model):
        obj = (model or type(self.default))._default_manager.order_by("pk").first()
        assert obj is not None, f"make a {model.__name__} in the staff_objects fixture"
        return obj

    def value(self, name, model):
        obj = self.object_for(model)
        if name in ("object_id", "pk", "id"):
            return str(obj.pk)
        if name == "version_id":
            return str(reversion.models.Version.objects.get_for_object(obj).first().pk)
        if name == "content_type_id":
            return str(ContentType.objects.get_for_model(obj).pk)
        if name == "upload_id":  # an import waiting for its preview
            return str(ImportUpload.objects.get().public_id)
        if name == "url":  # the admin's catch-all: a page that does not exist
            return "no-such-page/"
        raise AssertionError(f"teach this test how to fill <{name}>")

    def paths(self, route):
        """The concrete paths for ``route``: one, or one per choice (such as each app label)."""
        model = model_of(route)
        choices = [None]
        for match in PARAMETER.finditer(route):
            if match["named"] and "|" in match["choices"]:
                choices = match["choices"].split("|")

        def fill(match, choice):
            if match["route"]:
                return self.value(match["route"], model)
            if match["named"]:
                return choice if "|" in match["choices"] else self.value(match["named"], model)
            return self.value(UNNAMED_GROUPS[match["unnamed"]], model)

        return [
            "/"
            + PARAMETER.sub(lambda m, c=choice: fill(m, c), route).replace("^", "").replace("$", "")
            for choice in choices
        ]


@pytest.fixture
def staff_objects(django_user_model):
    """A verified superuser, and at least one object of every model the admin shows."""
    user = django_user_model.objects.create_superuser("it-admin", "it@example.com", PASSWORD)
    ProgressUpdateFactory()
    NewsPostFactory()
    subscriber = SubscriberFactory()
    issue = NewsletterIssueFactory()
    Delivery.objects.create(issue=issue, subscriber=subscriber)
    OutboundEmail.objects.create(
        kind="confirmation", to_email=subscriber.email, subject="Confirm", body_text="Confirm."
    )
    StaticDevice.objects.create(user=user, name="Backup codes")
    ErasureRecord.objects.create(
        erased_by=user, erased_by_username=user.username, people_count=1, action="delete_one"
    )
    SubscriberEmail.objects.create(
        kind="digest", subscriber=subscriber, period_start=issue.created_at
    )
    MailboxMessage.objects.create(folder="INBOX", uid_validity=1, uid=1, outcome="hard_bounce")
    counts = {"added_count": 1, "existing_count": 0, "invalid_count": 0, "duplicate_count": 0}
    ImportRecord.objects.create(
        imported_by=user,
        imported_by_username=user.username,
        file_name="a.csv",
        asked_to_confirm=False,
        **counts,
    )
    ImportUpload.objects.create(uploaded_by=user, file_name="b.csv")
    staff = sign_in_fully(Client(), user)
    # A version of each versioned object, for the history and recover pages.
    for model in admin.site._registry:
        if reversion.is_registered(model):
            with reversion.create_revision():
                reversion.add_to_revision(Filler().object_for(model))
    return user, staff


def half_signed_in():
    """A browser that typed the password, through the real form, but no code yet."""
    browser = Client()
    browser.post("/admin/login/", {"username": "it-admin", "password": PASSWORD})
    assert "_auth_user_id" in browser.session
    return browser


def storable(response):
    """Why a browser or proxy could keep this response, or None if it may not."""
    cache_control = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    missing = {"no-store", "private"} - cache_control
    if missing:
        return f"Cache-Control {response.get('Cache-Control')!r} lacks {sorted(missing)}"
    if "Cookie" not in response.get("Vary", ""):
        return f"Vary {response.get('Vary')!r} lacks Cookie"
    return None


def walk_admin(browser):
    """GET every admin URL; return (path, status) visited and what could be stored."""
    filler = Filler()
    visited, problems = [], []
    for route, pattern in admin_routes():
        for path in filler.paths(route):
            assert resolve(path).func is pattern.callback, f"{path} does not reach {route}"
            response = browser.get(path)
            visited.append((path, response.status_code))
            if response.status_code >= 500:
                problems.append(f"{path}: answered {response.status_code}")
            elif reason := storable(response):
                problems.append(f"{path} ({response.status_code}): {reason}")
    return visited, problems


def test_every_admin_page_for_a_signed_in_superuser_forbids_storing(staff_objects):
    visited, problems = walk_admin(staff_objects[1])
    assert not problems, "\n".join(problems)
    paths = dict(visited)
    # The walk really opened the pages, not just redirects to the login form.
    assert paths["/admin/password_change/"] == 200
    assert paths["/admin/two-factor/locks/"] == 200
    assert paths["/admin/no-such-page/"] == 404
    assert sum(status == 200 for _, status in visited) > 150, visited


def test_every_admin_page_for_a_password_only_session_forbids_storing(staff_objects):
    visited, problems = walk_admin(half_signed_in())
    assert not problems, "\n".join(problems)
    assert dict(visited)["/admin/password_change/"] == 302


def test_every_admin_page_for_someone_signed_out_forbids_storing(staff_objects):
    visited, problems = walk_admin(Client())
    assert not problems, "\n".join(problems)
    assert dict(visited)["/admin/password_change/"] == 302


def test_refusals_and_public_pages_for_a_signed_in_person_forbid_storing(staff_objects):
    _, staff = staff_objects
    strict = Client(enforce_csrf_checks=True)
    strict.cookies = staff.cookies
    refused = strict.post("/admin/password_change/", {"old_password": PASSWORD})
    assert refused.status_code == 403  # no CSRF token
    for response in [refused, staff.get("/"), staff.get("/sitemap.xml"), staff.get("/no-such/")]:
        assert storable(response) is None, (response.status_code, response.headers)
    # Signing out: the last page for the signed-in session.
    assert storable(staff.post("/admin/logout/")) is None


def test_public_pages_for_visitors_stay_cacheable_and_cookie_free(staff_objects):
    visitor = Client()
    for path in ["/", "/news/", "/sitemap.xml"]:
        response = visitor.get(path)
        assert response.status_code == 200, path
        assert not response.cookies, path
        assert "no-store" not in response.get("Cache-Control", ""), path
        assert "Cookie" not in response.get("Vary", ""), path
    assert "public" in visitor.get("/sitemap.xml")["Cache-Control"]
