"""The sign-up form: one email field, plus two quiet checks for automated sign-ups."""

import time

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size
from django import forms
from django.conf import settings
from django.core import signing

from newsletter.models.subscribers import normalise_email

FORM_TOKEN_SALT = "newsletter.signup-form"  # noqa: S105 (a salt, not a secret)
EMAIL_FORMAT_ERROR = "Enter an email address in the correct format, like name@example.com"


def make_form_token(now=None):
    """A signed note of when the form was shown, to spot forms filled in by machines."""
    return signing.dumps({"t": now if now is not None else time.time()}, salt=FORM_TOKEN_SALT)


def form_token_is_plausible(token, now=None):
    """True if the token is ours, and the form was filled in neither too fast nor too late."""
    now = now if now is not None else time.time()
    try:
        shown_at = signing.loads(
            token or "", salt=FORM_TOKEN_SALT, max_age=settings.NEWSLETTER_MAX_FORM_AGE_SECONDS
        )["t"]
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return False
    age = now - float(shown_at)
    return settings.NEWSLETTER_MIN_FORM_SECONDS <= age <= settings.NEWSLETTER_MAX_FORM_AGE_SECONDS


class SignupForm(forms.Form):
    email = forms.CharField(
        label="Email address",
        help_text="We'll only use it to send you news and updates about the SEND strategy.",
        max_length=254,
        strip=True,
        error_messages={
            "required": "Enter your email address",
            "max_length": "Email address must be 254 characters or fewer",
            "null_characters_not_allowed": EMAIL_FORMAT_ERROR,
        },
        widget=forms.EmailInput(
            attrs={"autocomplete": "email", "spellcheck": "false", "autocapitalize": "none"}
        ),
    )
    # The honeypot ("website", hidden from everyone, assistive technology included)
    # and the timing token ("form_token") are read raw in looks_automated(), not
    # as fields: a robot that mangles them must get the silent answer, never an
    # error message about a field no person can see.

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(Field.text("email", label_size=Size.MEDIUM, field_width=20))

    def clean_email(self):
        value = self.cleaned_data["email"]
        try:
            forms.EmailField().clean(value)
        except forms.ValidationError:
            raise forms.ValidationError(EMAIL_FORMAT_ERROR) from None
        return normalise_email(value)

    def looks_automated(self):
        """True if the hidden field was filled in or the timing token is wrong."""
        return bool(self.data.get("website")) or not form_token_is_plausible(
            self.data.get("form_token", "")[:500]
        )
