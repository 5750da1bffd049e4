"""The doctors' pages. `rate_limited` and `locked_out` are named in settings (RATELIMIT_VIEW, axes)."""

from .errors import locked_out, rate_limited

__all__ = ["locked_out", "rate_limited"]
