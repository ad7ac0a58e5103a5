"""Load the published Medway Local Area SEND Strategy 2022 to 2025 and the standard pages.

The text is the council's published strategy, word for word. It is frozen here
(not read from a file) so the migration gives the same result on every machine.
It only creates what is missing, so it never overwrites edits made by staff.
"""

from django.db import migrations
from django.utils import timezone

STRATEGY_SLUG = "2022-to-2025"

INTRODUCTION = (
    "<p>Thank you to all of our partners and stakeholders, including our children, young "
    "people, parents and carers, who have invested time and effort to create the Medway "
    "Local Area SEND Strategy 2022 to 2025.</p>"
    "<p>We'll continue to work in partnership with everyone to deliver on our commitments to "
    "children and young people with special educational needs or disabilities (SEND).</p>"
)

SUMMARY = (
    "<p>The aims and ambitions of the Medway Local Area SEND Strategy build on a vision for "
    "the future of services. These are set out across several related strategies and "
    "policies.</p>"
)

PARTNERSHIP = (
    "<p>For many children and young people with SEND, there will be many professionals across "
    "health, education and social care involved with them throughout their lives.</p>"
    "<p>The Medway Local Area SEND Strategy brings together the key partners involved in the "
    "lives of children and young people. This is to ensure that the vulnerabilities of "
    "children and young people with SEND are understood and appropriately supported, keeping "
    "them safe, healthy and happy.</p>"
)

AMBITIONS_INTRODUCTION = (
    "<p>Medway continues to be ambitious for its children and young people with SEND, with "
    "inclusion, partnership and participation at the heart of the SEND strategy.</p>"
    "<p>Our ambitions for 2022 to 2025 are:</p>"
)

ACTION_PLAN_INTRODUCTION = (
    "<p>We'll show the progress of our priorities in our Medway Local Area SEND Strategy "
    "Action Plan.</p>"
    "<p>The action plan will be co-produced and monitored at SEND Partnership Board and SEND "
    "Operational Board.</p>"
)

PEOPLE_STRATEGY = (
    "<p>Specifically, the Medway People Strategy 2021 to 2025 sets out the following "
    "priorities:</p>"
)

PRIORITIES = [
    "children in Medway will have the best start in life",
    "children and young people in Medway will develop well",
    "children and young people in Medway will live independent and fulfilled lives into an "
    "active older age",
    "children and young people in Medway contribute to their community and have a meaningful "
    "say in decisions and services that shape their lives",
]

CHILD_FRIENDLY_MEDWAY = (
    "<p>Our Child-friendly Medway strategy focuses on ensuring Medway is a place where young "
    "people's voices are recognised. It ensures they feel safe, valued and included.</p>"
    "<p>It also reinforces our drive to provide the best start in life for children and young "
    "people. Our aim is to help them aim high, reach their goals and pursue their hopes and "
    "dreams for the future.</p>"
    "<p>Core to achieving these goals is ensuring there is a robust understanding and focus on "
    "safeguarding.</p>"
)

AMBITIONS = [
    ("best-outcomes", "achieving the best outcomes, through inclusion and participation"),
    (
        "recovery-from-covid-19",
        "children and young people with SEND recover from the coronavirus (COVID-19) pandemic",
    ),
    ("right-support", "access to the right support, at the right time, in the right place"),
    ("successful-future", "preparing for a successful future at the earliest opportunity"),
    (
        "working-together",
        "working together with children and young people with SEND and their families",
    ),
]

VISION = [
    "Following our previous strategy, children and young people with SEND continue to be "
    "recognised as unique and individual, and not defined by their needs.",
    "We aim to spark curiosity and encourage them to be all that they can be whilst working "
    "towards their potential.",
    "Their desire is to become independent and successful in their chosen future, and to the "
    "greatest extent possible, the author of their own life story.",
]

RIGHTS = [
    "access opportunities without discrimination or prejudice",
    "access the right support in their local communities, with their friends and families",
    "attend their local school and receive the support that enables them to access "
    "appropriate learning experiences",
    "additional and differentiated support from a range of professionals in their local area, "
    "which enables them to reach their full potential",
]

PARENT_CARER_COMMITMENTS = [
    "Parents and carers are crucial to understanding and informing the care and support that "
    "children and young people need.",
    "We're determined to ensure that the system is fair and easily accessible, and that "
    "families are provided with additional support when required.",
]

BOARDS = [
    ("send-partnership-board", "SEND Partnership Board"),
    ("send-operational-board", "SEND Operational Board"),
]


def seed_strategy(apps, schema_editor):
    Strategy = apps.get_model("strategy", "Strategy")
    if Strategy.objects.filter(slug=STRATEGY_SLUG).exists():
        return
    now = timezone.now()
    strategy = Strategy.objects.create(
        title="Medway Local Area SEND Strategy 2022 to 2025",
        slug=STRATEGY_SLUG,
        start_year=2022,
        end_year=2025,
        status="published",
        published_at=now,
        introduction=INTRODUCTION,
        document_link_text="Read the Medway Local Area SEND Strategy 2022 to 2025.",
        summary_heading="Summary of the strategy",
        summary=SUMMARY,
        partnership=PARTNERSHIP,
        ambitions_heading="Ambitions for 2022 to 2025",
        ambitions_introduction=AMBITIONS_INTRODUCTION,
        rights_introduction="Children have the right to:",
        action_plan_heading="Putting the strategy into action",
        action_plan_introduction=ACTION_PLAN_INTRODUCTION,
        news_heading="News and updates",
        newsletter_prompt="For more news and updates, sign up to our newsletter.",
    )
    RelatedStrategy = apps.get_model("strategy", "RelatedStrategy")
    people = RelatedStrategy.objects.create(
        strategy=strategy,
        order=10,
        title="Medway People Strategy 2021 to 2025",
        description=PEOPLE_STRATEGY,
    )
    RelatedStrategy.objects.create(
        strategy=strategy,
        order=20,
        title="Child-friendly Medway",
        description=CHILD_FRIENDLY_MEDWAY,
    )
    Priority = apps.get_model("strategy", "Priority")
    Priority.objects.bulk_create(
        Priority(strategy=strategy, source=people, order=(i + 1) * 10, text=text)
        for i, text in enumerate(PRIORITIES)
    )
    Ambition = apps.get_model("strategy", "Ambition")
    Ambition.objects.bulk_create(
        Ambition(strategy=strategy, order=(i + 1) * 10, slug=slug, text=text)
        for i, (slug, text) in enumerate(AMBITIONS)
    )
    for model_name, texts in [
        ("VisionStatement", VISION),
        ("ChildRight", RIGHTS),
        ("ParentCarerCommitment", PARENT_CARER_COMMITMENTS),
    ]:
        Model = apps.get_model("strategy", model_name)
        Model.objects.bulk_create(
            Model(strategy=strategy, order=(i + 1) * 10, text=text) for i, text in enumerate(texts)
        )
    Board = apps.get_model("strategy", "Board")
    for order, (slug, name) in enumerate(BOARDS, start=1):
        Board.objects.get_or_create(slug=slug, defaults={"name": name, "order": order * 10})


def unseed_strategy(apps, schema_editor):
    apps.get_model("strategy", "Strategy").objects.filter(slug=STRATEGY_SLUG).delete()


class Migration(migrations.Migration):
    dependencies = [("strategy", "0001_initial")]

    operations = [migrations.RunPython(seed_strategy, unseed_strategy)]
