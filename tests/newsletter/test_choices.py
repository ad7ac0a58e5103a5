"""Choosing what to get and how often, from the signed link in every email."""

import re

import pytest
from django.core import mail

from newsletter import emails, services
from newsletter.mailer import run_worker
from newsletter.models import ConsentEvent, Delivery, NewsletterIssue, Subscriber
from newsletter.tokens import make_manage_token, make_unsubscribe_token
from tests.newsletter.factories import NewsletterIssueFactory, SubscriberFactory
from tests.newsletter.html_forms import forms_in

pytestmark = pytest.mark.django_db


def manage_path(subscriber, issue=None):
    return f"/newsletter/manage/{make_manage_token(subscriber, issue)}/"


def choices(subscriber):
    subscriber.refresh_from_db()
    return (subscriber.issues_frequency, subscriber.progress_frequency, subscriber.news_frequency)


def test_everyone_starts_with_newsletters_as_they_happen(sign_up):
    sign_up("new@example.com")
    assert choices(Subscriber.objects.get()) == ("immediately", "off", "off")


def test_the_page_shows_the_choices_and_a_get_changes_nothing(client):
    person = SubscriberFactory(email="reader@example.com", news_frequency="weekly")
    # A mail scanner opening the link, even with the form's fields in the address.
    response = client.get(manage_path(person), {"issues": "off", "news": "off"})
    assert response.status_code == 200
    assert choices(person) == ("immediately", "off", "weekly")
    assert "reader@example.com" in response.content.decode()
    save, unsubscribe = forms_in(response.content.decode())
    assert save.method == "post" and save.buttons == ["Save my choices"]
    assert {k: v for k, v in save.inputs if k != "csrfmiddlewaretoken"} == {
        "issues": "immediately",
        "progress": "off",
        "news": "weekly",
    }
    assert unsubscribe.method == "post"
    assert unsubscribe.action.startswith("/newsletter/unsubscribe/")
    assert unsubscribe.buttons == ["Unsubscribe from everything"]
    assert response["Cache-Control"].startswith("max-age=0")


def test_saving_changes_the_choices_and_records_it(client):
    person = SubscriberFactory()
    data = {"issues": "weekly", "progress": "immediately", "news": "off"}
    response = client.post(manage_path(person), data)
    assert response.status_code == 302 and response["Location"] == "/newsletter/choices-saved/"
    assert choices(person) == ("weekly", "immediately", "off")
    event = person.events.get(kind=ConsentEvent.Kind.CHOICES_CHANGED)
    assert "Changes to the action plan and ambitions: Yes, as it happens" in event.note
    assert "You can change your choices again" in client.get(response["Location"]).content.decode()


