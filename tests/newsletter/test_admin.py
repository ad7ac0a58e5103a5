"""What newsletter managers do in the admin."""

import csv
import io

import pytest
import reversion
from django.urls import reverse

from newsletter.models import (
    ConsentEvent,
    Delivery,
    ErasureRecord,
    NewsletterIssue,
    OutboundEmail,
    Subscriber,
)
from tests.conftest import visible_text
from tests.newsletter.factories import NewsletterIssueFactory, SubscriberFactory
from tests.newsletter.html_forms import forms_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(staff_client, django_user_model):
    django_user_model.objects.filter(username="editor").update(email="editor@medway.gov.uk")
    return staff_client


@pytest.mark.parametrize("name", ["subscriber", "newsletterissue", "outboundemail"])
def test_changelists_load(manager, name):
    SubscriberFactory()
    assert manager.get(reverse(f"admin:newsletter_{name}_changelist")).status_code == 200


def test_subscriber_list_shows_counts_per_status_and_filters(manager):
    SubscriberFactory.create_batch(2)
    SubscriberFactory(status="pending")
    html = manager.get(reverse("admin:newsletter_subscriber_changelist")).content.decode()
    assert "Confirmed: <strong>2</strong>" in html
    assert "Waiting for confirmation: <strong>1</strong>" in html
    filtered = manager.get(reverse("admin:newsletter_subscriber_changelist"), {"status": "pending"})
    assert "1 subscriber" in filtered.content.decode()


def test_subscribers_cannot_be_added_by_hand(manager):
    assert manager.get(reverse("admin:newsletter_subscriber_add")).status_code == 403


