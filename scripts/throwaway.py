#!/usr/bin/env python3
"""Throwaway servers for the tests and benchmarks: PostgreSQL and Dovecot from Debian's packages.

    python3 scripts/throwaway.py postgres -- COMMAND [ARGS...]

starts a private PostgreSQL cluster, runs COMMAND with ``DATABASE_URL`` pointing
at it, then stops and deletes the cluster, passing on COMMAND's exit status.
Python code (the benchmarks, the two-instance test) uses the context managers
directly; ``dovecot()`` (an IMAP server with one mailbox, for the bounce
tests) is only used that way.

Each server gets a free port on 127.0.0.1 and a private folder made by
``tempfile.mkdtemp``, so two runs on one machine never meet, and each run only
ever stops the server it started itself. Data is thrown away, so durability is
switched off wherever that makes the server faster. Any failure to start raises
``ServiceError`` with the server's own log, so a test leg fails loudly instead
of quietly skipping.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


class ServiceError(RuntimeError):
    """A throwaway server could not be started; the message holds its output."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing is listening on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, *, timeout: float, process: subprocess.Popen | None = None) -> None:
    """Return once something accepts connections on ``port``; ServiceError after ``timeout``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise ServiceError(f"the server exited with status {process.returncode}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
            return
        time.sleep(0.05)
    raise ServiceError(f"nothing listened on port {port} within {timeout:.0f} s")


def _as_root() -> bool:
    return os.geteuid() == 0


def _private_dir(prefix: str, owner: str | None = None) -> Path:
    path = Path(tempfile.mkdtemp(prefix=prefix))
    if owner and _as_root():
        shutil.chown(path, owner, owner)
    return path


# --- PostgreSQL ----------------------------------------------------------------------


def _postgres_bin() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=_version_key)
    if not found:
        raise ServiceError(
            "PostgreSQL server binaries not found; run scripts/ensure-system-packages.sh"
        )
    return Path(found[-1]).parent


def _version_key(path: str) -> list[int]:
    return [int(part) for part in path.split("/")[4].split(".") if part.isdigit()]


def _run_as_postgres(args: list[str], **kwargs) -> subprocess.CompletedProcess:
    # initdb refuses to run as root, so as root the cluster belongs to "postgres".
    prefix = ["runuser", "-u", "postgres", "--"] if _as_root() else []
    return subprocess.run(prefix + args, capture_output=True, text=True, **kwargs)


class PostgresCluster:
    """A private cluster in its own folder; ``stop()`` and ``start()`` it again at will.

    Restarting keeps the data and the port, so a running site reconnects to the
    same DATABASE_URL (the database-outage tests use this).
    """

    def __init__(self, *, database="medway_send", max_connections=200):
        self.bin_dir = _postgres_bin()
        self.database = database
        self.max_connections = max_connections
        self.workdir = _private_dir("medway-send-pg-", owner="postgres")
        self.data = self.workdir / "data"
        self.port = None
        self.running = False

    @property
    def url(self):
        return f"postgres://postgres@127.0.0.1:{self.port}/{self.database}"

    def _pg_ctl(self, *args):
        return _run_as_postgres(
            [str(self.bin_dir / "pg_ctl"), "-D", str(self.data), *args], timeout=120
        )

    def create(self):
        """initdb, start on a free port and create the database; return the URL."""
        result = _run_as_postgres(
            [str(self.bin_dir / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust"]
            + ["-E", "UTF8", "--no-sync"]
        )
        if result.returncode:
            raise ServiceError(f"initdb failed:\n{result.stdout}{result.stderr}")
        for _attempt in range(5):  # another process may take the free port first
            self.port = free_port()
            with contextlib.suppress(ServiceError):
                self.start()
                break
        if not self.running:
            self.start()  # once more, to raise with the server's log
        result = _run_as_postgres(
            [str(self.bin_dir / "psql"), "-h", "127.0.0.1", "-p", str(self.port), "-U"]
            + ["postgres", "-q", "-c", f'CREATE DATABASE "{self.database}"', "postgres"]
        )
        if result.returncode:
            raise ServiceError(f"could not create the database:\n{result.stderr}")
        return self.url

    def start(self):
        """Start (or restart) the cluster on its port."""
        options = (
            f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.workdir} -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off "
            f"-c max_connections={self.max_connections}"
        )
        log = self.workdir / "server.log"
        result = self._pg_ctl("-l", str(log), "-w", "-t", "60", "-o", options, "start")
        if result.returncode:
            raise ServiceError(
                f"PostgreSQL did not start:\n{result.stderr}\n{log.read_text(errors='replace')}"
            )
        self.running = True

    def stop(self):
        """Stop the cluster at once (its data stays for ``start()``)."""
        if self.running:
            self._pg_ctl("-m", "immediate", "-w", "stop")
            self.running = False

    def remove(self):
        """Stop the cluster and delete its folder."""
        self.stop()
        shutil.rmtree(self.workdir, ignore_errors=True)


@contextlib.contextmanager
def postgres(*, database: str = "medway_send", max_connections: int = 200) -> Iterator[str]:
    """A private PostgreSQL cluster for the ``with`` block; yields its DATABASE_URL."""
    with postgres_cluster(database=database, max_connections=max_connections) as cluster:
        yield cluster.url


@contextlib.contextmanager
def postgres_cluster(**options) -> Iterator[PostgresCluster]:
    """Like ``postgres()``, but yields the cluster itself, to stop and restart it."""
    cluster = PostgresCluster(**options)
    try:
        cluster.create()
        yield cluster
    finally:
        cluster.remove()


# --- Dovecot (IMAP) --------------------------------------------------------------------

DOVECOT = "/usr/sbin/dovecot"

DOVECOT_CONFIG = """\
# A throwaway IMAP server: one user, maildir in a private folder, loopback only.
protocols = imap
listen = 127.0.0.1
base_dir = {workdir}/run
state_dir = {workdir}/state
log_path = {workdir}/dovecot.log
ssl = no
# Plain passwords over an unencrypted connection, which is only safe on loopback.
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = {user}
default_internal_group = {group}
default_login_user = {user}
first_valid_uid = {uid}
last_valid_uid = {uid}
mail_location = maildir:{workdir}/mail/%u
passdb {{
  driver = passwd-file
  args = scheme=PLAIN {workdir}/passwd
}}
userdb {{
  driver = passwd-file
  args = {workdir}/passwd
}}
namespace inbox {{
  inbox = yes
  separator = /
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
"""


@dataclass(frozen=True)
class ImapAccount:
    """Where a throwaway IMAP server listens, and the one account on it."""

    host: str
    port: int
    user: str
    password: str


def _dovecot_user() -> tuple[str, str, int, int]:
    """The account Dovecot's processes and mail run as: "dovecot" as root, else ourselves."""
    import grp
    import pwd

