"""Newsletter pages."""

from django.urls import reverse
from django.views.generic import TemplateView


class SignupView(TemplateView):
    template_name = "newsletter/signup.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            page_title="Get news and updates by email",
            meta_description="Sign up for email news and updates about Medway's SEND strategy.",
            breadcrumbs=[("Home", reverse("strategy:overview")), ("Newsletter", None)],
            **kwargs,
        )
