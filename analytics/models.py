"""Score snapshots: what `recompute_scores` stored, read by the public pages and `export_scores`."""

from django.db import models
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from ratings.models import Category, Methodology, Product, Vendor
from surveys.models import Campaign

from .core.constants import DISCLOSURE_MIN_COUNT, LEVELS


class Status(models.TextChoices):
    OK = "ok", _("ranked")
    LIMITED = "limited", _("limited data")
    INSUFFICIENT = "insufficient", _("not enough responses yet")


class SnapshotQuerySet(models.QuerySet):
    def current(self):
        """Return the latest snapshot of the most recent campaign."""
        return self.filter(is_current=True).order_by("-computed_at").first()

    def for_campaign(self, campaign):
        return self.filter(campaign=campaign).order_by("-computed_at").first()


class ScoreSnapshot(models.Model):
    """One run of the computation for one reference campaign, with the methodology it used."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="snapshots")
    methodology = models.ForeignKey(Methodology, on_delete=models.PROTECT, related_name="snapshots")
    reference_date = models.DateField(_("reference date"))
    computed_at = models.DateTimeField(_("computed at"), auto_now_add=True)
    is_current = models.BooleanField(_("latest for the latest campaign"), default=False)
    n_responses = models.PositiveIntegerField(_("responses used"), default=0)
    timings = models.JSONField(_("seconds per phase"), default=dict, blank=True)
    # The strata dimensions the methodology asked for, joined by "+": a product whose `weighting`
    # names fewer was weighted on a simplified set (METHODOLOGY §3).
    weighting = models.CharField(_("weighting asked for"), max_length=100, blank=True, default="")

    objects = SnapshotQuerySet.as_manager()

    class Meta:
        verbose_name = _("score snapshot")
        verbose_name_plural = _("score snapshots")
        ordering = ["-computed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"],
                condition=models.Q(is_current=True),
                name="analytics_one_current_snapshot",
            ),
        ]

    def __str__(self):
        return f"{self.campaign} — {self.computed_at:%Y-%m-%d %H:%M}"


class ScoreFields(models.Model):
    """The figures products and vendors share (FORMATS.md's export columns)."""

    n_respondents = models.PositiveIntegerField(default=0)
    n_effective = models.FloatField(null=True)
    design_effect = models.FloatField(null=True)
    doctor_score = models.FloatField(null=True)
    doctor_ci_low = models.FloatField(null=True)
    doctor_ci_high = models.FloatField(null=True)
    doctor_variance = models.FloatField(null=True)
    status = models.CharField(max_length=12, choices=Status.choices)
    balanced = models.BooleanField(default=True)
    # The strata dimensions the weights used, joined by "+": fewer than the methodology's when raking
    # could not reach its margins ("weighting simplified", METHODOLOGY §3).
    weighting = models.CharField(_("weighting"), max_length=100, blank=True, default="")

    class Meta:
        abstract = True


class ProductScore(ScoreFields):
    snapshot = models.ForeignKey(ScoreSnapshot, on_delete=models.CASCADE, related_name="product_scores")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="scores")
    recommend_pct = models.FloatField(null=True)
    recommend_ci_low = models.FloatField(null=True)
    recommend_ci_high = models.FloatField(null=True)
    net_recommendation = models.FloatField(null=True)
    expert_score = models.FloatField(null=True)
    expert_only = models.BooleanField(default=False)
    global_score = models.FloatField(null=True)
    global_ci_low = models.FloatField(null=True)
    global_ci_high = models.FloatField(null=True)
    # theta: the doctors' score shrunk towards the category mean (§6).
    shrunk_score = models.FloatField(null=True)
    # R = alpha*e + (1 - alpha)*theta (theta without an expert score): what `rank` orders (§6).
    ranked_score = models.FloatField(null=True)
    rank = models.PositiveIntegerField(null=True)
    rank_low = models.FloatField(null=True)
    rank_high = models.FloatField(null=True)
    p_top3 = models.FloatField(null=True)
    tied_first = models.BooleanField(default=False)
    n_flagged = models.PositiveIntegerField(default=0)
    score_without_flagged = models.FloatField(null=True)
    escalate = models.BooleanField(default=False)
    # The weighted sums of §4 the figures come from (w the final weight of §3): the open data's
    # sufficient statistics. Not shown anywhere; published only for n >= the methodology's minimum.
    sum_w = models.FloatField(null=True)
    sum_w2 = models.FloatField(null=True)
    sum_wy = models.FloatField(null=True)
    sum_wy2 = models.FloatField(null=True)
    # What doctors pay and their contracts (§10): empty below 10 answers; shares in percent.
    price_q1 = models.FloatField(null=True)
    price_median = models.FloatField(null=True)
    price_q3 = models.FloatField(null=True)
    price_n = models.PositiveIntegerField(null=True)
    price_increased_pct = models.FloatField(null=True)
    price_increased_ci_low = models.FloatField(null=True)
    price_increased_ci_high = models.FloatField(null=True)
    price_increased_n = models.PositiveIntegerField(null=True)
    long_commitment_pct = models.FloatField(null=True)
    long_commitment_ci_low = models.FloatField(null=True)
    long_commitment_ci_high = models.FloatField(null=True)
    long_commitment_n = models.PositiveIntegerField(null=True)
    switch_pct = models.FloatField(null=True)
    switch_ci_low = models.FloatField(null=True)
    switch_ci_high = models.FloatField(null=True)
    switch_n = models.PositiveIntegerField(null=True)

    class Meta:
        verbose_name = _("product score")
        verbose_name_plural = _("product scores")
        ordering = ["rank", "-global_score"]
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "product"], name="analytics_productscore_unique"),
        ]

    def __str__(self):
        return f"{self.product_id}: {self.global_score}"


