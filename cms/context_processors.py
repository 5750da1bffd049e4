def vendor_access(request):
    """Tell the layout whether to link to the vendor reports."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"has_vendor_reports": False}
    return {"has_vendor_reports": user.is_staff or user.vendor_memberships.exists()}
