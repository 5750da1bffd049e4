"""Forms of the doctors' pages: account, conflicts of interest, choosing tools and rating them."""

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ratings.models import FACET_SLUGS, Facet, Product, Vendor
from surveys.models import PracticeMode, Region, Response, Specialty
from surveys.models.responses import COMMITMENT_MONTHS_MAX, PRICE_PAID_MAX, SITUATION_ANSWERS
from surveys.rpps import rpps_error
from surveys.services.responses import COMMENT_MAX_LENGTH

NOT_APPLICABLE = "na"
FACET_SCALE = [
    ("1", _("1 — very poor")),
    ("2", _("2 — poor")),
    ("3", _("3 — fair")),
    ("4", _("4 — good")),
    ("5", _("5 — excellent")),
    (NOT_APPLICABLE, _("not applicable")),
]
RECOMMEND_SCALE = [(str(n), str(n)) for n in range(11)]
# The largest value of a BigAutoField: a larger id cannot exist, and PostgreSQL refuses to compare with it.
MAX_ID = 2**63 - 1


def field_errors(form):
    """Return one "label : error" line per error of a bound, invalid `form`, as the error summary words them."""
    return [
        f"{form.fields[name].label if name in form.fields else ''} : {error}".strip(" :")
        for name, errors in form.errors.items()
        for error in errors
    ]


class IdsField(forms.Field):
    """Database ids posted as `name=1&name=2`, cleaned to a set of ints; anything else is a field error."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {"invalid_list": _("Enter a list of values.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.id_field = forms.IntegerField(min_value=1, max_value=MAX_ID)

    def to_python(self, value):
        if value in self.empty_values:
            return set()
        if not isinstance(value, list | tuple):
            raise ValidationError(self.error_messages["invalid_list"], code="invalid_list")
        # IntegerField refuses what int() cannot read ('²' passes str.isdigit(), not int()), NUL bytes,
        # negative and out-of-range numbers.
        return {self.id_field.clean(item) for item in value}


class EmailAuthenticationForm(AuthenticationForm):
    """Sign-in with the e-mail address; the account's username is looked up from it."""

    username = forms.EmailField(
        label=_("E-mail"), widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Wrong e-mail address or password."),
    }

    def clean_username(self):
        email = self.cleaned_data["username"].strip().lower()
        username = (
            get_user_model().objects.filter(email__iexact=email).values_list("username", flat=True).first()
        )
        return username or email


class SignUpForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail"),
        help_text=_("Your professional address if you can: we send a confirmation link to it."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    rpps = forms.CharField(
        label=_("RPPS number"),
        help_text=_("11 digits, on your professional card (CPS) or in the Annuaire Santé. Never published."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    last_name = forms.CharField(
        label=_("Last name (as registered with the Ordre)"),
        max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    first_name = forms.CharField(
        label=_("First name"), max_length=120, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    specialty = forms.ChoiceField(label=_("Specialty"), choices=Specialty.choices)
    practice_mode = forms.ChoiceField(
        label=_("Practice mode"), choices=PracticeMode.choices, initial=PracticeMode.LIBERAL
    )
    region = forms.ChoiceField(
        label=_("Region of practice"), choices=[("", "—"), *Region.choices], required=False
    )
    certify = forms.BooleanField(
        label=_(
            "I certify that I am this doctor. I will rate only tools I use, and declare my links with vendors."
        )
    )
    accept_charter = forms.BooleanField(
        label=_("I have read the evaluator's charter and accept it."),
        error_messages={"required": _("Accept the evaluator's charter to sign up.")},
    )

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if get_user_model().objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("An account already uses this e-mail address."))
        return email

    def clean_rpps(self):
        rpps = self.cleaned_data["rpps"].replace(" ", "").strip()
        if rpps_error(rpps) is None:
            return rpps
        # surveys.rpps words its messages for import reports; a person typing the number is told where
        # to look instead.
        if not (rpps.isascii() and rpps.isdigit()):
            message = _("Type the 11 digits of your RPPS number, without letters or other signs.")
        elif len(rpps) != 11:
            message = _("An RPPS number has 11 digits; you typed %(n)s.") % {"n": len(rpps)}
        else:
            message = _(
                "This is not a valid RPPS number: one digit is probably mistyped. Check it against your CPS card."
            )
        raise forms.ValidationError(message, code="invalid_rpps")

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two passwords differ."))
        elif password1:
            user = get_user_model()(
                email=cleaned.get("email", ""),
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
            )
            try:
                password_validation.validate_password(password1, user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class RejectDoctorForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason, shown to the doctor"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
    )


class ConflictForm(forms.Form):
    vendor = forms.ModelChoiceField(label=_("Vendor"), queryset=Vendor.objects.all(), empty_label="—")
    description = forms.CharField(
        label=_("Nature of the link"),
        max_length=255,
        help_text=_(
            "For example: employee, shareholder, paid consultant, speaker at its events, family tie."
        ),
    )


class RemoveConflictForm(forms.Form):
    conflict = forms.IntegerField(label=_("Link to remove"), min_value=1, max_value=MAX_ID)


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your password, to confirm"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("This password is not correct."))
        return password


class ToolSearchForm(forms.Form):
    q = forms.CharField(label=_("Search a tool or a vendor"), required=False, max_length=100)


class ToolChoiceForm(forms.Form):
    """The pick-tools page as posted: the tools ticked among those shown on the page."""

    product = IdsField(label=_("Tools you use"))
    shown = IdsField(label=_("Tools shown"))


YES_NO = [("", "—"), ("yes", _("yes")), ("no", _("no"))]
YES_NO_VALUES = {"yes": True, "no": False}
OTHER_PRODUCT = "other"
# The answers on prices, contracts and switching (METHODOLOGY.md §10), in the form's order.
SITUATION_FIELDS = (*SITUATION_ANSWERS, "previous_product", "previous_product_other")


class RatingForm(forms.Form):
    """One tool's answers: the facets on a labelled 1–5 scale or "not applicable", then the rest, then the
    optional questions on the doctor's practice, the price, the contract and switching (no script needed:
    "other" tool is a choice of the list plus a text box)."""

    recommend = forms.TypedChoiceField(
        label=_("Would you recommend this tool to a colleague? (0 = not at all, 10 = certainly)"),
        choices=RECOMMEND_SCALE,
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    time_in_use = forms.ChoiceField(
        label=_("For how long have you used it?"),
        choices=[("", "—"), *Response.TimeInUse.choices],
        required=False,
    )
    comment = forms.CharField(
        label=_("Your experience, for your colleagues"),
        help_text=_(
            "At most %(n)s characters. Read by a moderator before publication; published without your name, "
            "with your practice group only. Do not name patients or people."
        )
        % {"n": COMMENT_MAX_LENGTH},
        max_length=COMMENT_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": COMMENT_MAX_LENGTH}),
    )

    practice_setting = forms.ChoiceField(
        label=_("You practise"), choices=[("", "—"), *Response.PracticeSetting.choices], required=False
    )
    price_paid = forms.DecimalField(
        label=_("What do you pay for it, in € per month excluding VAT, for your own use?"),
        help_text=_("Shown only as a median of at least 10 doctors, never on its own."),
        min_value=0, max_value=PRICE_PAID_MAX, decimal_places=2, required=False,
    )  # fmt: skip
    price_increased = forms.ChoiceField(
        label=_("Has its price risen in the last 12 months?"), choices=YES_NO, required=False
    )
    commitment_months = forms.IntegerField(
        label=_("How many months does your contract commit you for? (0 if none)"),
        min_value=0, max_value=COMMITMENT_MONTHS_MAX, required=False,
    )  # fmt: skip
    considering_switch = forms.ChoiceField(
        label=_("Are you thinking of changing tool within a year?"), choices=YES_NO, required=False
    )
    previous_product = forms.ChoiceField(
        label=_("If you changed tool in the last 3 years, which one did you use before?"),
        required=False,
    )
    previous_product_other = forms.CharField(
        label=_("If it is not in the list, its name"), max_length=120, required=False
    )

    def __init__(self, *args, facets=None, product=None, **kwargs):
        super().__init__(*args, **kwargs)
        others = Product.objects.listed().select_related("vendor").order_by("name")
        if product is not None:
            others = others.exclude(pk=product.pk)
        self.fields["previous_product"].choices = [
            ("", "—"),
            *((str(p.pk), f"{p.name} ({p.vendor.name})") for p in others),
            (OTHER_PRODUCT, _("another tool, not in the list")),
        ]
        facets = {f.slug: f for f in (facets if facets is not None else Facet.objects.all())}
        facet_fields = {}
        for slug in FACET_SLUGS:
            facet = facets.get(slug)
            facet_fields[slug] = forms.ChoiceField(
                label=facet.name if facet else slug.replace("_", " "),
                help_text=facet.question if facet else "",
                choices=FACET_SCALE,
                required=False,
                widget=forms.RadioSelect,
            )
        # Facets first, in the order of the methodology.
        self.fields = {**facet_fields, **self.fields}

    @classmethod
    def initial_for(cls, response):
        """Return the form's initial data from a saved `response`."""
        submitted = response.status == Response.Status.SUBMITTED
        yes_no = {True: "yes", False: "no", None: ""}
        initial = {
            "recommend": response.recommend,
            "time_in_use": response.time_in_use,
            "comment": response.comment,
            "practice_setting": response.practice_setting,
            "price_paid": response.price_paid,
            "price_increased": yes_no[response.price_increased],
            "commitment_months": response.commitment_months,
            "considering_switch": yes_no[response.considering_switch],
            "previous_product": str(response.previous_product_id or "")
            or (OTHER_PRODUCT if response.previous_product_other else ""),
            "previous_product_other": response.previous_product_other,
        }
        for slug in FACET_SLUGS:
            value = getattr(response, slug)
            # A submitted response's empty facet was answered "not applicable"; a draft's may be unanswered.
            initial[slug] = str(value) if value is not None else (NOT_APPLICABLE if submitted else None)
        return initial

    @property
    def facet_fields(self):
        return [self[slug] for slug in FACET_SLUGS]

    @property
    def other_fields(self):
        return [
            self[name] for name in self.fields if name not in FACET_SLUGS and name not in SITUATION_FIELDS
        ]

    @property
    def situation_fields(self):
        return [self[name] for name in SITUATION_FIELDS]

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("previous_product") == OTHER_PRODUCT
            and not cleaned.get("previous_product_other", "").strip()
        ):
            self.add_error("previous_product_other", _("Give the name of the tool you used before."))
        return cleaned

    def situation(self):
        """Return the answers on practice, price, contract and switching, as `save_response` takes them."""
        data = self.cleaned_data
        previous = data.get("previous_product") or ""
        return {
            "practice_setting": data.get("practice_setting") or "",
            "price_paid": data.get("price_paid"),
            "price_increased": YES_NO_VALUES.get(data.get("price_increased")),
            "commitment_months": data.get("commitment_months"),
            "considering_switch": YES_NO_VALUES.get(data.get("considering_switch")),
            "previous_product_id": int(previous) if previous.isdigit() else None,
            "previous_product_other": data.get("previous_product_other", "").strip()
            if previous == OTHER_PRODUCT
            else "",
        }

    def answers(self):
        """Return {facet slug: 1–5 or None} from the cleaned data."""
        return {
            slug: int(value)
            if (value := self.cleaned_data.get(slug)) not in (None, "", NOT_APPLICABLE)
            else None
            for slug in FACET_SLUGS
        }

    def check_submittable(self):
        """Add an error next to the first facet when no facet has a 1–5 answer; return validity."""
        if all(value is None for value in self.answers().values()):
            self.add_error(FACET_SLUGS[0], _("Answer at least one question from 1 to 5 before submitting."))
            return False
        return True
