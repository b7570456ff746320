"""Forms for the readiness pages: the questionnaire and the action plan. Validation of what
they send lives in `readiness.writes`; the forms only collect it."""

from __future__ import annotations

from django import forms

from arrangements.edit_forms import GovukDateWidget
from readiness.questions import Question, scale_labels
from sharewell.widgets import GovukFormMixin


class AnswerForm(GovukFormMixin, forms.Form):
    """One radio question (the scale) and an optional comment per question."""

    def __init__(self, *args, questions: list[Question], **kwargs):
        super().__init__(*args, **kwargs)
        labels = scale_labels()
        self.questions = questions
        for number, q in enumerate(questions, 1):
            choices = [(str(v), f"{v} – {labels.get(v, '')}".rstrip(" –")) for v in range(q.min, q.max + 1)]
            self.fields[f"q_{q.id}"] = forms.ChoiceField(
                label=q.text,
                choices=choices,
                widget=forms.RadioSelect,
                error_messages={"required": f"Choose an answer for “{q.text}”"},
            )
            self.fields[f"c_{q.id}"] = forms.CharField(
                label=f"Comment on question {number}",
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                max_length=2000,
            )
        self.apply_govuk_classes()

    def pairs(self):
        """(question, answer field, comment field) for the template."""
        return [(q, self[f"q_{q.id}"], self[f"c_{q.id}"]) for q in self.questions]

    def answers(self) -> list[dict]:
        return [
            {"question": q.id, "value": int(self.cleaned_data[f"q_{q.id}"]), "comment": self.cleaned_data[f"c_{q.id}"]}
            for q in self.questions
        ]


class ActionForm(GovukFormMixin, forms.Form):
    factor = forms.ChoiceField(
        label="Factor",
        error_messages={
            "required": "Choose the factor the action is for",
            "invalid_choice": "Choose the factor the action is for",
        },
    )
    text = forms.CharField(
        label="What will be done",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter what will be done"},
    )
    owner = forms.ChoiceField(
        label="Owner organisation",
        error_messages={
            "required": "Choose the partner organisation that owns the action",
            "invalid_choice": "Choose the partner organisation that owns the action",
        },
    )
    due_on = forms.CharField(
        label="Due date",
        widget=GovukDateWidget(),
        help_text="For example, 31 3 2027",
        error_messages={"required": "Enter the date the action is due, like 31 3 2027"},
    )
    done = forms.BooleanField(label="Done", required=False)

    def __init__(
        self, *args, factors: list[tuple[str, str]], owners: list[tuple[str, str]], editing: bool = False, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.fields["factor"].choices = [("", "Choose a factor"), *factors]
        self.fields["owner"].choices = [("", "Choose an organisation"), *owners]
        self.fields["due_on"].sw_required = True
        if not editing:
            del self.fields["done"]
        self.apply_govuk_classes()
