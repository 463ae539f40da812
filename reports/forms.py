from django import forms
from django.core.files.uploadedfile import UploadedFile

from iecmh_site.search import clean_query
from iecmh_site.uploads import reencode_image, validate_image, validate_pdf
from pages.models import Role
from reports.models import Organisation, Report, Topic
from reports.pdf import shrink_image
from reports.services import report_attach_pdf


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
            "status",
            "publish_at",
            "publication_date",
            "featured",
            "partner",
            "pdf",
            "cover",
            "topics",
            "roles",
        ]

    def clean_pdf(self):
        pdf = self.cleaned_data.get("pdf")
        if isinstance(pdf, UploadedFile):
            validate_pdf(pdf)
        return pdf

    def clean_cover(self):
        cover = self.cleaned_data.get("cover")
        if isinstance(cover, UploadedFile):
            validate_image(cover)
            return shrink_image(reencode_image(cover))
        return cover

    def save(self, commit=True):
        report = super().save(commit=False)
        pdf = self.cleaned_data.get("pdf")
        if "pdf" in self.changed_data and pdf:
            report_attach_pdf(
                report=report,
                pdf=pdf,
                cover_uploaded="cover" in self.changed_data and bool(self.cleaned_data["cover"]),
            )
        elif "cover" in self.changed_data:
            report.cover_generated = False
        if not report.pdf:
            report.pdf_size = report.pdf_pages = 0
            report.pdf_tagged = False
            report.pdf_language = report.pdf_title = ""
        if commit:
            report.save()
            self._save_m2m()
        return report


class OrganisationAdminForm(forms.ModelForm):
    url = forms.URLField(label="Website", required=False, assume_scheme="https")

    class Meta:
        model = Organisation
        fields = ["name", "url", "logo"]

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if isinstance(logo, UploadedFile):
            validate_image(logo)
            return shrink_image(reencode_image(logo))
        return logo


class ReportFilterForm(forms.Form):
    """The list's filters; an invalid value is dropped, never an error page."""

    q = forms.CharField(label="Keywords", required=False, max_length=200)
    topic = forms.ModelChoiceField(
        queryset=Topic.objects.all(), to_field_name="slug", required=False, empty_label="All topics"
    )
    role = forms.ModelChoiceField(
        queryset=Role.objects.all(), to_field_name="slug", required=False, empty_label="All roles"
    )
    year = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", "All years")] + [(y, str(y)) for y in years]
        self.fields["q"].widget.input_type = "search"

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
