"""Public pages of the catalogue, one module per page family; all scores come from `analytics.published`."""
