"""E-mails to doctors and other users: one plain-text template per message, rendered in French."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation


def send_user_email(*, user, subject, template, context=None):
    """Send the plain-text `template` rendered with `context` to `user`; return True when sent.

    `subject` may be lazy: it is evaluated in the site's language, like the body.
    """
    if user is None or not user.email:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        body = render_to_string(template, {"user": user, **(context or {})})
        subject = " ".join(str(subject).split())
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    return True


def send_doctor_email(*, doctor, subject, template, context=None):
    """Send `template` to `doctor`'s account address; return False (nothing sent) for an anonymised doctor."""
    return send_user_email(
        user=doctor.user, subject=subject, template=template, context={"doctor": doctor, **(context or {})}
    )
