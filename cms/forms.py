"""The readers' forms of the Wagtail site."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ContactMessage


class ContactForm(forms.ModelForm):
    class Meta:
        model = ContactMessage
        fields = ["name", "email", "subject", "message"]
        widgets = {"message": forms.Textarea(attrs={"rows": 8})}
        help_texts = {"email": _("We answer at this address; it is not used for anything else.")}
