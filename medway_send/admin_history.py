"""History and undo for the admin: who changed what and when, compare, restore, recover.

Every content admin inherits ``HistoryAdmin``. It is django-reversion-compare's
``CompareVersionAdmin`` (each save in the admin, including list edits and bulk
actions, becomes a revision with the user and a change message; the history page
compares two versions and restores one; "Recover deleted …" brings items back)
plus what reversion leaves out:

- a deletion is recorded as a revision of its own *before* the rows go, with who
  did it, for single deletes, the bulk "Delete selected" action and inline items
  ticked for deletion. Reversion on its own only keeps the last saved version, so
  an item nobody had edited in the admin (seeded content) could not come back;
- the first admin change to an item with no history first records it as it was,
  so that first change can be undone too;
- the edit check that stops two editors overwriting each other (edit_conflicts).

The recording itself lives in medway_send.versioning.

Only models registered with reversion are versioned: content, never personal data.
"""

import re
from html import unescape

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.db.models import ForeignObjectRel
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.text import capfirst
from reversion.models import Version
from reversion_compare.admin import CompareVersionAdmin
from reversion_compare.helpers import html_diff

from medway_send.admin_site import posted_pks, valid_pks
from medway_send.edit_conflicts import EditConflictMixin
from medway_send.richtext import RichTextField
from medway_send.versioning import (
    STARTING_POINT,
    deleted_with,
    record_deletion,
    record_starting_points,
    register,
    removed_by_restoring,
)

__all__ = ["STARTING_POINT", "HistoryAdmin", "register"]


