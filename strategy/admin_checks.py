"""Writing guidance for editors on every change form with body text.

The checks themselves are in strategy.writing; this shows their findings on
the change form (for the text as last saved) and sums them up after each save.
Whether a finding may stop a save follows the one rule in
strategy.writing.checks: only a blocking one (it would shut some readers out).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import models

from medway_send.richtext import RichTextField, sanitise_html
from strategy.writing import check_text


def checked_fields(model):
    """The model's text fields: plain and rich text (RichTextField is a TextField)."""
    return [
        field
        for field in model._meta.get_fields()
        if isinstance(field, models.TextField) and field.editable
    ]


def reports_for(obj):
    """(field label, report) for each text field of ``obj`` with something to say."""
    found = []
    for field in checked_fields(type(obj)):
        value = getattr(obj, field.attname, "") or ""
        report = check_text(value)
        if value and not report.is_clean:
            found.append((field.verbose_name.capitalize(), report))
    return found


class ContentChecksMixin:
    """Adds the writing checks to a ModelAdmin's change form and save messages."""

    change_form_template = "admin/strategy/content_checks_change_form.html"

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        if obj is not None:
            extra_context = {**(extra_context or {}), "content_checks": reports_for(obj)}
        return super().change_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, **kwargs):
        form_class = super().get_form(request, obj, **kwargs)
        fields = checked_fields(self.model)

        class CheckedForm(form_class):
            def clean(self):
                cleaned = super().clean()
                for field in fields:
                    value = cleaned.get(field.name) or ""
                    # Judge rich text as it will be stored: after the allow-list.
                    if isinstance(field, RichTextField):
                        value = sanitise_html(value)
                    report = check_text(value)
                    if report.has_blocking and field.name in self.fields:
                        self.add_error(field.name, ValidationError(report.summary()))
                return cleaned

        CheckedForm.__name__ = form_class.__name__
        return CheckedForm

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        for label, report in reports_for(obj):
            self.message_user(request, f"Writing check, {label}: {report.summary()}", messages.INFO)
