"""Sign-up, e-mail confirmation, sign-in and the account page."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from surveys import charter
from surveys.forms import EmailAuthenticationForm, SignUpForm
from surveys.models import Doctor
from surveys.services.accounts import (
    AccountError,
    confirm_email,
    email_confirmation_token,
    send_confirmation_email,
    sign_up_doctor,
)
from surveys.services.responses import rater_refusal

from .access import current_doctor, rate_limit

# Sign-ups per address: a practice shares one address, so a handful an hour is plenty.
SIGN_UP_RATE = "10/h"
SIGN_IN_RATE = "20/m"
PASSWORD_RESET_RATE = "10/h"
RESEND_RATE = "5/h"


def _send_confirmation(request, doctor):
    path = reverse("surveys:confirm_email", kwargs={"token": email_confirmation_token(doctor.user)})
    send_confirmation_email(doctor=doctor, confirm_url=request.build_absolute_uri(path))


@rate_limit(key="ip", rate=SIGN_UP_RATE)
def sign_up(request):
    if request.user.is_authenticated:
        return redirect("surveys:account")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            doctor = sign_up_doctor(
                email=data["email"],
                password=data["password1"],
                rpps=data["rpps"],
                last_name=data["last_name"],
                first_name=data["first_name"],
                specialty=data["specialty"],
                practice_mode=data["practice_mode"],
                region=data["region"],
                charter_version=charter.current()[0],
            )
        except AccountError as exc:
            form.add_error(exc.field, exc.message)
        except ValidationError as exc:
            # The model's own checks, should they ever be stricter than the form's.
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            _send_confirmation(request, doctor)
            login(request, doctor.user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request,
                _("Welcome! We sent a confirmation link to %(email)s: follow it to finish signing up.")
                % {"email": doctor.user.email},
            )
            return redirect("surveys:account")
    return render(request, "surveys/signup.html", {"form": form, "charter_url": charter.current()[1]})


def confirm(request, token):
    try:
        doctor = confirm_email(token=token)
    except AccountError as exc:
        messages.error(request, exc.message)
        return redirect("surveys:account" if request.user.is_authenticated else "surveys:login")
    if doctor.is_verified:
        messages.success(
            request,
            _("Your e-mail address is confirmed and your account is verified: you can rate your tools."),
        )
    else:
        messages.success(
            request,
            _(
                "Your e-mail address is confirmed. Our team will now check your RPPS number; "
                "we will write to you when it is done."
            ),
        )
    if request.user.is_authenticated:
        return redirect("surveys:account")
    return redirect("surveys:login")


@require_POST
@login_required
@rate_limit(key="user", rate=RESEND_RATE)
def resend_confirmation(request):
    doctor = current_doctor(request)
    if doctor is not None and doctor.email_confirmed_at is None:
        _send_confirmation(request, doctor)
        messages.success(request, _("A new link was sent to %(email)s.") % {"email": request.user.email})
    return redirect("surveys:account")


@login_required
def account(request):
    doctor = current_doctor(request)
    context = {
        "doctor": doctor,
        "rater_refusal": rater_refusal(doctor) if doctor else None,
        "Status": Doctor.Status,
        "VerifiedBy": Doctor.VerifiedBy,
    }
    return render(request, "surveys/account.html", context)


class SignInView(auth_views.LoginView):
    """Django's sign-in (it passes `request` to authenticate, as django-axes needs) with the e-mail."""

    form_class = EmailAuthenticationForm
    template_name = "surveys/login.html"
    redirect_authenticated_user = True


sign_in = rate_limit(key="ip", rate=SIGN_IN_RATE)(SignInView.as_view())

password_reset = rate_limit(key="ip", rate=PASSWORD_RESET_RATE)(
    auth_views.PasswordResetView.as_view(
        template_name="surveys/password_reset_form.html",
        email_template_name="surveys/emails/password_reset.txt",
        subject_template_name="surveys/emails/password_reset_subject.txt",
        success_url=reverse_lazy("surveys:password_reset_done"),
    )
)
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="surveys/password_reset_done.html"
)
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    template_name="surveys/password_reset_confirm.html",
    success_url=reverse_lazy("surveys:password_reset_complete"),
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="surveys/password_reset_complete.html"
)
password_change = auth_views.PasswordChangeView.as_view(
    template_name="surveys/password_change.html", success_url=reverse_lazy("surveys:password_change_done")
)
password_change_done = auth_views.PasswordChangeDoneView.as_view(
    template_name="surveys/password_change_done.html"
)
