"""What readers see on each public page."""

import csv
import datetime
import io
import json

import pytest

from strategy.models import ActionPlanItem, Ambition, Board, Strategy
from tests.conftest import sitemap_text, visible_text
from tests.factories import (
    ActionPlanItemFactory,
    AmbitionFactory,
    NewsPostFactory,
    ProgressUpdateFactory,
    StrategyFactory,
)

pytestmark = pytest.mark.django_db


def streamed(response):
    """The whole body of a streamed download (and proof that it was streamed)."""
    assert response.streaming, "downloads are streamed, not built in memory"
    return b"".join(response.streaming_content)


def text_of(client, path, **params):
    response = client.get(path, params)
    assert response.status_code == 200, path
    return visible_text(response.content.decode())


def test_overview_has_a_contents_list_linking_to_each_section(client):
    html = client.get("/").content.decode()
    for anchor in ["summary", "ambitions", "rights", "parents-and-carers", "action-plan", "news"]:
        assert f'href="#{anchor}"' in html and f'id="{anchor}"' in html, anchor


def test_overview_shows_published_and_updated_dates(client):
    html = client.get("/").content.decode()
    today = datetime.date.today().strftime("%-d %B %Y")
    assert "Published <time" in html and f">{today}</time>" in html
    assert "Last updated <time" in html


def test_newsletter_call_to_action_on_every_page(client):
    for path in ["/", "/ambitions/", "/action-plan/", "/news/", "/privacy/"]:
        html = client.get(path).content.decode()
        assert f'href="/newsletter/?from={path}"' in html, path


def test_newsletter_prompt_links_the_words_sign_up(client):
    html = client.get("/").content.decode()
    assert (
        'For more news and updates, <a class="govuk-link" href="/newsletter/">sign up to our newsletter</a>.'
        in html
    )


def test_no_strategy_published_yet_gives_404_not_500(client):
    Strategy.objects.update(status=Strategy.Status.DRAFT)
    assert client.get("/").status_code == 404
    assert client.get("/action-plan/").status_code == 404
    assert client.get("/action-plan/action-plan.csv").status_code == 404


def test_superseded_edition_has_a_banner_pointing_to_the_current_one(client):
    old = StrategyFactory(
        status=Strategy.Status.SUPERSEDED, slug="2019-to-2022", title="SEND Strategy 2019 to 2022"
    )
    AmbitionFactory(strategy=old, slug="old-ambition", text="an older ambition")
    html = client.get("/editions/2019-to-2022/").content.decode()
    assert "It has been replaced." in html
    assert (
        'href="/">Read the current strategy: Medway Local Area SEND Strategy 2022 to 2025' in html
    )
    ambition_html = client.get("/ambitions/old-ambition/").content.decode()
    assert "It has been replaced." in ambition_html
    assert "It has been replaced." not in client.get("/").content.decode()


def test_current_edition_address_redirects_home(client):
    response = client.get("/editions/2022-to-2025/")
    assert response.status_code == 302 and response["Location"] == "/"


def test_draft_editions_and_their_ambitions_are_hidden(client):
    draft = StrategyFactory(slug="draft-edition")
    AmbitionFactory(strategy=draft, slug="draft-ambition")
    assert client.get("/editions/draft-edition/").status_code == 404
    assert client.get("/ambitions/draft-ambition/").status_code == 404
    assert "draft-edition" not in sitemap_text(client)


def test_ambition_page_lists_its_actions(client):
    ambition = Ambition.objects.get(slug="working-together")
    ActionPlanItemFactory(ambition=ambition, title="Run co-production workshops")
    ActionPlanItemFactory(title="Something for another ambition")
    text = text_of(client, "/ambitions/working-together/")
    assert "Working together with children and young people with SEND" in text
    assert "Run co-production workshops" in text
    assert "Something for another ambition" not in text


def test_ambition_without_actions_explains_the_plan_is_coming(client):
    text = text_of(client, "/ambitions/best-outcomes/")
    assert "No actions have been published for this ambition yet." in text


