"""The newsletter issue's form in the admin: a subject is one line of an email header."""

from django import forms

from newsletter.models import NewsletterIssue

SUBJECT_LINE_BREAK_ERROR = "The subject must be on one line"


class NewsletterIssueForm(forms.ModelForm):
    """Subject and body of a newsletter issue, with the subject kept to one line."""

    class Meta:
        model = NewsletterIssue
        fields = ["subject", "body"]

    def clean_subject(self):
        # A line break in a header could add headers of its own (header
        # injection); Django refuses to send such an email, so say so here.
        subject = self.cleaned_data["subject"]
        if "".join(subject.splitlines()) != subject:
            raise forms.ValidationError(SUBJECT_LINE_BREAK_ERROR, code="line_break")
        return subject
