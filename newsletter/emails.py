"""The emails the newsletter sends, each as plain text plus HTML from templates/emails/.

Every email to a subscriber carries two links of their own: "manage your
subscription" (change what they get, no account needed) and "unsubscribe".
Emails about the website's content say only what that content says: its
title, its change note or summary, and a link to it.
"""

import functools

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from newsletter.plaintext import html_to_text
from newsletter.tokens import make_confirm_token, make_manage_token, make_unsubscribe_token


def absolute(path):
    return f"{settings.SITE_URL}{path}"


def unsubscribe_url(subscriber, issue=None):
    """The page with the "Unsubscribe" button, linked from every email."""
    token = make_unsubscribe_token(subscriber, issue)
    return absolute(reverse("newsletter:unsubscribe", kwargs={"token": token}))


def one_click_unsubscribe_url(subscriber, issue=None):
    """The RFC 8058 address mail apps POST to when the reader presses their Unsubscribe."""
    token = make_unsubscribe_token(subscriber, issue)
    return absolute(reverse("newsletter:one_click_unsubscribe", kwargs={"token": token}))


def manage_url(subscriber, issue=None):
    """The "manage your subscription" page, linked from every email."""
    token = make_manage_token(subscriber, issue)
    return absolute(reverse("newsletter:manage", kwargs={"token": token}))


def _person_links(subscriber, issue=None):
    """The links and headers every email to ``subscriber`` carries (placeholders without one).

    Without a subscriber (a preview or a test send) the links go to the
    sign-up page, and there is no one-click header to press.
    """
    if subscriber is None:
        signup = absolute(reverse("newsletter:signup"))
        return {"unsubscribe_url": signup, "manage_url": signup}, {
            "List-Unsubscribe": f"<{signup}>"
        }
    links = {
        "unsubscribe_url": unsubscribe_url(subscriber, issue),
        "manage_url": manage_url(subscriber, issue),
    }
    headers = {
        "List-Unsubscribe": f"<{one_click_unsubscribe_url(subscriber, issue)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    return links, headers


def _render(name, context):
    context = {
        "organisation_name": settings.ORGANISATION_NAME,
        "site_name": settings.SITE_NAME,
        "site_url": settings.SITE_URL,
        "privacy_url": absolute(reverse("strategy:privacy")),
        **context,
    }
    text = render_to_string(f"emails/{name}.txt", context).strip() + "\n"
    html = render_to_string(f"emails/{name}.html", context)
    return text, html


def _content(name, subject, context, headers=None):
    text, html = _render(name, context)
    return {"subject": subject, "text": text, "html": html, "headers": headers or {}}


def message(content, *, to, message_id):
    """A ready-to-send email from ``content`` (subject, text, html, headers)."""
    email = EmailMultiAlternatives(
        subject=content["subject"],
        body=content["text"],
        to=[to],
        headers={**content["headers"], "Message-ID": message_id},
    )
    email.attach_alternative(content["html"], "text/html")
    return email


# --- Signing up ------------------------------------------------------------------------


def _confirm_url(subscriber):
    return absolute(reverse("newsletter:confirm", kwargs={"token": make_confirm_token(subscriber)}))


def confirmation_email(subscriber):
    """Subject, text and HTML asking a new subscriber to confirm."""
    links, _ = _person_links(subscriber)
    return _content(
        "confirmation",
        "Confirm you want news and updates about Medway's SEND strategy",
        {
            "confirm_url": _confirm_url(subscriber),
            "signup_url": absolute(reverse("newsletter:signup")),
            **links,
        },
    )


def already_subscribed_email(subscriber):
    """Subject, text and HTML telling a confirmed subscriber they are already on the list."""
    links, _ = _person_links(subscriber)
    return _content(
        "already_subscribed",
        "You're already getting news and updates about Medway's SEND strategy",
        links,
    )


def reconfirmation_message(subscriber, *, message_id):
    """The email asking someone imported from another list to confirm they still want news."""
    links, _ = _person_links(subscriber)
    content = _content(
        "reconfirmation",
        "Please confirm you still want news and updates about Medway's SEND strategy",
        {"confirm_url": _confirm_url(subscriber), **links},
    )
    return message(content, to=subscriber.email, message_id=message_id)


# --- Newsletter issues -----------------------------------------------------------------


def issue_content(issue, subscriber=None):
    """Subject, text, HTML and headers of a newsletter issue for one subscriber."""
    links, headers = _person_links(subscriber, issue)
    return _content(
        "newsletter_issue",
        issue.subject,
        {"issue": issue, "body_text": html_to_text(issue.body), **links},
        headers,
    )


def issue_message(issue, subscriber, *, message_id):
    """The ready-to-send email of ``issue`` for ``subscriber``."""
    return message(issue_content(issue, subscriber), to=subscriber.email, message_id=message_id)


# --- Updates about the website's content -----------------------------------------------

ALERT_SUBJECTS = {
    "progress": "Changed: {title}",
    "news": "News: {title}",
}


def alert_content(alert, subscriber=None):
    """Subject, text, HTML and headers of the email about one change or news post."""
    links, headers = _person_links(subscriber)
    return _content(
        "alert",
        ALERT_SUBJECTS[alert.topic].format(title=alert.title),
        {"alert": alert, "alert_url": absolute(alert.url), **links},
        headers,
    )


def alert_message(alert, subscriber, *, message_id):
    """The ready-to-send email about ``alert`` for ``subscriber``."""
    return message(alert_content(alert, subscriber), to=subscriber.email, message_id=message_id)


# The same issue goes into thousands of summaries: turn it into text once.
_plain_text = functools.lru_cache(maxsize=16)(html_to_text)


def digest_content(subscriber, period_start, period_end, items):
    """Subject, text, HTML and headers of one person's weekly summary of ``items``."""
    links, headers = _person_links(subscriber)
    start = timezone.localtime(period_start)
    return _content(
        "digest",
        f"Your weekly summary: Medway's SEND strategy, week of {start:%-d %B %Y}",
        {
            "week_start": start,
            "issues": [(issue, _plain_text(issue.body)) for issue in items["issues"]],
            "progress": [(alert, absolute(alert.url)) for alert in items["progress"]],
            "news": [(alert, absolute(alert.url)) for alert in items["news"]],
            **links,
        },
        headers,
    )


def digest_message(subscriber, period_start, period_end, *, message_id):
    """``subscriber``'s summary of the week, or None if nothing in it is for them any more."""
    from newsletter.digests import digest_items

    items = digest_items(subscriber, period_start, period_end)
    if not any(items.values()):
        return None
    content = digest_content(subscriber, period_start, period_end, items)
    return message(content, to=subscriber.email, message_id=message_id)
