"""Record erasures (who, when, how many; never the addresses), readable by newsletter managers."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models


def let_newsletter_managers_read_erasures(apps, schema_editor):
    # Permissions are normally created after all migrations; make sure this one exists now.
    app_config = apps.get_app_config("newsletter")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    group = apps.get_model("auth", "Group").objects.filter(name="Newsletter manager").first()
    if group:
        group.permissions.add(
            apps.get_model("auth", "Permission").objects.get(
                content_type__app_label="newsletter", codename="view_erasurerecord"
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("newsletter", "0002_subscribers_issues"),
        # The staff roles exist by then, so newsletter managers get to read the records.
        ("strategy", "0005_staff_roles"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ErasureRecord",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "erased_at",
                    models.DateTimeField(
                        db_index=True, default=django.utils.timezone.now, verbose_name="when"
                    ),
                ),
                ("erased_by_username", models.CharField(max_length=150, verbose_name="who")),
                ("people_count", models.PositiveIntegerField(verbose_name="how many people")),
                (
                    "action",
                    models.CharField(
                        choices=[
                            ("erase_selected", "Erase selected people completely (list page)"),
                            ("delete_one", "Delete button on one subscriber's page"),
                        ],
                        max_length=20,
                        verbose_name="how",
                    ),
                ),
                (
                    "erased_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="staff account",
                    ),
                ),
            ],
            options={
                "verbose_name": "erasure record",
                "ordering": ["-erased_at", "-pk"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("action__in", ["erase_selected", "delete_one"])),
                        name="erasurerecord_action_valid",
                    )
                ],
            },
        ),
        migrations.RunPython(let_newsletter_managers_read_erasures, migrations.RunPython.noop),
    ]
