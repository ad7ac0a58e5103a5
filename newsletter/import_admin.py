"""The admin pages for importing subscribers: upload, preview, then import or cancel.

Nothing is written until the manager presses "Import" on the preview, and
the file itself is never stored (``newsletter.importing``). Reading and the
preview happen in the request (a 50,000-row file: a few seconds); the import
itself is done by the worker, and the same page says when it is finished.
"""

import datetime

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone

from newsletter import importing
from newsletter.models import ImportUpload
from newsletter.retention import IMPORT_UPLOAD_HOURS

IMPORT_PERMISSION = "newsletter.add_importrecord"
MAX_UPLOAD_BYTES = 50 * 1024 * 1024


class UploadForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="A spreadsheet saved as CSV. Its first row names the columns: email, "
        "consent date (when the person agreed, such as 25/03/2024), and source (where "
        "they signed up). The file is read, not kept.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                "The file is bigger than 50 MB. Split it into smaller files."
            )
        return upload


class ConfirmForm(forms.Form):
    ask_to_confirm = forms.BooleanField(
        required=False,
        label="Ask everyone added to confirm again by email",
        help_text="Tick this if you are not sure they all agreed to these emails. Each person "
        "gets one email with a link, and is only sent news once they confirm; anyone who does "
        "not confirm within 7 days is deleted. Leave it unticked and nobody is emailed now.",
    )


class SubscriberImportMixin:
    """Adds the import pages to SubscriberAdmin."""

    def has_import_permission(self, request):
        return request.user.has_perm(IMPORT_PERMISSION)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("import/", view(self.import_upload_view), name="newsletter_subscriber_import"),
            path(
                "import/<uuid:upload_id>/",
                view(self.import_preview_view),
                name="newsletter_subscriber_import_preview",
            ),
            *super().get_urls(),
        ]

    def _import_page(self, request, template, title, **context):
        return TemplateResponse(
            request,
            f"admin/newsletter/subscriber/{template}.html",
            {
                **self.admin_site.each_context(request),
                "title": title,
                "opts": self.model._meta,
                **context,
            },
        )

    def import_upload_view(self, request):
        if not self.has_import_permission(request):
            raise PermissionDenied
        form = UploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                pending = importing.read_upload(
                    data=upload.read(), file_name=upload.name, user=request.user
                )
            except importing.ImportFileError as exc:
                form.add_error("file", str(exc))
            else:
                return redirect("admin:newsletter_subscriber_import_preview", pending.public_id)
        return self._import_page(request, "import_upload", "Import subscribers", form=form)

    def import_preview_view(self, request, upload_id):
        if not self.has_import_permission(request):
            raise PermissionDenied
        cutoff = timezone.now() - datetime.timedelta(hours=IMPORT_UPLOAD_HOURS)
        upload = (
            ImportUpload.objects.filter(public_id=upload_id, uploaded_by=request.user)
            .exclude(state=ImportUpload.State.WAITING, uploaded_at__lt=cutoff)
            .select_related("record")
            .first()
        )
        if upload is not None and upload.state == ImportUpload.State.DONE:
            self.message_user(request, self._imported_message(upload.record))
            return redirect("admin:newsletter_importrecord_change", upload.record.pk)
        if upload is not None and upload.state == ImportUpload.State.QUEUED:
            return self._import_page(
                request, "import_running", f"Importing “{upload.file_name}”", upload=upload
            )
        if upload is None:
            self.message_user(
                request,
                "That import has finished, was cancelled, or was left for over an hour. "
                "Upload the file again if you still want to import it.",
                messages.WARNING,
            )
            return redirect("admin:newsletter_subscriber_import")
        form = ConfirmForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and request.POST.get("cancel"):
            importing.cancel(upload_id=upload_id, user=request.user)
            self.message_user(request, "Import cancelled. Nothing was saved.")
            return redirect("admin:newsletter_subscriber_changelist")
        if request.method == "POST" and form.is_valid():
            importing.queue_import(
                upload_id=upload_id,
                user=request.user,
                ask_to_confirm=form.cleaned_data["ask_to_confirm"],
            )
            return redirect("admin:newsletter_subscriber_import_preview", upload_id)
        plan = importing.preview(upload)
        return self._import_page(
            request,
            "import_preview",
            f"Check the import of “{upload.file_name}”",
            upload=upload,
            plan=plan,
            form=form,
            records_url=reverse("admin:newsletter_importrecord_changelist"),
        )

    @staticmethod
    def _imported_message(record):
        people = "1 person" if record.added_count == 1 else f"{record.added_count:,} people"
        if record.asked_to_confirm:
            return f"Added {people}. Each is being emailed to ask them to confirm."
        return f"Added {people} as confirmed subscribers. Nobody was emailed."
