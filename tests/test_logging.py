"""Secrets in link paths never reach any log line: Django's loggers or gunicorn's."""

import json
import logging
import subprocess
import sys
import urllib.error
import urllib.request

import pytest

from medway_send.redaction import TOKEN, RedactingFormatter, redact
from tests.browser import site_server


def test_tokens_are_removed_from_logged_paths_and_referrers():
    line = (
        'GET /newsletter/confirm/WzEyMywgNDU2XQ:1abc:def/ HTTP/1.1" 200 '
        '"https://site/newsletter/unsubscribe/ImFiYyI:1x:y/one-click/" /preview/MQ:1tZ:Zx/'
    )
    cleaned = redact(line)
    assert "WzEyMywgNDU2XQ" not in cleaned and "ImFiYyI" not in cleaned and "MQ:" not in cleaned
    assert "/newsletter/confirm/[token]/" in cleaned
    assert "/newsletter/unsubscribe/[token]/one-click/" in cleaned
    assert "/preview/[token]/" in cleaned
    assert redact("GET /action-plan/?page=2 HTTP/1.1") == "GET /action-plan/?page=2 HTTP/1.1"


def test_anything_shaped_like_a_signed_value_is_removed_wherever_it_is():
    token = "ImFiY2RlZiI:1vQx2n:3q1n2Wm0W3rVh7cVJm1Qb5Yl0c8k"
    assert redact(f"GET /some/new/route/{token}/") == f"GET /some/new/route/{TOKEN}/"
    assert redact(f"next={token.replace(':', '%3A')}") == f"next={TOKEN}"
    # Times, ports and ordinary words are left alone.
    assert (
        redact("2026-12-02 04:34:12 127.0.0.1:8000 ok") == "2026-12-02 04:34:12 127.0.0.1:8000 ok"
    )


def test_the_formatter_redacts_messages_arguments_and_tracebacks():
    formatter = RedactingFormatter("%(message)s")
    try:
        raise ValueError("/newsletter/confirm/abcdef/ broke")
    except ValueError:
        record = logging.LogRecord(
            "x", logging.ERROR, __file__, 1, "Bad: %s", ("/preview/xyz/",), sys.exc_info()
        )
    text = formatter.format(record)
    assert "abcdef" not in text and "xyz" not in text
    assert text.startswith("Bad: /preview/[token]/\n")
    assert text.endswith("ValueError: /newsletter/confirm/[token]/ broke")


TOKENS_SCRIPT = """
import json
from newsletter.models import Subscriber
from newsletter.tokens import make_confirm_token, make_unsubscribe_token
from strategy.models import Page, PreviewLink
from django.utils import timezone
pending = Subscriber.objects.create(email="pending@example.com", signup_wording_version="t",
                                    privacy_notice_version="t", signed_up_at=timezone.now())
confirmed = Subscriber.objects.create(email="confirmed@example.com", status="confirmed",
                                      signup_wording_version="t", privacy_notice_version="t")
link = PreviewLink.objects.create(item=Page.objects.get(kind="contact"))
print(json.dumps({
    "confirm": make_confirm_token(pending),
    "unsubscribe": make_unsubscribe_token(confirmed),
    "preview": link.token,
}))
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("logged_site")
    try:
        running = site_server.start(workdir, demo_args=("--items", "0", "--news", "0"))
    except site_server.SiteStartError as exc:
        pytest.fail(f"Could not start the site:\n{exc}", pytrace=False)
    yield running
    running.stop()


def _request(url, *, data=None, headers=None):
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_journeys_leave_no_token_in_any_log_line(site):
    """Confirm, unsubscribe, one-click and preview, with the errors each can meet."""
    made = subprocess.run(
        [sys.executable, str(site_server.MANAGE_PY), "shell", "-v", "0", "-c", TOKENS_SCRIPT],
        cwd=site_server.REPO_ROOT,
        env=site.env,
        capture_output=True,
        text=True,
        check=True,
    )
    tokens = json.loads(made.stdout.strip().splitlines()[-1])
    base = site.url
    confirm = f"{base}/newsletter/confirm/{tokens['confirm']}/"
    unsubscribe = f"{base}/newsletter/unsubscribe/{tokens['unsubscribe']}/"
    preview = f"{base}/preview/{tokens['preview']}/"
    statuses = {
        "confirm page": _request(confirm),
        # No CSRF cookie: django.security.csrf logs the path with the token.
        "confirm without cookie": _request(confirm, data=b"x=1"),
        "unsubscribe page": _request(unsubscribe),
        # A tampered one-click link: django.request logs "Bad Request: <path>".
        "bad one-click": _request(f"{unsubscribe[:-8]}xxxxxxxx/one-click/", data=b""),
        "one-click": _request(f"{unsubscribe}one-click/", data=b""),
        "preview": _request(preview),
        # The page's stylesheet, sent with the preview address as its Referer.
        "stylesheet": _request(f"{base}/robots.txt", headers={"Referer": preview}),
        "dead preview": _request(f"{base}/preview/{tokens['preview']}x/"),
    }
    assert statuses == {
        "confirm page": 200,
        "confirm without cookie": 403,
        "unsubscribe page": 200,
        "bad one-click": 400,
        "one-click": 200,
        "preview": 200,
        "stylesheet": 200,
        "dead preview": 404,
    }

    log = site.log()
    for name, token in tokens.items():
        for part in token.split(":"):
            assert part not in log, f"the {name} token ({part}) is in the log:\n{log}"
    # The lines are there, redacted: access lines and Django's own warnings.
    assert "/newsletter/confirm/[token]/" in log
    assert "Forbidden (CSRF cookie not set.): /newsletter/confirm/[token]/" in log
    assert "Bad Request: /newsletter/unsubscribe/[token]/one-click/" in log
    assert "/preview/[token]/" in log
