"""Acting on one bounce report or complaint, matched to the email it is about.

The email is found by the signed token in its return path, never by the
report's words; the report's recipient (Final-Recipient or Original-Recipient
of a DSN, the domain of an ARF's Original-Rcpt-To, which providers often
redact) must then name the address we sent to, or nothing is done.

- A hard bounce (the address does not exist) suppresses the address at once.
- A soft bounce (a full mailbox, a server down for days) is noted on the
  email. Once the person's last BOUNCE_SOFT_LIMIT emails, counting back from
  the bounced one, have all soft-bounced, the address is suppressed. An email
  in between that brought no bounce breaks the run: a message handed to the
  relay is no proof it arrived, but an earlier email that has had as long to
  bounce and did not, is.
- A complaint (the person pressed "this is spam") unsubscribes them from
  everything, as GOV.UK's email alerts do.
"""

import heapq
import logging

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format

from newsletter import return_path, services, suppression
from newsletter.models import (
    ConsentEvent,
    Delivery,
    Feedback,
    MailboxMessage,
    OutboundEmail,
    Subscriber,
    SubscriberEmail,
)
from newsletter.models.outbox import MessageStatus

logger = logging.getLogger(__name__)

Outcome = MailboxMessage.Outcome
# A stronger kind of feedback is never overwritten by a weaker one.
STRENGTH = {"": 0, Feedback.SOFT_BOUNCE: 1, Feedback.HARD_BOUNCE: 2, Feedback.COMPLAINT: 3}


def _address_of(row):
    if isinstance(row, OutboundEmail):
        return row.to_email
    return row.subscriber.email if row.subscriber_id else ""


def _subscriber_of(row):
    if isinstance(row, OutboundEmail):
        return Subscriber.objects.select_for_update().for_email(row.to_email).first()
    if row.subscriber_id is None:
        return None
    return Subscriber.objects.select_for_update().filter(pk=row.subscriber_id).first()


def _note_feedback(row, feedback, now):
    if STRENGTH[feedback] > STRENGTH[row.feedback]:
        type(row)._default_manager.filter(pk=row.pk).update(feedback=feedback, feedback_at=now)
        row.feedback = feedback


def soft_bounces_in_a_row(subscriber, row):
    """How many of the person's sent emails, counting back from ``row``, soft-bounced."""
    limit = settings.BOUNCE_SOFT_LIMIT
    until = row.sent_at or timezone.now()
    recent = []
    for model, who in [
        (Delivery, Q(subscriber=subscriber)),
        (SubscriberEmail, Q(subscriber=subscriber)),
        (OutboundEmail, Q(to_email__iexact=subscriber.email)),
    ]:
        sent = model.objects.filter(who, status=MessageStatus.SENT, sent_at__lte=until)
        recent.append(sent.order_by("-sent_at").values_list("sent_at", "feedback")[:limit])
    newest = heapq.nlargest(limit, (item for rows in recent for item in rows))
    run = 0
    for _sent_at, feedback in newest:
        if feedback != Feedback.SOFT_BOUNCE:
            break
        run += 1
    return run


def _when(now):
    return date_format(timezone.localtime(now), "j F Y")


def _bounce(report, row, subscriber, now):
    address = _address_of(row)
    block = next((r for r in report.recipients if r.names(address)), None)
    if block is None:
        named = ", ".join(r.final_recipient for r in report.recipients) or "nobody"
        return Outcome.UNMATCHED, f"The report is about {named}, not the address we sent to."
    said = " ".join(filter(None, [block.status, block.diagnostic])) or "no reason given"
    if not block.kind:
        return Outcome.NO_ACTION, f"{block.action or 'no action'}: {said}"
    if block.kind == "hard":
        _note_feedback(row, Feedback.HARD_BOUNCE, now)
        if subscriber is not None:
            suppression.suppress(
                subscriber=subscriber, reason=f"Hard bounce on {_when(now)}: {said}", now=now
            )
        return Outcome.HARD_BOUNCE, said
    _note_feedback(row, Feedback.SOFT_BOUNCE, now)
    if subscriber is None:
        return Outcome.SOFT_BOUNCE, said
    run = soft_bounces_in_a_row(subscriber, row)
    if run >= settings.BOUNCE_SOFT_LIMIT:
        suppression.suppress(
            subscriber=subscriber,
            reason=f"{run} soft bounces in a row, the last on {_when(now)}: {said}",
            now=now,
        )
    return Outcome.SOFT_BOUNCE, f"{said} ({run} in a row)"


def _complaint(report, row, subscriber, now):
    address = _address_of(row)
    if report.complained_recipient:
        # Providers often hide the part before the @; the domain must still be ours.
        reported_domain = report.complained_recipient.rpartition("@")[2].lower()
        if reported_domain != address.rpartition("@")[2].lower():
            return Outcome.UNMATCHED, "The complaint is about another address."
    if report.feedback_type != "abuse":
        return Outcome.NO_ACTION, f"Feedback report of type {report.feedback_type or 'unknown'}"
    _note_feedback(row, Feedback.COMPLAINT, now)
    reporter = report.reported_by or "a mailbox provider"
    if subscriber is not None:
        services.take_off_list(
            subscriber,
            now=now,
            kind=ConsentEvent.Kind.COMPLAINED,
            note=f"Marked one of our emails as spam (reported by {reporter[:200]})",
        )
    return Outcome.COMPLAINT, f"Marked as spam (reported by {reporter})"


def act_on(report, *, now=None):
    """Do what ``report`` calls for; return the fields of its MailboxMessage record.

    Call it inside the transaction that saves the record, so the two happen together.
    """
    now = now or timezone.now()
    record = {"message_id": report.message_id[:998], "reported_by": report.reported_by[:200]}
    if not report.kind:
        detail = "Not a delivery report (RFC 3464) or a spam complaint (RFC 5965)."
        return {**record, "outcome": Outcome.NOT_A_REPORT, "detail": detail}
    if not report.refs:
        detail = "No return path of ours in it, so we cannot tell which email it is about."
        return {**record, "outcome": Outcome.UNMATCHED, "detail": detail}
    ref = report.refs[0]
    row = return_path.row_for(ref)
    record["message_ref"] = ref
    if row is None:
        detail = "The email it is about has been deleted (its person erased, or purged)."
        return {**record, "outcome": Outcome.NO_ACTION, "detail": detail}
    subscriber = _subscriber_of(row)
    record["subscriber"] = subscriber
    record["issue"] = row.issue if isinstance(row, Delivery) else None
    handle = _complaint if report.kind == "arf" else _bounce
    outcome, detail = handle(report, row, subscriber, now)
    statuses = [r.status for r in report.recipients if r.status]
    return {
        **record,
        "outcome": outcome,
        "detail": detail,
        "status_code": statuses[0][:20] if statuses else "",
    }
