"""The sign-up form (one email field and quiet checks for robots), and the choices form.

Only the honeypot turns a submission away silently. The timing token can be
wrong for real people too (a page left open for days, a password manager that
fills the address and presses Enter at once), so a failed time check is always
answered with a page a person can act on, never with a pretend "check your email".
"""

import enum
import time

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size
from django import forms
from django.conf import settings
from django.core import signing

from newsletter.models.subscribers import Frequency, Topic, normalise_email

FORM_TOKEN_SALT = "newsletter.signup-form"  # noqa: S105 (a salt, not a secret)
STEP_TOKEN_SALT = "newsletter.signup-confirm-step"  # noqa: S105 (a salt, not a secret)
EMAIL_FORMAT_ERROR = "Enter an email address in the correct format, like name@example.com"
TOKEN_MAX_LENGTH = 500


class Timing(enum.Enum):
    """What the timing token says about a sign-up."""

    PLAUSIBLE = "plausible"  # filled in at a person's pace, or the confirm step was shown
    TOO_FAST = "too fast"  # sent back within NEWSLETTER_MIN_FORM_SECONDS
    STALE = "stale"  # too old, tampered with, or missing: the form is shown again


def make_form_token(now=None):
    """A signed note of when the form was shown, to spot forms filled in by machines."""
    return signing.dumps({"t": now if now is not None else time.time()}, salt=FORM_TOKEN_SALT)


def make_step_token(email, now=None):
    """A signed note that the "confirm your email address" step was shown for ``email``."""
    shown_at = now if now is not None else time.time()
    return signing.dumps({"t": shown_at, "e": email.lower()}, salt=STEP_TOKEN_SALT)


def _read(token, salt):
    """The token's contents, or None if it is missing, tampered with or too old."""
    try:
        value = signing.loads(
            (token or "")[:TOKEN_MAX_LENGTH],
            salt=salt,
            max_age=settings.NEWSLETTER_MAX_FORM_AGE_SECONDS,
        )
        float(value["t"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    return value


def form_timing(token, now=None):
    """How the form with this timing token was filled in: plausibly, too fast, or stale."""
    value = _read(token, FORM_TOKEN_SALT)
    if value is None:
        return Timing.STALE
    age = (now if now is not None else time.time()) - float(value["t"])
    if age > settings.NEWSLETTER_MAX_FORM_AGE_SECONDS:
        return Timing.STALE
    if age < settings.NEWSLETTER_MIN_FORM_SECONDS:
        return Timing.TOO_FAST
    return Timing.PLAUSIBLE


def step_timing(token, email):
    """PLAUSIBLE if the confirm step was shown for this address recently, else STALE."""
    value = _read(token, STEP_TOKEN_SALT)
    if value is None or value.get("e") != email.lower():
        return Timing.STALE
    return Timing.PLAUSIBLE


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
    # The honeypot ("website", hidden from everyone, assistive technology
    # included) and the timing tokens ("form_token", or "step_token" from the
    # confirm step) are read raw, not as fields: nobody can see them, so nobody
    # must ever get an error message about them.

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        # The template puts the one CSRF token inside its own <form>.
        self.helper.disable_csrf = True
        self.helper.layout = Layout(Field.text("email", label_size=Size.MEDIUM, field_width=20))

    def clean_email(self):
        value = self.cleaned_data["email"]
        try:
            forms.EmailField().clean(value)
        except forms.ValidationError:
            raise forms.ValidationError(EMAIL_FORMAT_ERROR) from None
        return normalise_email(value)

    def honeypot_filled(self):
        """True if the field hidden from people was filled in: only a robot does that."""
        return bool(self.data.get("website"))

    def timing(self):
        """What the timing token says; call only once the form is valid."""
        if "step_token" in self.data:
            return step_timing(self.data["step_token"], self.cleaned_data["email"])
        return form_timing(self.data.get("form_token"))


CHOOSE_SOMETHING_ERROR = (
    "Choose at least one kind of email to get, or unsubscribe from everything below"
)
TOPIC_HINTS = {
    "issues": "Our newsletter, about once a month.",
    "progress": "Sent when we make a big change to an action in the action plan or to an "
    "ambition, with a note saying what changed.",
    "news": "Sent when we put a news post on the website.",
}


class ChoicesForm(forms.Form):
    """What a subscriber wants, and how often: one group of radio buttons per kind of email."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for topic, label in Topic.choices:
            self.fields[topic] = forms.ChoiceField(
                label=label,
                help_text=TOPIC_HINTS[topic],
                choices=Frequency.choices,
                widget=forms.RadioSelect,
                error_messages={"required": f"Choose whether you want {label.lower()}"},
            )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            *(Field.radios(topic, legend_size=Size.MEDIUM, legend_tag="h2") for topic in Topic)
        )

    def clean(self):
        cleaned = super().clean()
        if all(cleaned.get(topic) == Frequency.OFF for topic in Topic.values):
            self.add_error(Topic.ISSUES.value, CHOOSE_SOMETHING_ERROR)
        return cleaned
