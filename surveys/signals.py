"""Signals the survey app sends; higher apps (analytics) listen, so nothing here imports upward."""

from django.dispatch import Signal

# Sent when what counts for scores has changed: a moderation decision, a campaign closed, an import,
# an account deleted. Keyword arguments: `reason` (str) and optionally `campaign`.
scores_invalidated = Signal()
