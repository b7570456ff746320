"""GOV.UK classes on forms that Sharewell did not write (django-allauth's)."""

from django import template

from sharewell.widgets import WIDGET_CLASSES

register = template.Library()


@register.filter
def govuk(form):
    for name, field in form.fields.items():
        for widget_class, css in WIDGET_CLASSES.items():
            if type(field.widget) is widget_class:
                field.widget.attrs["class"] = css
        field.widget.attrs.pop("placeholder", None)
        described = []
        if field.help_text:
            described.append(f"id_{name}-hint")
        if form.is_bound and name in form.errors:
            base = field.widget.attrs.get("class", "govuk-input").split()[0]
            field.widget.attrs["class"] = field.widget.attrs.get("class", "") + f" {base}--error"
            described.append(f"id_{name}-error")
        if described:
            field.widget.attrs["aria-describedby"] = " ".join(described)
    return form
