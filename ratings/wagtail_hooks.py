"""The catalogue in the Wagtail admin: one snippet viewset per model, grouped under one menu."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.log_actions import log
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import EditView, SnippetViewSet, SnippetViewSetGroup

from .admin_delete import ProtectedDeleteView
from .admin_panels import CommitmentsPanel
from .filters import ProductAdminFilterSet, VendorAdminFilterSet
from .models import Category, Facet, Methodology, Product, Vendor, VendorReply
from .services import ReplyRefused, publish_vendor_reply, refuse_vendor_reply, save_methodology_edit
from .translation import translated_panels


class CatalogueViewSet(SnippetViewSet):
    delete_view_class = ProtectedDeleteView
    # The ORM's icontains search: the catalogue is small, and the SQLite full-text backend cannot
    # restrict a query to the listed fields.
    search_backend_name = None


class CategoryViewSet(CatalogueViewSet):
    model = Category
    icon = "folder-open-inverse"
    list_display = ["name", "slug", "sort_order", "updated_at"]
    list_filter = ["updated_at"]
    search_fields = ["name"]
    panels = [
        *translated_panels("name"),
        FieldPanel("slug"),
        *translated_panels("description"),
        FieldPanel("sort_order"),
    ]


class VendorViewSet(CatalogueViewSet):
    model = Vendor
    icon = "group"
    list_display = ["name", "slug", "website"]
    filterset_class = VendorAdminFilterSet
    search_fields = ["name"]
    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("website"),
        FieldPanel("email_domains"),
        FieldPanel("description"),
        FieldPanel("logo"),
    ]


class ProductViewSet(CatalogueViewSet):
    model = Product
    icon = "tablet-alt"
    list_display = ["name", "vendor", "category", "pricing_model", "is_listed", "updated_at"]
    list_export = ["name", "slug", "vendor", "category", "pricing_model", "price", "billing_unit"]
    filterset_class = ProductAdminFilterSet
    search_fields = ["name", "description"]
    ordering = ["name"]
    edit_handler = TabbedInterface(
        [
            ObjectList(
                [
                    FieldPanel("name"),
                    FieldPanel("slug"),
                    FieldRowPanel([FieldPanel("vendor"), FieldPanel("category")]),
                    FieldPanel("description"),
                    FieldPanel("website"),
                    FieldPanel("logo"),
                    FieldPanel("is_listed"),
                ],
                heading=_("Product"),
            ),
            ObjectList(
                [
                    FieldRowPanel(
                        [FieldPanel("pricing_model"), FieldPanel("price"), FieldPanel("billing_unit")]
                    ),
                    MultiFieldPanel(
                        [
                            FieldRowPanel(
                                [
                                    FieldPanel("channel_video"),
                                    FieldPanel("channel_phone"),
                                    FieldPanel("channel_chat"),
                                    FieldPanel("channel_messaging"),
                                ]
                            ),
                            FieldRowPanel(
                                [
                                    FieldPanel("available_24_7"),
                                    FieldPanel("guaranteed_response_minutes"),
                                    FieldPanel("specialties_count"),
                                ]
                            ),
                        ],
                        heading=_("Service"),
                    ),
                ],
                heading=_("Pricing and service"),
            ),
            ObjectList(
                [
                    FieldPanel("certified_hds"),
                    FieldPanel("certified_segur"),
                    FieldPanel("approved_teleconsultation"),
                    FieldPanel("hosted_in_eu"),
                    FieldPanel("practitioners_registered"),
                    FieldPanel("interop_dmp"),
                    FieldPanel("interop_mssante"),
                    FieldPanel("interop_standard_export"),
                ],
                heading=_("Labels and interoperability"),
            ),
        ]
    )


class FacetViewSet(CatalogueViewSet):
    model = Facet
    icon = "list-ul"
    list_display = ["name", "slug", "sort_order"]
    search_fields = ["name"]
    panels = [
        FieldPanel("slug", read_only=True),
        *translated_panels("name"),
        *translated_panels("question"),
        *translated_panels("description"),
    ]


class MethodologyEditView(EditView):
    """Saving a version that scores were computed with creates a new version instead of editing it."""

    locked_version = None

    def save_instance(self):
        edited = self.form.save(commit=False)
        saved = save_methodology_edit(edited=edited)
        if saved.pk != edited.pk:
            self.locked_version = edited.version
        log(
            instance=saved,
            action="wagtail.create" if self.locked_version else "wagtail.edit",
            user=self.request.user,
            content_changed=self.form.has_changed(),
        )
        return saved

    def get_success_message(self):
        if self.locked_version is None:
            return super().get_success_message()
        return _("Version %(old)s was used for scores: your changes were saved as version %(new)s.") % {
            "old": self.locked_version,
            "new": self.object.version,
        }


class MethodologyViewSet(CatalogueViewSet):
    model = Methodology
    icon = "calculator"
    list_display = ["__str__", "alpha", "min_respondents", "limited_respondents", "locked_at", "created_at"]
    list_filter = ["locked_at", "created_at"]
    search_fields = ["notes"]
    edit_view_class = MethodologyEditView


class VendorReplyPermissionPolicy(ModelPermissionPolicy):
    """Vendors write their replies from their space: in the admin, replies are decided, never added."""

    def user_has_permission(self, user, action):
        if action in ("add", "copy"):
            return False
        return super().user_has_permission(user, action)


# Registered before the viewset asks for VendorReply's policy (Wagtail falls back to a plain one otherwise).
register_permission_policy(VendorReply, VendorReplyPermissionPolicy(VendorReply))


class VendorReplyEditView(EditView):
    """A moderator publishes or refuses a version through the services; its text stays the vendor's."""

    def save_instance(self):
        chosen = self.form.cleaned_data["status"]
        if chosen == self.form.initial["status"]:
            return VendorReply.objects.get(pk=self.object.pk)
        if chosen == VendorReply.Status.PUBLISHED:
            return publish_vendor_reply(reply=self.object, by=self.request.user)
        if chosen == VendorReply.Status.REFUSED:
            return refuse_vendor_reply(
                reply=self.object, reason=self.form.cleaned_data["refusal_reason"], by=self.request.user
            )
        raise ReplyRefused(_("A moderator publishes or refuses a version, nothing else."))

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ReplyRefused as refusal:
            form.add_error("status", refusal.message)
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)


class VendorReplyViewSet(CatalogueViewSet):
    model = VendorReply
    icon = "openquote"
    menu_label = _("Vendor replies")
    list_display = ["product", "status", "updated_at", "published_at"]
    list_filter = ["status"]
    search_fields = ["text"]
    edit_view_class = VendorReplyEditView
    panels = [
        FieldPanel("product", read_only=True),
        FieldPanel("text", read_only=True),
        CommitmentsPanel(),
        FieldPanel("status"),
        FieldPanel("refusal_reason"),
    ]


class CatalogueGroup(SnippetViewSetGroup):
    menu_label = _("Catalogue")
    menu_icon = "folder-open-inverse"
    menu_order = 200
    items = (
        ProductViewSet,
        VendorViewSet,
        CategoryViewSet,
        FacetViewSet,
        MethodologyViewSet,
        VendorReplyViewSet,
    )


register_snippet(CatalogueGroup)
