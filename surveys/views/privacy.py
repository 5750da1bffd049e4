"""A doctor's own data: declared conflicts of interest, download, account deletion."""

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from surveys.forms import ConflictForm, DeleteAccountForm, RemoveConflictForm, field_errors
from surveys.services.accounts import (
    AccountError,
    declare_conflict,
    delete_account,
    export_personal_data,
    remove_conflict,
)

from .access import doctor_required


@doctor_required
def conflicts(request, *, doctor):
    form = ConflictForm(request.POST if request.POST.get("action") == "add" else None)
    status = 200
    if request.method == "POST":
        if request.POST.get("action") == "remove":
            removal = RemoveConflictForm(request.POST)
            if not removal.is_valid():
                # The page posts the ids it lists: only a hand-made request gets here.
                for line in field_errors(removal):
                    messages.error(request, line)
                status = 400
            else:
                if remove_conflict(doctor=doctor, conflict_id=removal.cleaned_data["conflict"]):
                    messages.success(request, _("The link was removed."))
                return redirect("surveys:conflicts")
        elif form.is_valid():
            try:
                declare_conflict(
                    doctor=doctor,
                    vendor=form.cleaned_data["vendor"],
                    description=form.cleaned_data["description"],
                )
            except AccountError as exc:
                form.add_error(exc.field, exc.message)
            else:
                messages.success(
                    request,
                    _("Your link with %(vendor)s is recorded: you will not be asked to rate its products.")
                    % {"vendor": form.cleaned_data["vendor"].name},
                )
                return redirect("surveys:conflicts")
    context = {"form": form, "conflicts": doctor.conflicts.select_related("vendor")}
    return render(request, "surveys/conflicts.html", context, status=status)


@login_required
def export_data(request):
    data = export_personal_data(user=request.user)
    body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    filename = f"mes-donnees-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def delete(request):
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        # Sign out first: django-axes logs the sign-out, and the deletion then erases that log too.
        logout(request)
        delete_account(user=user)
        messages.success(
            request, _("Your account is deleted. Your answers remain in the scores, tied to nobody.")
        )
        return redirect("/")
    return render(request, "surveys/delete_account.html", {"form": form})
