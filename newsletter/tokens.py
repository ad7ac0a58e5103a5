"""Signed links in emails: one purpose each, so a confirmation link can never unsubscribe.

Confirmation links expire after 7 days and only confirm the sign-up they were
sent for. Unsubscribe and "manage your subscription" links do not expire: a
newsletter read months later must still let its reader leave the list or change
what they get. Those two also say which newsletter issue's email they were in
(0 for any other email), so an issue's report can count the people who left
from it, without anyone being tracked.
"""

import datetime

from django.core import signing

CONFIRM_SALT = "newsletter.confirm"
UNSUBSCRIBE_SALT = "newsletter.unsubscribe"
MANAGE_SALT = "newsletter.manage"
CONFIRM_MAX_AGE = datetime.timedelta(days=7)


class LinkExpired(Exception):
    """The link was genuine but is too old to use."""


class LinkInvalid(Exception):
    """The link was altered, cut short or never issued by us."""


def make_confirm_token(subscriber):
    """A token confirming this subscriber's current sign-up."""
    # Short keys keep the link short enough for every mail program to keep whole.
    return signing.dumps(
        [subscriber.public_id.hex, int(subscriber.signed_up_at.timestamp())], salt=CONFIRM_SALT
    )


def read_confirm_token(token):
    """Return (public_id, signed-up timestamp), or raise LinkExpired / LinkInvalid."""
    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    except signing.SignatureExpired:
        raise LinkExpired from None
    except signing.BadSignature:
        raise LinkInvalid from None
    if not (isinstance(data, list) and len(data) == 2 and isinstance(data[1], int)):
        raise LinkInvalid
    return data[0], data[1]


def _person_token(subscriber, issue, salt):
    # ``issue`` is a NewsletterIssue, its id, or None.
    issue_id = getattr(issue, "pk", issue) or 0
    return signing.dumps([subscriber.public_id.hex, issue_id], salt=salt)


def _read_person_token(token, salt):
    """(public id, issue id or None) from a token, or raise LinkInvalid."""
    try:
        value = signing.loads(token, salt=salt)
    except signing.BadSignature:
        raise LinkInvalid from None
    if isinstance(value, str):  # links sent before they named their issue
        return value, None
    if not (
        isinstance(value, list)
        and len(value) == 2
        and isinstance(value[0], str)
        and isinstance(value[1], int)
    ):
        raise LinkInvalid
    return value[0], value[1] or None


def make_unsubscribe_token(subscriber, issue=None):
    """A token that unsubscribes this subscriber, valid for as long as they are on the list."""
    return _person_token(subscriber, issue, UNSUBSCRIBE_SALT)


def read_unsubscribe_token(token):
    """Return (the subscriber's public id, the issue id or None), or raise LinkInvalid."""
    return _read_person_token(token, UNSUBSCRIBE_SALT)


def make_manage_token(subscriber, issue=None):
    """A token that opens this subscriber's "manage your subscription" page."""
    return _person_token(subscriber, issue, MANAGE_SALT)


def read_manage_token(token):
    """Return (the subscriber's public id, the issue id or None), or raise LinkInvalid."""
    return _read_person_token(token, MANAGE_SALT)
