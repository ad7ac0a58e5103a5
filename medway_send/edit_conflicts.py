"""Stop two editors silently overwriting each other in the admin (optimistic locking).

When a change form is shown it carries, in a hidden field, a fingerprint of what
the editor is looking at: a short hash of each field of the object and of each
item in its inlines. When the form is saved the fingerprint is taken again from
the database, with the rows locked. If someone else has changed a field since,
and this save would put a different value over theirs, the save stops: the form
says who changed what and when, shows their saved value beside each field, and
keeps what this editor typed in the boxes. Neither edit is lost: theirs is in
the database, this one is still on the screen.

Only fields someone else changed *and* this form would overwrite count, so a
change to a field that is not on this form (a status set by a publisher, say)
does not stop anyone.
"""

import datetime
import hashlib
from functools import partial

import reversion
from django import forms
from django.contrib.admin.utils import flatten_fieldsets
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.html import strip_tags
from django.utils.text import capfirst
from reversion.models import Version

EDIT_CHECK_FIELD = "edit_check"
_SALT = "medway_send.edit_conflicts"


def _fingerprint(value):
    return hashlib.sha256(repr(value).encode()).hexdigest()[:12]


def _model_fields(model, names):
    """The model's own columns among a form's field names (the ones a save writes)."""
    columns = {field.name: field for field in model._meta.concrete_fields}
    return [columns[name] for name in names if name in columns]


def _fingerprints(instance, fields):
    return {field.name: _fingerprint(field.value_from_object(instance)) for field in fields}


def _clashes(fields, opened, now, overwritten):
    """Fields someone else changed since the form was opened that this save would overwrite."""
    return [
        field
        for field in fields
        if opened.get(field.name, now[field.name]) != now[field.name] and overwritten(field)
    ]


def shown_value(instance, field):
    """A field's value as an editor would recognise it: labels, not codes; text, not HTML."""
    value = field.value_from_object(instance)
    if value is None or value == "":
        return "(empty)"
    if field.is_relation:
        return str(getattr(instance, field.name))
    if field.flatchoices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "j F Y, H:i")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "j F Y")
    return " ".join(strip_tags(str(value)).split()) or "(empty)"


def _when(moment):
    if moment is None:
        return ""
    local = timezone.localtime(moment)
    if local.date() == timezone.localdate():
        return f" at {local:%H:%M}"
    return f" on {local.day} {local:%B} at {local:%H:%M}"


class EditLock:
    """One change form's fingerprint: made when the form is shown, checked when it is saved."""

    def __init__(self, request):
        self.request = request
        self.formsets = []

    def make_token(self, form):
        """The hidden field's value: what the form and its inlines show, fingerprinted."""
        if form.is_bound:
            return ""  # a form shown again after a POST keeps the token it was sent with
        items = {
            _item_key(item_form.instance): _fingerprints(
                item_form.instance, _model_fields(formset.model, item_form.fields)
            )
            for formset in self.formsets
            for item_form in formset.initial_forms
        }
        payload = {
            "at": timezone.now().isoformat(),
            "fields": _fingerprints(form.instance, _model_fields(form._meta.model, form.fields)),
            "items": items,
        }
        return signing.dumps(payload, salt=_SALT, compress=True)

    def check(self, form):
        """Raise ValidationError, with the differences attached to fields, on a conflict."""
        try:
            opened = signing.loads(form.cleaned_data.get(EDIT_CHECK_FIELD) or "", salt=_SALT)
        except signing.BadSignature:
            return  # no token (a script, an old page): nothing to compare with
        opened_at = datetime.datetime.fromisoformat(opened["at"])
        model = form._meta.model
        current = model._base_manager.select_for_update().get(pk=form.instance.pk)
        theirs = type(form)(instance=current, prefix=form.prefix)
        fields = _model_fields(model, form.fields)
        clashes = _clashes(
            fields,
            opened["fields"],
            _fingerprints(current, fields),
            lambda field: form.fields[field.name].has_changed(
                theirs[field.name].initial, form[field.name].data
            ),
        )
        # A save writes every column, so take the ones this form does not show from
        # the row as it is now, not as it was when this request loaded it.
        for field in model._meta.concrete_fields:
            if field not in fields:
                setattr(form.instance, field.attname, getattr(current, field.attname))
        item_lines, changed_items = self._check_items(opened["items"])
        if not clashes and not item_lines:
            return
        changed = ([current] if clashes else []) + changed_items
        who, self_edit = self._who(changed, opened_at)
        for field in clashes:
            form.add_error(
                field.name,
                f"Changed by {who if not self_edit else 'you in another tab or window'} while "
                f"you were editing. Saved version: “{shown_value(current, field)}”. Your "
                "version, in the box below, has not been saved.",
            )
        raise ValidationError(
            [self._summary(model, changed, who, self_edit, opened_at), *item_lines]
        )

    def _check_items(self, opened_items):
        """Plain-English lines about inline items someone else changed or deleted."""
        lines, changed = [], []
        for formset in self.formsets:
            prefix = f"{formset.model._meta.label_lower}:"
            opened_pks = [
                key.removeprefix(prefix) for key in opened_items if key.startswith(prefix)
            ]
            # Lock the rows before the formset reads them, so it reads them as they are now.
            existing = set(
                map(
                    str,
                    formset.model._base_manager.select_for_update()
                    .filter(pk__in=opened_pks)
                    .values_list("pk", flat=True),
                )
            )
            deleted = set(opened_pks) - existing
            noun = capfirst(formset.model._meta.verbose_name)
            for item_form in formset.initial_forms:
                posted_pk = item_form[formset.model._meta.pk.name].data
                ticked = formset.can_delete and item_form["DELETE"].data
                if str(posted_pk) in deleted and not ticked:
                    lines.append(f"{noun} “{_last_known(formset.model, posted_pk)}” was deleted.")
                    continue
                instance = item_form.instance
                opened = opened_items.get(_item_key(instance)) if instance.pk else None
                # An item form that has not changed is not saved, so it overwrites nothing.
                if opened is None or not item_form.has_changed():
                    continue
                fields = _model_fields(formset.model, item_form.fields)
                clashes = _clashes(
                    fields,
                    opened,
                    _fingerprints(instance, fields),
                    lambda field, item_form=item_form: field.name in item_form.changed_data,
                )
                if clashes:
                    changed.append(instance)
                    saved = "; ".join(
                        f"{field.verbose_name} is now “{shown_value(instance, field)}”"
                        for field in clashes
                    )
                    lines.append(f"{noun} “{instance}”: {saved}.")
        return lines, changed

    def _who(self, objects, since):
        """Who saved these objects after ``since`` (from the history), and whether it was us."""
        users = {
            version.revision.user
            for obj in objects
            if reversion.is_registered(type(obj))
            for version in Version.objects.get_for_object(obj)
            .filter(revision__date_created__gt=since)
            .select_related("revision__user")
        } - {None}
        if users and users <= {self.request.user}:
            return "you", True
        others = users - {self.request.user}
        if len(others) == 1:
            (user,) = others
            return user.get_full_name() or user.get_username(), False
        return "someone else", False

    def _summary(self, model, changed, who, self_edit, since):
        times = [obj.updated_at for obj in changed if hasattr(obj, "updated_at")]
        when = _when(max(times) if times else None)
        noun = model._meta.verbose_name
        if self_edit:
            return (
                f"You changed this {noun}{when} in another tab or window while this page "
                "was open. Those changes are shown below; the changes on this page have "
                "not been saved. Copy anything you need, then reload the page."
            )
        return (
            f"{capfirst(who)} changed this {noun}{when} while you were editing. Their "
            "changes are shown below; your changes have not been saved. Copy anything "
            "you need, then reload the page."
        )


