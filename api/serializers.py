"""The shapes of the API's answers. Scores carry the names and values of the scores export (FORMATS.md)."""

from rest_framework import serializers

from analytics.export import FACET_SUFFIXES
from ratings.models import FACET_SLUGS


class CategorySerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    description = serializers.CharField(allow_blank=True)


class VendorSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    website = serializers.URLField(allow_blank=True)
    url = serializers.URLField(help_text="The vendor's page on the site.")


def _score(help_text=""):
    return serializers.FloatField(allow_null=True, help_text=help_text)


def _scores_fields():
    """Every column of the scores export but the three slugs, with the export's names; null where it is empty."""
    fields = {
        "n_respondents": serializers.IntegerField(help_text="Doctors whose response counts."),
        "n_effective": _score("Kish effective sample size after weighting."),
        "doctor_score": _score("Population-weighted doctors' global score (1–5)."),
        "doctor_ci_low": _score(),
        "doctor_ci_high": _score(),
        "expert_score": _score("The published expert score, null if none."),
        "global_score": _score("The published blend of the expert and doctors' scores (1–5)."),
        "global_ci_low": _score(),
        "global_ci_high": _score(),
        "recommend_pct": _score("Weighted share answering 9–10 to 'would you recommend', 0–100."),
        "status": serializers.ChoiceField(choices=["ok", "limited", "insufficient"]),
    }
    for facet in FACET_SLUGS:
        for suffix in FACET_SUFFIXES:
            fields[f"{facet}_{suffix}"] = (
                serializers.IntegerField(help_text=f"Respondents who answered on {facet}.")
                if suffix == "n"
                else _score()
            )
    fields["weighting"] = serializers.CharField(
        allow_blank=True, allow_null=True, help_text="The strata dimensions the weights used, joined by '+'."
    )
    # METHODOLOGY §10: null below 10 answers (a price is identifying).
    fields["price_median"] = _score("Weighted median of the price doctors pay, € per month excluding VAT.")
    fields["price_q1"] = _score("Weighted first quartile of the price paid.")
    fields["price_q3"] = _score("Weighted third quartile of the price paid.")
    fields["price_n"] = serializers.IntegerField(
        allow_null=True, help_text="Doctors who gave the price they pay."
    )
    fields["price_increased_pct"] = _score("Weighted share whose price rose in the last 12 months, 0–100.")
    fields["switch_pct"] = _score("Weighted share considering changing tool within a year, 0–100.")
    fields["long_commitment_pct"] = _score("Weighted share committed for more than 12 months, 0–100.")
    for share in ("price_increased", "long_commitment", "switch"):
        fields[f"{share}_ci_low"] = _score(f"Lower bound of the 95 % Wilson interval of {share}_pct.")
        fields[f"{share}_ci_high"] = _score(f"Upper bound of the 95 % Wilson interval of {share}_pct.")
        fields[f"{share}_n"] = serializers.IntegerField(
            allow_null=True, help_text=f"Doctors who answered the question of {share}_pct (null below 10)."
        )
    return fields


ScoresFields = serializers.SerializerMetaclass(
    "ScoresFields", (serializers.Serializer,), {"__module__": __name__, **_scores_fields()}
)


class ProductSerializer(ScoresFields):
    product = serializers.SlugField(help_text="The product's slug.")
    name = serializers.CharField()
    vendor = serializers.SlugField()
    category = serializers.SlugField()
    url = serializers.URLField(help_text="The product's page on the site.")
    campaign = serializers.SlugField(allow_null=True, help_text="The campaign of the published scores.")
    methodology_version = serializers.IntegerField(allow_null=True)


class FacetSerializer(serializers.Serializer):
    facet = serializers.SlugField()
    name = serializers.CharField()
    score = _score()
    ci_low = _score()
    ci_high = _score()
    n = serializers.IntegerField()


class RankedProductSerializer(serializers.Serializer):
    product = serializers.SlugField()
    name = serializers.CharField()
    rank = serializers.IntegerField(allow_null=True)
    rank_low = _score("2.5th percentile of the rank (METHODOLOGY §6).")
    rank_high = _score("97.5th percentile of the rank.")
    p_top3 = _score("Probability of a rank of 3 or better.")
    tied_first = serializers.BooleanField()
    ranked_score = _score(
        "The score the ranking orders on (shrunk doctors' score blended with the expert's)."
    )
    global_score = _score()
    global_ci_low = _score()
    global_ci_high = _score()
    n_respondents = serializers.IntegerField()
    status = serializers.ChoiceField(choices=["ok", "limited", "insufficient"])


class RankingSerializer(serializers.Serializer):
    category = serializers.SlugField()
    name = serializers.CharField()
    campaign = serializers.SlugField()
    order_differs = serializers.BooleanField(
        help_text="True when the rank order differs from the order of the global scores."
    )
    ranked = RankedProductSerializer(many=True)
    limited = RankedProductSerializer(
        many=True, help_text="Products with limited data: listed apart, not ranked."
    )


class CampaignSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    title = serializers.CharField()
    opens_on = serializers.DateField()
    closes_on = serializers.DateField()
    methodology_version = serializers.IntegerField()
    computed_at = serializers.DateTimeField(help_text="When the published scores were computed.")


class OpenDataFileSerializer(serializers.Serializer):
    name = serializers.CharField()
    description = serializers.CharField()
    bytes = serializers.IntegerField()
    rows = serializers.IntegerField()
    sha256 = serializers.CharField()
    url = serializers.URLField(help_text="Where to download the file.")


class ManifestSerializer(serializers.Serializer):
    campaign = serializers.SlugField()
    title = serializers.CharField()
    opens_on = serializers.DateField()
    closes_on = serializers.DateField()
    methodology_version = serializers.IntegerField()
    scores_computed_at = serializers.DateTimeField()
    generated_at = serializers.DateTimeField()
    licence = serializers.CharField()
    licence_url = serializers.URLField()
    files = OpenDataFileSerializer(many=True)


class SubgroupSerializer(serializers.Serializer):
    """One row of a tool's scores within a subgroup of doctors (METHODOLOGY §10), as the open data's file."""

    dimension = serializers.ChoiceField(choices=["practice_group", "practice_setting", "region"])
    value = serializers.CharField(help_text="gp/specialist; solo/group/health_centre; an INSEE region code.")
    measure = serializers.CharField(help_text="'global' (the doctors' global score) or a facet slug.")
    n = serializers.IntegerField(help_text="Respondents of the subgroup with an answer (never below 5).")
    n_effective = _score("Kish effective sample size after weighting.")
    score = _score("The subgroup's weighted score (1–5).")
    ci_low = _score()
    ci_high = _score()
    status = serializers.ChoiceField(choices=["ok", "limited"], help_text="'limited' below 20 respondents.")
    sum_w = _score("Σw over the respondents (w the final weight of §3).")
    sum_w2 = _score("Σw².")
    sum_wy = _score("Σw·y.")
    sum_wy2 = _score("Σw·y².")


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
