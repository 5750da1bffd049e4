"""The moderators' forms: a refusal's reason, an exclusion's reason, the fraud-signal filters."""

from django import forms
from django.utils.translation import gettext_lazy as _

from surveys.models import ResponseFlag
from surveys.services.moderation import RejectionReason


class RejectForm(forms.Form):
    reason_code = forms.ChoiceField(label=_("Reason"), choices=RejectionReason.choices)
    reason_text = forms.CharField(
        label=_("Explanation for the doctor"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Sent to the doctor with the reason. Required for “other reason”."),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Why"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class FlagFilterForm(forms.Form):
    STATES = [("open", _("to review")), ("resolved", _("resolved")), ("all", _("all"))]
    kind = forms.ChoiceField(
        label=_("Signal"), choices=[("", _("all signals")), *ResponseFlag.Kind.choices], required=False
    )
    state = forms.ChoiceField(label=_("State"), choices=STATES, required=False)
