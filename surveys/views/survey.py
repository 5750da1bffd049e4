"""The survey: pick the tools used, rate each one, see and edit one's ratings while the campaign is open."""

from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from ratings.models import Facet, Product
from surveys.forms import RatingForm, ToolChoiceForm, ToolSearchForm, field_errors
from surveys.models import Campaign, Response
from surveys.services.responses import (
    SurveyRefusal,
    campaign_accepts_answers,
    campaign_products,
    campaign_progress,
    choose_tools,
    conflict_reasons,
    conflict_refusal,
    save_response,
)

from .access import client_signals, current_doctor, rate_limit, rater_required

# Saves (drafts and submissions) per doctor: a busy doctor rates a dozen tools, a script far more.
SUBMISSION_RATE = "60/h"


def _open_campaign_or_none(slug):
    campaign = get_object_or_404(Campaign, slug=slug)
    return campaign if campaign_accepts_answers(campaign) else None


def _closed(request, slug):
    campaign = get_object_or_404(Campaign, slug=slug)
    messages.error(
        request,
        _("The campaign “%(campaign)s” is closed: answers can no longer be changed.")
        % {"campaign": campaign.title},
    )
    return redirect("surveys:my_ratings")


@rater_required
def survey_home(request, *, doctor):
    campaigns = [c for c in Campaign.objects.open().order_by("closes_on") if campaign_accepts_answers(c)]
    if len(campaigns) == 1:
        return redirect("surveys:campaign", slug=campaigns[0].slug)
    return render(request, "surveys/survey/home.html", {"campaigns": campaigns})


@rater_required
def campaign_detail(request, slug, *, doctor):
    campaign = _open_campaign_or_none(slug)
    if campaign is None:
        return _closed(request, slug)
    responses = (
        Response.objects.filter(doctor=doctor, campaign=campaign)
        .select_related("product__vendor", "product__category")
        .order_by("product__name")
    )
    rated, total = campaign_progress(doctor=doctor, campaign=campaign)
    context = {
        "campaign": campaign,
        "responses": responses,
        "rated": rated,
        "total": total,
        "Status": Response.Status,
    }
    return render(request, "surveys/survey/campaign.html", context)


@rater_required
def pick_tools(request, slug, *, doctor):
    campaign = _open_campaign_or_none(slug)
    if campaign is None:
        return _closed(request, slug)
    responses = {r.product_id: r for r in Response.objects.filter(doctor=doctor, campaign=campaign)}

    status = 200
    choice = ToolChoiceForm(request.POST if request.method == "POST" else None)
    if choice.is_bound and not choice.is_valid():
        # Only a hand-made request posts something else than the page's checkboxes.
        for line in field_errors(choice):
            messages.error(request, line)
        status = 400
    elif choice.is_bound:
        checked, shown = choice.cleaned_data["product"], choice.cleaned_data["shown"]
        try:
            selection = choose_tools(
                doctor=doctor,
                campaign=campaign,
                add=Product.objects.filter(pk__in=checked - set(responses)).select_related("vendor"),
                remove=Product.objects.filter(pk__in=(shown - checked) & set(responses)),
                **client_signals(request),
            )
        except SurveyRefusal as exc:
            messages.error(request, exc.message)
            return redirect("surveys:my_ratings")
        for product, reason in selection.refused.items():
            messages.error(
                request,
                _("%(product)s was not added: %(reason)s") % {"product": product.name, "reason": reason},
            )
        if selection.added or selection.removed:
            messages.success(request, _("Your list of tools is updated."))
        return redirect("surveys:campaign", slug=campaign.slug)

    search = ToolSearchForm(request.GET or None)
    query = search.cleaned_data["q"].strip() if search.is_valid() else ""
    products = campaign_products(campaign)
    if query:
        products = products.filter(
            Q(name__icontains=query) | Q(vendor__name__icontains=query) | Q(category__name__icontains=query)
        )
    reasons = conflict_reasons(doctor)
    rows = [
        {"product": p, "response": responses.get(p.pk), "refusal": reasons.get(p.vendor_id)} for p in products
    ]
    groups = [
        (category, list(items)) for category, items in groupby(rows, key=lambda row: row["product"].category)
    ]
    context = {
        "campaign": campaign,
        "search": search,
        "query": query,
        "groups": groups,
        "n_results": len(rows),
        "Status": Response.Status,
    }
    return render(request, "surveys/survey/pick_tools.html", context, status=status)