def test_empty_action_plan_explains_co_production_and_monitoring(client):
    text = text_of(client, "/action-plan/")
    assert "No actions have been published yet." in text
    assert "SEND Partnership Board" in text and "SEND Operational Board" in text
    assert "progress will be published" in text.lower() or "published on this page" in text


@pytest.fixture
def plan():
    operational = Board.objects.get(slug="send-operational-board")
    covid = Ambition.objects.get(slug="recovery-from-covid-19")
    return {
        "on_track": ActionPlanItemFactory(title="Catch-up tutoring", status="on_track"),
        "delayed": ActionPlanItemFactory(
            title="New assessment hub", status="delayed", board=operational
        ),
        "covid": ActionPlanItemFactory(title="Recovery clinics", ambition=covid, status="complete"),
    }


@pytest.mark.parametrize(
    ("params", "shown", "hidden"),
    [
        ({}, ["Catch-up tutoring", "New assessment hub", "Recovery clinics"], []),
        ({"status": "delayed"}, ["New assessment hub"], ["Catch-up tutoring", "Recovery clinics"]),
        ({"board": "send-operational-board"}, ["New assessment hub"], ["Catch-up tutoring"]),
        ({"ambition": "recovery-from-covid-19"}, ["Recovery clinics"], ["Catch-up tutoring"]),
        ({"ambition": "best-outcomes", "status": "complete"}, [], ["Catch-up tutoring"]),
    ],
)
def test_action_plan_filters(client, plan, params, shown, hidden):
    text = text_of(client, "/action-plan/", **params)
    for title in shown:
        assert title in text
    for title in hidden:
        assert title not in text
    if params:
        assert "Matching actions" in text


