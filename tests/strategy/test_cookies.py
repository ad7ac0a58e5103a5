"""The cookies page says exactly which cookies the site sets, where, and for how long."""

import importlib
import re
import time

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

from strategy.cookies import duration_in_words, site_cookies
from strategy.models import Page
from tests.conftest import sitemap_text, visible_text

pytestmark = pytest.mark.django_db

seed = importlib.import_module("strategy.migrations.0014_cookies_page_table")


@pytest.mark.parametrize(
    ("seconds", "words"),
    [(43200, "12 hours"), (1800, "30 minutes"), (31449600, "52 weeks"), (86400, "1 day")],
)
def test_durations_are_exact_words(seconds, words):
    assert duration_in_words(seconds) == words


def test_the_cookies_page_gives_lifetimes_from_the_settings(client, settings):
    text = visible_text(client.get("/cookies/").content.decode())
    assert "12 hours, or until they sign out" in text and not re.search(r"\b2 weeks", text)
    assert "52 weeks" in text and "after 30 minutes without doing anything" in text
    settings.ADMIN_SESSION_MAX_SECONDS = 7200
    settings.ADMIN_SESSION_IDLE_SECONDS = 600
    settings.CSRF_COOKIE_AGE = 3 * 86400
    text = visible_text(client.get("/cookies/").content.decode())
    assert "2 hours, or until they sign out" in text and "after 10 minutes without" in text
    assert "3 days" in text and "12 hours" not in text


def test_every_cookie_is_in_the_table_with_where_it_is_set(client):
    html = client.get("/cookies/").content.decode()
    table = html[html.index('<table class="govuk-table">') : html.index("</table>")]
    for cookie in site_cookies():
        assert f'<th scope="row" class="govuk-table__header">{cookie.name}</th>' in table
        assert cookie.where in visible_text(table)


def test_the_seeded_text_now_points_to_the_table():
    body = Page.objects.get(kind="cookies").body
    assert body == seed.NEW_BODY  # the seeded text matched, so the migration replaced it
    assert not re.search(r"\b2 weeks", body)


@pytest.mark.parametrize(
    ("edit", "changed"),
    [
        pytest.param({}, True, id="as-seeded"),
        pytest.param({"body": seed.OLD_BODY + "<p>Our own words.</p>"}, False, id="edited"),
        pytest.param({"pending_changes": {"summary": "Waiting"}}, False, id="edit-held"),
    ],
)
def test_the_migration_changes_only_text_staff_have_not_edited(edit, changed):
    Page.objects.filter(kind="cookies").update(**{"body": seed.OLD_BODY, **edit})
    before = Page.objects.get(kind="cookies").body
    seed.use_the_table(apps, None)
    after = Page.objects.get(kind="cookies").body
    assert after == (seed.NEW_BODY if changed else before)


# --- Which pages set which cookie -------------------------------------------------


def _public_url_names(patterns=None, namespace=""):
    """The name of every address outside /admin/ that the site answers."""
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if str(pattern.pattern).startswith("admin/"):
            continue
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _public_url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def _signup_data(email, **extra):
    from newsletter.forms import make_form_token

    form_token = make_form_token(now=time.time() - 10)
    return {"email": email, "website": "", "form_token": form_token, **extra}


