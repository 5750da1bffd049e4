"""Moderation in the Wagtail admin: forms, views, URLs and the hooks that put them in the menu."""
