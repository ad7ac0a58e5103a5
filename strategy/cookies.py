"""Every cookie this website sets, and which pages set it: declared once, here.

The cookies page shows this list as a table, with how long each cookie lasts
worked out from the settings, so the page cannot drift from what the site does.
tests/strategy/test_cookies.py requests every public address and checks that
exactly the pages named here set each cookie.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage

# Units for durations in words, largest first; a duration is shown in the largest
# unit that divides it exactly, so "52 weeks" is never rounded to "1 year".
_UNITS = [(7 * 86400, "week"), (86400, "day"), (3600, "hour"), (60, "minute"), (1, "second")]


def duration_in_words(seconds):
    """``43200`` → "12 hours"; ``31449600`` → "52 weeks"; ``90`` → "90 seconds"."""
    seconds = int(seconds)
    size, unit = next((size, unit) for size, unit in _UNITS if seconds % size == 0)
    count = seconds // size
    return f"{count} {unit}{'' if count == 1 else 's'}"


@dataclass(frozen=True)
class Cookie:
    """One cookie: what it is for, where it is set, and how long it lasts (in words)."""

    name: str
    purpose: str
    where: str
    lifetime: str
    # The public pages (URL names) that set it; "the admin" means any /admin/ page.
    public_pages: frozenset[str]
    in_admin: bool


def site_cookies():
    """The cookies the site sets, with their lifetimes taken from the settings now."""
    csrf_age = settings.CSRF_COOKIE_AGE
    return [
        Cookie(
            name=settings.CSRF_COOKIE_NAME,
            purpose=(
                "Protects forms against a kind of attack called cross-site request forgery. "
                "It holds nothing about you."
            ),
            where=(
                "The newsletter sign-up page, the pages where you confirm your sign-up, choose "
                "what you get or unsubscribe, and the pages council staff use to edit the website."
            ),
            lifetime=duration_in_words(csrf_age) if csrf_age else "Until you close your browser",
            public_pages=frozenset(
                {
                    "newsletter:signup",
                    "newsletter:confirm",
                    "newsletter:unsubscribe",
                    "newsletter:manage",
                    # The one-click address opened in a browser shows the same page.
                    "newsletter:one_click_unsubscribe",
                }
            ),
            in_admin=True,
        ),
        Cookie(
            name=settings.SESSION_COOKIE_NAME,
            purpose=(
                "Keeps a member of council staff signed in. They are signed out after "
                f"{duration_in_words(settings.ADMIN_SESSION_IDLE_SECONDS)} without doing "
                "anything."
            ),
            where="Only the pages council staff use to edit the website, once they sign in.",
            lifetime=(
                f"{duration_in_words(settings.ADMIN_SESSION_MAX_SECONDS)}, or until they sign out"
            ),
            public_pages=frozenset(),
            in_admin=True,
        ),
        Cookie(
            name=CookieStorage.cookie_name,
            purpose=(
                "Carries a short message to the next page council staff see, such as “saved”."
            ),
            where="Only the pages council staff use to edit the website.",
            lifetime="Until the message is shown, or the browser is closed",
            public_pages=frozenset(),
            in_admin=True,
        ),
    ]
