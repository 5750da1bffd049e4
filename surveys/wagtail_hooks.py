"""Doctors and campaigns in the Wagtail admin: staff verify doctors, analysts run campaigns.

Wagtail loads only this module of the app: the moderation pages' hooks are imported here too.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import (
    CreateView,
    EditView,
    IndexView,
    SnippetViewSet,
    SnippetViewSetGroup,
)

from ratings.admin_delete import ProtectedDeleteView
from ratings.translation import translated_panels

from .forms import RejectDoctorForm
from .models import Campaign, DirectoryEntry, Doctor
from .moderation_admin import hooks as moderation_hooks  # noqa: F401  (registers the moderation pages)
from .services.accounts import AccountError, approve_doctor, reject_doctor
from .services.responses import close_campaign


class DoctorPermissionPolicy(ModelPermissionPolicy):
    """Staff with the model permission only; doctors are created by sign-up or import, never deleted here."""

    def user_has_permission(self, user, action):
        if action in ("add", "delete", "copy"):
            return False
        return user.is_active and user.is_staff and super().user_has_permission(user, action)


# Registered before any viewset asks for Doctor's policy (Wagtail falls back to a plain one otherwise).
register_permission_policy(Doctor, DoctorPermissionPolicy(Doctor))


@hooks.register("register_log_actions")
def register_survey_log_actions(actions):
    actions.register_action("surveys.doctor.approve", _("Approve doctor"), _("Doctor approved"))
    actions.register_action("surveys.doctor.reject", _("Reject doctor"), _("Doctor rejected"))
    actions.register_action("surveys.campaign.close", _("Close campaign"), _("Campaign closed"))


class AdminActionView(WagtailAdminTemplateMixin, FormView):
    """A confirmation form about one object, allowed to users with `permission_action` on its model."""

    model = None
    permission_action = "change"
    template_name = "surveys/admin/action_form.html"
    form_class = forms.Form
    header_icon = ""
    index_url_name = None
    submit_button_label = _("Confirm")

    def dispatch(self, request, *args, pk, **kwargs):
        policy = DoctorPermissionPolicy(Doctor) if self.model is Doctor else ModelPermissionPolicy(self.model)
        if not policy.user_has_permission(request.user, self.permission_action):
            raise PermissionDenied
        self.object = get_object_or_404(self.model, pk=pk)
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return str(self.object)

    def get_success_url(self):
        return reverse(self.index_url_name)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            object=self.object,
            action_url=self.request.path,
            submit_button_label=self.submit_button_label,
            **kwargs,
        )


class DoctorActionView(AdminActionView):
    model = Doctor
    header_icon = "user"
    index_url_name = "wagtailsnippets_surveys_doctor:list"
    template_name = "surveys/admin/doctor_decision.html"

    def get_context_data(self, **kwargs):
        directory_entry = DirectoryEntry.objects.filter(rpps=self.object.rpps).first()
        return super().get_context_data(doctor=self.object, directory_entry=directory_entry, **kwargs)


class ApproveDoctorView(DoctorActionView):
    page_title = _("Approve")
    submit_button_label = _("Approve: the doctor may rate")

    def form_valid(self, form):
        try:
            approve_doctor(doctor=self.object, by=self.request.user)
        except AccountError as exc:
            messages.error(self.request, exc.message)
        else:
            messages.success(self.request, _("%(doctor)s is verified.") % {"doctor": self.object})
        return redirect(self.get_success_url())


class RejectDoctorView(DoctorActionView):
    page_title = _("Reject")
    form_class = RejectDoctorForm
    submit_button_label = _("Reject and tell the doctor")

    def form_valid(self, form):
        try:
            reject_doctor(doctor=self.object, by=self.request.user, reason=form.cleaned_data["reason"])
        except AccountError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            return self.form_invalid(form)
        messages.success(
            self.request, _("%(doctor)s is rejected; the reason was sent.") % {"doctor": self.object}
        )
        return redirect(self.get_success_url())


class DoctorIndexView(IndexView):
    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if instance.anonymised_at is not None:
            return buttons
        policy = DoctorPermissionPolicy(Doctor)
        if policy.user_has_permission(self.request.user, "change"):
            if instance.verification_status != Doctor.Status.VERIFIED:
                buttons.append(
                    MenuItem(
                        _("Approve"),
                        url=reverse("wagtailsnippets_surveys_doctor:approve", args=[instance.pk]),
                        icon_name="success",
                        priority=5,
                    )
                )
            if instance.verification_status != Doctor.Status.REJECTED:
                buttons.append(
                    MenuItem(
                        _("Reject"),
                        url=reverse("wagtailsnippets_surveys_doctor:reject", args=[instance.pk]),
                        icon_name="cross",
                        priority=6,
                    )
                )
        return buttons


class DoctorViewSet(SnippetViewSet):
    model = Doctor
    icon = "user"
    menu_label = _("Doctors")
    index_view_class = DoctorIndexView
    # The ORM's icontains search on the identity fields; the full-text index would hold them too.
    search_backend_name = None
    search_fields = ["last_name", "first_name", "rpps"]
    list_display = [
        "__str__",
        "last_name",
        "first_name",
        "rpps",
        "specialty",
        "verification_status",
        "verified_by",
        "email_confirmed_at",
        "created_at",
    ]
    list_filter = ["verification_status", "verified_by", "specialty"]
    ordering = ["-created_at"]
    copy_view_enabled = False
    inspect_view_enabled = True
    panels = [
        MultiFieldPanel(
            [
                FieldPanel("last_name", read_only=True),
                FieldPanel("first_name", read_only=True),
                FieldPanel("rpps", read_only=True),
            ],
            heading=_("Identity"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("verification_status", read_only=True),
                FieldPanel("verified_by", read_only=True),
                FieldPanel("verified_at", read_only=True),
                FieldPanel("rejection_reason", read_only=True),
                FieldPanel("email_confirmed_at", read_only=True),
            ],
            heading=_("Verification (use Approve / Reject in the list)"),
        ),
        FieldRowPanel([FieldPanel("specialty"), FieldPanel("practice_mode"), FieldPanel("region")]),
    ]

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("approve/<int:pk>/", ApproveDoctorView.as_view(), name="approve"),
            path("reject/<int:pk>/", RejectDoctorView.as_view(), name="reject"),
        ]


class CloseCampaignView(AdminActionView):
    model = Campaign
    header_icon = "date"
    page_title = _("Close the campaign")
    index_url_name = "wagtailsnippets_surveys_campaign:list"
    template_name = "surveys/admin/close_campaign.html"
    submit_button_label = _("Close: no more answers or edits")

    def form_valid(self, form):
        close_campaign(campaign=self.object, by=self.request.user)
        messages.success(
            self.request,
            _("“%(campaign)s” is closed; the scores will be recomputed.") % {"campaign": self.object},
        )
        return redirect(self.get_success_url())


class CampaignSaveMixin:
    """Saving a campaign with the status "closed" closes it through the service (and its signal)."""

    def save_instance(self):
        campaign = self.form.instance
        previous = Campaign.objects.filter(pk=campaign.pk).values_list("status", flat=True).first()
        closing = campaign.status == Campaign.Status.CLOSED and previous != Campaign.Status.CLOSED
        if closing:
            campaign.status = previous or Campaign.Status.DRAFT
        instance = super().save_instance()
        if closing:
            instance = close_campaign(campaign=instance, by=self.request.user)
        return instance


class CampaignCreateView(CampaignSaveMixin, CreateView):
    pass


class CampaignEditView(CampaignSaveMixin, EditView):
    pass


class CampaignIndexView(IndexView):
    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if instance.status != Campaign.Status.CLOSED and ModelPermissionPolicy(Campaign).user_has_permission(
            self.request.user, "change"
        ):
            buttons.append(
                MenuItem(
                    _("Close"),
                    url=reverse("wagtailsnippets_surveys_campaign:close", args=[instance.pk]),
                    icon_name="lock",
                    priority=25,
                )
            )
        return buttons


class CampaignViewSet(SnippetViewSet):
    model = Campaign
    icon = "date"
    menu_label = _("Campaigns")
    index_view_class = CampaignIndexView
    add_view_class = CampaignCreateView
    edit_view_class = CampaignEditView
    delete_view_class = ProtectedDeleteView
    search_backend_name = None
    search_fields = ["title", "slug"]
    list_display = ["title", "slug", "status", "opens_on", "closes_on"]
    list_filter = ["status", "categories"]
    ordering = ["-closes_on"]
    panels = [
        *translated_panels("title"),
        FieldPanel("slug"),
        FieldRowPanel([FieldPanel("opens_on"), FieldPanel("closes_on")]),
        FieldPanel(
            "status",
            help_text=_("Closing a campaign stops answers and edits and recomputes the scores."),
        ),
        FieldPanel("categories", widget=forms.CheckboxSelectMultiple),
    ]

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("close/<int:pk>/", CloseCampaignView.as_view(), name="close"),
        ]


class SurveyGroup(SnippetViewSetGroup):
    menu_label = _("Survey")
    menu_icon = "form"
    menu_order = 210
    items = (DoctorViewSet, CampaignViewSet)


register_snippet(SurveyGroup)
