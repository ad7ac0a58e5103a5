"""Start the site the way production runs it, for the browser tests and the page-weight bench.

One copy of the start-up lives here. ``tests/browser/conftest.py`` imports it as part of
the test package; ``bench/page_weight.py`` puts this directory on ``sys.path`` first.

The server is gunicorn with DJANGO_DEBUG off, a fresh SQLite database holding the real
strategy (loaded by the data migrations) plus invented demo content, and static files
collected by whitenoise's compressed manifest storage, so what the browser sees matches
what visitors get. Only the TLS-related settings differ, because the test server speaks
plain HTTP on 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
MANAGE_PY = REPO_ROOT / "manage.py"
GUNICORN_CONF = REPO_ROOT / "medway_send" / "gunicorn.conf.py"
BUILD_DIR = REPO_ROOT / "static" / "build"

# Debian's Chromium, started so it makes no connections off this machine.
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Enough actions that the action plan, and the plan filtered by one board, run to more
# than one page (tests/browser/test_pagination.py).
DEMO_DATA_ARGS = ("--items", "30", "--updates", "2", "--news", "12")
HOSTS = "127.0.0.1,localhost"

# Settings inherited from the caller's shell (or set by tests/settings.py inside pytest)
# must not leak into the server: it runs on the production defaults plus what we set.
_INHERITED_PREFIXES_TO_DROP = ("DJANGO_", "DATABASE_", "EMAIL_", "GUNICORN_", "REDIS_")
_INHERITED_VARS_TO_DROP = {"SITE_URL", "HOST", "PORT", "WEB_CONCURRENCY", "DEFAULT_FROM_EMAIL"}


class SiteStartError(RuntimeError):
    """The site could not be prepared or did not come up; the message holds the output."""


@dataclass
class Site:
    """A running production-like server: ``url`` has no trailing slash."""

    url: str
    env: dict[str, str] = field(repr=False)
    workdir: Path
    log_path: Path
    process: subprocess.Popen | None = field(default=None, repr=False)

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def stop(self, timeout: float = 15) -> None:
        """Stop gunicorn (our own child process only) and wait for it to exit."""
        proc = self.process
        if proc is None or proc.poll() is not None:
            return
        proc.terminate()  # SIGTERM: gunicorn's master stops its workers gracefully
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def production_env(workdir: Path, port: int) -> dict[str, str]:
    """The environment for manage.py and gunicorn: production settings, local plain HTTP."""
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in _INHERITED_VARS_TO_DROP and not name.startswith(_INHERITED_PREFIXES_TO_DROP)
    }
    env.update(
        {
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(48),  # 64 characters
            "DJANGO_ALLOWED_HOSTS": HOSTS,
            "DATABASE_URL": f"sqlite:///{workdir / 'db.sqlite3'}",
            "DJANGO_STATIC_ROOT": str(workdir / "staticfiles"),
            "DJANGO_MEDIA_ROOT": str(workdir / "media"),
            "EMAIL_FILE_PATH": str(workdir / "mail"),
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "DJANGO_SECURE_COOKIES": "false",
            "DJANGO_HSTS_SECONDS": "0",
            "SITE_URL": f"http://127.0.0.1:{port}",
            "HOST": "127.0.0.1",
            "PORT": str(port),
            "WEB_CONCURRENCY": "2",
            "PYTHONDONTWRITEBYTECODE": "1",
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


def _run(args: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(
        args,
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    if result.returncode != 0:
        raise SiteStartError(
            f"{' '.join(args[1:])} failed with exit status {result.returncode}\n"
            f"--- stdout ---\n{result.stdout}\n--- stderr ---\n{result.stderr}"
        )


def prepare(env: dict[str, str], demo_args: tuple[str, ...] = DEMO_DATA_ARGS) -> None:
    """Migrate (which loads the strategy), collect static files and add demo content."""
    if not (BUILD_DIR / "css" / "main.css").exists():
        raise SiteStartError(
            f"{BUILD_DIR} has no built CSS: run `npm run build` (or `make build`) first."
        )
    py = sys.executable
    _run([py, str(MANAGE_PY), "migrate", "--no-input", "-v", "0"], env)
    _run([py, str(MANAGE_PY), "collectstatic", "--no-input", "-v", "0"], env)
    _run([py, str(MANAGE_PY), "load_demo_data", *demo_args], env)


def wait_until_healthy(site: Site, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    last_error = "no answer yet"
    while time.monotonic() < deadline:
        if site.process is not None and site.process.poll() is not None:
            raise SiteStartError(
                f"gunicorn exited with status {site.process.returncode} before answering "
                f"/healthz\n--- server log ---\n{site.log()}"
            )
        try:
            with urllib.request.urlopen(f"{site.url}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
                last_error = f"status {response.status}"
        except urllib.error.HTTPError as exc:
            last_error = f"status {exc.code}"
        except OSError as exc:
            last_error = repr(exc)
        time.sleep(0.2)
    raise SiteStartError(
        f"/healthz did not answer 200 within {timeout:g} s (last: {last_error})\n"
        f"--- server log ---\n{site.log()}"
    )


def start(
    workdir: Path,
    *,
    port: int | None = None,
    timeout: float = 30,
    demo_args: tuple[str, ...] = DEMO_DATA_ARGS,
    extra_env: dict[str, str] | None = None,
    prepared: bool = False,
) -> Site:
    """Prepare a database in ``workdir`` and start gunicorn on it; the caller must stop().

    ``extra_env`` overrides settings (a PostgreSQL DATABASE_URL, say) for both the
    preparation commands and the server. With ``prepared`` the database and static
    files named in ``extra_env`` are ready already (another server's), so only
    gunicorn starts.
    """
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    port = port or free_port()
    env = {**production_env(workdir, port), **(extra_env or {})}
    if not prepared:
        prepare(env, demo_args)
    site = Site(
        url=f"http://127.0.0.1:{port}",
        env=env,
        workdir=workdir,
        log_path=workdir / "gunicorn.log",
    )
    with site.log_path.open("wb") as log:
        site.process = subprocess.Popen(  # noqa: S603 (fixed argument list)
            [sys.executable, "-m", "gunicorn", "-c", str(GUNICORN_CONF)],
            cwd=REPO_ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_until_healthy(site, timeout=timeout)
    except BaseException:
        site.stop()
        raise
    return site


@contextlib.contextmanager
def running_site(workdir: Path | None = None):
    """``with running_site() as site:`` – a temporary directory unless one is given."""
    with contextlib.ExitStack() as stack:
        if workdir is None:
            workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="medway-")))
        site = start(workdir)
        try:
            yield site
        finally:
            site.stop()


SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def walk_sitemap(get: Callable[[str], bytes], path: str = "/sitemap.xml") -> list[str]:
    """The URL paths a sitemap lists, in order, without duplicates.

    ``get(path)`` returns the body of a sitemap. A sitemap index is followed to
    each of its sitemaps (every page of every section) in turn.
    """
    tree = ET.fromstring(get(path))  # noqa: S314 (our own server's output)
    ns = {"sm": SITEMAP_NS}
    paths: list[str] = []
    if tree.tag == f"{{{SITEMAP_NS}}}sitemapindex":
        found = [
            page
            for loc in tree.iterfind("sm:sitemap/sm:loc", ns)
            for page in walk_sitemap(get, _path_and_query(loc.text))
        ]
    else:
        found = [_path_and_query(loc.text) for loc in tree.iterfind("sm:url/sm:loc", ns)]
    for page in found:
        if page and page not in paths:
            paths.append(page)
    return paths


def _path_and_query(url: str | None) -> str:
    parts = urllib.parse.urlsplit((url or "").strip())
    return parts.path + (f"?{parts.query}" if parts.query else "")


def sitemap_paths(base_url: str) -> list[str]:
    """The URL paths listed by ``base_url``/sitemap.xml and the sitemaps it indexes."""
    base = base_url.rstrip("/")

    def get(path: str) -> bytes:
        with urllib.request.urlopen(f"{base}{path}", timeout=10) as response:
            return response.read()

    paths = walk_sitemap(get)
    if not paths:
        raise AssertionError(f"{base_url}/sitemap.xml lists no URLs")
    return paths
