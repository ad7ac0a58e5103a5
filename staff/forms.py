"""The one-field forms of the second sign-in step."""

from django import forms


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
