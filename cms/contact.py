"""The contact form's messages: kept for the association's staff (the admin lists them) and e-mailed to it."""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils.translation import gettext as _

from .models import ContactMessage

logger = logging.getLogger(__name__)


@transaction.atomic
def send_contact_message(*, name, email, subject, message, language):
    """Keep the message and e-mail it to the association once saved; return it.

    The message is kept whether or not the e-mail leaves: the admin lists every one.
    """
    kept = ContactMessage.objects.create(
        name=name, email=email, subject=subject, message=message, language=language
    )
    transaction.on_commit(lambda: _mail(kept))
    return kept


def _mail(kept):
    mail = EmailMessage(
        subject=_("[Contact] %(subject)s") % {"subject": kept.subject},
        body=_("From: %(name)s <%(email)s>\n\n%(message)s") % {
            "name": kept.name, "email": kept.email, "message": kept.message,
        },
        to=[settings.CONTACT_EMAIL],
        reply_to=[kept.email],
    )  # fmt: skip
    try:
        mail.send()
    except OSError:
        logger.exception("The contact message %s was kept but could not be e-mailed", kept.pk)
