"""The privacy notice: what the newsletter now counts, its choices, imports and bounce reports.

The newsletter now lets people choose what they get and how often, imports
people from another list, reads bounce reports and spam complaints, and
counts (without tracking anyone) what happens to each issue. The privacy
notice says so. This only changes the notice if staff have not edited it
since it was seeded, so their words are never overwritten.
"""

from django.db import migrations
from django.utils import timezone

BEFORE = (
    "<p>This privacy notice explains what information the Medway Local Area SEND Strategy "
    "website collects about you, why, and what your rights are. Medway Council is the "
    "data controller for this website.</p> <h2>Reading the website</h2> <p>You can read "
    "every page of this website without telling us who you are. We do not use analytics, "
    "advertising or tracking tools, and we do not set cookies when you read the website. "
    'See our <a href="/cookies/">cookies page</a>.</p> <p>Like all web servers, ours '
    "keeps short technical logs of the pages it sends (the address of the page, the time, "
    "and the internet address the request came from) so we can keep the website secure "
    "and working. These logs are kept for no more than 30 days and are not used to "
    "identify you.</p> "
)

OLD_SECTION = (
    "<h2>News and updates by email</h2> <p>If you sign up for news and updates, we "
    "keep:</p> <ul> <li>your email address</li> <li>when you signed up, which page you "
    "signed up from, and which version of the sign-up page and of this notice you "
    "saw</li> <li>when you confirmed your address, and when you unsubscribed, if you "
    "did</li> <li>which newsletters we sent you, and whether they were delivered</li> "
    "</ul> <p>We do not keep your name or your internet (IP) address. To stop the sign-up "
    "form being misused, we count sign-ups from each internet address for one hour, using "
    "a scrambled version of the address that cannot be turned back into it.</p> <p>We use "
    "your address only to send you news and updates about the Medway Local Area SEND "
    "Strategy, about once a month and never more than once a week. Our lawful basis is "
    "your consent. You can withdraw it at any time with the unsubscribe link in every "
    "email.</p> <h2>How long we keep it</h2> <ul> <li>If you do not confirm your address, "
    "we delete it 7 days after we last emailed you.</li> <li>While you are signed up, we "
    "keep your address until you unsubscribe.</li> <li>When you unsubscribe, we keep a "
    "note of your address for 12 months, only so we never email it by mistake. Then we "
    "delete it.</li> <li>Copies of the emails we send are deleted after 30 days.</li> "
    "</ul> <p>Our email is sent through Medway Council's own mail service. We do not "
    "share your address with anyone else or use it for anything else.</p> <p>To have your "
    "address deleted straight away, or to ask what we hold about you, use the details on "
    'our <a href="/contact/">contact page</a>.</p> '
)

NEW_SECTION = (
    "<h2>News and updates by email</h2> <p>If you sign up for news and updates, we "
    "keep:</p> <ul> <li>your email address</li> <li>when you signed up, which page you "
    "signed up from, and which version of the sign-up page and of this notice you "
    "saw</li> <li>when you confirmed your address, and when you unsubscribed, if you "
    "did</li> <li>what you chose to get (newsletters, changes to the action plan and "
    "ambitions, news posts) and how often, and when you changed it</li> <li>which emails "
    "we sent you, and whether they were delivered</li> </ul> <p>We do not keep your name "
    "or your internet (IP) address. To stop the sign-up form being misused, we count "
    "sign-ups from each internet address for one hour, using a scrambled version of the "
    "address that cannot be turned back into it.</p> <p>We use your address only to send "
    "you the news and updates about the Medway Local Area SEND Strategy that you chose. "
    "Newsletters come about once a month. If you choose to hear about changes to the "
    "action plan or news posts as they happen, we email you each time one is published; "
    "you can choose one weekly summary instead. Our lawful basis is your consent. You can "
    "withdraw it at any time with the unsubscribe link in every email, and change what "
    'you get with the "manage your subscription" link.</p> <h2>If you were on our earlier '
    "mailing list</h2> <p>If you signed up for our SEND emails through another service, "
    "we may have moved your address to this list. We keep where and when you first "
    "agreed, and who moved it and when. If we are not sure you agreed, we email you once "
    "to ask you to confirm. If you do not confirm, we delete your address within 7 "
    "days.</p> <h2>What we count, and what we do not track</h2> <p>For each newsletter we "
    "count how many emails were sent, how many could not be delivered, how many people "
    "marked it as spam and how many unsubscribed using its links. The unsubscribe and "
    '"manage your subscription" links say which newsletter they came from, so that we can '
    "count this. We do not record who opens an email or clicks a link: our emails have no "
    "tracking images, and their links are not changed to pass through a tracking "
    "service.</p> <h2>Emails that cannot be delivered</h2> <p>When an email to you cannot "
    "be delivered, the receiving mail server sends us a report, and our system reads it. "
    "If your address does not exist, or our emails to it fail a few times in a row, we "
    "stop emailing it and keep a note of why. If you mark one of our emails as spam and "
    "your email provider tells us, we unsubscribe you from everything. We keep each "
    "report for 30 days.</p> <h2>How long we keep it</h2> <ul> <li>If you do not confirm "
    "your address, we delete it 7 days after we last emailed you.</li> <li>While you are "
    "signed up, we keep your address until you unsubscribe.</li> <li>When you "
    "unsubscribe, we keep a note of your address for 12 months, only so we never email it "
    "by mistake. Then we delete it.</li> <li>If we stop emailing your address because our "
    "emails to it could not be delivered, we keep it for 12 months, only so we do not "
    "email it again by mistake. Then we delete it. To start getting emails again, use the "
    '"manage your subscription" link in one of our emails.</li> <li>Copies of the emails '
    "we send are deleted after 30 days.</li> </ul> <p>Our email is sent through Medway "
    "Council's own mail service. We do not share your address with anyone else or use it "
    "for anything else.</p> <p>To have your address deleted straight away, or to ask what "
    'we hold about you, use the details on our <a href="/contact/">contact page</a>.</p> '
)

AFTER = (
    "<h2>Your rights</h2> <p>You have the right to ask for a copy of the information we "
    "hold about you, to ask us to correct it, and to ask us to delete it. To do this, use "
    'the details on our <a href="/contact/">contact page</a>.</p> <p>If you are not happy '
    "with how we have handled your information, you can complain to the <a "
    'href="https://ico.org.uk/make-a-complaint/">Information Commissioner\'s '
    "Office</a>.</p>"
)

OLD_BODY = BEFORE + OLD_SECTION + AFTER
NEW_BODY = BEFORE + NEW_SECTION + AFTER


def _replace(apps, old, new):
    Page = apps.get_model("strategy", "Page")
    page = Page.objects.filter(kind="privacy", body=old, pending_changes__isnull=True).first()
    if page:
        page.body = new
        # A new version of the notice, so new consent records name it.
        page.updated_at = timezone.now()
        page.save(update_fields=["body", "updated_at"])


def describe_the_new_newsletter(apps, schema_editor):
    _replace(apps, OLD_BODY, NEW_BODY)


def restore(apps, schema_editor):
    _replace(apps, NEW_BODY, OLD_BODY)


class Migration(migrations.Migration):
    dependencies = [("strategy", "0014_cookies_page_table")]

    operations = [migrations.RunPython(describe_the_new_newsletter, restore)]