    entry = pwd.getpwnam("dovecot") if _as_root() else pwd.getpwuid(os.geteuid())
    return entry.pw_name, grp.getgrgid(entry.pw_gid).gr_name, entry.pw_uid, entry.pw_gid


@contextlib.contextmanager
def dovecot(*, user: str = "bounces", password: str | None = None) -> Iterator[ImapAccount]:
    """A private Dovecot IMAP server for the ``with`` block; yields its ImapAccount.

    Plain IMAP on a free port on 127.0.0.1 (no TLS: nothing leaves the machine),
    one user from a passwd file, maildir storage in a folder made by mkdtemp.
    Dovecot runs in the foreground as our child, so we stop exactly the server
    we started.
    """
    if not Path(DOVECOT).exists():
        raise ServiceError("Dovecot not found; run scripts/ensure-system-packages.sh")
    import secrets

    password = password or secrets.token_urlsafe(16)
    name, group, uid, gid = _dovecot_user()
    workdir = _private_dir("medway-send-dovecot-", owner=name if _as_root() else None)
    log = workdir / "dovecot.log"
    process = None
    try:
        (workdir / "passwd").write_text(f"{user}:{{PLAIN}}{password}:{uid}:{gid}::{workdir}::\n")
        for _attempt in range(5):  # another process may take the free port first
            port = free_port()
            config = workdir / "dovecot.conf"
            config.write_text(
                DOVECOT_CONFIG.format(workdir=workdir, user=name, group=group, uid=uid, port=port)
            )
            process = subprocess.Popen(  # noqa: S603 (fixed argument list)
                [DOVECOT, "-F", "-c", str(config)],
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
            )
            try:
                wait_for_port(port, timeout=20, process=process)
                break
            except ServiceError:
                _stop(process)
                process = None
        if process is None:
            output = log.read_text(errors="replace") if log.exists() else ""
            raise ServiceError(f"Dovecot did not start:\n{output}")
        yield ImapAccount(host="127.0.0.1", port=port, user=user, password=password)
    finally:
        if process is not None:
            _stop(process)
        shutil.rmtree(workdir, ignore_errors=True)


def _stop(process: subprocess.Popen) -> None:
    """Stop a server we started ourselves: SIGTERM, then SIGKILL if it lingers."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    if process.stdout is not None:
        process.stdout.close()


SERVICES = {"postgres": (postgres, "DATABASE_URL")}


def main(argv: list[str]) -> int:
    """``throwaway.py SERVICE [SERVICE...] -- COMMAND...``: run COMMAND beside the servers."""
    if "--" not in argv:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    split = argv.index("--")
    names, command = argv[:split], argv[split + 1 :]
    unknown = [name for name in names if name not in SERVICES]
    if not names or unknown or not command:
        print(f"usage: throwaway.py {{{','.join(SERVICES)}}}... -- COMMAND", file=sys.stderr)
        return 2
    env = dict(os.environ)
    with contextlib.ExitStack() as stack:
        try:
            for name in names:
                start, variable = SERVICES[name]
                env[variable] = stack.enter_context(start())
        except ServiceError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        return subprocess.run(command, env=env, check=False).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
