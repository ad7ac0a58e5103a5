"""The cookies page: the list of cookies moves to a table made from the settings.

The old text said the staff session cookie lasted 2 weeks (it lasts 12 hours)
and did not say which pages set which cookie. The table under the page's text
(strategy/cookies.py) now says both, from what the site really does. This only
changes the text if staff have not edited it since it was seeded.
"""

from django.db import migrations
from django.utils import timezone

OLD_BODY = (
    "<p>Cookies are small files saved on your phone, tablet or computer when you visit a "
    "website.</p> <h2>Cookies when you read this website</h2> <p>We do not set any cookies "
    "when you read the pages of this website. We do not use analytics or advertising cookies, "
    "so there is nothing for you to accept or reject.</p> <h2>Cookies on the newsletter "
    "sign-up page</h2> <p>The newsletter sign-up page, and the pages where you confirm or "
    "unsubscribe, set one cookie, <strong>csrftoken</strong>. It protects the form against a "
    "kind of attack called cross-site request forgery. It is strictly necessary, holds nothing "
    "about you, and expires after 1 year.</p> <h2>Cookies for council staff</h2> <p>Staff who "
    "sign in to edit the website get two cookies. They are strictly necessary, so we do not "
    "ask for consent:</p> <ul> <li><strong>sessionid</strong> keeps a member of staff signed "
    "in. It expires when they sign out or after 2 weeks.</li> <li><strong>csrftoken</strong> "
    "protects forms against a kind of attack called cross-site request forgery. It expires "
    "after 1 year.</li> </ul>"
)

NEW_BODY = (
    "<p>Cookies are small files saved on your phone, tablet or computer when you visit a "
    "website.</p> <h2>Cookies when you read this website</h2> <p>We do not set any cookies "
    "when you read the pages of this website. We do not use analytics or advertising cookies, "
    "so there is nothing for you to accept or reject.</p> <h2>Cookies on forms and for council "
    "staff</h2> <p>The pages of the newsletter that have a form set a cookie that protects the "
    "form. Council staff who sign in to edit the website get cookies that keep them signed in. "
    "These cookies are strictly necessary, so we do not ask for consent.</p> <p>The table "
    "below lists every cookie we set, the pages that set it and how long it lasts.</p>"
)


def _replace(apps, old, new):
    Page = apps.get_model("strategy", "Page")
    page = Page.objects.filter(kind="cookies", body=old, pending_changes__isnull=True).first()
    if page:
        page.body = new
        page.updated_at = timezone.now()
        page.save(update_fields=["body", "updated_at"])


def use_the_table(apps, schema_editor):
    _replace(apps, OLD_BODY, NEW_BODY)


def restore(apps, schema_editor):
    _replace(apps, NEW_BODY, OLD_BODY)


class Migration(migrations.Migration):
    dependencies = [("strategy", "0013_old_slugs")]

    operations = [migrations.RunPython(use_the_table, restore)]
