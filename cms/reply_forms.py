"""The vendor's reply form and its commitments (METHODOLOGY §10), one formset of plain rows (no script)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ratings.models import COMMITMENT_MAX_LENGTH, MAX_COMMITMENTS, Facet
from ratings.services import COMMITMENT_HORIZON_YEARS, commitment_problem

REPLY_MAX_LENGTH = 3000
COMMITMENTS_PREFIX = "commitments"


class VendorReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Your public reply"),
        max_length=REPLY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Shown on the product page beside the scores, once a moderator has read it."),
    )


class CommitmentForm(forms.Form):
    """One commitment; a row left empty is no commitment."""

    # Every product is rated on every facet (FACET_SLUGS): any facet may be promised. Plain choices read
    # once per page, where a ModelChoiceField would query the facets for every row of every product.
    facet = forms.ChoiceField(label=_("Facet"))
    what = forms.CharField(
        label=_("What you commit to"),
        max_length=COMMITMENT_MAX_LENGTH,
        widget=forms.TextInput(attrs={"size": 60}),
    )
    due_on = forms.DateField(
        label=_("By (date)"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, facets, **kwargs):
        super().__init__(*args, **kwargs)
        self.facets = {str(f.pk): f for f in facets}
        self.fields["facet"].choices = [("", "—"), *((pk, f.name) for pk, f in self.facets.items())]
        self.fields["due_on"].help_text = gettext("In the future, within %(n)s years.") % {
            "n": COMMITMENT_HORIZON_YEARS
        }

    def clean_facet(self):
        return self.facets[self.cleaned_data["facet"]]

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        problem = commitment_problem(
            what=cleaned["what"], due_on=cleaned["due_on"], today=timezone.localdate()
        )
        if problem:
            self.add_error(*problem)
        return cleaned


class BaseCommitmentFormSet(forms.BaseFormSet):
    def get_form_kwargs(self, index):
        # Every row may stay empty, the prefilled ones too: emptying a row withdraws that commitment.
        return {**super().get_form_kwargs(index), "empty_permitted": True}

    def commitments(self):
        """Return the filled rows as the service takes them."""
        return [
            {key: form.cleaned_data[key] for key in ("facet", "what", "due_on")}
            for form in self.forms
            if form.has_changed() and form.cleaned_data
        ]


CommitmentFormSet = forms.formset_factory(
    CommitmentForm,
    formset=BaseCommitmentFormSet,
    extra=MAX_COMMITMENTS,
    max_num=MAX_COMMITMENTS,
    absolute_max=MAX_COMMITMENTS,
    validate_max=True,
)


def reply_forms(product, version=None, data=None, *, facets=None):
    """Return (reply form, commitments formset) for `product`: bound to `data`, else prefilled from
    `version` (the newest version, which the vendor goes on from; a published one's commitments
    carry over to the next version until the vendor changes them). `facets`: all, read once."""
    auto_id = f"reply-{product.pk}-%s"
    kwargs = {
        "prefix": COMMITMENTS_PREFIX,
        "auto_id": auto_id,
        "form_kwargs": {"facets": list(Facet.objects.all()) if facets is None else facets},
    }
    if data is not None:
        return VendorReplyForm(data, auto_id=auto_id), CommitmentFormSet(data, **kwargs)
    initial = (
        [{"facet": str(c.facet_id), "what": c.what, "due_on": c.due_on} for c in version.commitments.all()]
        if version
        else []
    )
    return (
        VendorReplyForm(initial={"text": version.text} if version else None, auto_id=auto_id),
        CommitmentFormSet(initial=initial, **kwargs),
    )
