"""Fixtures shared by the whole suite."""

import os
import re

import pytest
from django.db import connection


@pytest.fixture(scope="session", autouse=True)
def _postgres_leg_really_uses_postgres(request):
    """On the PostgreSQL leg, fail loudly rather than quietly testing SQLite."""
    if os.environ.get("REQUIRE_POSTGRES") == "1":
        assert os.environ.get("DATABASE_URL", "").startswith("postgres"), "DATABASE_URL not set"
        assert connection.vendor == "postgresql", f"running on {connection.vendor}"


def sign_in_with_code(client, user):
    """Sign ``client`` in as ``user``, password and two-factor code steps both done."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client.force_login(user)
    # What staff.two_factor.mark_verified leaves in the session after a right code.
    device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def staff_client(client, django_user_model):
    """A client signed in as a superuser, as council IT would be, code step included."""
    user = django_user_model.objects.create_superuser(
        "editor", "editor@example.com", "a long enough passphrase for tests"
    )
    return sign_in_with_code(client, user)


def visible_text(html):
    """The words a reader would see in an HTML page, whitespace collapsed."""
    html = re.sub(r"(?is)<(script|style|head)\b.*?</\1>", " ", html)
    # Block-level tags separate words; inline ones (links, emphasis) do not.
    html = re.sub(
        r"(?i)</?(p|li|ul|ol|h[1-6]|div|section|nav|br|dt|dd|tr|td|th)\b[^>]*>", " ", html
    )
    text = re.sub(r"<[^>]+>", "", html)
    text = (
        text.replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&quot;", '"')
        .replace("&amp;", "&")
        .replace("&nbsp;", " ")
    )
    return re.sub(r"\s+", " ", text).strip()


def sitemap_text(client):
    """The sitemap index and every sitemap it lists, as one text (to check what is left out)."""
    from tests.browser.site_server import walk_sitemap

    bodies = []

    def get(path):
        response = client.get(path)
        assert response.status_code == 200, path
        bodies.append(response.content.decode())
        return response.content

    walk_sitemap(get)
    return "\n".join(bodies)
