from django import forms

from iecmh_site.forms import HeroPictureForm
from pages.models import Page


class PageAdminForm(HeroPictureForm, forms.ModelForm):
    class Meta:
        model = Page
        fields = [
            "title",
            "slug",
            "parent",
            "summary",
            "body",
            *HeroPictureForm.HERO_FIELDS,
            "publish_at",
            "is_sample",
            "review_by",
            "partner",
            "show_in_navigation",
            "show_on_home",
            "navigation_order",
            "seo_title",
            "seo_description",
            "show_contact_details",
        ]
