"""One way to render a form field accessibly: a label (or a fieldset legend for radio groups),
help text and errors next to the field, both tied to the input with aria-describedby."""

from __future__ import annotations

from django import forms, template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag
def field(bound: forms.BoundField) -> SafeString:
    described: list[str] = []
    help_id = f"{bound.auto_id}_help"
    error_id = f"{bound.auto_id}_error"
    if bound.help_text:
        described.append(help_id)
    if bound.errors:
        described.append(error_id)
    attrs: dict[str, str] = {}
    if described:
        attrs["aria-describedby"] = " ".join(described)
    if bound.errors:
        attrs["aria-invalid"] = "true"
    if bound.field.required and not isinstance(bound.field.widget, forms.RadioSelect):
        attrs["required"] = "required"
    is_group = isinstance(bound.field.widget, forms.RadioSelect)
    if is_group:
        # Each radio gets the describedby; the group's name is the legend.
        bound.field.widget.attrs.update(attrs)
        widget = bound.as_widget()
    else:
        widget = bound.as_widget(attrs=attrs)
    return render_to_string(
        "portal/_field.html",
        {
            "f": bound,
            "widget": widget,
            "is_group": is_group,
            "help_id": help_id,
            "error_id": error_id,
        },
    )
