"""Signed links in emails: one purpose each, so a confirmation link can never unsubscribe.

Confirmation links expire after 7 days and only confirm the sign-up they were
sent for. Unsubscribe links do not expire: a newsletter read months later must
still let its reader leave the list.
"""

import datetime

from django.core import signing

CONFIRM_SALT = "newsletter.confirm"
UNSUBSCRIBE_SALT = "newsletter.unsubscribe"
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


def make_unsubscribe_token(subscriber):
    """A token that unsubscribes this subscriber, valid for as long as they are on the list."""
    return signing.dumps(subscriber.public_id.hex, salt=UNSUBSCRIBE_SALT)


def read_unsubscribe_token(token):
    """Return the subscriber's public id, or raise LinkInvalid."""
    try:
        value = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        raise LinkInvalid from None
    if not isinstance(value, str):
        raise LinkInvalid
    return value
