"""Give the Publisher role the right to publish, schedule and unpublish (editors never get it)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant(apps, schema_editor):
    app_config = apps.get_app_config("strategy")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    publish = Permission.objects.get(content_type__app_label="strategy", codename="publish_content")
    Group.objects.get(name="Publisher").permissions.add(publish)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    publish = Permission.objects.filter(codename="publish_content").first()
    if publish:
        Group.objects.get(name="Publisher").permissions.remove(publish)


class Migration(migrations.Migration):
    dependencies = [("strategy", "0006_publishing_workflow")]

    operations = [migrations.RunPython(grant, revoke)]