def test_choosing_nothing_at_all_is_explained_and_changes_nothing(client):
    person = SubscriberFactory()
    response = client.post(manage_path(person), {"issues": "off", "progress": "off", "news": "off"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert "Choose at least one kind of email to get, or unsubscribe from everything" in html
    assert "<title>Error: " in html
    assert choices(person) == ("immediately", "off", "off")


def test_a_made_up_answer_is_refused(client):
    person = SubscriberFactory()
    response = client.post(manage_path(person), {"issues": "hourly", "progress": "off"})
    assert response.status_code == 200 and "govuk-error-summary" in response.content.decode()
    assert choices(person) == ("immediately", "off", "off")


def test_broken_links_and_people_who_left_get_a_plain_page(client):
    assert "This link does not work" in client.get("/newsletter/manage/nonsense/").content.decode()
    person = SubscriberFactory(status="unsubscribed")
    response = client.get(manage_path(person))
    assert "This address has unsubscribed" in response.content.decode()
    client.post(manage_path(person), {"issues": "weekly", "progress": "off", "news": "off"})
    assert choices(person) == ("immediately", "off", "off")


def test_saving_from_an_email_lifts_a_suppression(client):
    from django.utils import timezone

    person = SubscriberFactory(suppressed_at=timezone.now(), suppression_reason="Mailbox full")
    page = client.get(manage_path(person)).content.decode()
    assert "could not be delivered" in page
    client.post(manage_path(person), {"issues": "immediately", "progress": "off", "news": "off"})
    person.refresh_from_db()
    assert person.suppressed_at is None and person.suppression_reason == ""


def test_leaving_from_an_issues_links_is_counted_against_that_issue(client):
    stays, opts_out, leaves, one_click = SubscriberFactory.create_batch(4)
    issue = NewsletterIssueFactory()
    other = NewsletterIssueFactory()
    client.post(
        manage_path(opts_out, issue), {"issues": "off", "progress": "weekly", "news": "off"}
    )
    client.post(manage_path(stays, issue), {"issues": "weekly", "progress": "off", "news": "off"})
    client.post(f"/newsletter/unsubscribe/{make_unsubscribe_token(leaves, issue)}/")
    client.post(f"/newsletter/unsubscribe/{make_unsubscribe_token(one_click, issue)}/one-click/")
    client.post(f"/newsletter/unsubscribe/{make_unsubscribe_token(one_click, issue)}/")  # again
    issue.refresh_from_db()
    assert (issue.unsubscribe_count, issue.opted_out_count) == (2, 1)
    other.refresh_from_db()
    assert (other.unsubscribe_count, other.opted_out_count) == (0, 0)


def test_links_from_before_choices_existed_still_work(client):
    """Unsubscribe links already sent held only the person's id; they must keep working."""
    from django.core import signing

    person = SubscriberFactory()
    old = signing.dumps(person.public_id.hex, salt="newsletter.unsubscribe")
    client.post(f"/newsletter/unsubscribe/{old}/")
    assert Subscriber.objects.get().status == "unsubscribed"


def test_people_who_want_newsletters_weekly_are_not_sent_them_as_they_happen(mailoutbox):
    SubscriberFactory(email="now@example.com")
    SubscriberFactory(email="weekly@example.com", issues_frequency="weekly")
    SubscriberFactory(email="never@example.com", issues_frequency="off", news_frequency="weekly")
    issue = NewsletterIssueFactory()
    assert services.send_issue(issue_id=issue.pk) == 1
    run_worker(once=True, rate=0)
    assert [m.to for m in mailoutbox] == [["now@example.com"]]
    assert NewsletterIssue.objects.get().recipient_count == 1


def test_switching_to_weekly_after_an_issue_was_queued_cancels_it(mailoutbox):
    person = SubscriberFactory()
    services.send_issue(issue_id=NewsletterIssueFactory().pk)
    Subscriber.objects.filter(pk=person.pk).update(issues_frequency="weekly")
    run_worker(once=True, rate=0)
    assert mailoutbox == [] and Delivery.objects.get().status == "cancelled"


def _links(message):
    text = message.body
    html = message.alternatives[0][0]
    found = {}
    for name in ("manage", "unsubscribe"):
        pattern = rf"http://127\.0\.0\.1:8000/newsletter/{name}/[^/\s\"]+/"
        found[name] = (re.findall(pattern, text), re.findall(pattern, html))
    return found


def test_every_email_to_a_subscriber_has_both_links(mailoutbox, settings, sign_up):
    settings.NEWSLETTER_CONFIRMATION_INTERVAL_SECONDS = 0
    sign_up("new@example.com")  # a confirmation
    confirmed = SubscriberFactory(email="old@example.com")
    sign_up("old@example.com")  # "you're already signed up"
    services.send_issue(issue_id=NewsletterIssueFactory().pk)  # an issue
    run_worker(once=True, rate=0)
    content = {
        "confirmation": mail.outbox[0],
        "already subscribed": mail.outbox[1],
        "issue": mail.outbox[2],
    }
    content["reconfirmation"] = emails.reconfirmation_message(confirmed, message_id="<r@x>")
    for kind, message in content.items():
        for name, (in_text, in_html) in _links(message).items():
            assert in_text and in_html, f"the {kind} email has no {name} link"
    issue_links = _links(content["issue"])
    assert issue_links["manage"][0][0] == emails.manage_url(
        confirmed, NewsletterIssue.objects.get()
    )
