"""Previews in the admin: the staff "Preview" page and shared preview links.

What a preview shows is worked out in strategy.previews; this module adds the
admin pages that show it and that make and turn off links to it.
"""

from django import forms
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone

from strategy.models import PreviewLink
from strategy.previews import can_preview, preview_context


class RevokePreviewLinkForm(forms.Form):
    """Which of this item's preview links to turn off (the button's value)."""

    revoke = forms.ModelChoiceField(
        queryset=PreviewLink.objects.none(),
        error_messages={
            "required": "Choose a preview link to turn off. Nothing was changed.",
            "invalid_choice": "That is not one of this item's preview links, "
            "so nothing was changed.",
        },
    )

    def __init__(self, *args, links, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["revoke"].queryset = links

    def save(self):
        """Turn the chosen link off (again, if it already was)."""
        link = self.cleaned_data["revoke"]
        link.revoked_at = link.revoked_at or timezone.now()
        link.save(update_fields=["revoked_at"])


class PreviewAdminMixin:
    """A "Preview" page showing an item, waiting edits included, as the public would see it."""

    def get_urls(self):
        opts = self.model._meta
        prefix = f"{opts.app_label}_{opts.model_name}"
        wrap = self.admin_site.admin_view
        return [
            path("<path:object_id>/preview/", wrap(self.preview_view), name=f"{prefix}_preview"),
            path("<path:object_id>/share/", wrap(self.share_view), name=f"{prefix}_share"),
            *super().get_urls(),
        ]

    def share_view(self, request, object_id):
        """Make, list and revoke preview links for people without an account."""
        obj = self.get_object(request, object_id)
        if obj is None or not self.has_change_permission(request, obj):
            raise Http404
        links = PreviewLink.objects.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
        )
        status = 200
        if request.method == "POST" and "revoke" in request.POST:
            revoke = RevokePreviewLinkForm(request.POST, links=links)
            if revoke.is_valid():
                revoke.save()
                self.message_user(request, "That preview link no longer works.")
                return redirect(request.path)
            self.message_user(request, revoke.errors["revoke"][0], messages.ERROR)
            status = 400
        elif request.method == "POST":
            PreviewLink.objects.create(item=obj, created_by=request.user)
            self.message_user(request, "New preview link made. It works for 7 days.")
            return redirect(request.path)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Share a preview of “{obj}”",
            "opts": self.model._meta,
            "original": obj,
            "links": [
                (link, request.build_absolute_uri(f"/preview/{link.token}/")) for link in links
            ],
            "now": timezone.now(),
        }
        return TemplateResponse(
            request, "admin/strategy/share_preview.html", context, status=status
        )

    def preview_view(self, request, object_id):
        """The item's public page, waiting edits included, for signed-in staff."""
        obj = self.get_object(request, object_id)
        if obj is None or not self.has_view_permission(request, obj):
            raise Http404
        found = preview_context(obj)
        if found is None:
            raise Http404("This kind of item is previewed on the page it belongs to.")
        template, context = found
        response = TemplateResponse(request, template, context)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        if obj is not None and can_preview(obj):
            extra_context = {
                **(extra_context or {}),
                "preview_url": "../preview/",
                "share_url": "../share/",
            }
        return super().change_view(request, object_id, form_url, extra_context)
