from django import forms
from django.core.files.uploadedfile import UploadedFile

from iecmh_site.uploads import reencode_image, validate_image
from pages.models import Page


class PageAdminForm(forms.ModelForm):
    class Meta:
        model = Page
        fields = [
            "title",
            "slug",
            "parent",
            "summary",
            "body",
            "hero_image",
            "hero_alt",
            "status",
            "publish_at",
            "review_by",
            "partner",
            "show_in_navigation",
            "show_on_home",
            "navigation_order",
            "seo_title",
            "seo_description",
        ]

    def clean_hero_image(self):
        image = self.cleaned_data.get("hero_image")
        if isinstance(image, UploadedFile):  # a new upload, not the stored file
            validate_image(image)
            return reencode_image(image)
        return image
