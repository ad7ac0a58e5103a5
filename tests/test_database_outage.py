"""With the database down, people get a styled "try again later" (503), and it recovers.

A real PostgreSQL cluster of the test's own is stopped under a running gunicorn
and started again. Runs in the PostgreSQL leg of `make test`.
"""

import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from http.cookiejar import CookieJar
from urllib.parse import urlencode

import pytest

from scripts.throwaway import postgres_cluster
from tests.browser import site_server

pytestmark = pytest.mark.skipif(
    os.environ.get("REQUIRE_POSTGRES") != "1", reason="runs in the PostgreSQL leg"
)

UNSUBSCRIBE_TOKEN_SCRIPT = """
from newsletter.models import Subscriber
from newsletter.tokens import make_unsubscribe_token
person = Subscriber.objects.create(email="reader@example.com", status="confirmed",
                                   signup_wording_version="t", privacy_notice_version="t")
print(make_unsubscribe_token(person))
"""


@pytest.fixture
def site_and_cluster(tmp_path):
    with postgres_cluster() as cluster:
        try:
            site = site_server.start(
                tmp_path,
                demo_args=("--items", "0", "--news", "0"),
                extra_env={"DATABASE_URL": cluster.url},
            )
        except site_server.SiteStartError as exc:
            pytest.fail(f"Could not start the site:\n{exc}", pytrace=False)
        try:
            yield site, cluster
        finally:
            site.stop()


def _open(opener, url, data=None):
    request = urllib.request.Request(url, data=urlencode(data).encode() if data else None)
    if data == {}:
        request.data = b""
    try:
        with opener.open(request, timeout=15) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read().decode()


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_pages_and_forms_answer_503_while_the_database_is_down_then_recover(site_and_cluster):
    site, cluster = site_and_cluster
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(CookieJar()), NoRedirects()
    )
    token = subprocess.run(
        [sys.executable, str(site_server.MANAGE_PY), "shell", "-v", "0", "-c"]
        + [UNSUBSCRIBE_TOKEN_SCRIPT],
        cwd=site_server.REPO_ROOT,
        env=site.env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()[-1]
    _status, _headers, form = _open(opener, f"{site.url}/newsletter/")
    fields = dict(re.findall(r'name="(csrfmiddlewaretoken|form_token)" value="([^"]+)"', form))
    time.sleep(2.1)  # the sign-up form's minimum fill-in time

    def sign_up(address):
        return _open(opener, f"{site.url}/newsletter/", {**fields, "email": address})

    one_click = f"{site.url}/newsletter/unsubscribe/{token}/one-click/"
    cluster.stop()
    try:
        down = {
            "home": _open(opener, f"{site.url}/"),
            "action plan": _open(opener, f"{site.url}/action-plan/"),
            "sign-up": sign_up("first@example.com"),
            "one-click unsubscribe": _open(opener, one_click, {}),
        }
        health = _open(opener, f"{site.url}/healthz")
    finally:
        cluster.start()

    for name, (status, headers, body) in down.items():
        assert status == 503, f"{name}: {status}\n{body[:500]}"
        assert headers.get("Retry-After") == "30", name
        assert "Sorry, there is a problem with the service" in body, name
        assert "Try again in a few minutes" in body, name
        assert 'class="govuk-header' in body or "govuk-generic-header" in body, name
    assert health[0] == 503

    # Back again: nobody restarts anything.
    deadline = time.monotonic() + 30
    while _open(opener, f"{site.url}/healthz")[0] != 200 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _open(opener, f"{site.url}/")[0] == 200
    assert _open(opener, f"{site.url}/action-plan/")[0] == 200
    status, headers, _body = sign_up("second@example.com")
    assert (status, headers.get("Location")) == (302, "/newsletter/check-your-email/")
    assert _open(opener, one_click, {})[0] == 200
