"""Deleting from the admin what other rows still protect: a message saying what uses it, never a 500."""

from django.contrib import messages
from django.db import transaction
from django.db.models import ProtectedError
from django.http import HttpResponseRedirect
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from wagtail.snippets.views.snippets import DeleteView


class ProtectedDeleteView(DeleteView):
    """Refuse to delete an object that rows elsewhere still point to (on_delete=PROTECT), naming them.

    Wagtail's reference index knows only the models it indexes; score snapshots, responses and
    products protect catalogue rows and campaigns without it knowing.
    """

    def form_valid(self, form):
        try:
            with transaction.atomic():
                return super().form_valid(form)
        except ProtectedError as refusal:
            users = sorted({str(obj._meta.verbose_name_plural) for obj in refusal.protected_objects})
            messages.error(
                self.request,
                _("“%(object)s” was not deleted: %(users)s still refer to it.")
                % {"object": self.object, "users": get_text_list(users, _("and"))},
            )
            return HttpResponseRedirect(self.get_success_url())
