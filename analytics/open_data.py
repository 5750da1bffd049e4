"""The open data of FORMATS.md ("Open data"): for each campaign with published scores, the files anyone may
download to check every figure — the scores export, the weighted sums behind it, the strata, the method.

`write_campaign` writes one campaign's folder atomically: the files go to a temporary folder beside it,
which is renamed into place at the end, so a reader finds the old folder or the new one, never a mix.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import secrets
import shutil
from pathlib import Path

import numpy as np
from django.utils import timezone

from ratings.models import FACET_SLUGS, Category, ExpertAssessment, Product

from . import export, published
from .core import constants as core_constants
from .core.rows import select_rows
from .loading import DEFAULT_WEIGHTS_ROW, load_facet_weights, load_responses, params_for
from .models import FacetScore, ProductScore
from .published.subgroups import subgroup_rows

LICENCE = "Licence Ouverte / Open Licence 2.0"
LICENCE_URL = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
MANIFEST = "manifest.json"
SUFFICIENT_COLUMNS = [
    "product",
    "campaign",
    "measure",
    "n",
    "sum_w",
    "sum_w2",
    "sum_wy",
    "sum_wy2",
    "expert_score",
    "alpha",
]
STRATA_COLUMNS = ["product", "dimension", "value", "respondents", "population_share"]
SUBGROUP_COLUMNS = ["product", "campaign", "dimension", "value", "measure", "n", "status", "score", "ci_low",
                    "ci_high", "sum_w", "sum_w2", "sum_wy", "sum_wy2"]  # fmt: skip
DESCRIPTIONS = {
    "scores.csv": "The scores export: one row per product, scores with their 95% intervals, per facet too.",
    "scores.json": "The same scores export as JSON, one object per product.",
    "sufficient_statistics.csv": "Per product and measure, the weighted sums every published score and interval is computed from.",
    "subgroup_statistics.csv": "Per product, subgroup of doctors (practice group, practice setting, region) and measure, the subgroup's score with its 95% interval and the weighted sums it is computed from (subgroups of 5 or more).",
    "strata.csv": "Respondents per product and stratum, with the population share the weights aim at (strata of 5 or more).",
    "methodology.json": "The methodology version: alpha, thresholds, half-life, maximum age, trim factor, prior, facet weights, margins.",
}


def _number(value):
    """A float as the shortest text that reads back to the same float: the sums must lose nothing."""
    if value is None:
        return ""
    return repr(float(value)) if isinstance(value, float) else str(value)


def _csv(header, rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _expert_facet_scores(until):
    """{(product id, facet slug): score} of each product's latest published expert review up to `until`."""
    scores = {}
    seen = set()
    assessments = ExpertAssessment.objects.latest_per_product().filter(reviewed_on__lte=until)
    for assessment in assessments.prefetch_related("scores__facet"):
        if assessment.product_id in seen:
            continue
        seen.add(assessment.product_id)
        for score in assessment.scores.all():
            scores[assessment.product_id, score.facet.slug] = float(score.score)
    return scores


