"""The plain-text part of a newsletter: words stay apart, and within words stay together."""

import pytest

from newsletter import services
from newsletter.mailer import run_worker
from newsletter.plaintext import html_to_text
from tests.newsletter.factories import NewsletterIssueFactory, SubscriberFactory
from tests.newsletter.smtp_sink import smtp_sink_fixture  # noqa: F401


@pytest.mark.parametrize(
    ("html", "text"),
    [
        # The reviewer's two examples, word for word.
        (
            '<p>We have made updates to the <a href="https://example.com/plan">action plan</a>.</p>',
            "We have made updates to the action plan (https://example.com/plan).",
        ),
        (
            '<p>The work is complete. <a href="https://example.com/plan">Read the action plan</a>'
            "</p>",
            "The work is complete. Read the action plan (https://example.com/plan)",
        ),
        # A space after an inline tag, and inside one.
        ("<p><strong>Update:</strong> the plan</p>", "Update: the plan"),
        ("<p>the<em> new </em>plan</p>", "the new plan"),
        ("<p><b>one</b> <i>two</i> <span>three</span> <code>four</code></p>", "one two three four"),
        # No space is added inside a word.
        ("<p>un<strong>believ</strong>able</p>", "unbelievable"),
        # Runs of whitespace, line breaks in the source included, become one space.
        ("<p>one  \n  two\t<strong>  three  </strong>  four</p>", "one two three four"),
        ("<p>one&nbsp;&nbsp;two</p>", "one two"),
    ],
)
def test_spaces_around_inline_tags_are_kept(html, text):
    assert html_to_text(html) == text


def test_paragraphs_lists_and_links_keep_their_shape():
    html = (
        "<h2>What we did</h2>\n<p>First <a href='https://example.com/a'>link</a> here.</p>\n"
        "<ul>\n  <li> One </li>\n  <li>Two <em>and</em> three</li>\n</ul>\n"
        "<ol><li>First</li><li>Second</li></ol><p>Line one<br>  line two</p>"
    )

    assert html_to_text(html) == (
        "What we did\n\n"
        "First link (https://example.com/a) here.\n\n"
        "* One\n* Two and three\n\n"
        "1. First\n2. Second\n\n"
        "Line one\nline two"
    )


@pytest.mark.django_db
def test_the_newsletter_as_received_has_its_words_apart(smtp_sink):
    SubscriberFactory()
    issue = NewsletterIssueFactory(
        body='<p>We have made updates to the <a href="https://example.com/plan">action plan</a>.'
        ' The work is complete. <a href="https://example.com/plan">Read the action plan</a></p>'
    )
    services.send_issue(issue_id=issue.pk)

    run_worker(once=True, rate=0)

    [message] = smtp_sink.wait_for(1)
    text = " ".join(message.get_body(("plain",)).get_content().split())
    assert "updates to the action plan (https://example.com/plan)." in text
    assert "complete. Read the action plan" in text