class EstimateFields(models.Model):
    """One estimate of §4 over a group of answers: a facet of a product, or a measure of a subgroup."""

    score = models.FloatField(null=True)
    ci_low = models.FloatField(null=True)
    ci_high = models.FloatField(null=True)
    # The interval's variance V (§4): comparisons use se = sqrt(V) (§6).
    variance = models.FloatField(null=True)
    n_effective = models.FloatField(null=True)
    # The weighted sums of §4 the figures come from (w the final weight of §3): the open data's
    # sufficient statistics. Not shown anywhere; published only for n >= the methodology's minimum.
    sum_w = models.FloatField(null=True)
    sum_w2 = models.FloatField(null=True)
    sum_wy = models.FloatField(null=True)
    sum_wy2 = models.FloatField(null=True)

    class Meta:
        abstract = True


class FacetScore(EstimateFields):
    snapshot = models.ForeignKey(ScoreSnapshot, on_delete=models.CASCADE, related_name="facet_scores")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="facet_scores")
    facet = models.CharField(max_length=40)
    n = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("facet score")
        verbose_name_plural = _("facet scores")
        ordering = ["product", "facet"]
        constraints = [
            models.UniqueConstraint(
                fields=["snapshot", "product", "facet"], name="analytics_facetscore_unique"
            ),
        ]

    def __str__(self):
        return f"{self.product_id}/{self.facet}: {self.score}"


class AnswerDistribution(models.Model):
    """Weighted share of answers per facet, by level or merged group, as METHODOLOGY §9 lets it be shown.

    A facet's rows are either its five levels (level_low == level_high) or its three groups
    1-2, 3, 4-5; no row counts 1 to 4 answers (the core never yields one, the database refuses it).
    """

    snapshot = models.ForeignKey(ScoreSnapshot, on_delete=models.CASCADE, related_name="distributions")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+")
    facet = models.CharField(max_length=40)
    level_low = models.PositiveSmallIntegerField(_("from level"))
    level_high = models.PositiveSmallIntegerField(_("to level"))
    share = models.FloatField()
    count = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("answer distribution")
        verbose_name_plural = _("answer distributions")
        ordering = ["product", "facet", "level_low"]
        constraints = [
            models.UniqueConstraint(
                fields=["snapshot", "product", "facet", "level_low"], name="analytics_distribution_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(
                    level_low__gte=LEVELS[0], level_high__lte=LEVELS[-1], level_low__lte=F("level_high")
                ),
                name="analytics_distribution_band_on_the_scale",
            ),
            models.CheckConstraint(
                condition=models.Q(count=0) | models.Q(count__gte=DISCLOSURE_MIN_COUNT),
                name="analytics_distribution_no_small_band",
            ),
        ]

    def __str__(self):
        band = self.level_low if self.level_low == self.level_high else f"{self.level_low}–{self.level_high}"
        return f"{self.product_id}/{self.facet}/{band}: {self.share:.2f}"


