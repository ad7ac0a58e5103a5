"""Staff sessions: a new key at sign-in, idle and absolute timeouts, real sign-out."""

import time

import pytest
from django.contrib.sessions.models import Session
from django.test import Client, override_settings

from staff.middleware import LAST_SEEN_KEY, STARTED_KEY
from tests.conftest import visible_text

from .conftest import code_for, sign_in_fully

pytestmark = pytest.mark.django_db


def age_session(client, *, started_ago=0, idle_for=0):
    """Pretend the session began ``started_ago`` seconds ago and was last used ``idle_for`` ago."""
    now = int(time.time())
    session = client.session
    session[STARTED_KEY] = now - started_ago
    session[LAST_SEEN_KEY] = now - idle_for
    session.save()


def test_signing_in_gives_a_new_session_key(client, enrolled_user, sign_in_password):
    # A session from before signing in (one an attacker might have planted, say).
    session = client.session
    session["planted"] = True
    session.save()
    before = session.session_key
    sign_in_password("it-admin")
    after_password = client.cookies["sessionid"].value
    assert after_password != before
    client.post("/admin/two-factor/code/", {"code": code_for(enrolled_user.device)})
    assert client.cookies["sessionid"].value not in (before, after_password)
    assert not Session.objects.filter(session_key=before).exists()


def test_an_active_session_carries_on(client, enrolled_user):
    sign_in_fully(client, enrolled_user)
    assert client.get("/admin/").status_code == 200
    age_session(client, started_ago=11 * 3600, idle_for=29 * 60)
    assert client.get("/admin/").status_code == 200
    # Using the admin counts as activity.
    assert int(time.time()) - client.session[LAST_SEEN_KEY] < 5


def test_idle_for_over_30_minutes_signs_out(client, enrolled_user):
    sign_in_fully(client, enrolled_user)
    client.get("/admin/")
    old_key = client.session.session_key
    age_session(client, started_ago=3600, idle_for=30 * 60 + 1)
    response = client.get("/admin/strategy/strategy/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    assert not Session.objects.filter(session_key=old_key).exists()
    login = client.get(response["Location"])
    assert "we signed you out to keep the site safe" in visible_text(login.content.decode())


def test_after_12_hours_signs_out_even_when_busy(client, enrolled_user):
    sign_in_fully(client, enrolled_user)
    client.get("/admin/")
    age_session(client, started_ago=12 * 3600 + 1, idle_for=10)
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    assert "_auth_user_id" not in client.session


@override_settings(ADMIN_SESSION_IDLE_SECONDS=120, ADMIN_SESSION_MAX_SECONDS=600)
def test_the_timeouts_come_from_settings(client, enrolled_user):
    sign_in_fully(client, enrolled_user)
    client.get("/admin/")
    age_session(client, idle_for=121)
    assert client.get("/admin/").status_code == 302


def test_a_half_signed_in_session_times_out_too(client, enrolled_user, sign_in_password):
    sign_in_password("it-admin")
    client.get("/admin/two-factor/code/")
    age_session(client, idle_for=31 * 60)
    response = client.get("/admin/two-factor/code/")
    assert response["Location"].startswith("/admin/login/")


def test_signing_out_ends_the_session_for_good(client, enrolled_user):
    sign_in_fully(client, enrolled_user)
    old_key = client.session.session_key
    assert client.post("/admin/logout/").status_code == 200
    assert not Session.objects.filter(session_key=old_key).exists()
    # Someone who copied the old cookie gets nothing with it.
    thief = Client()
    thief.cookies["sessionid"] = old_key
    response = thief.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_deactivating_someone_ends_their_sessions(client, enrolled_user):
    sign_in_fully(client, enrolled_user)
    assert client.get("/admin/").status_code == 200
    old_key = client.session.session_key
    enrolled_user.is_active = False
    enrolled_user.save()
    response = client.get("/admin/strategy/strategy/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    assert not Session.objects.filter(session_key=old_key).exists()
    assert client.post("/admin/strategy/strategy/add/", {}).status_code == 302


def test_public_pages_never_load_the_session_of_a_visitor(client):
    response = client.get("/")
    assert not response.cookies
    assert "Cookie" not in response.get("Vary", "")
