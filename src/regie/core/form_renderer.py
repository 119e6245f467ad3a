"""A form renderer that draws the common widgets in Python, exactly as Django's own templates do.

Django renders every widget, and every <option> of a select, through a template include; on the
case page that was several milliseconds per request (bench/). This renderer produces the same
markup for inputs, textareas, selects and checkbox lists directly, and hands every other template
to Django's renderer. tests/test_form_renderer.py checks the output against Django's byte for byte.
"""

from html import escape

from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

W = "django/forms/widgets/"
INPUTS = {
    f"{W}{name}.html"
    for name in ("input", "text", "email", "password", "number", "date", "datetime", "hidden", "search", "tel", "url",
                 "time", "checkbox")
}  # fmt: skip


def _s(value) -> str:
    return escape(str(value), quote=True)


def _attrs(attrs: dict) -> str:
    return "".join(
        f" {name}" if value is True else f' {name}="{_s(value)}"' for name, value in attrs.items() if value is not False
    )


# Each function returns what its template returns, trailing newlines included: a template file
# ends in a newline, and a wrapper template (text.html is `{% include "input.html" %}` and a
# newline) adds its own.


def _input(w: dict) -> str:  # input.html
    value = f' value="{_s(w["value"])}"' if w["value"] is not None else ""
    return f'<input type="{_s(w["type"])}" name="{_s(w["name"])}"{value}{_attrs(w["attrs"])}>\n'


def _wrapped_input(w: dict) -> str:  # text.html, date.html, checkbox.html …
    return _input(w) + "\n"


def _input_option(w: dict) -> str:  # input_option.html
    if not w.get("wrap_label"):
        return _input(w) + "\n"
    label_for = f' for="{_s(w["attrs"]["id"])}"' if w["attrs"].get("id") else ""
    return f"<label{label_for}>{_input(w)} {_s(w['label'])}</label>\n"


def _option_wrapper(w: dict) -> str:  # checkbox_option.html, radio_option.html
    return _input_option(w) + "\n"


def _textarea(w: dict) -> str:
    return f'<textarea name="{_s(w["name"])}"{_attrs(w["attrs"])}>\n{_s(w["value"]) if w["value"] else ""}</textarea>\n'


def _select(w: dict) -> str:
    parts = [f'<select name="{_s(w["name"])}"{_attrs(w["attrs"])}>']
    for group_name, options, _index in w["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_s(group_name)}">')
        for o in options:
            parts.append(f'\n  <option value="{_s(o["value"])}"{_attrs(o["attrs"])}>{_s(o["label"])}</option>\n')
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>\n")
    return "".join(parts)


def _multiple_input(w: dict) -> str:  # checkbox_select.html, radio.html: multiple_input.html and a newline
    attrs = w["attrs"]
    head = "<div"
    if attrs.get("id"):
        head += f' id="{_s(attrs["id"])}"'
    if attrs.get("class"):
        head += f' class="{_s(attrs["class"])}"'
    parts = [head + ">"]
    for group, options, _index in w["optgroups"]:
        if group:
            parts.append(f"\n  <div><label>{_s(group)}</label>")
        for o in options:
            parts.append(f"<div>\n    {_option_wrapper(o)}</div>")
        if group:
            parts.append("\n  </div>")
    parts.append("\n</div>\n\n")
    return "".join(parts)


FAST = {
    **dict.fromkeys(INPUTS - {f"{W}input.html"}, _wrapped_input),
    f"{W}input.html": _input,
    f"{W}textarea.html": _textarea,
    f"{W}select.html": _select,
    f"{W}checkbox_select.html": _multiple_input,
    f"{W}radio.html": _multiple_input,
    f"{W}checkbox_option.html": _option_wrapper,
    f"{W}radio_option.html": _option_wrapper,
}


class FastRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        draw = FAST.get(template_name)
        if draw is None:
            return super().render(template_name, context, request=request)
        # Like BaseRenderer.render, which strips what the template returns.
        return mark_safe(draw(context["widget"]).strip())  # noqa: S308 - every value above is escaped