class VendorScore(ScoreFields):
    snapshot = models.ForeignKey(ScoreSnapshot, on_delete=models.CASCADE, related_name="vendor_scores")
    vendor = models.ForeignKey(Vendor, on_delete=models.CASCADE, related_name="scores")
    n_products = models.PositiveIntegerField(_("products rated"), default=0)

    class Meta:
        verbose_name = _("vendor score")
        verbose_name_plural = _("vendor scores")
        ordering = ["-doctor_score"]
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "vendor"], name="analytics_vendorscore_unique")
        ]

    def __str__(self):
        return f"{self.vendor_id}: {self.doctor_score}"


class CategoryRanking(models.Model):
    """How a category's ranking was made: between-product variance and the mean products shrink to."""

    snapshot = models.ForeignKey(ScoreSnapshot, on_delete=models.CASCADE, related_name="category_rankings")
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="+")
    n_ranked = models.PositiveIntegerField(default=0)
    n_limited = models.PositiveIntegerField(default=0)
    tau2 = models.FloatField(null=True)
    tau2_borrowed = models.BooleanField(default=False)
    mean_score = models.FloatField(null=True)

    class Meta:
        verbose_name = _("category ranking")
        verbose_name_plural = _("category rankings")
        ordering = ["category"]
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "category"], name="analytics_categoryranking_unique"),
        ]

    def __str__(self):
        return f"{self.category_id}: {self.n_ranked} ranked"


class SubgroupScore(EstimateFields):
    """A product's score within one subgroup of doctors (METHODOLOGY §10: "a doctor like me").

    One row per product x profile dimension x level x measure ("global" or a facet slug), stored only
    from the methodology's minimum of respondents: a smaller subgroup leaves no row at all (§9).
    """

    snapshot = models.ForeignKey(ScoreSnapshot, on_delete=models.CASCADE, related_name="subgroup_scores")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+")
    dimension = models.CharField(max_length=20)
    value = models.CharField(max_length=40)
    measure = models.CharField(max_length=40)
    n = models.PositiveIntegerField()
    status = models.CharField(max_length=12, choices=Status.choices)

    class Meta:
        verbose_name = _("subgroup score")
        verbose_name_plural = _("subgroup scores")
        ordering = ["product", "dimension", "value", "measure"]
        constraints = [
            models.UniqueConstraint(
                fields=["snapshot", "product", "dimension", "value", "measure"],
                name="analytics_subgroupscore_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(n__gte=DISCLOSURE_MIN_COUNT), name="analytics_subgroupscore_no_small_group"
            ),
        ]

    def __str__(self):
        return f"{self.product_id}/{self.dimension}={self.value}/{self.measure}: {self.score}"


class SwitchFlow(models.Model):
    """Doctors who came to a tool from another in the last 3 years (METHODOLOGY §10), from 5 doctors only."""

    snapshot = models.ForeignKey(ScoreSnapshot, on_delete=models.CASCADE, related_name="switch_flows")
    # Null: a tool outside the catalogue ("another tool" in the survey).
    previous_product = models.ForeignKey(Product, null=True, on_delete=models.CASCADE, related_name="+")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+")
    doctors = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("switching flow")
        verbose_name_plural = _("switching flows")
        ordering = ["-doctors"]
        constraints = [
            models.UniqueConstraint(
                fields=["snapshot", "previous_product", "product"], name="analytics_switchflow_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(doctors__gte=DISCLOSURE_MIN_COUNT),
                name="analytics_switchflow_no_small_flow",
            ),
        ]

    def __str__(self):
        return f"{self.previous_product_id or 'other'} → {self.product_id}: {self.doctors}"
