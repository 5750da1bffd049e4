"""The catalogue: categories, vendors and their staff, products."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.search import index

from .base import TimestampedModel


class Category(index.Indexed, TimestampedModel):
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["sort_order", "name"]
        constraints = [models.UniqueConstraint(fields=["slug"], name="ratings_category_slug_unique")]

    def __str__(self):
        return self.name


class VendorQuerySet(models.QuerySet):
    def with_email_domain(self, domain):
        """Return the vendors whose staff use the e-mail `domain`."""
        domain = domain.lower().strip()
        return self.filter(email_domains__iregex=rf"(^|[\s,]){domain.replace('.', '[.]')}($|[\s,])")


class Vendor(index.Indexed, TimestampedModel):
    name = models.CharField(_("name"), max_length=160)
    slug = models.SlugField(_("slug"), max_length=160)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    email_domains = models.CharField(
        _("staff e-mail domains"),
        max_length=500,
        blank=True,
        help_text=_(
            "Comma-separated; doctors using one of these domains may not rate the vendor's products."
        ),
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = VendorQuerySet.as_manager()

    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        verbose_name = _("vendor")
        verbose_name_plural = _("vendors")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["slug"], name="ratings_vendor_slug_unique")]

    def __str__(self):
        return self.name

    @property
    def email_domain_list(self):
        return [d.strip().lower() for d in self.email_domains.replace(";", ",").split(",") if d.strip()]


class VendorMembership(TimestampedModel):
    """Links a user account to the vendor whose reports it may read and answer."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="vendor_memberships"
    )
    vendor = models.ForeignKey(Vendor, on_delete=models.CASCADE, related_name="memberships")

    class Meta:
        verbose_name = _("vendor membership")
        verbose_name_plural = _("vendor memberships")
        ordering = ["vendor", "user"]
        constraints = [
            models.UniqueConstraint(fields=["user", "vendor"], name="ratings_vendormembership_unique"),
        ]

    def __str__(self):
        return f"{self.user} → {self.vendor}"


class PricingModel(models.TextChoices):
    PER_MINUTE = "per_minute", _("per minute")
    PER_QUESTION = "per_question", _("per question")
    PER_CONSULTATION = "per_consultation", _("per consultation")
    SUBSCRIPTION = "subscription", _("subscription")
    LICENCE = "licence", _("licence")
    FREE = "free", _("free / ad-funded")


class BillingUnit(models.TextChoices):
    MINUTE = "minute", _("per minute")
    QUESTION = "question", _("per question")
    CONSULTATION = "consultation", _("per consultation")
    MONTH = "month", _("per month")
    YEAR = "year", _("per year")
    ONE_OFF = "one_off", _("one-off")


class ProductQuerySet(models.QuerySet):
    def listed(self):
        """Return the products a reader may see."""
        return self.filter(is_listed=True)

    def in_category(self, category):
        return self.filter(category=category)

    def of_vendor(self, vendor):
        return self.filter(vendor=vendor)


class Product(index.Indexed, TimestampedModel):
    name = models.CharField(_("name"), max_length=160)
    slug = models.SlugField(_("slug"), max_length=160)
    vendor = models.ForeignKey(
        Vendor, verbose_name=_("vendor"), on_delete=models.PROTECT, related_name="products"
    )
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="products"
    )
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_listed = models.BooleanField(_("listed on the public site"), default=True)

    pricing_model = models.CharField(
        _("pricing model"), max_length=20, choices=PricingModel.choices, default=PricingModel.SUBSCRIPTION
    )
    price = models.DecimalField(
        _("price (€)"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    billing_unit = models.CharField(_("billing unit"), max_length=20, choices=BillingUnit.choices, blank=True)

    channel_video = models.BooleanField(_("video"), default=False)
    channel_phone = models.BooleanField(_("phone"), default=False)
    channel_chat = models.BooleanField(_("chat"), default=False)
    channel_messaging = models.BooleanField(_("messaging"), default=False)
    available_24_7 = models.BooleanField(_("available 24/7"), default=False)
    guaranteed_response_minutes = models.PositiveIntegerField(
        _("guaranteed response time (minutes)"), null=True, blank=True
    )
    specialties_count = models.PositiveSmallIntegerField(_("number of specialties"), null=True, blank=True)

    certified_hds = models.BooleanField(_("HDS health-data hosting"), default=False)
    certified_segur = models.BooleanField(_("Ségur referencing"), default=False)
    approved_teleconsultation = models.BooleanField(_("teleconsultation company approval"), default=False)
    hosted_in_eu = models.BooleanField(_("data hosted in the EU"), default=False)
    practitioners_registered = models.BooleanField(
        _("practitioners registered with the Ordre and insured"), default=False
    )
    interop_dmp = models.BooleanField(_("DMP"), default=False)
    interop_mssante = models.BooleanField(_("MSSanté"), default=False)
    interop_standard_export = models.BooleanField(_("standard exports"), default=False)

    objects = ProductQuerySet.as_manager()

    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.SearchField("description"),
        index.FilterField("category"),
        index.FilterField("vendor"),
        index.FilterField("is_listed"),
        index.RelatedFields("vendor", [index.SearchField("name")]),
    ]

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["slug"], name="ratings_product_slug_unique"),
            models.CheckConstraint(
                condition=models.Q(price__isnull=True) | models.Q(price__gte=0),
                name="ratings_product_price_gte_0",
            ),
            models.CheckConstraint(
                condition=models.Q(specialties_count__isnull=True) | models.Q(specialties_count__gte=1),
                name="ratings_product_specialties_gte_1",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("cms:product_detail", kwargs={"slug": self.slug})

    @property
    def channels(self):
        """Return the labels of the channels the product offers."""
        fields = ["channel_video", "channel_phone", "channel_chat", "channel_messaging"]
        return [self._meta.get_field(f).verbose_name for f in fields if getattr(self, f)]

    @property
    def certifications(self):
        fields = ["certified_hds", "certified_segur", "approved_teleconsultation", "hosted_in_eu"]
        return [self._meta.get_field(f).verbose_name for f in fields if getattr(self, f)]

    @property
    def interoperability(self):
        fields = ["interop_dmp", "interop_mssante", "interop_standard_export"]
        return [self._meta.get_field(f).verbose_name for f in fields if getattr(self, f)]
