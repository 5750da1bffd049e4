from .tasks import schedule_recompute


def scores_changed(sender, reason=None, **kwargs):
    """Recompute after anything that changes which responses count (moderation, closure, import…)."""
    schedule_recompute()
