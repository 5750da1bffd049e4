"""Signing in with Pro Santé Connect (OpenID Connect, authorization code with PKCE).

Authlib's client does the protocol: the state and the nonce kept in the session and checked on return,
the PKCE verifier, the code exchanged for tokens, the ID token's signature (the provider's published
keys), issuer, audience and times. What the provider vouches for then goes to
surveys.services.pro_sante_connect, which says which account it is.
"""

import functools
import logging

from authlib.integrations.base_client import OAuthError
from authlib.integrations.django_client import OAuth
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.views import LogoutView
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from joserfc.errors import JoseError
from requests import RequestException

from surveys import charter
from surveys.models import Region
from surveys.services.accounts import AccountError
from surveys.services.pro_sante_connect import (
    Identity,
    IdentityRefused,
    NotADoctor,
    configured,
    create_doctor,
    directory_profile,
    identity_from_claims,
    link,
    resolve,
    unlink,
)

from .access import current_doctor, rate_limit

logger = logging.getLogger(__name__)

SESSION_IDENTITY = "psc_identity"  # what the provider vouched for, until the doctor finishes or links
SESSION_INTENT = "psc_intent"  # "link": a signed-in doctor links their account
SESSION_ID_TOKEN = "psc_id_token"  # for the provider's sign-out (id_token_hint)
BACKEND = "django.contrib.auth.backends.ModelBackend"
CALLBACK_RATE = "30/m"


@functools.lru_cache(maxsize=8)
def _client(discovery_url, client_id, client_secret, scopes):
    # One client per configuration: it keeps the provider's discovery document and keys once fetched.
    return OAuth().register(
        "pro_sante_connect",
        client_id=client_id,
        client_secret=client_secret,
        server_metadata_url=discovery_url,
        client_kwargs={"scope": scopes, "code_challenge_method": "S256", "timeout": 10},
    )


def client():
    if not configured():
        raise Http404(_("Pro Santé Connect is not offered on this site."))
    conf = settings.PRO_SANTE_CONNECT
    return _client(conf["DISCOVERY_URL"], conf["CLIENT_ID"], conf["CLIENT_SECRET"], conf["SCOPES"])


def _refused(request, message, *, status=403):
    return render(request, "surveys/pro_sante_connect/refused.html", {"message": message}, status=status)


def start(request):
    """Send the browser to Pro Santé Connect (sign in, or link the signed-in doctor's account)."""
    psc = client()
    if request.user.is_authenticated:
        if current_doctor(request) is None:
            return _refused(request, _("Only doctors' accounts can be linked to Pro Santé Connect."))
        request.session[SESSION_INTENT] = "link"
    else:
        request.session.pop(SESSION_INTENT, None)
    with translation.override(settings.LANGUAGE_CODE):  # one address to register with the provider
        callback = request.build_absolute_uri(reverse("surveys:psc_callback"))
    try:
        return psc.authorize_redirect(request, callback, acr_values=settings.PRO_SANTE_CONNECT["ACR_VALUES"])
    except (RequestException, ValueError, RuntimeError) as exc:
        logger.warning("Pro Santé Connect unreachable: %s", exc)
        return _refused(
            request, _("Pro Santé Connect cannot be reached just now. Try again later."), status=503
        )


@rate_limit(key="ip", rate=CALLBACK_RATE, method="GET")
def callback(request):
    """The provider sends the browser back here with a code: check everything, then sign in or ask."""
    psc = client()
    try:
        token = psc.authorize_access_token(request, leeway=settings.PRO_SANTE_CONNECT["LEEWAY"])
        if "userinfo" not in token:  # no ID token, or no nonce kept for this state: not our sign-in
            raise OAuthError(description="no ID token")
        claims = dict(psc.userinfo(token=token))
        if claims.get("sub") != token["userinfo"].get("sub"):
            raise OAuthError(description="userinfo of another subject")
        identity = identity_from_claims(claims)
    except NotADoctor as exc:
        return _refused(request, exc.message)
    except IdentityRefused as exc:
        return _refused(request, exc.message)
    except (OAuthError, JoseError, RequestException, ValueError, KeyError) as exc:
        logger.warning("Pro Santé Connect sign-in refused: %r", exc)
        return _refused(
            request,
            _(
                "The answer of Pro Santé Connect could not be checked, so you are not signed in. Please start again."
            ),
            status=400,
        )
    request.session[SESSION_ID_TOKEN] = token.get("id_token", "")
    intent = request.session.pop(SESSION_INTENT, None)

    if intent == "link" and request.user.is_authenticated:
        try:
            link(doctor=current_doctor(request), identity=identity)
        except AccountError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Your account is linked to Pro Santé Connect."))
        return redirect("surveys:account")

    try:
        found = resolve(identity)
    except IdentityRefused as exc:
        return _refused(request, exc.message)
    request.session[SESSION_IDENTITY] = identity.as_session()
    if found.doctor is not None:
        return _sign_in(request, found.doctor)
    if found.to_confirm is not None:
        return redirect("surveys:psc_link")
    return redirect("surveys:psc_welcome")


