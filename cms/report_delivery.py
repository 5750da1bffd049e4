"""Vendor reports as files: generate them in the background, release them, find what a vendor may read."""

import contextlib
import hashlib
import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from analytics import published
from cms.models import ReportFile, ReportRelease, ReportRun
from operations.audit import record
from ratings.models import Vendor

logger = logging.getLogger(__name__)

FORMATS = ("pdf", "xlsx", "csv")


class ReportRequestRefused(Exception):
    """A run that cannot be made: the message says why, for the analyst."""


def vendors_with_scores(campaign, vendor=None):
    """Return the vendors with a listed product scored in `campaign`'s snapshot (or just `vendor`)."""
    snapshot = published.snapshot_for_campaign(campaign)
    if snapshot is None:
        return Vendor.objects.none()
    vendors = Vendor.objects.filter(
        products__scores__snapshot_id=snapshot.pk, products__is_listed=True
    ).distinct()
    if vendor is not None:
        vendors = vendors.filter(pk=vendor.pk)
    return vendors.order_by("name")


@transaction.atomic
def request_report_run(*, campaign, formats, requested_by, vendor=None):
    """Queue the reports of `campaign` for `vendor` (default: every vendor); return the ReportRun."""
    unknown = set(formats) - set(FORMATS)
    if unknown or not formats:
        raise ReportRequestRefused(_("Choose the formats among PDF, XLSX and CSV."))
    if published.snapshot_for_campaign(campaign) is None:
        raise ReportRequestRefused(_("No scores have been computed for this campaign yet."))
    total = vendors_with_scores(campaign, vendor).count()
    if total == 0:
        raise ReportRequestRefused(_("No product of this vendor has scores in this campaign."))
    run = ReportRun.objects.create(
        campaign=campaign,
        vendor=vendor,
        formats=",".join(f for f in FORMATS if f in formats),
        requested_by=requested_by,
        total=total,
    )
    transaction.on_commit(lambda: generate_reports_task.enqueue(run.pk))
    return run


def generate_reports(*, run, render=None):
    """Make every file of `run`, vendor by vendor; a vendor whose report fails is counted, the others go on.

    `render(vendor, campaign, formats) -> {relative name: bytes}` defaults to the reports' renderer.
    """
    ReportRun.objects.filter(pk=run.pk).update(status=ReportRun.Status.RUNNING)
    done = failed = 0
    errors = []
    with contextlib.ExitStack() as stack:
        if render is None:
            from cms.reports import render_report_files as render

            if "pdf" in run.format_list:
                # One browser prints every vendor's PDF of the run.
                from cms.reports.pdf import pdf_renderer

                stack.enter_context(pdf_renderer())
        for vendor in vendors_with_scores(run.campaign, run.vendor):
            try:
                files = render(vendor, run.campaign, run.format_list)
                with transaction.atomic():
                    for name, content in files.items():
                        _store(run, vendor, name, content)
            except Exception as error:  # one vendor's failure must not cost the others their reports
                logger.exception("Report of %s for %s failed", vendor.slug, run.campaign.slug)
                failed += 1
                errors.append(f"{vendor.slug}: {error}")
            else:
                done += 1
            ReportRun.objects.filter(pk=run.pk).update(done=done, failed=failed)
    run.refresh_from_db()
    run.status = ReportRun.Status.FAILED if failed and not done else ReportRun.Status.DONE
    run.message = "\n".join(errors)
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "message", "finished_at"])
    return run


@task()
def generate_reports_task(run_id):
    """Make the files of report run `run_id` in the background; return how many vendors' were made."""
    return generate_reports(run=ReportRun.objects.get(pk=run_id)).done


def _store(run, vendor, name, content):
    record = ReportFile(
        run=run,
        vendor=vendor,
        campaign=run.campaign,
        name=name,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )
    record.file.save(name, ContentFile(content), save=False)
    record.save()
    return record


@transaction.atomic
def release_reports(*, campaign, released_by):
    """Let the vendors download the reports of `campaign`; return the ReportRelease."""
    release, created = ReportRelease.objects.get_or_create(
        campaign=campaign, defaults={"released_by": released_by}
    )
    if created:
        record(instance=campaign, action="cms.reports.release", user=released_by)
    return release


@transaction.atomic
def withdraw_reports(*, campaign, withdrawn_by=None):
    """Stop the vendors downloading the reports of `campaign` (the files are kept)."""
    if ReportRelease.objects.filter(campaign=campaign).delete()[0]:
        record(instance=campaign, action="cms.reports.withdraw", user=withdrawn_by)


def released_files(vendors):
    """Return the report files `vendors` may download: of released campaigns, from each one's newest run."""
    latest = (
        ReportFile.objects.filter(
            vendor__in=vendors, campaign__report_release__isnull=False, run__status=ReportRun.Status.DONE
        )
        .values("vendor", "campaign")
        .annotate(run=Max("run"))
    )
    runs = {(row["vendor"], row["campaign"]): row["run"] for row in latest}
    files = ReportFile.objects.filter(run__in=set(runs.values()), vendor__in=vendors).select_related(
        "vendor", "campaign"
    )
    keep = [f.pk for f in files if runs.get((f.vendor_id, f.campaign_id)) == f.run_id]
    return (
        ReportFile.objects.filter(pk__in=keep)
        .select_related("vendor", "campaign")
        .order_by("-campaign__closes_on", "vendor__name", "name")
    )
