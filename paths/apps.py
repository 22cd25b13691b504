from __future__ import annotations

from django.apps import AppConfig


class PathsConfig(AppConfig):
    """The learner's journey: questionnaire, planner, saved paths, progress, API."""

    name = "paths"
    verbose_name = "Learning paths"

    def ready(self) -> None:
        from paths import marks

        marks.connect_signals()
