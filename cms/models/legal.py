"""The pages a French site of this kind must carry (legal notice, privacy, cookies, terms, the evaluator's
charter, accessibility statement): one editable Wagtail page each, created with a first text
(cms/legal.py) and linked from every page's footer."""

from http import HTTPMethod

from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpResponseNotAllowed
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from .translation import TranslatedPageMixin


class LegalPage(TranslatedPageMixin, Page):
    class Kind(models.TextChoices):
        LEGAL_NOTICE = "legal_notice", _("legal notice")
        PRIVACY = "privacy", _("privacy policy")
        COOKIES = "cookies", _("cookies")
        TERMS = "terms", _("terms of use")
        CHARTER = "charter", _("evaluator's charter")
        ACCESSIBILITY = "accessibility", _("accessibility statement")
        CONTACT = "contact", _("contact")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    version = models.CharField(
        _("version"),
        max_length=20,
        help_text=_(
            "Shown on the page. For the charter, the version a doctor accepts at sign-up is recorded."
        ),
    )
    body = RichTextField(_("text"))

    content_panels = Page.content_panels + [FieldPanel("kind"), FieldPanel("version"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("body")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = []

    # POST for the contact form only (serve); the other kinds answer it 405.
    allowed_http_methods = [HTTPMethod.GET, HTTPMethod.HEAD, HTTPMethod.OPTIONS, HTTPMethod.POST]

    class Meta:
        verbose_name = _("legal page")

    def serve(self, request, *args, **kwargs):
        if self.kind == self.Kind.CONTACT:
            from cms.views.contact import contact  # the view builds on this model

            return contact(request, self)
        if request.method == HTTPMethod.POST:
            return HttpResponseNotAllowed(["GET", "HEAD", "OPTIONS"])
        return super().serve(request, *args, **kwargs)

    def clean(self):
        # One page of each kind per language (a constraint cannot span the page table's locale column).
        super().clean()
        twins = LegalPage.objects.filter(kind=self.kind, locale_id=self.locale_id).exclude(pk=self.pk)
        if self.locale_id is not None and twins.exists():
            raise ValidationError({"kind": _("This language already has a page of this kind.")})