def sufficient_statistics(snapshot):
    """Rows of sufficient_statistics.csv: a `global` row and a row per facet, each of n >= the minimum."""
    minimum = snapshot.min_respondents
    alpha = snapshot.alpha
    slugs = dict(Product.objects.values_list("pk", "slug"))
    experts = _expert_facet_scores(snapshot.campaign.closes_on)
    rows = []
    products = ProductScore.objects.filter(snapshot_id=snapshot.pk, n_respondents__gte=minimum)
    for score in products.order_by("product__slug"):
        if score.sum_w is None or score.doctor_score is None:
            continue
        rows.append(
            [
                slugs[score.product_id],
                snapshot.campaign.slug,
                "global",
                score.n_respondents,
                score.sum_w,
                score.sum_w2,
                score.sum_wy,
                score.sum_wy2,
                score.expert_score,
                alpha,
            ]  # fmt: skip
        )
    order = {slug: i for i, slug in enumerate(FACET_SLUGS)}
    shown = {pid for pid in products.values_list("product_id", flat=True)}
    facets = FacetScore.objects.filter(snapshot_id=snapshot.pk, n__gte=minimum, product_id__in=shown)
    for cell in sorted(facets, key=lambda f: (slugs[f.product_id], order.get(f.facet, len(order)))):
        if cell.sum_w is None or cell.score is None:
            continue
        rows.append(
            [
                slugs[cell.product_id],
                snapshot.campaign.slug,
                cell.facet,
                cell.n,
                cell.sum_w,
                cell.sum_w2,
                cell.sum_wy,
                cell.sum_wy2,
                experts.get((cell.product_id, cell.facet)),
                alpha,
            ]  # fmt: skip
        )
    rows.sort(key=lambda r: (r[0], -1 if r[2] == "global" else order.get(r[2], len(order))))
    return [[_number(v) for v in row] for row in rows]


def subgroup_statistics(snapshot):
    """Rows of subgroup_statistics.csv (METHODOLOGY §10): the stored subgroup rows, none under 5 respondents."""
    slugs = dict(Product.objects.values_list("pk", "slug"))
    campaign = snapshot.campaign.slug
    return [
        [
            _number(v)
            for v in (
                slugs[row.product_id],
                campaign,
                row.dimension,
                row.value,
                row.measure,
                row.n,
                row.status,
                row.score,
                row.ci_low,
                row.ci_high,
                *row.sums,
            )
        ]
        for row in sorted(subgroup_rows(snapshot), key=lambda r: (slugs[r.product_id], r.dimension, r.value))
    ]


def strata(snapshot):
    """Rows of strata.csv: respondents of each product in each stratum level, levels of fewer than 5 left out."""
    methodology = snapshot.methodology
    params = params_for(methodology, snapshot.campaign)
    frame = load_responses(until=snapshot.campaign.closes_on)
    if frame.empty:
        return []
    rows_ = select_rows(frame, load_facet_weights(methodology), params)
    slugs = dict(Product.objects.values_list("pk", "slug"))
    minimum = max(snapshot.min_respondents, core_constants.DISCLOSURE_MIN_COUNT)
    out = []
    for stratum in rows_.strata:
        levels = list(params.margins.get(stratum.name, {}))
        known = stratum.codes >= 0
        n_levels = len(levels)
        counts = np.bincount(
            rows_.product[known] * n_levels + stratum.codes[known],
            minlength=len(rows_.product_ids) * n_levels,
        ).reshape(len(rows_.product_ids), n_levels)
        for p, product_id in enumerate(rows_.product_ids):
            for k, level in enumerate(levels):
                if counts[p, k] >= minimum:
                    out.append(
                        [
                            slugs.get(int(product_id), str(product_id)),
                            stratum.name,
                            level,
                            int(counts[p, k]),
                            float(stratum.shares[k]),
                        ]  # fmt: skip
                    )
    out.sort(key=lambda r: (r[0], r[1], r[2]))
    return [[_number(v) for v in row] for row in out]


def methodology_document(snapshot):
    """methodology.json: every parameter the published figures were computed with."""
    methodology = snapshot.methodology
    params = params_for(methodology, snapshot.campaign)
    weights = load_facet_weights(methodology)
    categories = dict(Category.objects.values_list("pk", "slug"))
    return {
        "version": methodology.version,
        "alpha": float(methodology.alpha),
        "confidence": params.confidence,
        "min_respondents": params.min_respondents,
        "limited_respondents": params.limited_respondents,
        "limited_n_effective": params.limited_neff,
        "half_life_months": params.half_life_months,
        "max_age_months": params.max_age_months,
        "trim_factor": params.trim_factor,
        "levels": list(core_constants.LEVELS),
        "prior_pseudo_counts": list(core_constants.PRIOR),
        "facet_weights": {
            ("default" if key == DEFAULT_WEIGHTS_ROW else categories.get(key, str(key))): {
                facet: float(value) for facet, value in row.items()
            }
            for key, row in weights.iterrows()
        },
        "population_margins": {
            dim: {k: float(v) for k, v in levels.items()} for dim, levels in params.margins.items()
        },
        "reference_date": snapshot.reference_date.isoformat(),
    }


