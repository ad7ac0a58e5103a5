"""Editors' rich text can never carry script onto a public page."""

import pytest

from medway_send.richtext import sanitise_html
from strategy.models import NewsPost
from tests.factories import NewsPostFactory

pytestmark = pytest.mark.django_db

ATTACKS = [
    '<p>Hello<script>alert("x")</script></p>',
    '<p><img src="x" onerror="alert(1)">Hello</p>',
    '<p><a href="javascript:alert(1)">Hello</a></p>',
    '<p onclick="alert(1)">Hello</p>',
    '<p><iframe src="https://evil.example"></iframe>Hello</p>',
    '<p style="background:url(javascript:alert(1))">Hello</p>',
    "<p><svg><script>alert(1)</script></svg>Hello</p>",
]


@pytest.mark.parametrize("html", ATTACKS)
def test_sanitiser_removes_script_and_handlers(html):
    cleaned = sanitise_html(html)
    for bad in ["<script", "onerror", "onclick", "javascript:", "<iframe", "style=", "<svg"]:
        assert bad not in cleaned.lower()
    assert "Hello" in cleaned


def test_sanitiser_keeps_what_the_editor_produces():
    html = (
        '<h2>Heading</h2><p><strong>Bold</strong> and <em>italic</em> and a <a href="'
        'https://www.medway.gov.uk/">link</a>.</p><ul><li>one</li></ul><ol><li>two</li></ol>'
    )
    assert sanitise_html(html) == html


def test_empty_editor_value_is_stored_as_empty():
    assert sanitise_html("<p></p>") == ""
    assert sanitise_html("") == ""


def test_sanitised_on_save_whatever_the_route():
    post = NewsPostFactory(body='<p>Safe</p><script>alert("x")</script>')
    post.refresh_from_db()
    assert post.body == "<p>Safe</p>"


def test_script_typed_by_an_editor_never_reaches_the_public_page(staff_client, client):
    data = {
        "title": "Attack test",
        "slug": "attack-test",
        "summary": "A summary long enough to describe the page.",
        "body": '<p>Visible words</p><script>alert("pwned")</script>'
        '<p><img src=x onerror="alert(2)"></p>',
        "published_at_0": "2024-01-01",
        "published_at_1": "10:00:00",
        "publishing_status": "published",
    }
    response = staff_client.post("/admin/strategy/newspost/add/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    html = client.get("/news/attack-test/").content.decode()
    assert "Visible words" in html
    assert "pwned" not in html and "onerror" not in html and "<img" not in html
    assert NewsPost.objects.get(slug="attack-test").body == "<p>Visible words</p>"
