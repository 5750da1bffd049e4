"""Vendor reports as files: a run generates them, a release lets the vendors download them.

The files live in a private storage (never under MEDIA_URL): they are served only by views that
check who is asking (cms/views/vendor_space.py for vendors, cms/admin_reports.py for analysts).
"""

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.utils.translation import gettext_lazy as _

from ratings.models import Vendor
from surveys.models import Campaign


def private_storage():
    """Return the storage of files no URL serves directly (STORAGES["private"], PRIVATE_MEDIA_ROOT)."""
    return storages["private"]


def report_path(instance, filename):
    return f"reports/{instance.run_id}/{instance.campaign.slug}/{instance.name}"


class ReportRun(models.Model):
    """One generation of reports for a campaign: one vendor's, or every vendor's (vendor empty)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.PROTECT, related_name="report_runs"
    )
    vendor = models.ForeignKey(
        Vendor,
        verbose_name=_("vendor"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="report_runs",
        help_text=_("Empty: every vendor with a scored product."),
    )
    formats = models.CharField(_("formats"), max_length=40, default="pdf,xlsx,csv")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(_("reports to make"), default=0)
    done = models.PositiveIntegerField(_("reports made"), default=0)
    failed = models.PositiveIntegerField(_("reports failed"), default=0)
    message = models.TextField(_("message"), blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("report run")
        verbose_name_plural = _("report runs")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(done__lte=models.F("total")), name="cms_reportrun_done_lte_total"
            ),
        ]

    def __str__(self):
        return f"{self.campaign} — {self.vendor or _('every vendor')} ({self.get_status_display()})"

    @property
    def format_list(self):
        return [f for f in self.formats.split(",") if f]

    @property
    def percent(self):
        return round(100 * (self.done + self.failed) / self.total) if self.total else 0


class ReportFile(models.Model):
    """One file of a run: a vendor's PDF, its workbook, or one of its CSV tables."""

    run = models.ForeignKey(ReportRun, on_delete=models.CASCADE, related_name="files")
    vendor = models.ForeignKey(Vendor, on_delete=models.CASCADE, related_name="report_files")
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="report_files")
    name = models.CharField(_("file"), max_length=255)
    file = models.FileField(storage=private_storage, upload_to=report_path, max_length=400)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("report file")
        verbose_name_plural = _("report files")
        ordering = ["vendor__name", "name"]
        constraints = [models.UniqueConstraint(fields=["run", "name"], name="cms_reportfile_unique_name")]

    def __str__(self):
        return self.name


class ReportReleaseQuerySet(models.QuerySet):
    def released_campaigns(self):
        return Campaign.objects.filter(report_release__isnull=False)


class ReportRelease(models.Model):
    """A campaign whose reports the association has released to the vendors."""

    campaign = models.OneToOneField(Campaign, on_delete=models.CASCADE, related_name="report_release")
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    released_at = models.DateTimeField(_("released at"), auto_now_add=True)

    objects = ReportReleaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("report release")
        verbose_name_plural = _("report releases")
        ordering = ["-released_at"]

    def __str__(self):
        return str(self.campaign)
