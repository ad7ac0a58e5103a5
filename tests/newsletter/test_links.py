"""Confirm and unsubscribe links: a GET never changes anything, a POST does."""

import datetime
import re

import pytest
from django.core import signing
from django.test import Client
from django.utils import timezone

from newsletter import services
from newsletter.emails import one_click_unsubscribe_url, unsubscribe_url
from newsletter.models import ConsentEvent, Delivery, OutboundEmail, Subscriber
from newsletter.tokens import make_confirm_token, make_unsubscribe_token
from tests.conftest import visible_text
from tests.newsletter.factories import NewsletterIssueFactory, SubscriberFactory

pytestmark = pytest.mark.django_db


def confirm_path(email):
    body = OutboundEmail.objects.filter(to_email=email, kind="confirmation").last().body_text
    return re.search(r"http://[^/]+(/newsletter/confirm/\S+/)", body).group(1)


def test_confirmation_link_opens_a_page_and_only_the_button_confirms(client, sign_up):
    sign_up("parent@example.com")
    path = confirm_path("parent@example.com")
    page = client.get(path)
    assert page.status_code == 200
    assert "<button" in page.content.decode() and "Confirm" in page.content.decode()
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING  # GET changed nothing
    response = client.post(path)
    assert response.status_code == 302 and response["Location"] == "/newsletter/confirmed/"
    subscriber = Subscriber.objects.get()
    assert subscriber.status == Subscriber.Status.CONFIRMED and subscriber.confirmed_at
    assert list(subscriber.events.values_list("kind", flat=True)) == ["signed_up", "confirmed"]
    assert "You're signed up" in visible_text(client.get("/newsletter/confirmed/").content.decode())
    assert client.post(path).status_code == 302  # confirming twice is harmless


def test_expired_confirmation_link_explains_what_to_do(client, monkeypatch):
    subscriber = SubscriberFactory(status=Subscriber.Status.PENDING)
    eight_days_ago = (timezone.now() - datetime.timedelta(days=8)).timestamp()
    with monkeypatch.context() as m:
        m.setattr(signing.time, "time", lambda: eight_days_ago)
        token = make_confirm_token(subscriber)
    response = client.post(f"/newsletter/confirm/{token}/")
    text = visible_text(response.content.decode())
    assert "This link has expired" in text and "sign up again" in text
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING


def test_expired_link_is_explained_before_any_button_is_pressed(client, monkeypatch):
    subscriber = SubscriberFactory(status=Subscriber.Status.PENDING)
    eight_days_ago = (timezone.now() - datetime.timedelta(days=8)).timestamp()
    with monkeypatch.context() as m:
        m.setattr(signing.time, "time", lambda: eight_days_ago)
        token = make_confirm_token(subscriber)
    text = visible_text(client.get(f"/newsletter/confirm/{token}/").content.decode())
    assert "This link has expired" in text and "Confirm</button>" not in text


def test_head_requests_are_answered(client):
    for path in ["/newsletter/", "/healthz", "/robots.txt", "/"]:
        assert client.head(path).status_code == 200, path


def test_erasing_also_forgets_the_admin_log_and_delivery_errors(staff_client):
    from django.contrib.admin.models import LogEntry

    subscriber = SubscriberFactory(email="erase-me@example.com")
    issue = NewsletterIssueFactory()
    services.send_issue(issue_id=issue.pk)
    Delivery.objects.update(last_error="550 <erase-me@example.com> rejected")
    response = staff_client.post(
        f"/admin/newsletter/subscriber/{subscriber.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 302
    assert not Subscriber.objects.exists()
    assert not LogEntry.objects.filter(object_repr__icontains="erase-me").exists()
    assert not Delivery.objects.filter(last_error__icontains="erase-me").exists()


def test_tampered_confirmation_link_explains_what_to_do(client):
    subscriber = SubscriberFactory(status=Subscriber.Status.PENDING)
    token = make_confirm_token(subscriber)
    response = client.post(f"/newsletter/confirm/{token[:-2]}xx/")
    assert "This link does not work" in response.content.decode()
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING


def test_unsubscribe_token_cannot_confirm(client):
    subscriber = SubscriberFactory(status=Subscriber.Status.PENDING)
    response = client.post(f"/newsletter/confirm/{make_unsubscribe_token(subscriber)}/")
    assert "This link does not work" in response.content.decode()
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING


def test_old_confirmation_link_does_not_resubscribe_after_unsubscribing(client, sign_up):
    sign_up("parent@example.com")
    path = confirm_path("parent@example.com")
    client.post(path)
    subscriber = Subscriber.objects.get()
    services.unsubscribe(token=make_unsubscribe_token(subscriber))
    response = client.post(path)
    assert "This link has expired" in response.content.decode()
    assert Subscriber.objects.get().status == Subscriber.Status.UNSUBSCRIBED


def test_unsubscribe_page_then_button(client):
    subscriber = SubscriberFactory()
    path = unsubscribe_url(subscriber).replace("http://127.0.0.1:8000", "")
    page = client.get(path)
    assert page.status_code == 200 and "Unsubscribe" in page.content.decode()
    assert Subscriber.objects.get().status == Subscriber.Status.CONFIRMED  # GET changed nothing
    response = client.post(path)
    assert response["Location"] == "/newsletter/unsubscribed/"
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED and subscriber.unsubscribed_at
    assert subscriber.events.filter(kind=ConsentEvent.Kind.UNSUBSCRIBED).count() == 1
    assert client.get(path)["Location"] == "/newsletter/unsubscribed/"


def test_one_click_unsubscribe_is_a_cookieless_post_with_200_and_no_redirect():
    subscriber = SubscriberFactory()
    path = one_click_unsubscribe_url(subscriber).replace("http://127.0.0.1:8000", "")
    # A mail program without one-click support opens the address: the page, no change.
    opened = Client().get(path)
    assert opened.status_code == 200 and "<button" in opened.content.decode()
    assert Subscriber.objects.get().status == Subscriber.Status.CONFIRMED
    mail_app = Client(enforce_csrf_checks=True)
    for _ in range(2):  # repeating it is harmless
        response = mail_app.post(
            path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
        )
        assert response.status_code == 200
        assert not response.cookies
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED
    assert subscriber.events.filter(kind="unsubscribed").count() == 1


def test_unsubscribing_cancels_queued_deliveries_at_once():
    subscriber = SubscriberFactory()
    issue = NewsletterIssueFactory()
    services.send_issue(issue_id=issue.pk)
    services.unsubscribe(token=make_unsubscribe_token(subscriber))
    assert Delivery.objects.get().status == Delivery.Status.CANCELLED


def test_tampered_unsubscribe_link(client):
    response = client.get("/newsletter/unsubscribe/not-a-real-token/")
    assert "This link does not work" in response.content.decode()
    one_click = Client().post("/newsletter/unsubscribe/not-a-real-token/one-click/")
    assert one_click.status_code == 400


def test_unsubscribe_link_of_an_erased_person_just_says_unsubscribed(client):
    subscriber = SubscriberFactory()
    path = unsubscribe_url(subscriber).replace("http://127.0.0.1:8000", "")
    services.erase(subscriber=subscriber)
    assert client.get(path)["Location"] == "/newsletter/unsubscribed/"
    assert client.post(path)["Location"] == "/newsletter/unsubscribed/"
