"""Preview links to share a draft with people who have no account (co-production)."""

import datetime

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.db import models
from django.utils import timezone

PREVIEW_LINK_SALT = "strategy.preview-link"
PREVIEW_LINK_DAYS = 7


def _default_expiry():
    return timezone.now() + datetime.timedelta(days=PREVIEW_LINK_DAYS)


class PreviewLink(models.Model):
    """A signed link that shows one draft, read-only, until it expires or is revoked."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    item = GenericForeignKey("content_type", "object_id")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(default=_default_expiry)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Preview link {self.pk}"

    @property
    def token(self):
        return signing.dumps(self.pk, salt=PREVIEW_LINK_SALT)

    def is_usable(self, now=None):
        now = now or timezone.now()
        return self.revoked_at is None and now < self.expires_at

    @classmethod
    def from_token(cls, token):
        """The link a token names, or None if it was altered or never issued."""
        try:
            pk = signing.loads(token, salt=PREVIEW_LINK_SALT)
        except signing.BadSignature:
            return None
        return cls.objects.filter(pk=pk).first() if isinstance(pk, int) else None
