"""Read the current score snapshot for the public pages (they never compute anything)."""

from analytics.models import FacetScore, ProductScore, ScoreSnapshot, VendorScore


def current_snapshot():
    return ScoreSnapshot.objects.current()


def product_scores(snapshot, products=None):
    """Return {product id: ProductScore} of `snapshot`, limited to `products` when given."""
    if snapshot is None:
        return {}
    rows = ProductScore.objects.filter(snapshot=snapshot)
    if products is not None:
        rows = rows.filter(product__in=products)
    return {row.product_id: row for row in rows}


def facet_scores(snapshot, product_ids):
    """Return {product id: [FacetScore, …]} in facet order."""
    from ratings.models import FACET_SLUGS

    result = {pid: [] for pid in product_ids}
    if snapshot is None:
        return result
    rows = FacetScore.objects.filter(snapshot=snapshot, product_id__in=product_ids)
    order = {slug: i for i, slug in enumerate(FACET_SLUGS)}
    for row in sorted(rows, key=lambda r: (r.product_id, order.get(r.facet, 99))):
        result[row.product_id].append(row)
    return result


def vendor_score(snapshot, vendor):
    if snapshot is None:
        return None
    return VendorScore.objects.filter(snapshot=snapshot, vendor=vendor).first()