def _public_requests(client):
    """(method, path, data) for every public page, in each state a visitor can reach."""
    from newsletter import services
    from newsletter.forms import make_form_token
    from newsletter.models import Subscriber
    from newsletter.tokens import make_confirm_token, make_manage_token, make_unsubscribe_token
    from strategy.models import Strategy
    from tests.factories import ActionPlanItemFactory, NewsPostFactory, ProgressUpdateFactory

    ProgressUpdateFactory(action_item=ActionPlanItemFactory())
    NewsPostFactory()
    sitemap = sitemap_text(client)
    for path in re.findall(r"<loc>https?://[^/]+(/[^<]*)</loc>", sitemap):
        yield "get", path, None
    edition = Strategy.objects.get().slug
    for path in [
        "/sitemap.xml",
        "/robots.txt",
        "/healthz",
        "/action-plan/action-plan.csv",
        "/action-plan/action-plan.json",
        "/news/feed/",
        "/news/feed/atom/",
        f"/editions/{edition}/",
        f"/editions/{edition}/document/",
        "/preview/not-a-real-link/",
        "/no-such-page/",
        "/newsletter/check-your-email/",
        "/newsletter/confirmed/",
        "/newsletter/unsubscribed/",
        "/newsletter/choices-saved/",
        "/newsletter/confirm/not-a-real-link/",
        "/newsletter/manage/not-a-real-link/",
        "/newsletter/unsubscribe/not-a-real-link/",
    ]:
        yield "get", path, None
    yield "post", "/newsletter/", _signup_data("not-an-address")
    yield "post", "/newsletter/", _signup_data("stale@example.com", form_token="")
    yield "post", "/newsletter/", _signup_data("fast@example.com", form_token=make_form_token())
    yield "post", "/newsletter/", _signup_data("bot@example.com", website="x")
    yield "post", "/newsletter/", _signup_data("person@example.com")
    person = Subscriber.objects.get()
    confirm = f"/newsletter/confirm/{make_confirm_token(person)}/"
    unsubscribe = f"/newsletter/unsubscribe/{make_unsubscribe_token(person)}/"
    yield "get", "/newsletter/", None
    yield "get", confirm, None
    yield "post", confirm, {}
    manage = f"/newsletter/manage/{make_manage_token(person)}/"
    yield "get", manage, None
    yield "post", manage, {"issues": "off", "progress": "off", "news": "off"}  # an error
    yield "post", manage, {"issues": "weekly", "progress": "immediately", "news": "off"}
    yield "get", unsubscribe, None
    yield "get", f"{unsubscribe}one-click/", None  # a mail app that opens it in a browser
    yield "post", f"{unsubscribe}one-click/", {}
    yield "post", unsubscribe, {}
    services.subscribe(email="again@example.com")
    with_expired_link = Subscriber.objects.get(email="again@example.com")
    with _days_ago(8):
        expired = make_confirm_token(with_expired_link)
    yield "get", f"/newsletter/confirm/{expired}/", None


def _days_ago(days):
    from unittest import mock

    return mock.patch("time.time", return_value=time.time() - days * 86400)


def _name(path):
    try:
        return resolve(path.split("?")[0]).view_name
    except Resolver404:
        return "page not found"


def _cookies_set(response):
    return {name for name, morsel in response.cookies.items() if morsel.value}


def test_exactly_the_pages_the_cookies_page_names_set_each_cookie(client):
    set_by = {}
    requested = set()
    for method, path, data in _public_requests(client):
        response = getattr(Client(), method)(path, data) if data is not None else Client().get(path)
        assert response.status_code < 500, path
        requested.add(_name(path))
        for cookie in _cookies_set(response):
            set_by.setdefault(cookie, set()).add(_name(path))
    assert set(_public_url_names()) <= requested, "some public addresses were not tried"
    declared = {
        cookie.name: cookie.public_pages for cookie in site_cookies() if cookie.public_pages
    }
    assert set_by == declared


def test_in_the_admin_only_the_cookies_the_page_names_are_set(client, django_user_model):
    from tests.newsletter.factories import SubscriberFactory

    django_user_model.objects.create_superuser("cookies", "c@example.com", "a long passphrase here")
    seen = set()
    seen |= _cookies_set(client.get("/admin/login/"))
    login = client.post(
        "/admin/login/", {"username": "cookies", "password": "a long passphrase here"}
    )
    assert login.status_code == 302
    seen |= _cookies_set(login)
    from tests.conftest import sign_in_with_code

    staff = sign_in_with_code(Client(), django_user_model.objects.get(username="cookies"))
    erase = staff.post(
        "/admin/newsletter/subscriber/",
        {"action": "erase_completely", "_selected_action": [SubscriberFactory().pk], "post": "yes"},
    )
    seen |= _cookies_set(erase)
    assert seen == {cookie.name for cookie in site_cookies() if cookie.in_admin}
