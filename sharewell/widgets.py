"""GOV.UK classes on form widgets, set in one place for every form."""

from django import forms

WIDGET_CLASSES = {
    forms.TextInput: "govuk-input",
    forms.EmailInput: "govuk-input",
    forms.URLInput: "govuk-input",
    forms.NumberInput: "govuk-input govuk-input--width-10",
    forms.PasswordInput: "govuk-input govuk-!-width-one-half",
    forms.DateInput: "govuk-input govuk-input--width-10",
    forms.Textarea: "govuk-textarea",
    forms.Select: "govuk-select",
    forms.ClearableFileInput: "govuk-file-upload",
    forms.FileInput: "govuk-file-upload",
}


class GovukFormMixin:
    """Adds GOV.UK classes and error state to each widget."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.apply_govuk_classes()

    def apply_govuk_classes(self) -> None:
        """Also for forms that add fields after `__init__` (the arrangement form's rows)."""
        for name, field in self.fields.items():
            for widget_class, css in WIDGET_CLASSES.items():
                if type(field.widget) is widget_class:
                    field.widget.attrs["class"] = css
            if field.help_text:
                field.widget.attrs["aria-describedby"] = f"id_{name}-hint"

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                base = widget.attrs.get("class", "govuk-input").split()[0]
                widget.attrs["class"] = widget.attrs.get("class", "") + f" {base}--error"
                # The hint and the error both, so a screen reader hears what the field asks for.
                hint = f"id_{name}-hint " if self.fields[name].help_text else ""
                widget.attrs["aria-describedby"] = f"{hint}id_{name}-error"
