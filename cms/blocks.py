"""StreamField blocks shared by every page body."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageBlock


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("text"))
    level = blocks.ChoiceBlock(
        choices=[("h2", "H2"), ("h3", "H3"), ("h4", "H4")], default="h2", label=_("level")
    )

    class Meta:
        icon = "title"
        template = "cms/blocks/heading.html"
        preview_value = {"text": "Ce que disent les médecins", "level": "h2"}


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(label=_("quote"))
    attribution = blocks.CharBlock(required=False, label=_("attribution"))

    class Meta:
        icon = "openquote"
        template = "cms/blocks/quote.html"
        preview_value = {
            "quote": "Un outil fiable, mais le support tarde à répondre.",
            "attribution": "Un généraliste",
        }


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        choices=[("info", _("information")), ("warning", _("warning"))], default="info", label=_("kind")
    )
    text = blocks.RichTextBlock(features=["bold", "italic", "link"], label=_("text"))

    class Meta:
        icon = "warning"
        template = "cms/blocks/callout.html"
        preview_value = {
            "kind": "info",
            "text": "<p>Les notes sont recalculées à la clôture de chaque campagne.</p>",
        }


class BodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        features=["bold", "italic", "link", "ol", "ul", "h3"],
        icon="pilcrow",
        template="cms/blocks/paragraph.html",
        preview_value="<p>Les téléconsultations se développent dans les cabinets libéraux.</p>",
    )
    image = ImageBlock(template="cms/blocks/image.html")
    quote = QuoteBlock()
    callout = CalloutBlock()

    class Meta:
        template = "cms/blocks/body.html"
