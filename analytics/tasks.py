"""The background recompute, queued after moderation decisions, imports and campaign closures."""

import datetime
import logging

from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus, task

from .services import NothingToScore, recompute_scores

logger = logging.getLogger(__name__)

# Requests arriving within this window join the run already queued: a moderator approving thirty
# comments in a row causes one recompute, not thirty.
COALESCE_SECONDS = 60


@task()
def recompute_scores_task():
    """Recompute the latest campaign's snapshot; return the snapshot id, or None if nothing to score."""
    try:
        snapshot, timings = recompute_scores()
    except NothingToScore as reason:
        logger.info("Recompute skipped: %s", reason)
        return None
    logger.info("Scores recomputed (snapshot %s): %s", snapshot.pk, timings.phases)
    publish_open_data(snapshot)
    return snapshot.pk


def publish_open_data(snapshot):
    """Rewrite the open data of the recomputed campaign (its folder is swapped in whole)."""
    from django.conf import settings

    from .open_data import write_campaign
    from .published import snapshot_for_campaign

    folder = write_campaign(snapshot_for_campaign(snapshot.campaign), settings.OPEN_DATA_ROOT)
    logger.info("Open data of %s written to %s", snapshot.campaign.slug, folder)


def enqueue_recompute():
    """Queue a recompute unless one is already waiting; return the task result, or None if joined."""
    backend = recompute_scores_task.get_backend()
    if not backend.supports_defer:
        return recompute_scores_task.enqueue()
    from django_tasks_db.models import DBTaskResult

    task_path = recompute_scores_task.module_path
    if DBTaskResult.objects.filter(task_path=task_path, status=TaskResultStatus.READY).exists():
        return None
    run_after = timezone.now() + datetime.timedelta(seconds=COALESCE_SECONDS)
    return recompute_scores_task.using(run_after=run_after).enqueue()


def schedule_recompute():
    """Ask for a recompute once the current transaction commits (the task coalesces bursts)."""
    transaction.on_commit(enqueue_recompute)
