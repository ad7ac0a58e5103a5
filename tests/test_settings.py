"""Production settings refuse to start when misconfigured, and pass Django's deploy checks."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GOOD_KEY = "k" * 20 + "-a-random-looking-production-secret-key-0123456789"


def run_manage(*args, **env):
    """Run manage.py in a fresh process with exactly these settings variables."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "EMAIL_"))}
    clean.pop("DATABASE_URL", None)
    # Production unless a test says otherwise (a developer's .env may say debug).
    clean.update({"DJANGO_DEBUG": "false", "DJANGO_ENV_FILE": os.devnull, **env})
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


SITE = "https://send.example.org"


def test_production_refuses_to_start_without_secret_key():
    result = run_manage("check", DJANGO_ALLOWED_HOSTS="send.example.org", SITE_URL=SITE)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize("key", ["short", "django-insecure-" + "x" * 60])
def test_production_refuses_weak_secret_keys(key):
    result = run_manage(
        "check", DJANGO_SECRET_KEY=key, DJANGO_ALLOWED_HOSTS="send.example.org", SITE_URL=SITE
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


@pytest.mark.parametrize("hosts", ["", "*"])
def test_production_refuses_to_start_without_allowed_hosts(hosts):
    result = run_manage(
        "check", DJANGO_SECRET_KEY=GOOD_KEY, DJANGO_ALLOWED_HOSTS=hosts, SITE_URL=SITE
    )
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS" in result.stderr


@pytest.mark.parametrize(
    ("site_url", "message"),
    [("", "SITE_URL must be set"), ("http://send.example.org", "SITE_URL must start with https")],
)
def test_production_refuses_a_missing_or_insecure_site_url(site_url, message):
    result = run_manage(
        "check",
        DJANGO_SECRET_KEY=GOOD_KEY,
        DJANGO_ALLOWED_HOSTS="send.example.org",
        SITE_URL=site_url,
    )
    assert result.returncode != 0
    assert message in result.stderr


def test_the_example_environment_file_cannot_be_used_as_it_is():
    example = dict(
        line.split("=", 1)
        for line in (ROOT / ".env.example").read_text().splitlines()
        if line and not line.startswith("#")
    )
    result = run_manage(
        "check",
        DJANGO_SECRET_KEY=example["DJANGO_SECRET_KEY"],
        DJANGO_ALLOWED_HOSTS=example["DJANGO_ALLOWED_HOSTS"],
        SITE_URL=example["SITE_URL"],
    )
    assert result.returncode != 0 and "DJANGO_SECRET_KEY" in result.stderr


def test_bad_boolean_is_refused_not_guessed():
    result = run_manage("check", DJANGO_DEBUG="maybe")
    assert result.returncode != 0
    assert "DJANGO_DEBUG must be true or false" in result.stderr


def test_bad_number_is_refused():
    result = run_manage("check", DJANGO_DEBUG="true", EMAIL_PORT="twenty-five")
    assert result.returncode != 0
    assert "EMAIL_PORT must be a whole number" in result.stderr


def test_deploy_checks_are_clean_with_production_settings():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SECRET_KEY=GOOD_KEY,
        DJANGO_ALLOWED_HOSTS="send.example.org",
        SITE_URL=SITE,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_debug_mode_starts_with_development_defaults():
    result = run_manage("check", DJANGO_DEBUG="true")
    assert result.returncode == 0, result.stderr


def test_forwarded_proto_is_trusted_only_when_configured():
    code = "from django.conf import settings; print(settings.SECURE_PROXY_SSL_HEADER)"
    common = {
        "DJANGO_SECRET_KEY": GOOD_KEY,
        "DJANGO_ALLOWED_HOSTS": "send.example.org",
        "SITE_URL": SITE,
    }
    untrusted = run_manage("shell", "-c", code, **common)
    trusted = run_manage("shell", "-c", code, DJANGO_TRUST_X_FORWARDED_PROTO="true", **common)
    assert untrusted.stdout.strip().splitlines()[-1] == "None", untrusted.stderr
    assert trusted.stdout.strip().splitlines()[-1] == "('HTTP_X_FORWARDED_PROTO', 'https')", (
        trusted.stderr
    )
