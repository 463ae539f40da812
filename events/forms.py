from django import forms
from django.utils.translation import gettext_lazy as _

from events.models import Campaign, CampaignFile, Competency, Event
from iecmh_site.forms import BlankFiltersMixin, HeroPictureForm, KeptModelChoiceField
from iecmh_site.storage import IMAGE, PDF, clean_upload
from iecmh_site.vocabulary import Role


class EventFilterForm(BlankFiltersMixin, forms.Form):
    """The GET filters of the event lists; an unknown value is ignored, never an error page."""

    kind = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("All types")), *Event.Kind.choices]
    )
    role = KeptModelChoiceField(
        label=_("For"),
        required=False,
        queryset=Role.objects.all(),
        to_field_name="slug",
        empty_label=_("All roles"),
    )
    format = forms.ChoiceField(
        label=_("Format"), required=False, choices=[("", _("Any format")), *Event.Format.choices]
    )

    def __init__(self, *args, kinds=None, **kwargs):
        super().__init__(*args, **kwargs)
        if kinds is not None:
            self.fields["kind"].choices = [("", _("All types"))] + [
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

    @property
    def active_count(self) -> int:
        """How many filters are applied (shown on the folded filters' button)."""
        return sum(1 for value in getattr(self, "cleaned_data", {}).values() if value)


class EventAdminForm(forms.ModelForm):
    competencies = forms.MultipleChoiceField(
        label=_("Endorsement® competency areas"),
        choices=Competency.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The competency areas it counts toward, if any."),
    )

    class Meta:
        model = Event
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
            "event_status",
            "status_note",
            "publish_at",
            "is_sample",
            "partner",
        ]
        widgets = {"roles": forms.CheckboxSelectMultiple}


class CampaignAdminForm(HeroPictureForm, forms.ModelForm):
    class Meta:
        model = Campaign
        fields = [
            "name",
            "year",
            "start_date",
            "end_date",
            "theme",
            "summary",
            "description",
            *HeroPictureForm.HERO_FIELDS,
            "how_to_join",
            "call_to_action_text",
            "call_to_action_url",
            "publish_at",
            "is_sample",
        ]


class CampaignFileForm(forms.ModelForm):
    class Meta:
        model = CampaignFile
        fields = ["title", "kind", "file", "order"]

    def clean_file(self):
        return clean_upload(self.cleaned_data.get("file"), accept=(PDF, IMAGE))
