"""Admin for saved paths and progress: mostly for looking, since learners write them."""

from __future__ import annotations

from django.contrib import admin

from paths.models import Learner, LearningPath, Progress


@admin.register(Learner)
class LearnerAdmin(admin.ModelAdmin):
    list_display = ["id", "user", "created"]
    readonly_fields = ["id", "created"]
    raw_id_fields = ["user"]


@admin.register(LearningPath)
class LearningPathAdmin(admin.ModelAdmin):
    list_display = ["name", "token", "hours_per_week", "catalog_version", "created"]
    list_filter = ["created"]
    search_fields = ["name", "token"]
    readonly_fields = ["token", "catalog_version", "created", "updated"]
    raw_id_fields = ["learner"]


@admin.register(Progress)
class ProgressAdmin(admin.ModelAdmin):
    list_display = ["learner", "technology_slug", "status", "updated"]
    list_filter = ["status"]
    search_fields = ["technology_slug"]
    raw_id_fields = ["learner"]