def _next_tool_url(doctor, campaign, current):
    pending = (
        Response.objects.filter(doctor=doctor, campaign=campaign, status=Response.Status.DRAFT)
        .exclude(product=current)
        .select_related("product")
        .order_by("product__name")
        .first()
    )
    if pending is None:
        return None
    return pending.product.slug


@rater_required
@rate_limit(key="user_or_ip", rate=SUBMISSION_RATE)
def rate_tool(request, slug, product_slug, *, doctor):
    campaign = _open_campaign_or_none(slug)
    if campaign is None:
        return _closed(request, slug)
    product = get_object_or_404(Product.objects.select_related("vendor", "category"), slug=product_slug)
    if not campaign_products(campaign).filter(pk=product.pk).exists():
        raise Http404(_("This tool is not part of this campaign."))
    refusal = conflict_refusal(doctor=doctor, product=product)
    if refusal:
        messages.error(request, refusal)
        return redirect("surveys:pick_tools", slug=campaign.slug)

    response = Response.objects.filter(doctor=doctor, product=product, campaign=campaign).first()
    already_submitted = response is not None and response.status == Response.Status.SUBMITTED
    facets = list(Facet.objects.all())

    if request.method == "POST":
        form = RatingForm(request.POST, facets=facets, product=product)
        submit = request.POST.get("action") == "submit" or already_submitted
        if form.is_valid() and (not submit or form.check_submittable()):
            try:
                saved = save_response(
                    doctor=doctor,
                    product=product,
                    campaign=campaign,
                    answers=form.answers(),
                    recommend=form.cleaned_data["recommend"],
                    time_in_use=form.cleaned_data["time_in_use"],
                    comment=form.cleaned_data["comment"],
                    situation=form.situation(),
                    submit=submit,
                    **client_signals(request),
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            except SurveyRefusal as exc:
                messages.error(request, exc.message)
                if exc.code == "conflict_of_interest":
                    return redirect("surveys:pick_tools", slug=campaign.slug)
                return redirect("surveys:my_ratings")
            else:
                if saved.status == Response.Status.DRAFT:
                    messages.success(
                        request, _("Draft saved. You can come back to it until the campaign closes.")
                    )
                    return redirect("surveys:rate_tool", slug=campaign.slug, product_slug=product.slug)
                if saved.comment_status == Response.CommentStatus.PENDING:
                    messages.success(
                        request,
                        _(
                            "Your rating of %(product)s is recorded; your comment will be published once read by a moderator."
                        )
                        % {"product": product.name},
                    )
                else:
                    messages.success(
                        request, _("Your rating of %(product)s is recorded.") % {"product": product.name}
                    )
                next_slug = _next_tool_url(doctor, campaign, product)
                if next_slug:
                    return redirect("surveys:rate_tool", slug=campaign.slug, product_slug=next_slug)
                return redirect("surveys:campaign", slug=campaign.slug)
    else:
        form = RatingForm(
            initial=RatingForm.initial_for(response) if response else None, facets=facets, product=product
        )

    chosen = list(
        Response.objects.filter(doctor=doctor, campaign=campaign)
        .order_by("product__name")
        .values_list("product_id", flat=True)
    )
    rated, total = campaign_progress(doctor=doctor, campaign=campaign)
    context = {
        "campaign": campaign,
        "product": product,
        "response": response,
        "form": form,
        "already_submitted": already_submitted,
        "rated": rated,
        "total": total,
        "position": chosen.index(product.pk) + 1 if product.pk in chosen else None,
    }
    return render(request, "surveys/survey/rate.html", context)


@login_required
def my_ratings(request):
    doctor = current_doctor(request)
    responses = []
    open_campaigns = set()
    if doctor is not None:
        responses = doctor.responses.select_related("product__vendor", "campaign").order_by("-updated_at")
        open_campaigns = {c.pk for c in Campaign.objects.open() if campaign_accepts_answers(c)}
    context = {
        "doctor": doctor,
        "responses": responses,
        "open_campaigns": open_campaigns,
        "Status": Response.Status,
        "CommentStatus": Response.CommentStatus,
    }
    return render(request, "surveys/my_ratings.html", context)
