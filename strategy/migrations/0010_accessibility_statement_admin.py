"""Say in the accessibility statement how the staff pages are now tested.

Only changes the statement if staff have not edited that sentence.
"""

from django.db import migrations

OLD = (
    "<li>the pages staff use to edit the website are Django's standard administration pages, "
    "which we have not yet fully tested</li>"
)
NEW = (
    "<li>the pages staff use to edit the website are Django's administration pages. axe-core "
    "finds no problems on their sign-in, home, list and editing pages, but they have not yet "
    "been tested by staff who use screen readers, and the rich text editor's toolbar has not "
    "been tested with a screen reader at all</li>"
)


def _swap(apps, old, new):
    Page = apps.get_model("strategy", "Page")
    page = Page.objects.filter(kind="accessibility").first()
    if page and old in page.body:
        page.body = page.body.replace(old, new)
        page.save(update_fields=["body"])


def forwards(apps, schema_editor):
    _swap(apps, OLD, NEW)


def backwards(apps, schema_editor):
    _swap(apps, NEW, OLD)


class Migration(migrations.Migration):
    dependencies = [("strategy", "0009_change_notes")]

    operations = [migrations.RunPython(forwards, backwards)]
