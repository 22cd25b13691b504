"""Site URLs. DESIGN.md fixes the public paths."""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from accounts.forms import ThrottledAdminAuthenticationForm
from advisor import views
from catalog.admin_views import (
    catalog_export_yaml,
    catalog_health,
    catalog_preview,
    catalog_upload,
    catalog_upload_apply,
)

admin.site.login_form = ThrottledAdminAuthenticationForm

handler400 = "advisor.views.bad_request"
handler404 = "advisor.views.page_not_found"
handler500 = "advisor.views.server_error"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("accounts/", include("accounts.urls")),
    path("", include("catalog.urls")),
    path("", include("paths.urls")),
    path(
        settings.ADMIN_URL + "catalog/export.yaml",
        admin.site.admin_view(catalog_export_yaml),
        name="admin-catalog-export",
    ),
    path(
        settings.ADMIN_URL + "catalog/upload/",
        admin.site.admin_view(catalog_upload),
        name="admin-catalog-upload",
    ),
    path(
        settings.ADMIN_URL + "catalog/upload/apply/",
        admin.site.admin_view(catalog_upload_apply),
        name="admin-catalog-upload-apply",
    ),
    path(
        settings.ADMIN_URL + "catalog/preview/",
        admin.site.admin_view(catalog_preview),
        name="admin-catalog-preview",
    ),
    path(
        settings.ADMIN_URL + "catalog/health/",
        admin.site.admin_view(catalog_health),
        name="admin-catalog-health",
    ),
    path(settings.ADMIN_URL, admin.site.urls),
]
