"""The site's pages in the Wagtail admin: the analysts' vendor reports, the reviews sent to vendors."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from analytics.admin_views import can_read_scores

from . import admin_reports
from .models import ContactMessage, ExpertReviewPage, ReviewSubmission
from .views import review_drafts


class AnalystMenuItem(MenuItem):
    def is_shown(self, request):
        return can_read_scores(request.user)


@hooks.register("register_admin_urls")
def register_report_urls():
    return [path("reports/", include(admin_reports, namespace="cms_reports"))]


@hooks.register("register_admin_menu_item")
def register_reports_menu():
    return AnalystMenuItem(_("Vendor reports"), reverse("cms_reports:index"), icon_name="doc-full", order=265)


# Expert reviews before publication (NF X50-005): send a draft to the vendor, follow the answers, and
# refuse to publish a review before the vendor answered or the deadline passed.


class ReviewDraftsMenuItem(MenuItem):
    def is_shown(self, request):
        return review_drafts.may_follow_submissions(request.user)


@hooks.register("register_admin_urls")
def register_review_draft_urls():
    return [path("review-drafts/", include((review_drafts.admin_urlpatterns, "cms_review_drafts")))]


@hooks.register("register_admin_menu_item")
def register_review_drafts_menu():
    return ReviewDraftsMenuItem(
        _("Reviews sent to vendors"), reverse("cms_review_drafts:index"), icon_name="mail", order=266
    )


@hooks.register("register_page_header_buttons")
def send_to_vendor_button(page, user, view_name, next_url=None):
    if isinstance(page.specific_deferred, ExpertReviewPage) and not page.live:
        if page.permissions_for_user(user).can_publish():
            yield PageMenuItem(
                _("Send to the vendor"),
                reverse("cms_review_drafts:send", args=[page.pk]),
                icon_name="mail",
                priority=25,
                page=page,
            )


def refuse_publication(request, page):
    """Return a redirect to the editor with the reason a review may not be published yet, or None."""
    refusal = ReviewSubmission.objects.publication_refusal(page)
    if refusal is None:
        return None
    if page.live and page.live_revision_id is None:
        # The create view adds the page live before publishing it: it stays a draft.
        ExpertReviewPage.objects.filter(pk=page.pk).update(live=False)
    messages.error(request, refusal)
    return redirect("wagtailadmin_pages:edit", page.pk)


@hooks.register("before_publish_page")
def refuse_early_review_publication(request, page):
    if isinstance(page.specific_deferred, ExpertReviewPage):
        return refuse_publication(request, page)
    return None


@hooks.register("before_bulk_action")
def refuse_early_review_bulk_publication(request, action_type, objects, action_class_instance):
    if action_type != "publish":
        return None
    pages = list(objects)
    for page in pages:
        pages.extend(page.get_descendants().not_live().type(ExpertReviewPage))
    for page in pages:
        if isinstance(page.specific_deferred, ExpertReviewPage):
            refusal = ReviewSubmission.objects.publication_refusal(page)
            if refusal:
                messages.error(request, f"{page.title}: {refusal}")
                return redirect("wagtailadmin_explore", page.get_parent().pk)
    return None


class ContactMessageViewSet(SnippetViewSet):
    """The contact form's messages, for the staff who answer them (read only: a message is as it came)."""

    model = ContactMessage
    icon = "mail"
    menu_label = _("Contact messages")
    add_to_admin_menu = True
    menu_order = 290
    inspect_view_enabled = True
    list_display = ["subject", "name", "email", "language", "created_at"]
    list_filter = ["language", "created_at"]
    search_fields = ["subject", "name", "email", "message"]
    search_backend_name = None
    panels = [FieldPanel("name", read_only=True), FieldPanel("email", read_only=True),
              FieldPanel("subject", read_only=True), FieldPanel("message", read_only=True)]  # fmt: skip


register_snippet(ContactMessageViewSet)
