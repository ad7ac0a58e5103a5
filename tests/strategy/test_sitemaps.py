"""/sitemap.xml is an index of sections, and a long section is split into pages."""

import re
import xml.etree.ElementTree as ET
from io import StringIO

import pytest
from django.core.management import call_command

from strategy.models import ActionPlanItem
from strategy.sitemaps import SITEMAPS, ContentSitemap
from tests.browser.site_server import walk_sitemap

pytestmark = pytest.mark.django_db

NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def xml_of(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    assert response["Content-Type"] == "application/xml"
    assert response["Cache-Control"] == "public, max-age=3600", path
    return ET.fromstring(response.content)  # noqa: S314 (our own output)


def index_paths(client):
    tree = xml_of(client, "/sitemap.xml")
    assert tree.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}sitemapindex"
    return [
        re.sub(r"^http://testserver", "", loc.text)
        for loc in tree.iterfind("sm:sitemap/sm:loc", NS)
    ]


def test_sitemap_is_an_index_of_every_section(client):
    assert index_paths(client) == [f"/sitemap-{section}.xml" for section in SITEMAPS]
    for path in index_paths(client):
        assert xml_of(client, path).tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset"


def test_a_long_section_is_split_into_pages_and_every_action_is_listed(client, monkeypatch):
    monkeypatch.setattr(ContentSitemap, "limit", 20)
    call_command("load_demo_data", items=45, updates=0, news=0, stdout=StringIO())
    actions = [p for p in index_paths(client) if "actions" in p]
    assert actions == [
        "/sitemap-actions.xml",
        "/sitemap-actions.xml?p=2",
        "/sitemap-actions.xml?p=3",
    ]
    third = xml_of(client, "/sitemap-actions.xml?p=3").findall("sm:url", NS)
    assert len(third) == 5
    listed = {p for p in walk_sitemap(lambda path: client.get(path).content) if "demo-action" in p}
    assert listed == {item.get_absolute_url() for item in ActionPlanItem.objects.all()}


def test_the_index_dates_each_section_by_its_last_change(client):
    call_command("load_demo_data", items=3, updates=0, news=0, stdout=StringIO())
    newest = ActionPlanItem.objects.latest("updated_at").updated_at
    tree = xml_of(client, "/sitemap.xml")
    for entry in tree.iterfind("sm:sitemap", NS):
        if entry.find("sm:loc", NS).text.endswith("/sitemap-actions.xml"):
            assert entry.find("sm:lastmod", NS).text.startswith(newest.date().isoformat())
            break
    else:
        pytest.fail("no actions section in the index")


@pytest.mark.parametrize(
    "path", ["/sitemap-nope.xml", "/sitemap-actions.xml?p=9", "/sitemap-actions.xml?p=x"]
)
def test_a_section_or_page_that_does_not_exist_is_404(client, path):
    assert client.get(path).status_code == 404
