from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from iecmh_site.forms import BlankFiltersMixin, KeptModelChoiceField
from iecmh_site.search import clean_query
from iecmh_site.storage import IMAGE, PDF, PrivateFileInput, clean_upload
from iecmh_site.vocabulary import Role
from reports.models import Report, Topic


class ReportAdminForm(forms.ModelForm):
    """Checks uploads by their content; the PDF's facts and cover are derived on save."""

    class Meta:
        model = Report
        fields = [
            "title",
            "subtitle",
            "slug",
            "summary",
            "key_findings",
            "publish_at",
            "publication_date",
            "featured",
            "partner",
            "is_sample",
            "pdf",
            "cover",
            "topics",
            "roles",
        ]
        widgets = {"pdf": PrivateFileInput, "cover": PrivateFileInput}

    def clean_pdf(self):
        return clean_upload(self.cleaned_data.get("pdf"), accept=(PDF,))

    def clean_cover(self):
        return clean_upload(self.cleaned_data.get("cover"), accept=(IMAGE,))


class ReportFilterForm(BlankFiltersMixin, forms.Form):
    """The list's filters; an invalid value is dropped, never an error page."""

    q = forms.CharField(
        label=_("Keywords"),
        required=False,
        max_length=200,
        widget=forms.SearchInput,
    )
    topic = KeptModelChoiceField(
        label=_("Topic"),
        queryset=Topic.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("All topics"),
    )
    role = KeptModelChoiceField(
        label=_("Role"),
        queryset=Role.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("All roles"),
    )
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", gettext("All years"))] + [(y, str(y)) for y in years]

    def filters(self) -> dict:
        """The valid filters only: a bad value is dropped, never turned into an error page."""
        if not self.is_bound:
            return {}
        values = {}
        for name in self.fields:
            if name in self.errors:  # reading errors runs the validation once
                continue
            value = self.cleaned_data.get(name)
            if name == "q":
                value = clean_query(value)
            if value not in (None, ""):
                values[name] = value
        return values
