from __future__ import annotations

from django.urls import path

from catalog import views

app_name = "catalog"

urlpatterns = [
    path("catalog/", views.catalog_index, name="catalog-index"),
    path("catalog/<slug:slug>/", views.category_detail, name="category-detail"),
    path("technologies/<slug:slug>/", views.technology_detail, name="technology-detail"),
    path("search/", views.search, name="search"),
]
