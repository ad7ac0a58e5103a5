"""The action plan and each ambition page show their actions a page at a time."""

import datetime
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from strategy.models import ActionPlanItem, Ambition, Board
from strategy.views.base import ACTIONS_PER_PAGE
from tests.conftest import visible_text
from tests.factories import ActionPlanItemFactory

pytestmark = pytest.mark.django_db

ACTION_LINK = re.compile(r'<h3 class="govuk-heading-m"><a class="govuk-link" href="([^"]+)"')


def page(client, path, **params):
    response = client.get(path, params)
    assert response.status_code == 200, (path, params)
    return response.content.decode()


def action_links(html):
    return ACTION_LINK.findall(html)


def pagination_hrefs(html):
    nav = re.search(r'<nav class="govuk-pagination".*?</nav>', html, re.S)
    assert nav, "no pagination on the page"
    return [href.replace("&amp;", "&") for href in re.findall(r'href="([^"]+)"', nav.group(0))]


def title(html):
    return re.search(r"<title>(.*?) – ", html).group(1)


@pytest.fixture
def items():
    """25 actions for the first ambition, on 3 pages of 10."""
    return ActionPlanItemFactory.create_batch(25)


def test_action_plan_shows_one_page_of_actions_and_counts_them_all(client, items):
    first = page(client, "/action-plan/")
    assert len(action_links(first)) == ACTIONS_PER_PAGE == 10
    assert "All actions (25)" in visible_text(first)
    assert title(first) == "Action plan"
    last = page(client, "/action-plan/", page=3)
    assert len(action_links(last)) == 5
    assert title(last) == "Action plan (page 3 of 3)"
    every_action = set(action_links(first)) | set(action_links(last))
    every_action |= set(action_links(page(client, "/action-plan/", page=2)))
    assert every_action == {item.get_absolute_url() for item in items}


def test_pagination_links_in_order_with_rel_prev_and_next(client, items):
    html = page(client, "/action-plan/", page=2)
    nav = re.search(r'<nav class="govuk-pagination".*?</nav>', html, re.S).group(0)
    assert re.search(r'href="\?page=1#results" rel="prev"', nav)
    assert re.search(r'href="\?page=3#results" rel="next"', nav)
    assert pagination_hrefs(html) == [f"?page={n}#results" for n in (1, 1, 2, 3, 3)]
    assert 'aria-label="Page 2" aria-current="page"' in nav
    assert 'rel="prev"' not in page(client, "/action-plan/").split('class="govuk-pagination"')[1]


def test_every_pagination_link_keeps_the_filters(client):
    board = "send-operational-board"
    operational = Board.objects.get(slug=board)
    ActionPlanItemFactory.create_batch(12, board=operational, status="delayed")
    ActionPlanItemFactory.create_batch(5, status="delayed")  # another board: filtered out
    html = page(client, "/action-plan/", board=board, status="delayed")
    assert "Matching actions (12)" in visible_text(html)
    hrefs = pagination_hrefs(html)
    assert hrefs and all(f"board={board}" in h and "status=delayed" in h for h in hrefs), hrefs
    second = page(client, "/action-plan/", board=board, status="delayed", page=2)
    assert len(action_links(second)) == 2
    assert "Matching actions (12)" in visible_text(second)
    # The downloads take the filters but not the page number: they are the whole plan.
    assert f'action-plan.csv?board={board}&amp;status=delayed"' in second


def test_long_lists_leave_out_the_middle_pages(client):
    call_command("load_demo_data", items=400, updates=0, news=0, stdout=StringIO())
    html = page(client, "/action-plan/", page=20)
    numbers = [h for h in pagination_hrefs(html) if "page=" in h]
    assert numbers == [f"?page={n}#results" for n in (19, 1, 19, 20, 21, 40, 21)]
    assert html.count("govuk-pagination__item--ellipsis") == 2
    assert title(html) == "Action plan (page 20 of 40)"


@pytest.mark.parametrize("number", ["4", "0", "-1", "x", "1.5", "99999999999999999999999"])
def test_a_page_that_does_not_exist_is_a_polite_404(client, items, number):
    for path in ("/action-plan/", "/ambitions/best-outcomes/", "/news/"):
        response = client.get(path, {"page": number})
        assert response.status_code == 404, (path, number)
        assert "Page not found" in response.content.decode()


def test_ambition_page_shows_its_actions_a_page_at_a_time(client):
    ambition = Ambition.objects.get(slug="working-together")
    mine = ActionPlanItemFactory.create_batch(12, ambition=ambition)
    ActionPlanItemFactory.create_batch(3)  # other ambitions' actions stay off the page
    first = page(client, "/ambitions/working-together/")
    second = page(client, "/ambitions/working-together/", page=2)
    assert len(action_links(first)) == 10 and len(action_links(second)) == 2
    assert set(action_links(first) + action_links(second)) == {i.get_absolute_url() for i in mine}
    assert pagination_hrefs(first) == ["?page=1#actions", "?page=2#actions", "?page=2#actions"]
    assert 'id="actions"' in first
    assert title(second).endswith("(page 2 of 2)")
    assert title(first) == ambition.heading


def test_later_pages_have_a_canonical_address_of_their_own(client, items):
    first = page(client, "/action-plan/", status="on_track")
    assert '<link rel="canonical" href="http://127.0.0.1:8000/action-plan/">' in first
    second = page(client, "/action-plan/", page=2)
    assert '<link rel="canonical" href="http://127.0.0.1:8000/action-plan/?page=2">' in second


def test_last_updated_counts_actions_on_every_page(client, items):
    # The newest change is on the last page; the date shown must still be its date.
    later = timezone.now() + datetime.timedelta(days=400)
    ActionPlanItem.objects.filter(pk=items[-1].pk).update(updated_at=later)
    expected = f'Last updated <time datetime="{later:%Y-%m-%d}">'
    assert expected in page(client, "/action-plan/")
    assert expected in page(client, "/ambitions/best-outcomes/")


def count_queries(client, path):
    """How many queries ``path`` makes; none may read every action."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    for query in queries:
        sql = query["sql"]
        if re.search(r'FROM "strategy_actionplanitem"', sql):
            counted = re.match(r"SELECT (COUNT|MAX)\(", sql)
            assert counted or " LIMIT " in sql, f"{path} reads every action: {sql}"
    return len(queries)


@pytest.mark.parametrize(
    "path",
    [
        "/action-plan/",
        "/action-plan/?page=2",
        "/action-plan/?board=send-partnership-board&status=on_track",
        "/ambitions/best-outcomes/",
        "/ambitions/best-outcomes/?page=2",
        "/sitemap.xml",
        "/sitemap-actions.xml",
    ],
)
def test_queries_per_page_do_not_grow_with_the_number_of_actions(
    client, django_assert_num_queries, path
):
    call_command("load_demo_data", items=30, updates=2, news=0, stdout=StringIO())
    if "page=2" in path:  # the small plan needs a second page too
        call_command("load_demo_data", items=30, updates=2, news=0, stdout=StringIO())
    client.get(path)  # first use in this process: content types and the like are cached
    small = count_queries(client, path)
    call_command("load_demo_data", items=300, updates=2, news=0, stdout=StringIO())
    assert ActionPlanItem.objects.count() >= 330
    with django_assert_num_queries(small):
        assert count_queries(client, path) == small
