"""Create the staff roles as groups, each with the least it needs.

* Content editor: writes and updates the strategy, action plan, news and pages;
  cannot delete, cannot add a new strategy edition, cannot see the newsletter.
* Publisher: everything an editor can, plus deleting content and adding editions.
* Newsletter manager: subscribers, newsletter issues and the outbox only.

Only superusers (council IT) manage user accounts and groups: no group has any
permission on them. Re-running this migration resets the groups' permissions to
these lists, so a role changed by hand in the admin is put back.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

STRATEGY_CONTENT = [
    "ambition",
    "actionplanitem",
    "progressupdate",
    "newspost",
    "visionstatement",
    "priority",
    "childright",
    "parentcarercommitment",
    "relatedstrategy",
]


def _codenames():
    editor = [
        f"{action}_{model}" for model in STRATEGY_CONTENT for action in ("add", "change", "view")
    ]
    editor += ["change_strategy", "view_strategy", "change_page", "view_page", "view_board"]
    publisher = editor + [f"delete_{model}" for model in STRATEGY_CONTENT]
    publisher += ["add_strategy", "add_board", "change_board"]
    newsletter = [
        "view_subscriber",
        "delete_subscriber",
        "add_newsletterissue",
        "change_newsletterissue",
        "delete_newsletterissue",
        "view_newsletterissue",
        "view_delivery",
        "view_outboundemail",
        "change_outboundemail",
    ]
    return {
        "Content editor": ("strategy", editor),
        "Publisher": ("strategy", publisher),
        "Newsletter manager": ("newsletter", newsletter),
    }


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, (app_label, codenames) in _codenames().items():
        group, _ = Group.objects.get_or_create(name=name)
        permissions = Permission.objects.filter(
            content_type__app_label=app_label, codename__in=codenames
        )
        missing = set(codenames) - set(permissions.values_list("codename", flat=True))
        if missing:
            raise RuntimeError(f"Unknown permissions for {name}: {sorted(missing)}")
        group.permissions.set(permissions)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=_codenames()).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("strategy", "0004_privacy_notice_newsletter"),
        ("newsletter", "0002_subscribers_issues"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
