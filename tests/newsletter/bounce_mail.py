"""A real IMAP server (Dovecot) for the bounce tests, and real bounce reports to put in it.

    from tests.newsletter.bounce_mail import bounce_mailbox_fixture  # noqa: F401

gives a test the ``bounce_mailbox`` fixture: an empty INBOX on a Dovecot
server started once per test session (``scripts/throwaway.py``), the
BOUNCE_IMAP_* settings pointing at it, and helpers to append a report to it
(by IMAP APPEND, as the council's mail server would deliver one) and to see
what is in each folder. If Dovecot cannot start, the tests fail, never skip.

The reports in ``bounce_messages/`` are written by hand in the formats real
servers send: a Postfix DSN (hard, soft and delayed), an Exim DSN, an ARF
spam complaint from a mailbox provider's feedback loop, and an out-of-office
reply. ``report(name, ...)`` fills in the return path, recipient, subject and
Message-ID of the email each is about.
"""

import string
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from imapclient import IMAPClient

ROOT = Path(__file__).resolve().parents[2]
MESSAGES = Path(__file__).with_name("bounce_messages")
BOUNCE_ADDRESS = "bounces@send-strategy.example"

sys.path.insert(0, str(ROOT / "scripts"))
import throwaway  # noqa: E402


def report(name, *, return_path, recipient, subject="News and updates", message_id="<x@y>"):
    """The bytes of fixture ``name`` (without .eml) about one email we sent, with CRLF lines."""
    text = string.Template((MESSAGES / f"{name}.eml").read_text()).substitute(
        return_path=return_path, recipient=recipient, subject=subject, message_id=message_id
    )
    return text.replace("\n", "\r\n").encode()


@dataclass
class BounceMailbox:
    account: throwaway.ImapAccount

    def client(self):
        client = IMAPClient(self.account.host, port=self.account.port, ssl=False, timeout=10)
        client.login(self.account.user, self.account.password)
        return client

    def append(self, *messages, folder="INBOX"):
        """Deliver ``messages`` (bytes) to ``folder``, as the council's mail server would."""
        client = self.client()
        try:
            for message in messages:
                client.append(folder, message)
        finally:
            client.logout()

    def uids(self, folder="INBOX"):
        """The UIDs in ``folder`` (an empty list if it does not exist yet)."""
        client = self.client()
        try:
            if not client.folder_exists(folder):
                return []
            client.select_folder(folder, readonly=True)
            return client.search("ALL")
        finally:
            client.logout()

    def flags(self, folder="INBOX"):
        """{uid: flags} for every message in ``folder``."""
        client = self.client()
        try:
            client.select_folder(folder, readonly=True)
            uids = client.search("ALL")
            fetched = client.fetch(uids, ["FLAGS"]) if uids else {}
            return {uid: data[b"FLAGS"] for uid, data in fetched.items()}
        finally:
            client.logout()

    def empty(self):
        """Delete every folder's messages, so each test starts with an empty mailbox."""
        client = self.client()
        try:
            for _flags, _delimiter, name in client.list_folders():
                client.select_folder(name)
                uids = client.search("ALL")
                if uids:
                    client.delete_messages(uids)
                    client.expunge()
        finally:
            client.logout()


@pytest.fixture(scope="session")
def imap_account():
    """One Dovecot for the test session."""
    try:
        with throwaway.dovecot() as account:
            yield account
    except throwaway.ServiceError as exc:
        pytest.fail(f"Could not start Dovecot for the bounce tests:\n{exc}", pytrace=False)


def use_mailbox(settings, account):
    """Point the BOUNCE_* settings (via pytest-django's ``settings``) at ``account``."""
    settings.BOUNCE_ADDRESS = BOUNCE_ADDRESS
    settings.BOUNCE_IMAP_HOST = account.host
    settings.BOUNCE_IMAP_PORT = account.port
    settings.BOUNCE_IMAP_SSL = False
    settings.BOUNCE_IMAP_USER = account.user
    settings.BOUNCE_IMAP_PASSWORD = account.password
    settings.BOUNCE_IMAP_FOLDER = "INBOX"
    settings.BOUNCE_IMAP_PROCESSED_FOLDER = "Processed"


@pytest.fixture(name="bounce_mailbox")
def bounce_mailbox_fixture(imap_account, settings):
    """An empty bounce mailbox on the session's Dovecot, with the settings pointing at it."""
    mailbox = BounceMailbox(imap_account)
    mailbox.empty()
    use_mailbox(settings, imap_account)
    return mailbox


bounce_mailbox = bounce_mailbox_fixture
