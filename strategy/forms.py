"""The action plan filter form (GET, so filtered pages can be bookmarked and shared)."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Layout
from django import forms

from strategy.models import ActionPlanItem, Ambition, Board


class ActionPlanFilterForm(forms.Form):
    ambition = forms.ModelChoiceField(
        queryset=Ambition.objects.none(),
        required=False,
        empty_label="All ambitions",
        to_field_name="slug",
        error_messages={"invalid_choice": "Choose an ambition from the list"},
    )
    status = forms.ChoiceField(
        required=False, error_messages={"invalid_choice": "Choose a status from the list"}
    )
    board = forms.ModelChoiceField(
        label="Monitored by",
        queryset=Board.objects.all(),
        required=False,
        empty_label="All boards",
        to_field_name="slug",
        error_messages={"invalid_choice": "Choose a board from the list"},
    )

    def __init__(self, *args, strategy=None, **kwargs):
        super().__init__(*args, **kwargs)
        if strategy is not None:
            self.fields["ambition"].queryset = strategy.ambitions.all()
        self.fields["ambition"].label_from_instance = lambda ambition: ambition.heading
        self.fields["status"].choices = [("", "Any status"), *ActionPlanItem.Status.choices]
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_tag = False
        # The submit button is in the template: a named button would add
        # itself to every bookmarked filter address.
        self.helper.layout = Layout("ambition", "status", "board")

    def filter(self, queryset):
        """Return ``queryset`` narrowed to the chosen filters; invalid choices are ignored."""
        if not self.is_valid():
            return queryset
        data = self.cleaned_data
        if data.get("ambition"):
            queryset = queryset.filter(ambition=data["ambition"])
        if data.get("status"):
            queryset = queryset.filter(status=data["status"])
        if data.get("board"):
            queryset = queryset.filter(board=data["board"])
        return queryset
