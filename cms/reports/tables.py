"""A vendor report as named tables: rows under named columns, each interval bound in its own column.

The XLSX and CSV writers print these tables as they are; a column's `kind` tells them its number
format. Column keys are those of the score export where the figure is the same.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _


class Kind:
    """How a column's values are written (number formats of the XLSX, nothing else)."""

    TEXT = "text"
    SCORE = "score"  # 1–5 scores, differences and their bounds: 0.00
    COUNT = "count"  # respondents, products, ranks: 0
    DECIMAL = "decimal"  # effective sizes, rank bounds, p-values: 0.00
    PCT = "pct"  # percentages 0–100 (as the export's recommend_pct): shown as 0.0 %
    SHARE = "share"  # shares 0–1: 0.0 %
    FLAG = "flag"
    DATE = "date"


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: str = Kind.TEXT


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    columns: list
    rows: list

    def as_dicts(self):
        """Return the rows as {column key: value} dicts."""
        return [dict(zip([c.key for c in self.columns], row, strict=True)) for row in self.rows]


def _table(name, title, columns, records):
    return Table(
        name=name,
        title=title,
        columns=columns,
        rows=[[record[c.key] for c in columns] for record in records],
    )


def _interval(prefix, label, kind=Kind.SCORE):
    return [
        Column(prefix, label, kind),
        Column(f"{prefix}_ci_low", _("%(figure)s, 95%% interval low") % {"figure": label}, kind),
        Column(f"{prefix}_ci_high", _("%(figure)s, 95%% interval high") % {"figure": label}, kind),
    ]


def vendor_table(report):
    s = report.vendor_summary
    columns = [
        Column("vendor", _("vendor")),
        Column("status", _("status")),
        Column("n_respondents", _("respondents"), Kind.COUNT),
        Column("n_effective", _("effective size"), Kind.DECIMAL),
        *_interval("doctor_score", _("doctors' score")),
        Column("n_products", _("products"), Kind.COUNT),
    ]
    records = []
    if s is not None:
        records.append(
            {
                "vendor": report.vendor_name,
                "status": s.status,
                "n_respondents": s.n_respondents,
                "n_effective": s.n_effective,
                "doctor_score": s.doctor_score,
                "doctor_score_ci_low": s.doctor_ci_low,
                "doctor_score_ci_high": s.doctor_ci_high,
                "n_products": s.n_products,
            }
        )
    return _table("vendor", _("Vendor"), columns, records)


def summary_table(report):
    columns = [
        Column("product", _("product")),
        Column("product_name", _("name")),
        Column("category", _("category")),
        Column("status", _("status")),
        Column("status_label", _("status (label)")),
        Column("n_respondents", _("respondents"), Kind.COUNT),
        Column("n_effective", _("effective size"), Kind.DECIMAL),
        *_interval("global_score", _("global score")),
        *_interval("doctor_score", _("doctors' score")),
        Column("rank", _("rank in its category"), Kind.COUNT),
        # xgettext:no-python-format
        Column("rank_low", _("rank, 95% interval low"), Kind.DECIMAL),
        # xgettext:no-python-format
        Column("rank_high", _("rank, 95% interval high"), Kind.DECIMAL),
        Column("n_ranked", _("ranked products in the category"), Kind.COUNT),
        Column("previous_campaign", _("previous campaign")),
        *_interval("change", _("change of the doctors' score")),
        Column("change_significant", _("significant change"), Kind.FLAG),
        *_interval("recommend_pct", _("would recommend (%)"), Kind.PCT),
        Column("net_recommendation", _("net recommendation"), Kind.DECIMAL),
    ]
    records = []
    for entry in report.products:
        s = entry.summary
        records.append(
            {
                "product": s.product,
                "product_name": s.product_name,
                "category": s.category,
                "status": s.status,
                "status_label": s.status_label,
                "n_respondents": s.n_respondents,
                "n_effective": s.n_effective,
                "global_score": s.global_score,
                "global_score_ci_low": s.global_ci_low,
                "global_score_ci_high": s.global_ci_high,
                "doctor_score": s.doctor_score,
                "doctor_score_ci_low": s.doctor_ci_low,
                "doctor_score_ci_high": s.doctor_ci_high,
                "rank": s.rank,
                "rank_low": s.rank_low,
                "rank_high": s.rank_high,
                "n_ranked": s.n_ranked,
                "previous_campaign": s.previous_campaign,
                "change": s.change,
                "change_ci_low": s.change_low,
                "change_ci_high": s.change_high,
                "change_significant": s.change_significant,
                "recommend_pct": s.recommend_pct,
                "recommend_pct_ci_low": s.recommend_ci_low,
                "recommend_pct_ci_high": s.recommend_ci_high,
                "net_recommendation": s.net_recommendation,
            }
        )
    return _table("summary", _("Summary"), columns, records)


