"""The newsletter issue's form in the admin: a subject is one line of an email header."""

from django import forms

from newsletter.models import NewsletterIssue

SUBJECT_LINE_BREAK_ERROR = "The subject must be on one line"
SENT_MEANWHILE_ERROR = (
    "This issue was sent while you had it open (it may have been scheduled), so it can no "
    "longer be changed. Reload the page to see it as it was sent."
)


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

    def clean(self):
        cleaned = super().clean()
        issue = self.instance
        if (
            issue.pk
            and not type(issue).objects.filter(pk=issue.pk, status=issue.Status.DRAFT).exists()
        ):
            raise forms.ValidationError(SENT_MEANWHILE_ERROR, code="sent")
        return cleaned
