"""The error summary at the top of every admin form: each error, linked to its field."""

from django import forms, template

register = template.Library()


def _field_errors(form, prefix=""):
    for name, errors in form.errors.items():
        if name == "__all__" or name not in form.fields:
            continue
        bound = form[name]
        anchor = bound.id_for_label or bound.auto_id
        if isinstance(bound.field.widget, forms.MultiWidget):
            anchor = f"{bound.auto_id}_0"  # a date and time: the date's input
        label = f"{prefix}{bound.label}"
        for message in errors:
            yield {"label": label, "message": message, "anchor": anchor}


@register.inclusion_tag("admin/includes/error_summary.html")
def error_summary(adminform, inline_admin_formsets=()):
    """Every error of the form and its inlines: field errors link to their field (file
    fields included), form-wide ones to the top of the form or of their inline."""
    form = adminform.form
    items = [{"label": "", "message": m, "anchor": ""} for m in form.non_field_errors()]
    items.extend(_field_errors(form))
    for inline in inline_admin_formsets:
        formset = inline.formset
        group = f"{formset.prefix}-group"
        title = str(inline.opts.verbose_name_plural).capitalize()
        for message in formset.non_form_errors():
            items.append({"label": title, "message": message, "anchor": group})
        for index, inline_form in enumerate(formset.forms, start=1):
            prefix = f"{title}, row {index}: "
            for message in inline_form.non_field_errors():
                items.append({"label": prefix.rstrip(": "), "message": message, "anchor": group})
            items.extend(_field_errors(inline_form, prefix))
    return {"items": items}
