from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models

from events.models import Campaign, CampaignFile, Competency, Event
from iecmh_site.uploads import (
    PDF_MAGIC,
    reencode_image,
    safe_filename,
    validate_image,
    validate_pdf,
    validate_upload_size,
)
from pages.models import Role


def https_formfield(db_field, **kwargs):
    """Form fields for a model; a URL typed without a scheme means https (Django 6's default)."""
    if isinstance(db_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return db_field.formfield(**kwargs)


class EventFilterForm(forms.Form):
    """The GET filters of the event lists; an unknown value is ignored, never an error page."""

    kind = forms.ChoiceField(
        label="Type", required=False, choices=[("", "All types"), *Event.Kind.choices]
    )
    role = forms.ModelChoiceField(
        label="For",
        required=False,
        queryset=Role.objects.all(),
        to_field_name="slug",
        empty_label="All roles",
    )
    format = forms.ChoiceField(
        label="Format", required=False, choices=[("", "Any format"), *Event.Format.choices]
    )

    def __init__(self, *args, kinds=None, **kwargs):
        super().__init__(*args, **kwargs)
        if kinds is not None:
            self.fields["kind"].choices = [("", "All types")] + [
                (value, label) for value, label in Event.Kind.choices if value in kinds
            ]
        # Render the choices even when the submitted value was garbage.
        self.is_valid()

    def filter(self, queryset):
        data = getattr(self, "cleaned_data", {})
        if data.get("kind"):
            queryset = queryset.filter(kind=data["kind"])
        if data.get("role"):
            queryset = queryset.filter(roles=data["role"])
        if data.get("format"):
            queryset = queryset.filter(format=data["format"])
        return queryset

    @property
    def active(self) -> bool:
        return any(getattr(self, "cleaned_data", {}).values())


def clean_image_upload(uploaded):
    """Validate a new image upload by its content and return it re-encoded."""
    if isinstance(uploaded, UploadedFile):
        validate_image(uploaded)
        return reencode_image(uploaded)
    return uploaded


class EventAdminForm(forms.ModelForm):
    competencies = forms.MultipleChoiceField(
        label="Endorsement® competency areas",
        choices=Competency.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The competency areas it counts toward, if any.",
    )

    class Meta:
        model = Event
        formfield_callback = https_formfield
        fields = [
            "title",
            "slug",
            "kind",
            "campaign",
            "summary",
            "description",
            "start",
            "end",
            "all_day",
            "format",
            "venue_name",
            "venue_address",
            "joining_url",
            "registration_url",
            "price",
            "cost_note",
            "roles",
            "training_hours",
            "competencies",
            "status",
            "status_note",
            "publish_status",
            "partner",
        ]
        widgets = {"roles": forms.CheckboxSelectMultiple}


class CampaignAdminForm(forms.ModelForm):
    class Meta:
        model = Campaign
        formfield_callback = https_formfield
        fields = [
            "name",
            "year",
            "slug",
            "start_date",
            "end_date",
            "theme",
            "summary",
            "description",
            "hero_image",
            "hero_image_alt",
            "how_to_join",
            "call_to_action_text",
            "call_to_action_url",
            "publish_status",
        ]

    def clean_hero_image(self):
        return clean_image_upload(self.cleaned_data.get("hero_image"))


class CampaignFileForm(forms.ModelForm):
    class Meta:
        model = CampaignFile
        fields = ["title", "kind", "file", "order"]

    def clean_file(self):
        uploaded = self.cleaned_data.get("file")
        if not isinstance(uploaded, UploadedFile):
            return uploaded
        validate_upload_size(uploaded)
        uploaded.seek(0)
        head = uploaded.read(1024)
        uploaded.seek(0)
        if PDF_MAGIC in head:
            validate_pdf(uploaded)
            uploaded.name = safe_filename(uploaded.name, ".pdf")
            return uploaded
        try:
            validate_image(uploaded)
        except ValidationError as exc:
            raise ValidationError(
                "Upload a PDF, or a JPEG, PNG or WebP picture; this file is neither.",
                code="invalid_toolkit_file",
            ) from exc
        return reencode_image(uploaded)
