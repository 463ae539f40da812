import re
import time

from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from iecmh_site.vocabulary import Role
from newsletter.models import ListImport, Subscriber

# Shown in the page's language; a signup records the words the person read (str() of it).
CONSENT_TEXT = _(
    "By signing up you agree that the MSPCC and MassAIMH partnership may email you news about "
    "the topics you chose, a few times a year. We will first send you a link to confirm. "
    "You can leave at any time with the link in every email."
)
STARTED_SALT = "newsletter.form-started"
# A form shown longer ago than this must be sent again (a bot cannot reuse one GET for hours).
FORM_MAX_AGE_SECONDS = 2 * 60 * 60
LINK_PATTERN = re.compile(r"https?:|www\.|\w\.(com|org|net|info|ru|io|xyz|top)\b", re.IGNORECASE)


def plain_short_text(value: str) -> str:
    """A name or organization: one line of plain words, never a link or a message."""
    if any(ord(ch) < 32 or ch in "\u2028\u2029" for ch in value):
        raise ValidationError(_("Write it on one line."), code="line_break")
    if LINK_PATTERN.search(value) or "<" in value or ">" in value:
        raise ValidationError(_("Write a name only, without web addresses."), code="link")
    return value


MAX_IMPORT_BYTES = 5 * 1024 * 1024


class ChoicesForm(forms.Form):
    """What a subscriber tells us about themselves: shared by signup and preferences."""

    name = forms.CharField(
        label=_("Name (optional)"),
        max_length=100,
        required=False,
        strip=True,
        validators=[plain_short_text],
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    organization = forms.CharField(
        label=_("Organization (optional)"),
        max_length=150,
        required=False,
        strip=True,
        validators=[plain_short_text],
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    roles = forms.ModelMultipleChoiceField(
        label=_("Your role (optional)"),
        queryset=Role.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    role_other = forms.BooleanField(label=_("Other"), required=False)
    interests = forms.MultipleChoiceField(
        label=_("Send me news about"),
        choices=Subscriber.INTERESTS,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one topic.")},
        initial=[key for key, _label in Subscriber.INTERESTS],
    )


class BotTrapMixin(forms.Form):
    """A honeypot field and a signed start time: a form filled too fast was filled by a bot."""

    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    started = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["started"].initial = signing.dumps(time.time(), salt=STARTED_SALT)

    def looks_automated(self) -> bool:
        """Filled the honeypot, or sent faster than a person types: a bot, told "thanks"."""
        if self.data.get("website"):
            return True
        started = self._started()
        return started is None or time.time() - started < settings.NEWSLETTER_MIN_FILL_SECONDS

    def _started(self) -> float | None:
        try:
            return float(signing.loads(self.data.get("started", ""), salt=STARTED_SALT))
        except (signing.BadSignature, TypeError, ValueError):
            return None

    def clean(self):
        cleaned = super().clean()
        started = self._started()
        if started is not None and time.time() - started > FORM_MAX_AGE_SECONDS:
            raise ValidationError(
                _("This form was open for a long time. Check your details and send it again."),
                code="expired",
            )
        return cleaned


class SignupForm(BotTrapMixin, ChoicesForm):
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    source = forms.CharField(required=False, widget=forms.HiddenInput)

    field_order = ["email", "name", "organization", "roles", "role_other", "interests"]

    def clean_source(self):
        source = self.cleaned_data["source"]
        if source in {Subscriber.Source.FOOTER, Subscriber.Source.SIGNUP_PAGE}:
            return source
        return Subscriber.Source.SIGNUP_PAGE


class PreferencesForm(ChoicesForm):
    pass


class ResendForm(BotTrapMixin):
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    field_order = ["email"]


class ImportForm(forms.Form):
    """Upload step of a list import. A file that passes its own check is kept at once, so an
    error in another field never makes anyone choose it again (``kept`` names it)."""

    csv_file = forms.FileField(
        label="CSV file",
        required=False,
        help_text=(
            "An export from Mailchimp, Constant Contact or this admin, as CSV (UTF-8 or "
            "Windows-1252), at most 5 MB. Nothing is imported before you have seen the preview."
        ),
    )
    kept = forms.IntegerField(required=False, widget=forms.HiddenInput)
    source_label = forms.CharField(
        label="Where this list comes from",
        max_length=150,
        help_text='For example "Mailchimp export, March 2025". Recorded on every imported row.',
        error_messages={"required": "Say where this list comes from."},
    )
    consent_checked = forms.BooleanField(
        label=(
            "Everyone marked subscribed or confirmed in this file confirmed their subscription "
            "in the tool it comes from"
        ),
        error_messages={
            "required": "Tick this box to confirm these people agreed to receive our emails."
        },
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_kept(self):
        """The file this person uploaded with an earlier, incomplete form; None if gone."""
        pk = self.cleaned_data["kept"]
        return ListImport.objects.drafts_of(self.user).filter(pk=pk).first() if pk else None

    def clean_csv_file(self):
        csv_file = self.cleaned_data["csv_file"]
        if csv_file and csv_file.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError("The file is larger than 5 MB: split it.")
        return csv_file

    def clean(self):
        cleaned = super().clean()
        if (
            "csv_file" in cleaned
            and not cleaned["csv_file"]
            and not cleaned.get("kept")
            and "csv_file" not in self.errors
        ):
            self.add_error("csv_file", "Choose the CSV file to import.")
        return cleaned
