"""The contact form, shown under the text of the contact page (cms.LegalPage of kind "contact")."""

from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from cms.contact import send_contact_message
from cms.forms import ContactForm
from surveys.views.access import rate_limit

# A person writes a few messages an hour; a script is stopped, and its address told to wait.
CONTACT_RATE = "5/h"


@rate_limit(key="ip", rate=CONTACT_RATE)
def contact(request, page):
    form = ContactForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        send_contact_message(**form.cleaned_data, language=get_language())
        messages.success(
            request, _("Thank you: your message has reached the association, which will answer you.")
        )
        return redirect(request.path)
    context = page.get_context(request)
    context["form"] = form
    return TemplateResponse(request, page.get_template(request), context)
