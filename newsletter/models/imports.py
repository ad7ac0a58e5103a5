"""Importing people from another mailing list: the file waiting for a decision, and the record."""

import uuid

from django.conf import settings
from django.db import models


class ImportRecord(models.Model):
    """One import of subscribers from a CSV file: who, when, which file and what happened.

    It is how each imported person's consent can be traced: the person's own
    row says where and when they first agreed; this says who brought them here.
    """

    imported_at = models.DateTimeField("when", auto_now_add=True, db_index=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="staff account",
    )
    # Kept as text too, so the record still says who after their account is removed.
    imported_by_username = models.CharField("who", max_length=150)
    file_name = models.CharField(max_length=255)
    added_count = models.PositiveIntegerField("people added")
    existing_count = models.PositiveIntegerField("already on the list (left as they were)")
    invalid_count = models.PositiveIntegerField("rows that could not be used")
    duplicate_count = models.PositiveIntegerField("repeated in the file")
    asked_to_confirm = models.BooleanField(
        "asked to confirm again",
        help_text="If ticked, everyone added was sent an email asking them to confirm.",
    )

    class Meta:
        ordering = ["-imported_at", "-pk"]
        verbose_name = "import record"

    def __str__(self):
        return f"{self.file_name} ({self.imported_at:%d %B %Y %H:%M})"


class ImportUpload(models.Model):
    """An uploaded file's rows, read and checked, waiting for the manager to import or cancel.

    The file itself is never kept: only these rows, for as long as the preview
    is open and then until the worker has imported them (``newsletter.importing``).
    They are emptied once imported, deleted on cancel, and a preview left
    waiting is deleted by the purge an hour after upload.
    """

    class State(models.TextChoices):
        WAITING = "waiting", "Waiting for the manager to import or cancel"
        QUEUED = "queued", "Waiting for the worker to import it"
        DONE = "done", "Imported"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True, db_index=True)
    file_name = models.CharField(max_length=255)
    # [[line, email, consent date (ISO), source], ...] for the rows that can be used,
    # first occurrence of each address only; the other counts are kept as numbers.
    rows = models.JSONField(default=list)
    invalid_count = models.PositiveIntegerField(default=0)
    duplicate_count = models.PositiveIntegerField(default=0)
    # The first few rows that cannot be used, and repeats, for the preview:
    # {"invalid": [[line, value, reason], ...], "duplicates": [...]}.
    samples = models.JSONField(default=dict)
    state = models.CharField(max_length=20, choices=State, default=State.WAITING)
    ask_to_confirm = models.BooleanField(default=False)
    record = models.OneToOneField(
        ImportRecord, on_delete=models.SET_NULL, null=True, blank=True, related_name="upload"
    )

    class Meta:
        verbose_name = "import waiting for a decision"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=["waiting", "queued", "done"]),
                name="importupload_state_valid",
            ),
        ]

    def __str__(self):
        return self.file_name
