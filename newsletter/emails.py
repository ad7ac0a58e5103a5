"""The emails the newsletter sends, each as plain text plus HTML from templates/emails/."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from newsletter.plaintext import html_to_text
from newsletter.tokens import make_confirm_token, make_unsubscribe_token


def absolute(path):
    return f"{settings.SITE_URL}{path}"


def unsubscribe_url(subscriber):
    """The page with the "Unsubscribe" button, linked from every email."""
    token = make_unsubscribe_token(subscriber)
    return absolute(reverse("newsletter:unsubscribe", kwargs={"token": token}))


def one_click_unsubscribe_url(subscriber):
    """The RFC 8058 address mail apps POST to when the reader presses their Unsubscribe."""
    token = make_unsubscribe_token(subscriber)
    return absolute(reverse("newsletter:one_click_unsubscribe", kwargs={"token": token}))


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


def confirmation_email(subscriber):
    """Subject, text and HTML asking a new subscriber to confirm."""
    token = make_confirm_token(subscriber)
    text, html = _render(
        "confirmation",
        {
            "confirm_url": absolute(reverse("newsletter:confirm", kwargs={"token": token})),
            "signup_url": absolute(reverse("newsletter:signup")),
            "unsubscribe_url": unsubscribe_url(subscriber),
        },
    )
    return {
        "subject": "Confirm you want news and updates about Medway's SEND strategy",
        "text": text,
        "html": html,
    }


def already_subscribed_email(subscriber):
    """Subject, text and HTML telling a confirmed subscriber they are already on the list."""
    text, html = _render("already_subscribed", {"unsubscribe_url": unsubscribe_url(subscriber)})
    return {
        "subject": "You're already getting news and updates about Medway's SEND strategy",
        "text": text,
        "html": html,
    }


def issue_content(issue, subscriber=None):
    """Subject, text, HTML and headers of a newsletter issue for one subscriber.

    Without a subscriber (a preview or a test send) the unsubscribe link is a
    placeholder that goes to the sign-up page.
    """
    if subscriber is not None:
        page, one_click = unsubscribe_url(subscriber), one_click_unsubscribe_url(subscriber)
    else:
        page = one_click = absolute(reverse("newsletter:signup"))
    text, html = _render(
        "newsletter_issue",
        {"issue": issue, "body_text": html_to_text(issue.body), "unsubscribe_url": page},
    )
    headers = {"List-Unsubscribe": f"<{one_click}>"}
    if subscriber is not None:
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return {"subject": issue.subject, "text": text, "html": html, "headers": headers}


def issue_message(issue, subscriber, *, message_id):
    """The ready-to-send email of ``issue`` for ``subscriber``."""
    content = issue_content(issue, subscriber)
    message = EmailMultiAlternatives(
        subject=content["subject"],
        body=content["text"],
        to=[subscriber.email],
        headers={**content["headers"], "Message-ID": message_id},
    )
    message.attach_alternative(content["html"], "text/html")
    return message
