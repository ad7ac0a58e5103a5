"""A return path of its own for every email, so a bounce says which email it is about.

With ``BOUNCE_ADDRESS`` set (say ``bounces@send-strategy.medway.gov.uk``), each
email is sent with the envelope sender (SMTP ``MAIL FROM``, which receiving
servers turn into ``Return-Path`` and send bounces to)
``bounces+d12-3f9a0c1b2d4e5f60@send-strategy.medway.gov.uk``: "d12" is the
queue row (delivery 12) and the rest a keyed hash of it, so nobody can forge a
bounce that suppresses someone else. This is VERP (variable envelope return
path). The From header people see stays ``DEFAULT_FROM_EMAIL``.

Tokens are lower case, digits and one hyphen, so a server that changes the case
of the address, or a plus-addressing mailbox, keeps them readable.
"""

from email.utils import getaddresses

from django.conf import settings
from django.utils.crypto import constant_time_compare, salted_hmac

SALT = "newsletter.return-path"
SIGNATURE_LENGTH = 16  # hex digits: 64 bits, far beyond guessing by sending us reports


def enabled():
    return bool(settings.BOUNCE_ADDRESS)


def _signature(ref):
    return salted_hmac(SALT, ref).hexdigest()[:SIGNATURE_LENGTH]


def ref_for(row):
    """The short name of a queue row, such as "d12" for delivery 12."""
    return f"{type(row).return_path_code}{row.pk}"


def envelope_sender(row):
    """The envelope sender for the email of queue row ``row``."""
    ref = ref_for(row)
    local, _, domain = settings.BOUNCE_ADDRESS.rpartition("@")
    return f"{local}+{ref}-{_signature(ref)}@{domain}"


def apply(email, row):
    """Send ``email`` (the message of ``row``) with its own return path, if bounces are on."""
    if not enabled():
        return
    email.extra_headers.setdefault("From", email.from_email)
    email.from_email = envelope_sender(row)


def read_token(token):
    """The row name ("d12") a token is for, or None if it was not made by us."""
    ref, _, signature = token.lower().rpartition("-")
    if not ref[1:].isdigit() or not constant_time_compare(signature, _signature(ref)):
        return None
    return ref


def refs_in(values):
    """The row names in any of ``values``: header values holding addresses.

    Only addresses of the form ``<local>+<token>@<domain>`` of BOUNCE_ADDRESS
    count, and only with a token we signed.
    """
    if not enabled():
        return []
    local, _, domain = settings.BOUNCE_ADDRESS.lower().rpartition("@")
    found = []
    for _name, address in getaddresses([value for value in values if value]):
        address_local, _, address_domain = address.lower().rpartition("@")
        prefix, plus, token = address_local.partition("+")
        if plus and prefix == local and address_domain == domain:
            ref = read_token(token)
            if ref and ref not in found:
                found.append(ref)
    return found


def row_for(ref):
    """The queue row a row name is for, or None if it no longer exists."""
    from newsletter.mailer import queue_models

    for model in queue_models():
        if ref[0] == model.return_path_code:
            return model._default_manager.filter(pk=int(ref[1:])).first()
    return None
