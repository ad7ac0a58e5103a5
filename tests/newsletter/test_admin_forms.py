"""The newsletter issue form in the admin refuses a subject that is not on one line."""

import pytest
from django.urls import reverse

from newsletter.admin_forms import SUBJECT_LINE_BREAK_ERROR
from newsletter.models import NewsletterIssue
from tests.newsletter.factories import NewsletterIssueFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "subject",
    [
        "News\r\nBcc: everyone@example.com",
        "News\nand updates",
        "News\rand updates",
        "News\u2028and updates",
    ],
)
def test_a_subject_with_a_line_break_is_refused_with_a_form_error(staff_client, subject):
    response = staff_client.post(
        reverse("admin:newsletter_newsletterissue_add"), {"subject": subject, "body": "<p>Hi</p>"}
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {"subject": [SUBJECT_LINE_BREAK_ERROR]}
    assert not NewsletterIssue.objects.exists()


def test_editing_a_draft_cannot_add_a_line_break_to_its_subject(staff_client):
    issue = NewsletterIssueFactory(subject="News")
    url = reverse("admin:newsletter_newsletterissue_change", args=[issue.pk])
    form = staff_client.get(url).context["adminform"].form

    response = staff_client.post(
        url,
        {
            "subject": "News\r\nBcc: everyone@example.com",
            "body": issue.body,
            "edit_check": form["edit_check"].value(),
        },
    )

    assert response.status_code == 200
    assert SUBJECT_LINE_BREAK_ERROR in response.content.decode()
    issue.refresh_from_db()
    assert issue.subject == "News"


def test_a_one_line_subject_is_saved_as_typed(staff_client):
    response = staff_client.post(
        reverse("admin:newsletter_newsletterissue_add"),
        {"subject": "  News and updates: June  ", "body": "<p>Hi</p>"},
    )

    assert response.status_code == 302
    assert NewsletterIssue.objects.get().subject == "News and updates: June"