def _item_key(instance):
    return f"{instance._meta.label_lower}:{instance.pk}"


def _last_known(model, pk):
    """What a deleted item was called, from its last recorded version."""
    if reversion.is_registered(model):
        version = Version.objects.get_for_object_reference(model, pk).first()
        if version is not None:
            return version.object_repr
    return f"number {pk}"


class FingerprintField(forms.CharField):
    """The hidden fingerprint. It is never "a change" in the history's change message."""

    widget = forms.HiddenInput

    def has_changed(self, initial, data):
        return False


class EditCheckedForm(forms.ModelForm):
    """Mixed into an admin change form: carries the fingerprint and checks it on save."""

    edit_check = FingerprintField(required=False, label="Edit check")
    edit_lock = None  # set per request by EditConflictMixin.get_form

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A callable initial is evaluated when the form is rendered: by then the
        # admin has built the inline formsets, so their items can be fingerprinted.
        self.initial[EDIT_CHECK_FIELD] = partial(self.edit_lock.make_token, self)

    def clean(self):
        cleaned_data = super().clean()
        self.edit_lock.check(self)
        return cleaned_data


class EditConflictMixin:
    """Adds the edit check to a ModelAdmin's change form (never to the add form)."""

    def _edit_lock(self, request, obj):
        locks = request.__dict__.setdefault("_edit_locks", {})
        return locks.setdefault((id(self), str(obj.pk)), EditLock(request))

    def _checks_edits(self, request, obj):
        return obj is not None and obj.pk is not None and self.has_change_permission(request, obj)

    def get_form(self, request, obj=None, change=False, **kwargs):
        if self._checks_edits(request, obj):
            base = kwargs.pop("form", self.form)
            lock = self._edit_lock(request, obj)
            kwargs["form"] = type(base)(base.__name__, (EditCheckedForm, base), {"edit_lock": lock})
        return super().get_form(request, obj, change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if not self._checks_edits(request, obj) or EDIT_CHECK_FIELD in flatten_fieldsets(fieldsets):
            return fieldsets
        # The admin renders only the fields in a fieldset; a hidden one shows nothing.
        (name, options), *rest = fieldsets
        return [(name, {**options, "fields": [*options["fields"], EDIT_CHECK_FIELD]}), *rest]

    def _create_formsets(self, request, obj, change):
        formsets, inline_instances = super()._create_formsets(request, obj, change)
        if change and self._checks_edits(request, obj):
            self._edit_lock(request, obj).formsets = formsets
        return formsets, inline_instances
