"""Describe the newsletter in the privacy notice and cookies page, now that sign-up is open.

Only changes a page if staff have not edited that part since it was first written.
"""

from django.db import migrations

OLD_SECTION = (
    "<h2>News and updates by email</h2> <p>Email sign-up for news and updates is not open yet. "
    "When it opens, this notice will say exactly what we keep about you, for how long, and how "
    "to remove it, before you can sign up.</p>"
)

NEW_SECTION = " ".join(
    """
<h2>News and updates by email</h2>
<p>If you sign up for news and updates, we keep:</p>
<ul>
<li>your email address</li>
<li>when you signed up, which page you signed up from, and which version of the sign-up page and of this notice you saw</li>
<li>when you confirmed your address, and when you unsubscribed, if you did</li>
<li>which newsletters we sent you, and whether they were delivered</li>
</ul>
<p>We do not keep your name or your internet (IP) address. To stop the sign-up form being misused, we count sign-ups from each internet address for one hour, using a scrambled version of the address that cannot be turned back into it.</p>
<p>We use your address only to send you news and updates about the Medway Local Area SEND Strategy, about once a month and never more than once a week. Our lawful basis is your consent. You can withdraw it at any time with the unsubscribe link in every email.</p>
<h2>How long we keep it</h2>
<ul>
<li>If you do not confirm your address, we delete it 7 days after we last emailed you.</li>
<li>While you are signed up, we keep your address until you unsubscribe.</li>
<li>When you unsubscribe, we keep a note of your address for 12 months, only so we never email it by mistake. Then we delete it.</li>
<li>Copies of the emails we send are deleted after 30 days.</li>
</ul>
<p>Our email is sent through Medway Council's own mail service. We do not share your address with anyone else or use it for anything else.</p>
<p>To have your address deleted straight away, or to ask what we hold about you, use the details on our <a href="/contact/">contact page</a>.</p>
""".split()
)


OLD_COOKIES = "<h2>Cookies for council staff</h2>"
NEW_COOKIES = (
    "<h2>Cookies on the newsletter sign-up page</h2> <p>The newsletter sign-up page, and the "
    "pages where you confirm or unsubscribe, set one cookie, <strong>csrftoken</strong>. It "
    "protects the form against a kind of attack called cross-site request forgery. It is "
    "strictly necessary, holds nothing about you, and expires after 1 year.</p> "
    "<h2>Cookies for council staff</h2>"
)
CHANGES = [("privacy", OLD_SECTION, NEW_SECTION), ("cookies", OLD_COOKIES, NEW_COOKIES)]


def _replace(apps, pairs):
    Page = apps.get_model("strategy", "Page")
    for kind, old, new in pairs:
        page = Page.objects.filter(kind=kind).first()
        if page and old in page.body and new not in page.body:
            page.body = page.body.replace(old, new)
            page.save(update_fields=["body"])


def describe_newsletter(apps, schema_editor):
    _replace(apps, CHANGES)


def restore(apps, schema_editor):
    _replace(apps, [(kind, new, old) for kind, old, new in CHANGES])


class Migration(migrations.Migration):
    dependencies = [("strategy", "0003_seed_standard_pages")]

    operations = [migrations.RunPython(describe_newsletter, restore)]
