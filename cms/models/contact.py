"""Messages sent to the association with the contact form (the legal page of kind "contact")."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ContactMessage(models.Model):
    name = models.CharField(_("name"), max_length=120)
    email = models.EmailField(_("e-mail address"))
    subject = models.CharField(_("subject"), max_length=160)
    message = models.TextField(_("message"), max_length=5000)
    language = models.CharField(_("language"), max_length=10)
    created_at = models.DateTimeField(_("received at"), auto_now_add=True)

    class Meta:
        verbose_name = _("contact message")
        verbose_name_plural = _("contact messages")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.subject} — {self.name}"