def test_export_all_subscribers_as_csv(manager):
    SubscriberFactory(email="one@example.com", signup_page="/rights/")
    response = manager.get(reverse("admin:newsletter_subscriber_export"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert rows[0]["email"] == "one@example.com" and rows[0]["signup_page"] == "/rights/"
    assert rows[0]["confirmed_at"]


def _person_with_everything(email="erase@example.com"):
    """A subscriber with a consent record, a queued email, a delivery error and a log line."""
    from django.contrib.admin.models import CHANGE, LogEntry
    from django.contrib.auth import get_user_model
    from django.contrib.contenttypes.models import ContentType

    from newsletter import services

    services.subscribe(email=email, signup_page="/rights/")
    person = Subscriber.objects.for_email(email).get()
    Delivery.objects.create(
        issue=NewsletterIssueFactory(),
        subscriber=person,
        status="failed",
        last_error=f"550 {email}",
    )
    LogEntry.objects.create(
        user=get_user_model().objects.first(),
        content_type=ContentType.objects.get_for_model(Subscriber),
        object_id=str(person.pk),
        object_repr=email,
        action_flag=CHANGE,
    )
    return person


def _erase(manager, pks, **extra):
    return manager.post(
        reverse("admin:newsletter_subscriber_changelist"),
        {"action": "erase_completely", "_selected_action": pks, **extra},
    )


def test_erase_action_first_shows_what_will_go_and_deletes_nothing(manager):
    from django.contrib.admin.models import LogEntry

    person = _person_with_everything()
    response = _erase(manager, [person.pk])
    assert response.status_code == 200
    text = visible_text(response.content.decode())
    assert "Erase 1 person completely?" in text and "erase@example.com" in text
    for words in [
        "their consent record",
        "every email queued or sent to them",
        "the admin's log of changes made to them",
        "any error message from a newsletter",
        "You cannot undo this.",
    ]:
        assert words in text, words
    (form,) = [f for f in forms_in(response.content.decode()) if "post" in f.names()]
    assert form.value("action") == "erase_completely" and form.value("post") == "yes"
    assert form.value("_selected_action") == str(person.pk)
    assert 'value="Yes, erase them"' in response.content.decode()
    assert 'href="/admin/newsletter/subscriber/" class="button cancel-link">Cancel</a>' in (
        response.content.decode()
    )
    assert Subscriber.objects.exists() and OutboundEmail.objects.exists()
    assert Delivery.objects.get().last_error and LogEntry.objects.exists()
    assert not ErasureRecord.objects.exists()


def test_confirming_erases_everything_and_records_who_and_how_many(manager):
    from django.contrib.admin.models import LogEntry

    people = [_person_with_everything(f"erase{n}@example.com") for n in range(2)]
    kept = SubscriberFactory(email="kept@example.com")
    response = _erase(manager, [p.pk for p in people], post="yes")
    assert response.status_code == 302
    assert list(Subscriber.objects.all()) == [kept]
    assert not ConsentEvent.objects.filter(subscriber__in=people).exists()
    assert not OutboundEmail.objects.filter(to_email__startswith="erase").exists()
    assert not LogEntry.objects.filter(object_repr__startswith="erase").exists()
    assert [d.last_error for d in Delivery.objects.all()] == ["", ""]
    assert all(d.subscriber_id is None for d in Delivery.objects.all())
    record = ErasureRecord.objects.get()
    assert (record.erased_by.username, record.erased_by_username) == ("editor", "editor")
    assert record.people_count == 2 and record.action == ErasureRecord.Action.ERASE_SELECTED
    assert "Erased 2 people" in visible_text(manager.get(response["Location"]).content.decode())


def test_the_erasure_record_holds_no_address(manager):
    person = _person_with_everything("Unique.Person@example.com")
    _erase(manager, [person.pk], post="yes")
    record = ErasureRecord.objects.get()
    values = [str(getattr(record, f.attname)) for f in ErasureRecord._meta.concrete_fields]
    for text in [*values, str(record)]:
        assert "unique.person" not in text.lower() and "example.com" not in text
    listing = manager.get(reverse("admin:newsletter_erasurerecord_changelist"))
    assert "Unique.Person" not in listing.content.decode()
    assert not reversion.is_registered(ErasureRecord)


def test_erase_confirmation_lists_a_few_addresses_then_how_many_more(manager):
    people = [SubscriberFactory(email=f"p{n:02}@example.com") for n in range(13)]
    text = visible_text(_erase(manager, [p.pk for p in people]).content.decode())
    assert "You have chosen 13 people" in text
    assert "p09@example.com" in text and "p10@example.com" not in text
    assert "and 3 more" in text


def test_delete_selected_is_not_offered_for_people(manager):
    SubscriberFactory()
    html = manager.get(reverse("admin:newsletter_subscriber_changelist")).content.decode()
    assert 'value="erase_completely"' in html and 'value="delete_selected"' not in html


def test_single_delete_asks_the_same_way_then_erases_and_records(manager):
    person = _person_with_everything("one@example.com")
    url = reverse("admin:newsletter_subscriber_delete", args=[person.pk])
    page = visible_text(manager.get(url).content.decode())
    assert "Erase this person completely?" in page and "You cannot undo this." in page
    assert "every email queued or sent to them" in page
    response = manager.post(url, {"post": "yes"})
    assert response["Location"] == reverse("admin:newsletter_subscriber_changelist")
    assert not Subscriber.objects.exists() and not OutboundEmail.objects.exists()
    record = ErasureRecord.objects.get()
    assert record.people_count == 1 and record.action == ErasureRecord.Action.DELETE_ONE
    after = visible_text(manager.get(response["Location"]).content.decode())
    assert "Erased 1 person" in after and "one@example.com" not in after


def test_erasure_records_are_read_only_and_newsletter_managers_can_read_them(client, manager):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from tests.conftest import sign_in_with_code

    _erase(manager, [SubscriberFactory().pk], post="yes")
    record = ErasureRecord.objects.get()
    assert manager.get(reverse("admin:newsletter_erasurerecord_add")).status_code == 403
    change = manager.post(
        reverse("admin:newsletter_erasurerecord_change", args=[record.pk]), {"people_count": 0}
    )
    assert change.status_code == 403
    delete = manager.post(
        reverse("admin:newsletter_erasurerecord_delete", args=[record.pk]), {"post": "yes"}
    )
    assert delete.status_code == 403 and ErasureRecord.objects.get().people_count == 1

    newsletter_manager = get_user_model().objects.create_user(
        "nm", "nm@medway.gov.uk", "a long passphrase here", is_staff=True
    )
    newsletter_manager.groups.add(Group.objects.get(name="Newsletter manager"))
    other = sign_in_with_code(type(client)(), newsletter_manager)
    listing = other.get(reverse("admin:newsletter_erasurerecord_changelist"))
    assert listing.status_code == 200 and "editor" in listing.content.decode()


def test_subscriber_change_page_shows_the_consent_record(manager):
    from newsletter import services

    services.subscribe(email="record@example.com", signup_page="/rights/")
    subscriber = Subscriber.objects.get()
    html = manager.get(
        reverse("admin:newsletter_subscriber_change", args=[subscriber.pk])
    ).content.decode()
    assert "consent record" in html.lower() and "Signed up" in html and "/rights/" in html


def test_preview_shows_the_email_exactly(manager):
    issue = NewsletterIssueFactory(subject="Preview me")
    page = manager.get(reverse("admin:newsletter_issue_preview", args=[issue.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Preview me" in html and "Read them (https://example.com/plan)" in html
    assert "<iframe" in html and "sandbox" in html
    frame = manager.get(reverse("admin:newsletter_issue_preview_html", args=[issue.pk]))
    assert '<a href="https://example.com/plan">Read them</a>' in frame.content.decode()
    assert "script-src" not in frame["Content-Security-Policy"]
    assert frame["X-Frame-Options"] == "SAMEORIGIN"


def test_send_a_test_to_yourself(manager):
    issue = NewsletterIssueFactory()
    url = reverse("admin:newsletter_issue_test", args=[issue.pk])
    assert "editor@medway.gov.uk" in manager.get(url).content.decode()
    manager.post(url)
    email = OutboundEmail.objects.get()
    assert email.to_email == "editor@medway.gov.uk" and email.subject.startswith("[Test]")


def test_sending_states_how_many_then_sends_once(manager):
    SubscriberFactory.create_batch(3)
    SubscriberFactory(status="pending")
    issue = NewsletterIssueFactory()
    url = reverse("admin:newsletter_issue_send", args=[issue.pk])
    confirm_page = manager.get(url).content.decode()
    assert "<strong>3 people</strong>" in confirm_page
    assert NewsletterIssue.objects.get().can_be_sent  # the GET sent nothing
    manager.post(url)
    manager.post(url)
    assert Delivery.objects.count() == 3
    change = manager.get(reverse("admin:newsletter_newsletterissue_change", args=[issue.pk]))
    html = change.content.decode()
    assert '<progress id="send-progress" max="3" value="0">' in html
    assert "Still to send: 3" in html
    assert 'name="subject"' not in html  # a sent issue can no longer be edited


def test_issue_body_is_sanitised(manager):
    response = manager.post(
        reverse("admin:newsletter_newsletterissue_add"),
        {"subject": "Hello", "body": "<p>Hi</p><script>alert(1)</script>"},
    )
    assert response.status_code == 302
    assert NewsletterIssue.objects.get().body == "<p>Hi</p>"


def test_failed_deliveries_are_listed_and_can_be_tried_again(manager):
    subscriber = SubscriberFactory(email="bounced@example.com")
    issue = NewsletterIssueFactory()
    delivery = Delivery.objects.create(
        issue=issue, subscriber=subscriber, status="failed", attempts=8, last_error="550 no"
    )
    listing = manager.get(
        reverse("admin:newsletter_delivery_changelist"), {"issue__id__exact": issue.pk}
    ).content.decode()
    assert "bounced@example.com" in listing and "550 no" in listing
    manager.post(
        reverse("admin:newsletter_delivery_changelist"),
        {"action": "retry_now", "_selected_action": [delivery.pk]},
    )
    delivery.refresh_from_db()
    assert delivery.status == "queued" and delivery.attempts == 0


def test_view_only_staff_cannot_retry_or_send_tests(client, django_user_model):
    from django.contrib.auth.models import Permission

    viewer = django_user_model.objects.create_user(
        "viewer", "v@example.com", "x" * 20, is_staff=True
    )
    viewer.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_outboundemail", "view_newsletterissue"])
    )
    client.force_login(viewer)
    email = OutboundEmail.objects.create(
        kind="c", to_email="y@example.com", subject="s", body_text="t", status="failed"
    )
    client.post(
        reverse("admin:newsletter_outboundemail_changelist"),
        {"action": "retry_now", "_selected_action": [email.pk]},
    )
    email.refresh_from_db()
    assert email.status == "failed"
    issue = NewsletterIssueFactory()
    assert client.post(reverse("admin:newsletter_issue_test", args=[issue.pk])).status_code == 403
    assert not OutboundEmail.objects.exclude(pk=email.pk).exists()
