"""The real environment wins over a .env file everywhere the site starts.

These run the README's own commands (`make serve`, `make run`, manage.py) in
child processes, on free ports, with every file in a private folder.
"""

import email
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.parse import urlencode

import pytest

from tests.browser.site_server import free_port, production_env

ROOT = Path(__file__).resolve().parent.parent
DEV_ENV_FILE = "# written by make run\nDJANGO_DEBUG=true\n"


def _start(command, env, log_path):
    log = log_path.open("wb")
    return subprocess.Popen(  # noqa: S603 (fixed argument list)
        command,
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # so the whole tree (make, its shell, servers) can be stopped
    )


def _stop(process):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)


def _wait_for(url, process, log_path, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"exited with {process.returncode}:\n{log_path.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"{url} did not answer in {timeout} s:\n{log_path.read_text()}")


def _get(url, opener=None):
    try:
        with (opener or urllib.request.build_opener()).open(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def test_make_serve_obeys_the_environment_over_a_development_env_file(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text(DEV_ENV_FILE)
    port = free_port()
    env = {**production_env(tmp_path, port), "DJANGO_ENV_FILE": str(env_file)}
    env["DJANGO_DEBUG"] = "false"
    log_path = tmp_path / "serve.log"
    process = _start(["make", "--no-print-directory", "serve"], env, log_path)
    try:
        _wait_for(f"http://127.0.0.1:{port}/healthz", process, log_path)
        status, body = _get(f"http://127.0.0.1:{port}/no-such-page/")
        # The styled page, not Django's debug page listing the URL patterns.
        assert status == 404
        assert "Page not found" in body
        assert "URLconf" not in body
        # With debug off, a password-only session is sent on to the code step.
        status, body = _get(f"http://127.0.0.1:{port}/admin/login/")
        assert status == 200
        assert "DEBUG" not in body
    finally:
        _stop(process)


def test_make_serve_refuses_to_start_with_debug_on(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text(DEV_ENV_FILE)
    port = free_port()
    env = {**production_env(tmp_path, port), "DJANGO_ENV_FILE": str(env_file)}
    del env["DJANGO_DEBUG"]  # so the file's DJANGO_DEBUG=true applies
    log_path = tmp_path / "serve.log"
    process = _start(["make", "--no-print-directory", "serve"], env, log_path)
    try:
        returncode = process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        pytest.fail(f"make serve started with debug on:\n{log_path.read_text()}")
    finally:
        _stop(process)
    assert returncode != 0
    assert "Refusing to start gunicorn: DJANGO_DEBUG is on" in log_path.read_text()
    # It stopped before touching anything: no database was made.
    assert not (tmp_path / "db.sqlite3").exists()


def _manage(tmp_path, code, **env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "EMAIL_"))}
    clean.pop("DATABASE_URL", None)
    clean.pop("SITE_URL", None)
    clean.pop("PORT", None)
    return subprocess.run(
        [sys.executable, "manage.py", "shell", "-v", "0", "-c", code],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_manage_py_takes_gaps_from_the_env_file_but_obeys_the_environment(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text(
        "DJANGO_DEBUG=true\nSITE_URL=https://from-the-file.example.org\n"
        "DJANGO_ALLOWED_HOSTS=from-the-file.example.org\n"
    )
    result = _manage(
        tmp_path,
        "from django.conf import settings; print(settings.DEBUG, settings.SITE_URL)",
        DJANGO_ENV_FILE=str(env_file),
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY="k" * 60,
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "https://from-the-file.example.org"]


def test_development_site_url_follows_port(tmp_path):
    result = _manage(
        tmp_path,
        "from django.conf import settings; print(settings.SITE_URL)",
        DJANGO_ENV_FILE=os.devnull,
        DJANGO_DEBUG="true",
        PORT="18010",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "http://127.0.0.1:18010"


def test_make_run_on_another_port_links_to_that_port_and_writes_eml_files(tmp_path):
    """`PORT=… make run`: canonical links and emailed links use the port; mail is .eml."""
    port = free_port()
    mail = tmp_path / "mail"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "EMAIL_"))}
    for name in ("DATABASE_URL", "SITE_URL", "REDIS_URL"):
        env.pop(name, None)
    env.update(
        PORT=str(port),
        DJANGO_ENV_FILE=str(tmp_path / ".env"),
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        EMAIL_FILE_PATH=str(mail),
        DJANGO_MEDIA_ROOT=str(tmp_path / "media"),
    )
    log_path = tmp_path / "run.log"
    process = _start(["make", "--no-print-directory", "run"], env, log_path)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(f"{base}/healthz", process, log_path)
        assert (tmp_path / ".env").read_text().count("DJANGO_DEBUG=true") == 1
        status, home = _get(f"{base}/")
        assert status == 200
        assert f'<link rel="canonical" href="{base}/">' in home

        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        _status, form = _get(f"{base}/newsletter/", opener)
        fields = dict(re.findall(r'name="(csrfmiddlewaretoken|form_token)" value="([^"]+)"', form))
        time.sleep(2.2)  # a person takes a moment to type
        body = urlencode({**fields, "email": "parent@example.com", "website": ""}).encode()
        opener.open(urllib.request.Request(f"{base}/newsletter/", data=body), timeout=10)

        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not list(mail.glob("*.eml")):
            time.sleep(0.2)
        [written] = mail.glob("*.eml")
        message = email.message_from_bytes(written.read_bytes())
        assert message["To"] == "parent@example.com"
        text = message.get_payload()[0].get_payload(decode=True).decode()
        assert f"{base}/newsletter/confirm/" in text
    finally:
        _stop(process)
