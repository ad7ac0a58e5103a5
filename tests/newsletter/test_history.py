"""History for newsletter issues, and none at all for the people who subscribe."""

import pytest
import reversion
from django.contrib.contenttypes.models import ContentType
from django.urls import NoReverseMatch, reverse
from reversion.models import Revision, Version

from newsletter import services
from newsletter.models import ConsentEvent, Delivery, NewsletterIssue, OutboundEmail, Subscriber
from tests.newsletter.factories import NewsletterIssueFactory, SubscriberFactory
from tests.strategy.test_history import form_data, inline_scripts_are_only_the_allowed_import_map

pytestmark = pytest.mark.django_db


def issue_url(view, *args):
    return reverse(f"admin:newsletter_newsletterissue_{view}", args=args)


def test_issue_changes_are_recorded_and_can_be_compared(staff_client):
    response = staff_client.post(
        issue_url("add"), {"subject": "Summer news", "body": "<p>Holiday clubs.</p>"}
    )
    assert response.status_code == 302
    issue = NewsletterIssue.objects.get()
    data = form_data(staff_client.get(issue_url("change", issue.pk)), "newsletterissue_form")
    assert data["edit_check"]
    data["body"] = "<p>Holiday clubs and short breaks.</p>"
    assert staff_client.post(issue_url("change", issue.pk), data).status_code == 302

    newer, older = Version.objects.get_for_object(issue).select_related("revision__user")
    assert [older.revision.get_comment(), newer.revision.get_comment()] == [
        "Added.",
        "Changed Body.",
    ]
    assert newer.revision.user.username == "editor"
    history = staff_client.get(issue_url("history", issue.pk))
    assert "Changed Body." in history.content.decode()
    assert inline_scripts_are_only_the_allowed_import_map(history)
    compare = staff_client.get(
        issue_url("compare", issue.pk), {"version_id1": older.pk, "version_id2": newer.pk}
    ).content.decode()
    assert "<ins>" in compare and "short breaks" in compare
    assert "&lt;p&gt;" not in compare  # rich text is compared as words, not tags


def test_a_sent_issue_cannot_be_restored_to_a_draft(staff_client):
    SubscriberFactory()
    issue = NewsletterIssueFactory()
    staff_client.post(issue_url("change", issue.pk), {"subject": issue.subject, "body": issue.body})
    version = Version.objects.get_for_object(issue).first()
    services.send_issue(issue_id=issue.pk, user=None)

    response = staff_client.get(issue_url("revision", issue.pk, version.pk), follow=True)
    assert "record of what people received" in response.content.decode()
    staff_client.post(issue_url("revision", issue.pk, version.pk), {"subject": "x", "body": "y"})
    issue.refresh_from_db()
    assert not issue.can_be_sent and issue.subject != "x"


def test_deleted_draft_issue_can_be_recovered(staff_client):
    issue = NewsletterIssueFactory(subject="Autumn news")
    staff_client.post(issue_url("delete", issue.pk), {"post": "yes"})
    version = Version.objects.get_deleted(NewsletterIssue).get()
    page = staff_client.get(issue_url("recover", version.pk))
    assert (
        staff_client.post(
            issue_url("recover", version.pk), form_data(page, "newsletterissue_form")
        ).status_code
        == 302
    )
    assert NewsletterIssue.objects.get().subject == "Autumn news"


def test_subscribers_are_never_versioned_so_erasing_leaves_no_copy(staff_client, sign_up):
    sign_up("erase.me@example.com")
    person = Subscriber.objects.get(email="erase.me@example.com")
    other = SubscriberFactory(email="delete.me@example.com")
    # Everything a newsletter manager can do to people in the admin.
    staff_client.get(reverse("admin:newsletter_subscriber_change", args=[person.pk]))
    staff_client.post(
        reverse("admin:newsletter_subscriber_changelist"),
        {"action": "erase_completely", "_selected_action": [person.pk], "post": "yes"},
    )
    staff_client.post(
        reverse("admin:newsletter_subscriber_delete", args=[other.pk]), {"post": "yes"}
    )
    assert not Subscriber.objects.exists()

    for model in [Subscriber, ConsentEvent, OutboundEmail, Delivery]:
        assert not reversion.is_registered(model)
        content_type = ContentType.objects.get_for_model(model)
        assert not Version.objects.filter(content_type=content_type).exists()
    for email in ["erase.me@example.com", "delete.me@example.com"]:
        assert not Version.objects.filter(serialized_data__icontains=email).exists()
        assert not Version.objects.filter(object_repr__icontains=email).exists()
        assert not Revision.objects.filter(comment__icontains=email).exists()
    with pytest.raises(NoReverseMatch):
        reverse("admin:newsletter_subscriber_recoverlist")
