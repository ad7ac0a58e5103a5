"""The small public interface other apps may use; they never reach into strategy's models.

Two signals say when something families may want to hear about is published
(the newsletter emails them to the people who chose them). Both are sent by
``strategy.announcements.announce``, and only there. Each comes with ``key``,
a short name for the thing that never changes (such as "changenote:12"), so a
receiver can tell a second publication of the same thing from a new one, and
ask ``is_public(key)`` later whether it is still on the website.
"""

from django.dispatch import Signal

# A publisher marked a change to an action or an ambition as a major change,
# with a note for the public. Keyword arguments: key, item_kind ("action" or
# "ambition"), title, url (the page's path), note, published_at.
major_change_published = Signal()

# A news post was published. ``published_at`` may be in the future: the post
# appears on the website then, and not before. Sent again each time a
# published post is saved. Keyword arguments: key, title, url, summary,
# published_at.
news_published = Signal()


def privacy_notice_version():
    """A label for the privacy notice as published now; it changes whenever staff edit it."""
    from strategy.models import Page

    page = Page.objects.filter(kind=Page.Kind.PRIVACY).only("updated_at").first()
    return f"privacy-{page.updated_at:%Y%m%d%H%M%S}" if page else "privacy-not-published"


def is_public(key):
    """True if the thing a signal's ``key`` names is on the website now, for anyone to read."""
    from strategy.announcements import is_public as check

    return check(key)
