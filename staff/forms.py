"""The forms of staff sign-in: the password step and the one-field code step."""

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model


class CodeForm(forms.Form):
    """A code from the authenticator app or, when ``backup_codes`` is on, a backup code."""

    code = forms.CharField(max_length=32, strip=True)

    def __init__(self, *args, backup_codes=False, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["code"]
        field.error_messages["required"] = "Enter the 6-digit code from your authenticator app" + (
            ", or a backup code" if backup_codes else ""
        )
        # Browsers and password managers offer a code they received; no spelling fixes.
        attrs = {"autocomplete": "one-time-code", "spellcheck": "false", "autocapitalize": "off"}
        if backup_codes:
            field.label = "Code"
            field.help_text = "6 digits from the app, or one of your 8-character backup codes."
        else:
            field.label = "6-digit code from the app"
            attrs["inputmode"] = "numeric"
        field.widget.attrs.update(attrs)


class StaffSignInForm(AdminAuthenticationForm):
    """The admin's password form, refusing a username no account could have.

    Django only sets the username box's maxlength for the browser; a longer one
    still reached authenticate(), and the lockout's failure record (a 255
    character column) turned it into a 500 on PostgreSQL. It gets the ordinary
    "not right" message instead, which says nothing about who has an account.
    """

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        limit = get_user_model()._meta.get_field(get_user_model().USERNAME_FIELD).max_length
        if len(username) > limit:
            raise self.get_invalid_login_error()
        return super().clean()
