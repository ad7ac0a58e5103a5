"""Fill the action plan and news with made-up content, for demos and benchmarks.

Never run this against the production database: everything it writes is
invented. Items are marked with a "[Demo]" prefix so they are easy to spot and
are removed again by --remove.
"""

import datetime
import random

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from strategy.models import ActionPlanItem, Board, NewsPost, ProgressUpdate, Strategy

DEMO_PREFIX = "[Demo]"
LEADS = [
    "SEND Services, Medway Council",
    "Medway and Swale Health and Care Partnership",
    "Medway Parent and Carer Forum",
    "Inclusion Team, Medway Council",
]
VERBS = ["Review", "Improve", "Co-produce", "Publish", "Train staff on", "Expand"]
TOPICS = [
    "transition plans for young people moving to adult services",
    "the local offer website",
    "waiting times for assessments",
    "support for children waiting for a school place",
    "short breaks for families",
    "the way we listen to children and young people",
]


class Command(BaseCommand):
    help = "Add made-up action-plan items, progress updates and news posts (demo only)."

    def add_arguments(self, parser):
        parser.add_argument("--items", type=int, default=30, help="action items to add")
        parser.add_argument("--updates", type=int, default=3, help="updates per action item")
        parser.add_argument("--news", type=int, default=15, help="news posts to add")
        parser.add_argument("--seed", type=int, default=2022, help="random seed, for repeatability")
        parser.add_argument("--remove", action="store_true", help="delete all demo content")

    @transaction.atomic
    def handle(self, *args, items, updates, news, seed, remove, **options):
        if remove:
            deleted, _ = ActionPlanItem.objects.filter(title__startswith=DEMO_PREFIX).delete()
            deleted += NewsPost.objects.filter(title__startswith=DEMO_PREFIX).delete()[0]
            self.stdout.write(f"Removed {deleted} demo rows.")
            return
        strategy = Strategy.objects.current()
        if strategy is None:
            raise CommandError("No published strategy: run `manage.py migrate` first.")
        ambitions = list(strategy.ambitions.all())
        boards = list(Board.objects.all())
        if not ambitions or not boards:
            raise CommandError("The strategy needs ambitions and boards before demo items.")
        rng = random.Random(seed)  # noqa: S311 (repeatable demo data, not security)
        start = ActionPlanItem.objects.filter(title__startswith=DEMO_PREFIX).count()
        today = timezone.localdate()
        statuses = list(ActionPlanItem.Status.values)
        new_items = []
        for n in range(start, start + items):
            begins = today - datetime.timedelta(days=rng.randint(30, 700))
            new_items.append(
                ActionPlanItem(
                    ambition=ambitions[n % len(ambitions)],
                    title=f"{DEMO_PREFIX} {rng.choice(VERBS)} {rng.choice(TOPICS)} ({n + 1})",
                    slug=f"demo-action-{n + 1}",
                    description="<p>This is made-up demo content.</p>",
                    lead=rng.choice(LEADS),
                    board=rng.choice(boards),
                    co_produced_with="Medway Parent and Carer Forum",
                    start_date=begins,
                    target_date=begins + datetime.timedelta(days=rng.randint(90, 720)),
                    status=rng.choice(statuses),
                    publishing_status="published",
                    order=(n + 1) * 10,
                )
            )
        ActionPlanItem.objects.bulk_create(new_items)
        created = ActionPlanItem.objects.filter(slug__in=[i.slug for i in new_items])
        ProgressUpdate.objects.bulk_create(
            ProgressUpdate(
                action_item=item,
                date=today - datetime.timedelta(days=90 * k),
                what_we_said=f"We said we would make progress on: {item.title}.",
                what_we_did="<p>This is a made-up demo update.</p>",
                publishing_status="published",
            )
            for item in created
            for k in range(updates)
        )
        news_start = NewsPost.objects.filter(title__startswith=DEMO_PREFIX).count()
        NewsPost.objects.bulk_create(
            NewsPost(
                title=f"{DEMO_PREFIX} Update on the action plan ({n + 1})",
                slug=f"demo-news-{n + 1}",
                summary="Made-up news for trying out the site.",
                body="<p>This is made-up demo content.</p>",
                published_at=timezone.now() - datetime.timedelta(days=7 * n),
                publishing_status="published",
            )
            for n in range(news_start, news_start + news)
        )
        self.stdout.write(
            f"Added {items} demo action items, {items * updates} progress updates "
            f"and {news} news posts."
        )
