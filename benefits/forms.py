"""The forms of the benefits plan and of sign-off. They only show the boxes and carry what was
typed: every rule is the write path's (`benefits.writes`, `arrangements.writes.sign_off`),
whose problems `show` puts beside the right box."""

from __future__ import annotations

from django import forms

from benefits.models import Frequency, Kind
from sharewell.widgets import GovukFormMixin


class ProblemsMixin:
    def show(self, problems) -> None:
        for problem in problems:
            name = problem.field.split(".")[-1].split("[")[0]
            if name not in self.fields:
                name = next(iter(self.fields))
            self.add_error(name, problem.message)
        self.describe()

    def describe(self) -> None:
        """Point each box at its hint and error by the ids the field template gives them (a
        form with a prefix has ids the mixin's default does not know)."""
        for name, field in self.fields.items():
            auto_id = self[name].auto_id
            ids = ([f"{auto_id}-hint"] if field.help_text else []) + (
                [f"{auto_id}-error"] if self.errors.get(name) else []
            )
            if ids:
                field.widget.attrs["aria-describedby"] = " ".join(ids)
            else:
                field.widget.attrs.pop("aria-describedby", None)


class _Form(ProblemsMixin, GovukFormMixin, forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.describe()


class MeasureForm(_Form):
    name = forms.CharField(label="Measure", required=False, help_text="For example “Customer satisfaction”")
    kind = forms.ChoiceField(
        label="Kind",
        choices=Kind.choices,
        required=False,
        help_text="A financial measure’s plan and actuals are the expected and achieved savings in the money figures",
    )
    unit = forms.CharField(label="Unit", required=False, help_text="For example %, days per person, score out of 10")
    higher_is_better = forms.ChoiceField(
        label="Which way is better?",
        choices=[("true", "Higher is better"), ("false", "Lower is better")],
        required=False,
    )
    owner = forms.ChoiceField(label="Owner organisation", required=False)
    baseline_value = forms.CharField(label="Baseline value", required=False, help_text="Before the sharing began")
    baseline_on = forms.CharField(label="Baseline date", required=False, help_text="For example 2025-03-31")
    target_value = forms.CharField(label="Target", required=False)
    target_on = forms.CharField(label="Target date", required=False, help_text="For example 2028-03-31")
    frequency = forms.ChoiceField(label="How often is it measured?", choices=Frequency.choices, required=False)

    def __init__(self, *args, owners=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [("", "Choose a partner"), *((o.code, o.name) for o in owners)]
        for name in ("name", "kind", "unit", "owner"):
            self.fields[name].sw_required = True


class ValuesForm(_Form):
    period = forms.CharField(
        label="Period", required=False, help_text="A financial year like 2025/26, or a quarter like 2025/26 Q1"
    )
    planned = forms.CharField(label="Planned value", required=False, help_text="Leave blank to keep the plan as it is")
    actual = forms.CharField(label="Actual", required=False, help_text="Leave blank if there is no actual yet")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].sw_required = True


class UploadForm(_Form):
    file = forms.FileField(
        label="Spreadsheet of values",
        required=False,
        help_text="CSV or Excel, with the columns measure, period, planned, actual: one period of one measure a row",
    )


class SignOffForm(_Form):
    note = forms.CharField(
        label="Note",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example what you checked: “Agreed to the 2025/26 outturn report”",
    )


class WithdrawForm(_Form):
    reason = forms.CharField(
        label="Why are you withdrawing the sign-off?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Everyone who reads the arrangement’s history will see this",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].sw_required = True
