"""Charts carry no mode bar: no focusable buttons inside hidden content, no "share" to an outside host."""

import io

import pytest
from django.core.management import call_command

from ratings.models import FACET_SLUGS
from tests.analytics import builders

pytestmark = pytest.mark.django_db


def test_the_product_pages_chart_has_no_mode_bar(client):
    product = builders.catalogue(1, vendor="agendoc", category="agenda")[0]
    builders.answer(builders.doctors(30), product, builders.campaign(), dict.fromkeys(FACET_SLUGS, 4))
    call_command("recompute_scores", stdout=io.StringIO())
    page = client.get(product.get_absolute_url()).content.decode()
    assert "Plotly.newPlot" in page
    assert '"displayModeBar": false' in page
    assert "modeBarButtonsToRemove" not in page and "sendDataToCloud" not in page
