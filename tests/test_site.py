"""Site-wide guards: every public page is well formed, and the project is consistent."""

import re
from io import StringIO

import pytest
from django.core.management import call_command

from tests.browser.site_server import walk_sitemap
from tests.factories import ActionPlanItemFactory, NewsPostFactory, ProgressUpdateFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sitemap_paths(client):
    ProgressUpdateFactory(action_item=ActionPlanItemFactory())
    NewsPostFactory()

    def get(path):
        response = client.get(path)
        assert response.status_code == 200, path
        return response.content

    return walk_sitemap(get)


def test_sitemap_lists_every_kind_of_public_page(sitemap_paths):
    for expected in [
        "/",
        "/vision/",
        "/priorities/",
        "/ambitions/",
        "/ambitions/best-outcomes/",
        "/rights/",
        "/action-plan/",
        "/action-plan/test-action-0/",
        "/news/",
        "/news/test-news-0/",
        "/accessibility/",
        "/privacy/",
        "/cookies/",
        "/contact/",
        "/newsletter/",
        "/editions/",
    ]:
        assert any(re.fullmatch(expected.replace("-0/", r"-\d+/"), p) for p in sitemap_paths), (
            expected
        )


def test_every_sitemap_page_is_well_formed(client, sitemap_paths):
    titles = {}
    for path in sitemap_paths:
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.text
        assert len(re.findall(r"<h1[\s>]", html)) == 1, f"{path} must have exactly one <h1>"
        assert '<html lang="en-GB"' in html, path
        title = re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()
        assert title.endswith(" – Medway SEND Strategy – Medway Council"), (path, title)
        assert title not in titles, f"{path} has the same title as {titles.get(title)}"
        titles[title] = path
        assert re.search(r'<meta name="description" content="[^"]{20,}">', html), path
        body = html.split("<body", 1)[1]
        first_link = re.search(r"<a\s[^>]*>", body).group(0)
        assert 'href="#main-content"' in first_link and "govuk-skip-link" in first_link, path
        assert 'id="main-content"' in html, path
        has_breadcrumbs = 'class="govuk-breadcrumbs"' in html
        assert has_breadcrumbs == (path != "/"), f"{path}: breadcrumbs below the home page only"


def test_public_pages_set_no_cookies_and_carry_no_csrf_token(client, sitemap_paths):
    # Only the sign-up form needs a CSRF token (and its cookie); content pages can be cached.
    content_paths = [p for p in sitemap_paths if not p.startswith("/newsletter/")]
    assert len(content_paths) == len(sitemap_paths) - 1
    for path in content_paths:
        response = client.get(path)
        assert not response.cookies, f"{path} set cookies {list(response.cookies)}"
        assert "csrfmiddlewaretoken" not in response.text, path
        assert "Cookie" not in response.get("Vary", ""), f"{path} varies on Cookie"


def test_security_headers_on_public_pages(client):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'none'" in csp
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_no_inline_scripts_on_public_pages(client, sitemap_paths):
    for path in sitemap_paths:
        html = client.get(path).text
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in tag, f"{path} has an inline script: {tag}"
        assert not re.search(r"\son[a-z]+=", html), f"{path} has an inline event handler"


def test_404_page_is_styled_and_helpful(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.text
    assert "govuk-skip-link" in response.text
    assert "Page not found – Medway SEND Strategy – Medway Council" in response.text


def test_500_page_renders_without_the_database(rf, django_assert_num_queries):
    from strategy.views.errors import server_error

    with django_assert_num_queries(0):
        response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()


def test_robots_txt_points_to_sitemap_and_keeps_crawlers_out_of_admin(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert "Disallow: /admin/" in response.text
    assert "Sitemap: http://testserver/sitemap.xml" in response.text


def test_healthz_checks_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_reports_database_failure(client, monkeypatch):
    from django.db.backends.utils import CursorWrapper

    def broken(*args, **kwargs):
        raise RuntimeError("database down")

    monkeypatch.setattr(CursorWrapper, "execute", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


def test_no_pending_migrations():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


def test_system_checks_pass():
    out = StringIO()
    call_command("check", stdout=out)
    assert "no issues" in out.getvalue()


def test_database_errors_get_the_try_again_later_page_and_others_the_500_page(rf):
    from django.db import OperationalError

    from strategy.views.errors import server_error

    try:
        raise OperationalError("connection refused")
    except OperationalError:
        unavailable = server_error(rf.get("/"))
    try:
        raise ValueError("a bug")
    except ValueError:
        broken = server_error(rf.get("/"))

    assert unavailable.status_code == 503
    assert unavailable["Retry-After"] == "30"
    assert "Try again in a few minutes" in unavailable.content.decode()
    assert broken.status_code == 500
    assert not broken.has_header("Retry-After")
