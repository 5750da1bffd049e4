"""Logos for the demo's invented vendors and tools: a coloured tile with the name's initials.

Drawn with Pillow (which Wagtail's images need anyway) and stored as Wagtail images, as an editor's
upload would be, so the pages show them through the same renditions. Nothing here is any real brand.
"""

import hashlib
import io
import re
from pathlib import Path

from django.core.files.images import ImageFile
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont
from wagtail.images import get_image_model

from .models import Product, Vendor

SIZE = 192
# Okabe-Ito's darker colours: white initials on them keep a contrast above 4.5:1.
TILES = ("#0B5C8E", "#8A3B12", "#1D6B3A", "#6B2E6B", "#1B2330", "#7A4A00", "#005F6B")
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")


def initials(name):
    """Return the one or two letters a tile shows: the first letters of the first two words."""
    words = [w for w in re.split(r"[\s\-']+", name) if w and w[0].isalnum()]
    letters = "".join(w[0] for w in words[:2]) or name[:1]
    return letters.upper()


def _font(size):
    if FONT.exists():
        return ImageFont.truetype(str(FONT), size)
    return ImageFont.load_default(size=size)


def draw_logo(name, key):
    """Return the PNG bytes of the tile for `name`; `key` (a slug) picks its colour, always the same one."""
    colour = TILES[int(hashlib.sha256(key.encode()).hexdigest(), 16) % len(TILES)]
    tile = PILImage.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    draw = ImageDraw.Draw(tile)
    draw.rounded_rectangle((0, 0, SIZE - 1, SIZE - 1), radius=SIZE // 6, fill=colour)
    text = initials(name)
    font = _font(SIZE // 2 if len(text) == 1 else int(SIZE * 0.42))
    draw.text((SIZE / 2, SIZE / 2), text, font=font, fill="#FFFFFF", anchor="mm")
    out = io.BytesIO()
    tile.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _logo_image(name, slug):
    image_model = get_image_model()
    image = image_model(title=f"Logo {name}")
    image.file = ImageFile(io.BytesIO(draw_logo(name, slug)), name=f"logo-{slug}.png")
    image.save()
    return image


def seed_logos():
    """Give every vendor and product of the demo without a logo its tile; return how many were drawn."""
    drawn = 0
    for model in (Vendor, Product):
        for item in model.objects.filter(logo__isnull=True).order_by("pk"):
            model.objects.filter(pk=item.pk).update(logo=_logo_image(item.name, item.slug))
            drawn += 1
    return drawn
