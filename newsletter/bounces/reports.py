"""What a message in the bounce mailbox says, read with Python's ``email`` package.

The two standard kinds of report both arrive as ``multipart/report``:

- a delivery status notification (DSN, RFC 3464): a ``message/delivery-status``
  part, which the parser gives us as header blocks (one about the message,
  then one per recipient: Final-Recipient, Action, Status, Diagnostic-Code);
- a feedback-loop complaint (ARF, RFC 5965): a ``message/feedback-report``
  part, one header block (Feedback-Type, Original-Mail-From, ...).

Either may carry the original message (``message/rfc822``) or its headers
(``text/rfc822-headers``). Which email a report is about is read only from our
signed return path (``newsletter.return_path``): in the addresses the report
was delivered to, in an ARF's Original-Mail-From, or in the returned headers'
Return-Path. Nothing is guessed from the words of the message.
"""

import email
import email.policy
from dataclasses import dataclass, field
from email.parser import HeaderParser

from newsletter import return_path

# Where a report may name the address it was delivered to (our return path):
# Postfix adds Delivered-To and X-Original-To, Exim Envelope-To; the report's
# To is the envelope sender it was sent back to.
DELIVERY_HEADERS = ["Delivered-To", "X-Original-To", "Envelope-To", "To"]
# Mailbox full (X.2.2) is a temporary problem even when reported as permanent.
SOFT_PERMANENT_STATUSES = {"5.2.2"}


@dataclass
class RecipientStatus:
    """One per-recipient block of a DSN."""

    final_recipient: str
    original_recipient: str
    action: str
    status: str
    diagnostic: str

    @property
    def kind(self):
        """ "hard", "soft", or "" (delayed, delivered: nothing to act on)."""
        if self.action != "failed":
            return ""
        if self.status.startswith("5.") and self.status not in SOFT_PERMANENT_STATUSES:
            return "hard"
        # 4.x.x given up on, mailbox full, or no status at all: it may work later.
        return "soft"

    def names(self, address):
        """True if this block is about ``address`` (Final- or Original-Recipient)."""
        wanted = address.lower()
        return wanted in {self.final_recipient.lower(), self.original_recipient.lower()}


@dataclass
class Report:
    """What one message is: a DSN ("dsn"), a complaint ("arf"), or neither (kind "")."""

    kind: str
    message_id: str
    refs: list = field(default_factory=list)  # row names from our return path, e.g. "d12"
    recipients: list = field(default_factory=list)  # RecipientStatus, for a DSN
    feedback_type: str = ""  # for an ARF report
    complained_recipient: str = ""  # ARF Original-Rcpt-To, which may be redacted
    reported_by: str = ""


def _address(value):
    """The address from an RFC 3464 typed address field ("rfc822; a@b.example")."""
    kind, semicolon, address = (value or "").partition(";")
    return (address if semicolon else kind).strip().strip("<>")


def _status_code(value):
    """ "5.1.1" from a Status field, which may carry a comment after the code."""
    return (value or "").strip().split(" ")[0].strip()


def _parts(message):
    """The parts of a multipart/report (and of a multipart wrapping one), depth first."""
    return [part for part in message.walk() if part is not message]


def _returned_headers(parts):
    """The original message's headers, if the report returned it or them."""
    for part in parts:
        content_type = part.get_content_type()
        if content_type == "message/rfc822":
            payload = part.get_payload()
            return payload[0] if isinstance(payload, list) and payload else None
        if content_type == "text/rfc822-headers":
            return HeaderParser(policy=email.policy.default).parsestr(part.get_content())
    return None


def _block(part):
    payload = part.get_payload()
    return payload if isinstance(payload, list) else []


def read_report(raw):
    """Parse ``raw`` (the message's bytes) into a Report."""
    message = email.message_from_bytes(raw, policy=email.policy.default)
    message_id = str(message.get("Message-ID", "")).strip()
    parts = _parts(message)
    by_type = {}
    for part in parts:
        by_type.setdefault(part.get_content_type(), part)
    returned = _returned_headers(parts)
    returned_path = [str(returned.get("Return-Path", ""))] if returned is not None else []
    delivered_to = [str(value) for name in DELIVERY_HEADERS for value in message.get_all(name, [])]

    if "message/feedback-report" in by_type:
        blocks = _block(by_type["message/feedback-report"])
        fields = blocks[0] if blocks else {}
        mail_from = [str(fields.get("Original-Mail-From", ""))]
        return Report(
            kind="arf",
            message_id=message_id,
            refs=return_path.refs_in(mail_from + returned_path + delivered_to),
            feedback_type=str(fields.get("Feedback-Type", "")).strip().lower(),
            complained_recipient=_address(str(fields.get("Original-Rcpt-To", ""))),
            reported_by=str(fields.get("User-Agent", "") or message.get("From", "")).strip(),
        )
    if "message/delivery-status" in by_type:
        blocks = _block(by_type["message/delivery-status"])
        per_message = blocks[0] if blocks else {}
        recipients = [
            RecipientStatus(
                final_recipient=_address(str(block.get("Final-Recipient", ""))),
                original_recipient=_address(str(block.get("Original-Recipient", ""))),
                action=str(block.get("Action", "")).strip().lower(),
                status=_status_code(str(block.get("Status", ""))),
                diagnostic=" ".join(str(block.get("Diagnostic-Code", "")).split()),
            )
            for block in blocks[1:]
            if block.get("Final-Recipient")
        ]
        return Report(
            kind="dsn",
            message_id=message_id,
            refs=return_path.refs_in(delivered_to + returned_path),
            recipients=recipients,
            reported_by=_address(str(per_message.get("Reporting-MTA", ""))),
        )
    return Report(kind="", message_id=message_id)
