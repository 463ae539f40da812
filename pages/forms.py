from django import forms

from iecmh_site.storage import clean_upload
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
        return clean_upload(self.cleaned_data.get("hero_image"))