def test_invalid_filters_show_an_error_summary_not_a_500(client, plan):
    response = client.get("/action-plan/", {"status": "bogus", "ambition": "<script>"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html and "There is a problem" in html
    assert "Choose a status from the list" in html
    assert "<title>Error: Action plan" in html
    assert "<script>" not in html.split("</head>", 1)[1].replace('<script type="module"', "")


def test_csv_download_respects_filters_and_guards_against_formulas(client, plan):
    ActionPlanItemFactory(title="=HYPERLINK(evil)", status="delayed")
    response = client.get("/action-plan/action-plan.csv", {"status": "delayed"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(streamed(response).decode("utf-8-sig"))))
    assert {row["action"] for row in rows} == {"New assessment hub", "'=HYPERLINK(evil)"}
    assert rows[0]["status"] == "Delayed"
    assert rows[0]["page"].startswith("http://testserver/action-plan/")


def test_json_download_includes_latest_progress(client, plan):
    ProgressUpdateFactory(
        action_item=plan["covid"], date=datetime.date(2024, 3, 1), what_we_said="Open 3 clinics"
    )
    response = client.get("/action-plan/action-plan.json", {"ambition": "recovery-from-covid-19"})
    data = json.loads(streamed(response))
    assert data["strategy"] == "Medway Local Area SEND Strategy 2022 to 2025"
    assert [item["action"] for item in data["items"]] == ["Recovery clinics"]
    assert data["items"][0]["latest_update_date"] == "2024-03-01"
    assert data["items"][0]["latest_update_what_we_said"] == "Open 3 clinics"


def test_action_item_page_shows_what_we_said_and_did(client):
    update = ProgressUpdateFactory(what_we_said="Train 40 staff", what_we_did="<p>Trained 38.</p>")
    text = text_of(client, update.action_item.get_absolute_url())
    assert "What we said" in text and "Train 40 staff" in text
    assert "What we did" in text and "Trained 38." in text
    assert "SEND Partnership Board" in text


def test_action_plan_list_is_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    for _ in range(25):
        ProgressUpdateFactory()
    with django_assert_max_num_queries(15):
        client.get("/action-plan/")
    assert ActionPlanItem.objects.count() == 25


def test_news_list_pagination_and_detail(client):
    from django.utils import timezone

    for n in range(12):
        NewsPostFactory(
            title=f"Story {n}",
            slug=f"story-{n}",
            published_at=timezone.now() - datetime.timedelta(days=n + 1),
        )
    first = text_of(client, "/news/")
    assert "Story 0" in first and "Story 10" not in first
    second = client.get("/news/", {"page": 2}).content.decode()
    assert "Story 11" in second
    assert "<title>News and updates (page 2 of 2)" in second
    assert client.get("/news/", {"page": 99}).status_code == 404
    assert client.get("/news/", {"page": "x"}).status_code == 404
    assert "The body." in text_of(client, "/news/story-3/")


def test_future_news_is_hidden_everywhere(client):
    from django.utils import timezone

    NewsPostFactory(
        slug="embargoed",
        title="Embargoed",
        published_at=timezone.now() + datetime.timedelta(days=2),
    )
    assert client.get("/news/embargoed/").status_code == 404
    assert "Embargoed" not in client.get("/news/").content.decode()
    assert "Embargoed" not in client.get("/news/feed/").content.decode()
    assert "embargoed" not in sitemap_text(client)


def test_rss_and_atom_feeds(client):
    NewsPostFactory(title="Feed story", slug="feed-story")
    rss = client.get("/news/feed/")
    assert rss["Content-Type"].startswith("application/rss+xml")
    assert "<title>Feed story</title>" in rss.content.decode()
    assert "http://testserver/news/feed-story/" in rss.content.decode()
    atom = client.get("/news/feed/atom/")
    assert atom["Content-Type"].startswith("application/atom+xml")
    assert "Feed story" in atom.content.decode()


@pytest.mark.parametrize(
    ("path", "words"),
    [
        ("/accessibility/", "WCAG"),
        ("/accessibility/", "not yet tested this website with screen reader users"),
        (
            "/accessibility/",
            "axe-core finds no problems on their sign-in, home, list and editing pages",
        ),
        ("/privacy/", "Medway Council is the data controller"),
        ("/cookies/", "We do not set any cookies when you read the pages"),
        ("/contact/", "Gun Wharf"),
    ],
)
def test_standard_pages(client, path, words):
    assert words in text_of(client, path)


def test_strategy_document_link_shows_type_and_size(client, tmp_path, settings):
    from django.core.files.base import ContentFile

    settings.MEDIA_ROOT = tmp_path
    strategy = Strategy.objects.current()
    strategy.document.save("strategy.pdf", ContentFile(b"%PDF-1.4 " + b"x" * 2048))
    html = client.get("/").content.decode()
    assert "Read the Medway Local Area SEND Strategy 2022 to 2025.</a> (PDF, 2.0" in html
    assert 'href="/editions/2022-to-2025/document/"' in html
    assert "another format" in html
    document = client.get("/editions/2022-to-2025/document/")
    assert document.status_code == 200 and document["Content-Type"] == "application/pdf"
    assert b"".join(document.streaming_content).startswith(b"%PDF-1.4")


def test_missing_document_file_does_not_break_the_page(client, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    Strategy.objects.filter(status="published").update(document="strategy-documents/gone.pdf")
    response = client.get("/")
    assert response.status_code == 200
    assert "The full document is not on this website yet." in response.content.decode()
    assert client.get("/editions/2022-to-2025/document/").status_code == 404


def test_service_navigation_marks_the_current_section(client):
    html = client.get("/action-plan/").content.decode()
    assert 'href="/action-plan/" aria-current="page"' in html
    html = client.get("/ambitions/best-outcomes/").content.decode()
    assert 'href="/ambitions/" aria-current="true"' in html


def test_easy_read_text_sits_with_the_item_it_explains(client):
    from strategy.models import ChildRight

    right = ChildRight.objects.get(text__startswith="attend their local school")
    right.easy_read = "You can go to a school near you."
    right.save()
    html = client.get("/rights/").content.decode()
    item = html.split("attend their local school", 1)[1].split("</li>", 1)[0]
    assert "Easy read:</strong> You can go to a school near you." in item