def _rows_of(name, content):
    if name.endswith(".csv"):
        return max(content.count(b"\n") - 1, 0)
    data = json.loads(content)
    return len(data) if isinstance(data, list) else 1


def build_campaign(snapshot, *, generated_at=None):
    """Return {file name: bytes} of one campaign's open data, manifest.json included."""
    generated_at = generated_at or timezone.now()
    scores_rows = export.export_rows(snapshot)
    as_csv, as_json = io.StringIO(), io.StringIO()
    export.write_csv(scores_rows, as_csv)
    export.write_json(scores_rows, as_json)
    files = {
        "scores.csv": as_csv.getvalue().encode("utf-8"),
        "scores.json": as_json.getvalue().encode("utf-8"),
        "sufficient_statistics.csv": _csv(SUFFICIENT_COLUMNS, sufficient_statistics(snapshot)),
        "subgroup_statistics.csv": _csv(SUBGROUP_COLUMNS, subgroup_statistics(snapshot)),
        "strata.csv": _csv(STRATA_COLUMNS, strata(snapshot)),
        "methodology.json": (
            json.dumps(methodology_document(snapshot), indent=2, ensure_ascii=False) + "\n"
        ).encode(),
    }
    campaign = snapshot.campaign
    manifest = {
        "campaign": campaign.slug,
        "title": campaign.title,
        "opens_on": campaign.opens_on.isoformat(),
        "closes_on": campaign.closes_on.isoformat(),
        "methodology_version": snapshot.methodology.version,
        "scores_computed_at": snapshot.computed_at.isoformat(),
        "generated_at": generated_at.isoformat(),
        "licence": LICENCE,
        "licence_url": LICENCE_URL,
        "files": [
            {
                "name": name,
                "description": DESCRIPTIONS[name],
                "bytes": len(content),
                "rows": _rows_of(name, content),
                "sha256": hashlib.sha256(content).hexdigest(),
            }
            for name, content in files.items()
        ],
    }
    files[MANIFEST] = (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    return files


def write_campaign(snapshot, root):
    """Write the campaign's folder `root/<campaign>/` atomically; return its path."""
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    slug = snapshot.campaign.slug
    target = root / slug
    token = secrets.token_hex(6)
    temporary = root / f".{slug}.tmp-{token}"
    temporary.mkdir()
    try:
        for name, content in build_campaign(snapshot).items():
            with open(temporary / name, "wb") as stream:
                stream.write(content)
                stream.flush()
                os.fsync(stream.fileno())
        if target.exists():
            old = root / f".{slug}.old-{token}"
            os.rename(target, old)
            os.rename(temporary, target)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.rename(temporary, target)
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise
    return target


def export_open_data(root, *, campaign=None):
    """Write the open data of every campaign with published scores (or of `campaign`); return the folders."""
    written = []
    for snapshot in published.campaign_snapshots():
        if campaign is None or snapshot.campaign.pk == campaign.pk:
            written.append(write_campaign(snapshot, root))
    return written


def read_manifest(root, slug):
    """Return the manifest of `root/<slug>/` as a dict, or None when the campaign has no open data."""
    path = Path(root) / slug / MANIFEST
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):  # missing, not a folder, a name too long for the file system, not JSON
        return None


def manifests(root):
    """Return the manifest of every published campaign folder under `root`, newest campaign first."""
    found = []
    for snapshot in published.campaign_snapshots():
        manifest = read_manifest(root, snapshot.campaign.slug)
        if manifest is not None:
            found.append(manifest)
    return found
