"""The badge a vendor may embed: a product's published global score with its interval, n, campaign and status.

It never shows a number without a published score ("not enough responses yet" instead), and it says
"limited data" when the score is limited, as the product page does. The SVG carries its text as a
<title> and <desc>, and links to the product page.
"""

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

SITE_NAME = "Observatoire des logiciels médicaux"
# Average advance of a character of the badge's font at 1 px font size (Verdana/DejaVu Sans are ~0.6).
CHAR_WIDTH = 0.57
PADDING = 10
HEADLINE_SIZE, LINE_SIZE = 15, 11
BAND_HEIGHT = 26
# Status → (band colour, readable on white text); dark enough for a 4.5:1 contrast.
COLOURS = {"ok": "#1d4e89", "limited": "#8a4b00", "expert": "#1d4e89", "none": "#5b5b5b"}


@dataclass(frozen=True)
class Badge:
    product_name: str
    headline: str  # "Global score 3.82 / 5" or "Not enough responses yet"
    details: list  # the lines under it: interval · n, then campaign · status
    colour: str
    url: str

    @property
    def text(self):
        """The badge as one sentence: its <title>/<desc> and the embed code's alt text."""
        return " · ".join([f"{self.product_name} — {self.headline}", *self.details, SITE_NAME])

    def _lines(self):
        # (text, font size, bold, colour): the product, the figures, and whose figures they are.
        return [
            (self.product_name, LINE_SIZE, True, "#1a1a1a"),
            *((line, LINE_SIZE, False, "#1a1a1a") for line in self.details),
            (SITE_NAME, LINE_SIZE, False, "#444444"),
        ]

    @property
    def rows(self):
        """The lines under the headline band, each with its baseline `y`."""
        return [
            {"text": text, "size": size, "bold": bold, "fill": fill, "y": BAND_HEIGHT + 16 * (i + 1)}
            for i, (text, size, bold, fill) in enumerate(self._lines())
        ]

    @property
    def width(self):
        sizes = [(self.headline, HEADLINE_SIZE), *((text, size) for text, size, _, _ in self._lines())]
        return round(max(len(text) * size * CHAR_WIDTH for text, size in sizes)) + 2 * PADDING

    @property
    def height(self):
        return BAND_HEIGHT + 16 * len(self._lines()) + 8


def _score(value):
    return number_format(round(value, 2), decimal_pos=2)


def build_badge(product, figures, snapshot, url):
    """Return the Badge of `product` from its read-API `figures` (None when it has no published score)."""
    if figures is None or snapshot is None or not figures.is_shown:
        details = [snapshot.campaign.title] if snapshot is not None else []
        return Badge(product.name, _("Not enough responses yet"), details, COLOURS["none"], url)
    headline = _("Global score %(score)s / 5") % {"score": _score(figures.display_score)}
    interval = _("95%% interval %(low)s–%(high)s") % {
        "low": _score(figures.display_ci_low),
        "high": _score(figures.display_ci_high),
    }
    n = figures.n_respondents or 0
    doctors = ngettext("%(n)s doctor", "%(n)s doctors", n) % {"n": n}
    if figures.expert_only:
        status, colour = _("expert review only"), COLOURS["expert"]
    elif figures.is_limited:
        status, colour = _("limited data"), COLOURS["limited"]
    else:
        status, colour = _("ranked"), COLOURS["ok"]
    details = [f"{interval} · {doctors}", f"{snapshot.campaign.title} · {status}"]
    return Badge(product.name, headline, details, colour, url)


def render_badge(badge):
    """Return the SVG document of `badge`."""
    return render_to_string("cms/discovery/badge.svg", {"badge": badge, "site_name": SITE_NAME})