def _sign_in(request, doctor):
    id_token = request.session.get(SESSION_ID_TOKEN, "")
    login(request, doctor.user, backend=BACKEND)  # a new session: keep the token for the sign-out
    request.session[SESSION_ID_TOKEN] = id_token
    return redirect("surveys:account")


def _pending_identity(request):
    identity = Identity.from_session(request.session.get(SESSION_IDENTITY))
    if identity is None:
        raise Http404(_("There is no Pro Santé Connect sign-in to finish: start again."))
    return identity


class WelcomeForm(forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("E-mail address"),
        help_text=gettext_lazy("For the news of the campaigns and your account. Never shown, never shared."),
    )
    region = forms.ChoiceField(
        label=gettext_lazy("Region of practice"), choices=Region.choices, required=False
    )
    accepts_charter = forms.BooleanField(
        label=gettext_lazy("I accept the evaluator's charter"), required=True
    )


def welcome(request):
    """First sign-in: the State has identified the doctor; only an e-mail address and the charter remain."""
    identity = _pending_identity(request)
    specialty, mode, region = directory_profile(identity)
    form = WelcomeForm(request.POST or None)
    if region:
        del form.fields["region"]
    if request.method == "POST" and form.is_valid():
        try:
            doctor = create_doctor(
                identity=identity,
                email=form.cleaned_data["email"],
                region=region or form.cleaned_data.get("region", ""),
                accepts_charter=form.cleaned_data["accepts_charter"],
            )
        except AccountError as exc:
            form.add_error("email" if "e-mail" in exc.message else None, exc.message)
        else:
            request.session.pop(SESSION_IDENTITY, None)
            messages.success(request, _("Welcome: your account is verified, you can rate your tools now."))
            return _sign_in(request, doctor)
    version, charter_url = charter.current()
    return render(
        request,
        "surveys/pro_sante_connect/welcome.html",
        {"form": form, "identity": identity, "specialty": specialty, "mode": mode, "region": region,
         "charter_url": charter_url},
    )  # fmt: skip


class ConfirmForm(forms.Form):
    password = forms.CharField(label=gettext_lazy("Password of your account"), widget=forms.PasswordInput)


def _masked(email):
    name, _at, domain = email.partition("@")
    return f"{name[:1]}{'•' * max(len(name) - 1, 1)}@{domain}"


def link_existing(request):
    """An account with the same RPPS exists: its owner confirms with its password, then it is linked."""
    identity = _pending_identity(request)
    found = resolve(identity)
    account = found.to_confirm
    if account is None:
        raise Http404(_("There is no account to link: start again."))
    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = authenticate(request, username=account.user.email, password=form.cleaned_data["password"])
        if user is None or user.pk != account.user_id:
            form.add_error("password", _("This is not the password of this account."))
        else:
            doctor = link(doctor=account, identity=identity)
            request.session.pop(SESSION_IDENTITY, None)
            messages.success(request, _("Your account is linked to Pro Santé Connect and verified."))
            return _sign_in(request, doctor)
    return render(
        request, "surveys/pro_sante_connect/link.html", {"form": form, "email": _masked(account.user.email)}
    )


@login_required
@require_POST
def unlink_account(request):
    """Stop signing in with Pro Santé Connect; an account without a password chooses one first."""
    doctor = current_doctor(request)
    if doctor is None or not doctor.psc_subject:
        return redirect("surveys:account")
    user = request.user
    if not user.has_usable_password():
        first, second = request.POST.get("new_password1", ""), request.POST.get("new_password2", "")
        problems = []
        if not first:
            problems.append(_("Choose a password: without Pro Santé Connect, it is how you sign in."))
        elif first != second:
            problems.append(_("The two passwords differ."))
        else:
            try:
                validate_password(first, user)
            except ValidationError as exc:
                problems.extend(exc.messages)
        if problems:
            for problem in problems:
                messages.error(request, problem)
            return redirect("surveys:account")
        user.set_password(first)
        user.save(update_fields=["password"])
        update_session_auth_hash(request, user)
    try:
        unlink(doctor=doctor)
    except AccountError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Pro Santé Connect is unlinked: sign in with your e-mail and password."))
    return redirect("surveys:account")


class SignOutView(LogoutView):
    """Django's sign-out, then the provider's own (RP-initiated logout) when the session came from it."""

    def post(self, request, *args, **kwargs):
        id_token = request.session.get(SESSION_ID_TOKEN)
        response = super().post(request, *args, **kwargs)
        if not id_token or not configured():
            return response
        try:
            ending = client().create_logout_url(
                post_logout_redirect_uri=request.build_absolute_uri("/"), id_token_hint=id_token
            )
        except (RequestException, RuntimeError) as exc:  # no end_session_endpoint, or unreachable
            logger.warning("Pro Santé Connect sign-out not sent: %s", exc)
            return response
        return redirect(ending["url"])


sign_out = SignOutView.as_view()
