"""Expert reviews before publication: the vendor reads the draft and answers; editors send and follow."""

import datetime
from functools import wraps

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail.permission_policies.pages import PagePermissionPolicy

from cms.models import ExpertReviewPage, ReviewSubmission
from cms.models.review_drafts import ANSWER_MAX_LENGTH, DEFAULT_ANSWER_DAYS
from cms.review_drafts import (
    DraftReviewRefused,
    answer_review_draft,
    is_vendor_member,
    record_first_view,
    send_review_draft,
)

# The largest primary key the databases store; a longer number in a URL is simply not found.
MAX_ID = 2**63 - 1


def get_or_404(queryset, pk):
    if pk > MAX_ID:
        raise Http404
    return get_object_or_404(queryset, pk=pk)


# ---------------------------------------------------------------------------------------------
# Vendor space


class AnswerForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Your answer"),
        max_length=ANSWER_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy("You answer once. The answer does not bind the association."),
    )
    publish_answer = forms.BooleanField(
        label=gettext_lazy("Publish my answer beside the review"), required=False
    )


def draft_reader(view):
    """The view gets `request.submissions`, those the signed-in user may read.

    Anyone else (an anonymous reader, a doctor, another vendor's member) finds nothing: every draft
    URL answers 404, as a report file's does, so that a draft's existence is not disclosed.
    """

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            raise Http404
        request.submissions = ReviewSubmission.objects.visible_to(request.user).select_related(
            "page", "vendor", "revision"
        )
        return view(request, *args, **kwargs)

    return wrapped


@login_required  # the list names no draft: a signed-out vendor member is asked to sign in
@draft_reader
def review_draft_list(request):
    if not (request.user.is_staff or request.user.vendor_memberships.exists()):
        raise Http404
    return render(
        request,
        "cms/review_drafts/list.html",
        {"submissions": request.submissions, "status": ReviewSubmission.Status},
    )


@draft_reader
def review_draft_detail(request, pk):
    submission = get_or_404(request.submissions, pk)
    record_first_view(submission=submission, user=request.user)
    review = submission.sent_review()
    facet_scores = sorted(review.facet_scores.all(), key=lambda s: (s.facet.sort_order, s.facet_id))
    return render(
        request,
        "cms/review_drafts/detail.html",
        {
            "submission": submission,
            "review": review,
            "facet_scores": facet_scores,
            "may_answer": submission.can_be_answered()
            and is_vendor_member(request.user, submission.vendor_id),
            "form": AnswerForm(),
            "status": ReviewSubmission.Status,
        },
    )


@draft_reader
@require_POST
def review_draft_answer(request, pk):
    submission = get_or_404(request.submissions, pk)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        errors = " ".join(error for errors in form.errors.values() for error in errors)
        messages.error(request, _("Your answer was not sent: %(errors)s") % {"errors": errors})
        return redirect("cms:review_draft", pk=submission.pk)
    try:
        answer_review_draft(
            submission=submission,
            user=request.user,
            text=form.cleaned_data["text"],
            publish_answer=form.cleaned_data["publish_answer"],
        )
    except DraftReviewRefused as refusal:
        if not is_vendor_member(request.user, submission.vendor_id):
            raise PermissionDenied(refusal.message) from refusal
        # A member who answers late or twice is told why on the page.
        messages.error(request, refusal.message)
        return redirect("cms:review_draft", pk=submission.pk)
    messages.success(request, _("Your answer was sent to the association's editors."))
    return redirect("cms:review_draft", pk=submission.pk)


# ---------------------------------------------------------------------------------------------
# Wagtail admin (registered in cms/wagtail_hooks.py)


def may_follow_submissions(user):
    """Return True when `user` may publish pages somewhere, so sends and follows reviews."""
    return user.is_active and PagePermissionPolicy().user_has_permission(user, "publish")


class SendForm(forms.Form):
    deadline = forms.DateField(
        label=gettext_lazy("Deadline for the vendor's answer"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("The vendor may answer until the end of that day."),
    )

    def clean_deadline(self):
        day = self.cleaned_data["deadline"]
        if day <= timezone.localdate():
            raise forms.ValidationError(_("The deadline must be in the future."))
        return day

    def deadline_at(self):
        """Return the end of the chosen day, in the site's time zone."""
        day = self.cleaned_data["deadline"] + datetime.timedelta(days=1)
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


ADMIN_STATES = {
    "awaiting": gettext_lazy("awaiting the vendor"),
    "answered": gettext_lazy("answered"),
    "expired": gettext_lazy("deadline passed without an answer"),
}


def admin_submission_list(request):
    if not may_follow_submissions(request.user):
        raise PermissionDenied
    submissions = ReviewSubmission.objects.select_related("page", "vendor", "sent_by", "answered_by")
    state = request.GET.get("state", "")
    if state == "awaiting":
        submissions = submissions.awaiting()
    elif state == "answered":
        submissions = submissions.answered()
    elif state == "expired":
        submissions = submissions.expired()
    else:
        state = ""
    return render(
        request,
        "cms/review_drafts/admin_list.html",
        {
            "submissions": submissions,
            "states": ADMIN_STATES.items(),
            "state": state,
            "header_title": _("Reviews sent to vendors"),
            "page_title": _("Reviews sent to vendors"),
            "header_icon": "mail",
        },
    )


def admin_submission_detail(request, pk):
    if not may_follow_submissions(request.user):
        raise PermissionDenied
    submission = get_or_404(
        ReviewSubmission.objects.select_related("page", "vendor", "sent_by", "answered_by"), pk
    )
    return render(
        request,
        "cms/review_drafts/admin_detail.html",
        {
            "submission": submission,
            "events": submission.events.select_related("user"),
            "refusal": ReviewSubmission.objects.publication_refusal(submission.page),
            "header_title": submission.page.title,
            "page_title": submission.page.title,
            "page_subtitle": _("Sent to %(vendor)s") % {"vendor": submission.vendor},
            "header_icon": "mail",
        },
    )


def admin_send(request, page_id):
    page = get_or_404(ExpertReviewPage.objects.select_related("product__vendor"), page_id)
    if not page.permissions_for_user(request.user).can_publish():
        raise PermissionDenied
    default_day = timezone.localdate() + datetime.timedelta(days=DEFAULT_ANSWER_DAYS)
    form = SendForm(request.POST or None, initial={"deadline": default_day})
    if request.method == "POST" and form.is_valid():
        try:
            submission = send_review_draft(page=page, user=request.user, deadline=form.deadline_at())
        except DraftReviewRefused as refusal:
            messages.error(request, refusal.message)
            return redirect("wagtailadmin_pages:edit", page.pk)
        messages.success(
            request,
            _("The review was sent to %(vendor)s; it may answer until %(deadline)s.")
            % {
                "vendor": submission.vendor,
                "deadline": timezone.localtime(submission.deadline).strftime("%d/%m/%Y %H:%M"),
            },
        )
        return redirect(reverse("cms_review_drafts:detail", args=[submission.pk]))
    return render(
        request,
        "cms/review_drafts/admin_send.html",
        {
            "form": form,
            "review_page": page,
            "latest": ReviewSubmission.objects.latest_for(page),
            "header_title": _("Send to the vendor"),
            "page_title": _("Send to the vendor"),
            "page_subtitle": page.title,
            "header_icon": "mail",
        },
    )


admin_urlpatterns = [
    path("", admin_submission_list, name="index"),
    path("<int:pk>/", admin_submission_detail, name="detail"),
    path("send/<int:page_id>/", admin_send, name="send"),
]