class HistoryAdmin(EditConflictMixin, CompareVersionAdmin):
    """A ModelAdmin with history, compare, restore, recover and the edit check."""

    object_history_template = "admin/history/object_history.html"
    compare_template = "admin/history/compare.html"
    compare_raw_template = "admin/history/compare_raw.html"
    revision_form_template = "admin/history/revision_form.html"
    recover_list_template = "admin/history/recover_list.html"
    recover_form_template = "admin/history/recover_form.html"
    # Every save changes these; the version list already says when.
    compare_exclude = ["created_at", "updated_at"]

    @property
    def change_list_template(self):
        # reversion's list adds the "Recover deleted …" link, but naming it outright
        # would hide a model's own change_list.html; one of those should extend it.
        opts = self.opts
        return [
            f"admin/{opts.app_label}/{opts.model_name}/change_list.html",
            f"admin/{opts.app_label}/change_list.html",
            "reversion/change_list.html",
        ]

    def restore_refused(self, obj):
        """A reason this item may not be put back to an earlier version, or None."""
        return None

    # Recording what reversion does not.

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "POST":
            obj = self.get_object(request, unquote(object_id))
            if obj is not None and self.has_change_permission(request, obj):
                record_starting_points([obj, *self._inline_items(request, obj)])
        return super().change_view(request, object_id, form_url, extra_context)

    def changelist_view(self, request, extra_context=None):
        if request.method == "POST" and self.has_change_permission(request):
            record_starting_points(self._posted_items(request))
        return super().changelist_view(request, extra_context)

    def delete_model(self, request, obj):
        record_deletion([obj], user=request.user)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        record_deletion(queryset, user=request.user)
        super().delete_queryset(request, queryset)

    def save_formset(self, request, form, formset, change):
        record_deletion(
            [item.instance for item in formset.deleted_forms if item.instance.pk is not None],
            user=request.user,
        )
        super().save_formset(request, form, formset, change)

    def _inline_items(self, request, obj):
        for inline in self.get_inline_instances(request, obj):
            yield from inline.get_formset(request, obj)(instance=obj).get_queryset()

    def _posted_items(self, request):
        """The items a changelist POST (a bulk action or list edits) is about to change."""
        if request.POST.get("select_across") == "1":
            return self.get_queryset(request)
        # A tampered id is no item's: the admin site refuses the request anyway.
        pks = valid_pks(self.model, posted_pks(self.model, request))
        return self.model._default_manager.filter(pk__in=pks)

    # Restore and recover pages, in plain words.

    def revision_view(self, request, object_id, version_id, extra_context=None):
        version = get_object_or_404(Version, pk=version_id, object_id=unquote(object_id))
        obj = self.get_object(request, unquote(object_id))
        removed = removed_by_restoring(version.revision)
        reason = obj is not None and self.restore_refused(obj)
        if request.method == "POST" and not reason:
            reason = self._removal_refused(request, removed)
        if reason:
            messages.error(request, reason)
            return redirect(self._admin_url("history", unquote(object_id)))
        context = {
            "title": f"Restore an earlier version of “{version.object_repr}”",
            "version": version,
            "removed": removed,
            **(extra_context or {}),
        }
        deletion = None
        if request.method == "POST" and removed:
            comment = f"Deleted when an earlier version of “{version.object_repr}” was restored."
            deletion = record_deletion(removed, user=request.user, comment=comment)
        response = super().revision_view(request, object_id, version_id, context)
        if deletion and any(
            type(item)._base_manager.filter(pk=item.pk).exists() for item in removed
        ):
            deletion.delete()  # the restore did not go ahead, so nothing was deleted
        return response

    def _removal_refused(self, request, removed):
        """Why this user may not delete what a restore would delete, or None."""
        for item in removed:
            model_admin = self.admin_site.get_model_admin(type(item))
            if not model_admin.has_delete_permission(request, item):
                return (
                    "Restoring this version would delete what has been added since, and "
                    "you do not have permission to delete. Ask a publisher to restore it."
                )
        _, protected = deleted_with(removed)
        if protected:
            names = "; ".join(str(obj) for obj in protected[:3])
            return (
                "Restoring this version would delete things added since that other items "
                f"still depend on ({names}). Change or remove those first, then try again."
            )
        return None

    def compare_view(self, request, object_id, extra_context=None):
        # reversion-compare looks the item up by an id it does not check first.
        if not valid_pks(self.model, [unquote(object_id)]):
            raise Http404("There is no such item.")
        return super().compare_view(request, object_id, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        version = get_object_or_404(Version, pk=version_id)
        context = {
            "title": f"Recover “{version.object_repr}”",
            "version": version,
            **(extra_context or {}),
        }
        return super().recover_view(request, version_id, context)

    def compare(self, obj, version1, version2):
        """The changed fields, labelled for editors.

        Related lists that are not part of this item's versions (an ambition's
        action items, say) are left out: they have their own history, and
        comparing them here would show how they are now, not how they were.
        A link to another item (an ambition's strategy) is shown only if it
        points somewhere else: reversion-compare counts it as changed whenever
        any other field changed.
        """
        diff, _ = super().compare(obj, version1, version2)
        shown = []
        for item in diff:
            field = item["field"]
            if isinstance(field, ForeignObjectRel):
                if not item["follow"]:
                    continue
            elif version1.field_dict.get(field.attname) == version2.field_dict.get(field.attname):
                continue
            shown.append({**item, "label": capfirst(_label(field))})
        return shown, False

    def fallback_compare(self, obj_compare):
        # Rich text is compared as editors read it, not as HTML tags.
        if isinstance(obj_compare.field, RichTextField):
            return html_diff(*(readable_text(value) for value in obj_compare.to_string()))
        return super().fallback_compare(obj_compare)

    def _admin_url(self, view, *args):
        opts = self.opts
        return reverse(
            f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_{view}", args=args
        )


def readable_text(html):
    """Rich text as an editor reads it: a line per paragraph or list item, links with addresses."""
    text = re.sub(r'(?is)<a\b[^>]*href="([^"]*)"[^>]*>(.*?)</a>', r"\2 (\1)", str(html))
    text = re.sub(r"(?i)<li\b[^>]*>", "• ", text)
    text = re.sub(r"(?i)</(p|li|h[1-6]|blockquote)>|<br\s*/?>", "\n", text)
    return unescape(strip_tags(text)).strip()


def _label(field):
    if isinstance(field, ForeignObjectRel):
        return field.related_model._meta.verbose_name_plural
    return field.verbose_name
