"""The audit trail: every staff action that changes what the public sees, with who, when and what.

Entries are Wagtail log entries (ModelLogEntry), so the admin's "Site history" report lists them with
the other edits, filtered by action, user and date; `data` keeps the details (a reason, a campaign, a
snapshot's version). The actions are registered in operations/wagtail_hooks.py with their labels.
"""

from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

# action: (label of the action, message shown in the history)
ACTIONS = {
    "surveys.response.approve_comment": (_("Publish a comment"), _("Comment published")),
    "surveys.response.reject_comment": (_("Refuse a comment"), _("Comment refused")),
    "surveys.response.exclude": (_("Exclude a response"), _("Response excluded from the scores")),
    "surveys.response.restore": (_("Restore a response"), _("Response counted in the scores again")),
    "surveys.response.dismiss_reports": (_("Dismiss reports"), _("Readers' reports dismissed")),
    "surveys.flag.resolve": (_("Resolve a fraud signal"), _("Fraud signal resolved")),
    "ratings.reply.publish": (_("Publish a vendor's reply"), _("Vendor's reply published")),
    "ratings.reply.refuse": (_("Refuse a vendor's reply"), _("Vendor's reply refused")),
    "cms.reports.release": (_("Release vendor reports"), _("Vendor reports released")),
    "cms.reports.withdraw": (_("Withdraw vendor reports"), _("Vendor reports withdrawn")),
    "analytics.recompute": (_("Recompute scores"), _("Scores recomputed")),
}


def record(*, instance, action, user=None, **data):
    """Log `action` on `instance` by `user` (None: the system, a command or the background worker)."""
    if action not in ACTIONS:
        raise ValueError(f"Unknown audit action {action!r}: add it to operations.audit.ACTIONS.")
    return log(instance=instance, action=action, user=user, data={k: str(v) for k, v in data.items()})