def facets_table(report):
    columns = [
        Column("product", _("product")),
        Column("facet", _("facet")),
        Column("facet_name", _("facet (name)")),
        Column("n", _("answers"), Kind.COUNT),
        *_interval("score", _("facet score")),
        Column("category_q1", _("category, first quartile"), Kind.SCORE),
        Column("category_median", _("category, median"), Kind.SCORE),
        Column("category_q3", _("category, third quartile"), Kind.SCORE),
        Column("category_n_products", _("ranked products behind the quartiles"), Kind.COUNT),
        Column("reference", _("category reference (precision-weighted mean)"), Kind.SCORE),
        *_interval("difference", _("difference with the category")),
        Column("p_holm", _("p-value, Holm-adjusted"), Kind.DECIMAL),
        Column("verdict", _("verdict")),
        Column("sentence", _("in words")),
    ]
    records = [
        {
            "product": entry.summary.product,
            "facet": f.facet,
            "facet_name": f.facet_name,
            "n": f.n,
            "score": f.score,
            "score_ci_low": f.ci_low,
            "score_ci_high": f.ci_high,
            "category_q1": f.category_q1,
            "category_median": f.category_median,
            "category_q3": f.category_q3,
            "category_n_products": f.category_n_products,
            "reference": f.reference,
            "difference": f.difference,
            "difference_ci_low": f.difference_low,
            "difference_ci_high": f.difference_high,
            "p_holm": f.p_holm,
            "verdict": f.verdict,
            "sentence": f.sentence,
        }
        for entry in report.products
        for f in entry.facets
    ]
    return _table("facets", _("Facets"), columns, records)


def distributions_table(report):
    columns = [
        Column("product", _("product")),
        Column("facet", _("facet")),
        Column("facet_name", _("facet (name)")),
        Column("level_low", _("from level"), Kind.COUNT),
        Column("level_high", _("to level"), Kind.COUNT),
        Column("share", _("share of answers"), Kind.SHARE),
    ]
    records = [
        {
            "product": entry.summary.product,
            "facet": b.facet,
            "facet_name": b.facet_name,
            "level_low": b.level_low,
            "level_high": b.level_high,
            "share": b.share,
        }
        for entry in report.products
        for b in entry.distributions
    ]
    return _table("distributions", _("Answers"), columns, records)


def expert_reviews_table(report):
    columns = [
        Column("product", _("product")),
        Column("title", _("title")),
        Column("reviewer", _("reviewer")),
        Column("test_date", _("test date"), Kind.DATE),
        Column("expert_score", _("expert score"), Kind.SCORE),
        Column("facet_name", _("facet")),
        Column("facet_score", _("expert facet score"), Kind.COUNT),
        Column("verdict", _("verdict")),
    ]
    records = []
    for entry in report.products:
        review = entry.expert_review
        if review is None:
            continue
        base = {
            "product": entry.summary.product,
            "title": review.title,
            "reviewer": review.reviewer,
            "test_date": review.test_date,
            "expert_score": review.expert_score,
        }
        records.append({**base, "facet_name": None, "facet_score": None, "verdict": review.verdict})
        records.extend(
            {**base, "facet_name": name, "facet_score": score, "verdict": None}
            for name, score in review.facet_scores
        )
    return _table("expert_reviews", _("Expert reviews"), columns, records)


def replies_table(report):
    columns = [
        Column("product", _("product")),
        Column("published_at", _("published on"), Kind.DATE),
        Column("text", _("vendor's reply")),
    ]
    records = [
        {
            "product": entry.summary.product,
            "published_at": entry.reply.published_at.date() if entry.reply.published_at else None,
            "text": entry.reply.text,
        }
        for entry in report.products
        if entry.reply is not None
    ]
    return _table("replies", _("Vendor's replies"), columns, records)


def comments_table(report):
    columns = [
        Column("product", _("product")),
        Column("date", _("date"), Kind.DATE),
        Column("profile", _("profile")),
        Column("text", _("comment")),
    ]
    records = [
        {"product": entry.summary.product, "date": c.date, "profile": c.profile, "text": c.text}
        for entry in report.products
        for c in entry.comments
    ]
    return _table("comments", _("Comments"), columns, records)


def method_table(report):
    columns = [Column("field", _("field")), Column("value", _("value"))]
    records = [
        {"field": _("report identifier"), "value": report.identifier},
        {"field": _("SHA-256 of the figures"), "value": report.sha256},
        {"field": _("vendor"), "value": report.vendor_name},
        {"field": _("campaign"), "value": report.campaign_title},
        {"field": _("methodology version"), "value": report.methodology_version},
        {"field": _("generated at"), "value": report.generated_at.isoformat(timespec="seconds")},
        {"field": _("method"), "value": report.method_note},
    ]
    return _table("method", _("Method"), columns, records)


def report_tables(report):
    """Return the report's tables, in the order of the report: summary first, method last."""
    from .commitments import commitments_table  # its module builds on this one's Column and Table
    from .situation import prices_table, subgroups_table, switching_table  # likewise

    return [
        summary_table(report),
        vendor_table(report),
        facets_table(report),
        distributions_table(report),
        expert_reviews_table(report),
        prices_table(report),
        subgroups_table(report),
        switching_table(report),
        replies_table(report),
        commitments_table(report),
        comments_table(report),
        method_table(report),
    ]
