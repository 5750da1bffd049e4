"""The platform's roles, as Django groups, and the model permissions each one holds."""

# Model permissions per role, as "app_label.codename". Editors' page and collection permissions
# are granted on the page tree by `cms/permissions.py` (Wagtail keeps them per page and collection).
ROLE_PERMISSIONS = {
    "doctor": [],
    "moderator": [
        "wagtailadmin.access_admin",
        # Moderators also verify the doctors the directory could not match.
        "surveys.view_doctor",
        "surveys.change_doctor",
        # …and publish or refuse the vendors' replies.
        "ratings.view_vendorreply",
        "ratings.change_vendorreply",
        "surveys.view_response",
        "surveys.change_response",
        "surveys.view_responseflag",
        "surveys.change_responseflag",
        "surveys.view_moderationevent",
    ],
    "editor": [
        "wagtailadmin.access_admin",
        "ratings.add_product",
        "ratings.change_product",
        "ratings.view_product",
        "ratings.add_vendor",
        "ratings.change_vendor",
        "ratings.view_vendor",
        "ratings.add_category",
        "ratings.change_category",
        "ratings.view_category",
        "ratings.view_facet",
        # The facets' names and questions, in French and English (their weights are the analysts').
        "ratings.change_facet",
        "ratings.view_methodology",
        # The contact form's messages (read only).
        "cms.view_contactmessage",
        "wagtailimages.add_image",
        "wagtailimages.change_image",
        "wagtailimages.choose_image",
        "wagtaildocs.add_document",
        "wagtaildocs.change_document",
        "wagtaildocs.choose_document",
    ],
    "analyst": [
        "wagtailadmin.access_admin",
        "ratings.view_product",
        "ratings.view_vendor",
        "ratings.view_category",
        "ratings.view_facet",
        "ratings.add_methodology",
        "ratings.change_methodology",
        "ratings.view_methodology",
        "surveys.add_campaign",
        "surveys.change_campaign",
        "surveys.view_campaign",
        "surveys.view_response",
        "surveys.view_responseflag",
        "analytics.view_productscore",
    ],
    "vendor": [],
}

ROLES = tuple(ROLE_PERMISSIONS)
