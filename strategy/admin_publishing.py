"""The publishing workflow in the admin: drafts, held-back edits, publishing and scheduling.

Editors (without the "publish" permission) can write new drafts and edit
anything, but an edit to a published item is held back: the public page only
changes when a publisher publishes it. Publishers see the held-back edits in
the form, and saving (or "Publish selected") puts them on the website.
"""

import copy

from django import forms
from django.contrib import admin, messages
from django.forms.models import model_to_dict
from django.utils import timezone

from strategy.models.publishing import PublishingStatus

PUBLISH_PERMISSION = "strategy.publish_content"
PUBLISHING_FIELDS = ["publishing_status", "publish_at", "review_by"]
NOTE_FIELDS = ["major_change", "change_note"]


def can_publish(request):
    return request.user.has_perm(PUBLISH_PERMISSION)


class ChangeNoteFields(forms.ModelForm):
    """What a publisher can add when saving: a public note of a major change."""

    major_change = forms.BooleanField(
        required=False,
        label="This is a major change that families should know about",
        help_text="Adds a note to the page's public history.",
    )
    change_note = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="What changed, in one or two plain sentences.",
    )


class PublishingAdminMixin:
    """For ModelAdmins of Publishable models."""

    actions = ["publish_selected", "unpublish_selected"]

    def _has_states(self):
        # A strategy edition holds edits back but has its own status, not these states.
        return any(f.name == "publishing_status" for f in self.model._meta.fields)

    def get_list_display(self, request):
        return [*super().get_list_display(request), "publishing_state"]

    def get_list_filter(self, request):
        extra = ["publishing_status"] if self._has_states() else []
        return [*super().get_list_filter(request), *extra]

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not self._has_states():
            actions.pop("unpublish_selected", None)
        return actions

    @admin.display(description="on the website")
    def publishing_state(self, obj):
        if self._has_states():
            state = obj.get_publishing_status_display().split(" (")[0]
        else:
            state = obj.get_status_display().split(" (")[0]
        return f"{state}, with changes waiting" if obj.pending_changes else state

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if not self._has_states():
            notes = [("Change note", {"fields": NOTE_FIELDS})]
            return [*fieldsets, *notes] if can_publish(request) and obj is not None else fieldsets
        if any("publishing_status" in (opts.get("fields") or []) for _, opts in fieldsets):
            return fieldsets
        content = [
            (name, {**opts, "fields": [f for f in opts["fields"] if f not in PUBLISHING_FIELDS]})
            for name, opts in fieldsets
        ]
        publishing = [("Publishing", {"fields": PUBLISHING_FIELDS})]
        if can_publish(request) and obj is not None:
            publishing.append(("Change note", {"fields": NOTE_FIELDS}))
        return [*content, *publishing]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not can_publish(request):
            readonly += ["publishing_status", "publish_at"] if self._has_states() else ["status"]
        return readonly

    def get_form(self, request, obj=None, **kwargs):
        if can_publish(request):
            base = kwargs.get("form", self.form)
            kwargs["form"] = type(base.__name__, (ChangeNoteFields, base), {})
        form_class = super().get_form(request, obj, **kwargs)

        class HeldChangesForm(form_class):
            """Opens with any held-back edits, so people carry on from the draft."""

            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                if self.instance.pk and self.instance.pending_changes:
                    draft = copy.copy(self.instance).with_pending_changes()
                    self.initial.update(model_to_dict(draft, fields=list(self.fields)))

            def clean(self):
                cleaned = super().clean()
                if cleaned.get("major_change") and not (cleaned.get("change_note") or "").strip():
                    self.add_error(
                        "change_note", "Say what changed, so families can see it in the history"
                    )
                return cleaned

        HeldChangesForm.__name__ = form_class.__name__
        return HeldChangesForm

    def save_model(self, request, obj, form, change):
        if change and not can_publish(request):
            live = type(obj)._default_manager.get(pk=obj.pk)
            if live.is_live:
                pending = obj.hold_changes(form.changed_data)
                type(obj)._default_manager.filter(pk=obj.pk).update(pending_changes=pending)
                self.message_user(
                    request,
                    "Saved as a draft. The public page will change when a publisher publishes it.",
                    messages.INFO,
                )
                return
        if can_publish(request):
            # A publisher's save is the version that goes out: nothing is held back.
            obj.pending_changes = None
            if getattr(obj, "publishing_status", None) == PublishingStatus.SCHEDULED and not (
                obj.publish_at
            ):
                obj.publish_at = timezone.now()
        super().save_model(request, obj, form, change)
        if form.cleaned_data.get("major_change"):
            from strategy.models import ChangeNote

            ChangeNote.objects.create(
                item=obj, note=form.cleaned_data["change_note"].strip(), created_by=request.user
            )

    def has_publish_permission(self, request):
        return can_publish(request)

    @admin.action(
        description="Publish the selected items (with any waiting changes)", permissions=["publish"]
    )
    def publish_selected(self, request, queryset):
        for obj in queryset:
            obj.publish()
        self.message_user(request, f"Published {queryset.count()} items.")

    @admin.action(description="Take the selected items off the website", permissions=["publish"])
    def unpublish_selected(self, request, queryset):
        count = queryset.update(publishing_status=PublishingStatus.UNPUBLISHED)
        self.message_user(request, f"Took {count} items off the website.")


class HoldInlineChangesMixin:
    """For admins whose inlines edit Publishable items (a strategy's ambitions, say).

    Without the publish permission, an edit to a published inline item is held
    back like any other; new inline items start as drafts.
    """

    def save_formset(self, request, form, formset, change):
        if can_publish(request) or not hasattr(formset.model, "pending_changes"):
            return super().save_formset(request, form, formset, change)
        instances = formset.save(commit=False)  # also works out changed_objects
        changed = {id(obj): fields for obj, fields in formset.changed_objects}
        live_ids = set(
            formset.model._default_manager.filter(
                pk__in=[o.pk for o, _ in formset.changed_objects],
                publishing_status=PublishingStatus.PUBLISHED,
            ).values_list("pk", flat=True)
        )
        for obj in instances:
            if obj.pk in live_ids:
                pending = obj.hold_changes(changed.get(id(obj), []))
                formset.model._default_manager.filter(pk=obj.pk).update(pending_changes=pending)
            else:
                obj.save()
        for obj in formset.deleted_objects:
            obj.delete()
        formset.save_m2m()
        return None


class PublishingInlineMixin:
    """Shows an inline item's publishing state; only publishers may change it."""

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        return fields if "publishing_status" in fields else [*fields, "publishing_status"]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        return readonly if can_publish(request) else [*readonly, "publishing_status"]
