"""Create the accessibility statement, privacy notice, cookies and contact pages.

Written for this site: what it does, what it stores and who to contact. Staff
edit them in the admin afterwards; this only creates pages that are missing.
"""

from django.db import migrations
from django.utils import timezone

ACCESSIBILITY = """
<p>This accessibility statement applies to the Medway Local Area SEND Strategy website. It is run by Medway Council. We want as many people as possible to be able to use it. For example, you should be able to:</p>
<ul>
<li>change colours, contrast levels and fonts using your browser or device settings</li>
<li>zoom in up to 400% without the text spilling off the screen</li>
<li>use the whole website using just a keyboard</li>
<li>use the website without JavaScript</li>
<li>listen to the website using a screen reader, such as JAWS, NVDA or VoiceOver</li>
<li>use the website on a phone held upright, down to 320 pixels wide</li>
<li>print any page without menus and links getting in the way</li>
</ul>
<p>We have also tried to make the text as simple as possible to understand.</p>
<h2>How accessible this website is</h2>
<p>We aim to meet the Web Content Accessibility Guidelines (WCAG) version 2.2 at level AA. We know some parts of this website are not yet fully accessible:</p>
<ul>
<li>the full strategy document is not on this website yet, so you cannot yet read it here in another format</li>
<li>there are no easy read versions of most of the strategy yet</li>
<li>the pages staff use to edit the website are Django's standard administration pages, which we have not yet fully tested</li>
</ul>
<h2>Feedback and contact information</h2>
<p>If you need information on this website in a different format, such as easy read, large print, audio or braille, contact us using the details on our <a href="/contact/">contact page</a>. Tell us what you need and which page it is about. We'll reply within 10 working days.</p>
<h2>Reporting accessibility problems with this website</h2>
<p>We're always looking to improve the accessibility of this website. If you find any problems not listed on this page, or think we're not meeting accessibility requirements, contact us using the details on our <a href="/contact/">contact page</a>.</p>
<h2>Enforcement procedure</h2>
<p>The Equality and Human Rights Commission (EHRC) is responsible for enforcing the Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018 (the 'accessibility regulations'). If you're not happy with how we respond to your complaint, contact the <a href="https://www.equalityadvisoryservice.com/">Equality Advisory and Support Service (EASS)</a>.</p>
<h2>How we tested this website</h2>
<p>Every page of this website is checked automatically each time we change it:</p>
<ul>
<li>with axe-core, an accessibility testing tool, in the Chromium web browser, against WCAG 2.0, 2.1 and 2.2 at levels A and AA</li>
<li>by checking that the first press of the Tab key reaches a "Skip to main content" link that works</li>
<li>by checking that every page's content is there with JavaScript turned off</li>
<li>by checking that nothing scrolls sideways on a screen 320 pixels wide</li>
</ul>
<p>Automated tools find only some accessibility problems. We have not yet tested this website with screen reader users or with disabled people, and we have not yet had it audited by an accessibility specialist. We plan to do both, with the parent carer forum, and will update this statement when we have.</p>
<h2>Preparation of this accessibility statement</h2>
<p>This statement was prepared when the website was first published. It will be reviewed whenever the website changes in a way that affects accessibility, and at least once a year.</p>
"""

PRIVACY = """
<p>This privacy notice explains what information the Medway Local Area SEND Strategy website collects about you, why, and what your rights are. Medway Council is the data controller for this website.</p>
<h2>Reading the website</h2>
<p>You can read every page of this website without telling us who you are. We do not use analytics, advertising or tracking tools, and we do not set cookies when you read the website. See our <a href="/cookies/">cookies page</a>.</p>
<p>Like all web servers, ours keeps short technical logs of the pages it sends (the address of the page, the time, and the internet address the request came from) so we can keep the website secure and working. These logs are kept for no more than 30 days and are not used to identify you.</p>
<h2>News and updates by email</h2>
<p>Email sign-up for news and updates is not open yet. When it opens, this notice will say exactly what we keep about you, for how long, and how to remove it, before you can sign up.</p>
<h2>Your rights</h2>
<p>You have the right to ask for a copy of the information we hold about you, to ask us to correct it, and to ask us to delete it. To do this, use the details on our <a href="/contact/">contact page</a>.</p>
<p>If you are not happy with how we have handled your information, you can complain to the <a href="https://ico.org.uk/make-a-complaint/">Information Commissioner's Office</a>.</p>
"""

COOKIES = """
<p>Cookies are small files saved on your phone, tablet or computer when you visit a website.</p>
<h2>Cookies when you read this website</h2>
<p>We do not set any cookies when you read the pages of this website. We do not use analytics or advertising cookies, so there is nothing for you to accept or reject.</p>
<h2>Cookies for council staff</h2>
<p>Staff who sign in to edit the website get two cookies. They are strictly necessary, so we do not ask for consent:</p>
<ul>
<li><strong>sessionid</strong> keeps a member of staff signed in. It expires when they sign out or after 2 weeks.</li>
<li><strong>csrftoken</strong> protects forms against a kind of attack called cross-site request forgery. It expires after 1 year.</li>
</ul>
"""

CONTACT = """
<p>Contact Medway Council's SEND services if you have a question about the SEND strategy or the action plan, or if you need any part of this website in a different format.</p>
<h2>By phone</h2>
<p>Medway Council: 01634 333 333</p>
<p>Monday to Friday, 9am to 5pm (except bank holidays).</p>
<h2>By post</h2>
<p>SEND Services<br>Medway Council<br>Gun Wharf<br>Dock Road<br>Chatham<br>Kent<br>ME4 4TR</p>
<h2>Get involved</h2>
<p>The action plan is co-produced with children, young people, parents and carers. If you would like to take part, contact us and tell us how you would like to be involved.</p>
"""

PAGES = [
    (
        "accessibility",
        "Accessibility statement",
        "How accessible this website is, how we tested it, and how to report a problem.",
        ACCESSIBILITY,
    ),
    (
        "privacy",
        "Privacy notice",
        "What information this website collects about you, why, and your rights.",
        PRIVACY,
    ),
    ("cookies", "Cookies", "This website sets no cookies when you read it.", COOKIES),
    (
        "contact",
        "Contact",
        "How to contact Medway Council about the SEND strategy or ask for another format.",
        CONTACT,
    ),
]


def seed_pages(apps, schema_editor):
    Page = apps.get_model("strategy", "Page")
    for kind, title, summary, body in PAGES:
        Page.objects.get_or_create(
            kind=kind,
            defaults={
                "title": title,
                "summary": summary,
                "body": " ".join(line for line in body.strip().splitlines()),
                "published_at": timezone.now(),
            },
        )


def unseed_pages(apps, schema_editor):
    apps.get_model("strategy", "Page").objects.filter(kind__in=[p[0] for p in PAGES]).delete()


class Migration(migrations.Migration):
    dependencies = [("strategy", "0002_seed_strategy_2022_2025")]

    operations = [migrations.RunPython(seed_pages, unseed_pages)]
