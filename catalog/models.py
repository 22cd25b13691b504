"""The curated catalog: what a learner can study, and the questions that choose it.

Database constraints mirror the YAML schema (catalog/document.py) so that neither the
admin nor the loader can store what the schema forbids.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse

SLUG_VALIDATOR = RegexValidator(
    r"^[a-z0-9]+(-[a-z0-9]+)*\Z",
    "Use lowercase letters and digits in words joined by single hyphens, like 'django-rest'.",
)


def slug_field() -> models.CharField:
    """A slug column with the schema's rule and length."""
    return models.CharField(max_length=64, unique=True, validators=[SLUG_VALIDATOR])


class CatalogVersion(models.Model):
    """One row whose number changes on every catalog edit, so pages and caches can tell."""

    number = models.PositiveBigIntegerField(default=1)
    changed_at = models.DateTimeField()
    # Each entry's digest as last loaded or exported (catalog/plan.py): what a load compares
    # with to tell edits made since (admin, shell) that it would overwrite.
    baseline = models.JSONField(null=True, blank=True, editable=False)

    def __str__(self) -> str:
        return f"catalog version {self.number}"


class CatalogChange(models.Model):
    """One applied change of the catalog as a whole (a load or an upload): when, who, what."""

    at = models.DateTimeField(db_index=True)
    version = models.PositiveBigIntegerField()
    user = models.ForeignKey(
        "auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source = models.CharField(max_length=300)  # "load_catalog fixtures/catalog.yaml", ...
    lines = models.JSONField(default=list)  # the plan's lines, as shown before applying
    counts = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = "catalog version"
        verbose_name_plural = "catalog history"

    def __str__(self) -> str:
        return f"catalog version {self.version}"


class Category(models.Model):
    """A kind of backend: website, API, scripts, cloud."""

    slug = slug_field()
    name = models.CharField(max_length=200)
    summary = models.TextField(max_length=5000)
    position = models.PositiveIntegerField(default=0, db_index=True)

    class Meta:
        ordering = ["position", "slug"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("catalog:category-detail", args=[self.slug])


class TechnologyKind(models.TextChoices):
    # Labels capitalized, as the admin's dropdowns and the browse pages show them.
    LANGUAGE = "language", "Language"
    FRAMEWORK = "framework", "Framework"
    LIBRARY = "library", "Library"
    STDLIB = "stdlib", "Standard library"
    TOOL = "tool", "Tool"
    PLATFORM = "platform", "Platform"
    SERVICE = "service", "Service"
    PRACTICE = "practice", "Practice"


class TechnologyLevel(models.TextChoices):
    BEGINNER = "beginner", "Beginner"
    INTERMEDIATE = "intermediate", "Intermediate"
    ADVANCED = "advanced", "Advanced"


class ResourceKind(models.TextChoices):
    DOCS = "docs", "Docs"
    TUTORIAL = "tutorial", "Tutorial"
    COURSE = "course", "Course"
    BOOK = "book", "Book"
    VIDEO = "video", "Video"
    ARTICLE = "article", "Article"


class Technology(models.Model):
    """Something a learner studies: a language, framework, library, tool or practice."""

    Kind = TechnologyKind
    Level = TechnologyLevel

    slug = slug_field()
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    level = models.CharField(max_length=20, choices=Level.choices)
    summary = models.TextField(max_length=5000)
    highlights = models.JSONField(default=list, blank=True)
    aliases = models.JSONField(
        default=list, blank=True, help_text="Other names a learner may search for."
    )
    checkpoints = models.JSONField(default=list, blank=True)
    effort_hours = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(1000)]
    )
    homepage = models.URLField(max_length=500, blank=True)
    # The last `check_links` of the homepage (not part of the catalog document).
    homepage_check = models.CharField(max_length=300, blank=True, default="", db_default="")
    homepage_checked_at = models.DateTimeField(null=True, blank=True)
    position = models.PositiveIntegerField(default=0, db_index=True)
    categories = models.ManyToManyField(
        Category, through="TechnologyCategory", related_name="technologies"
    )
    alternatives = models.ManyToManyField(
        "self", through="Alternative", symmetrical=False, related_name="alternative_of"
    )

    class Meta:
        ordering = ["position", "slug"]
        verbose_name_plural = "technologies"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(effort_hours__gte=1, effort_hours__lte=1000),
                name="technology_effort_hours_range",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=TechnologyKind.values),
                name="technology_kind_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(level__in=TechnologyLevel.values),
                name="technology_level_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("catalog:technology-detail", args=[self.slug])


class TechnologyCategory(models.Model):
    """A technology's place in a category; position keeps the file's order of categories."""

    technology = models.ForeignKey(Technology, on_delete=models.CASCADE)
    category = models.ForeignKey(Category, on_delete=models.CASCADE)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["technology", "category"], name="technology_category_unique"
            )
        ]
        verbose_name = "category"
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return f"{self.technology} in {self.category}"


class Prerequisite(models.Model):
    """`technology` needs `requires` first, optionally with a reason."""

    technology = models.ForeignKey(
        Technology, on_delete=models.CASCADE, related_name="prerequisite_links"
    )
    requires = models.ForeignKey(Technology, on_delete=models.CASCADE, related_name="unlocks_links")
    why = models.TextField(max_length=5000, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["technology", "requires"], name="prerequisite_unique"),
            models.CheckConstraint(
                condition=~models.Q(technology=models.F("requires")),
                name="prerequisite_not_self",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.requires} before {self.technology}"


class Alternative(models.Model):
    """`alternative` can be learned instead of `technology` ("or instead")."""

    technology = models.ForeignKey(
        Technology, on_delete=models.CASCADE, related_name="alternative_links"
    )
    alternative = models.ForeignKey(Technology, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["technology", "alternative"], name="alternative_unique"
            ),
            models.CheckConstraint(
                condition=~models.Q(technology=models.F("alternative")),
                name="alternative_not_self",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.alternative} instead of {self.technology}"


class Resource(models.Model):
    """A place to learn a technology: docs, a tutorial, a course…"""

    Kind = ResourceKind

    technology = models.ForeignKey(Technology, on_delete=models.CASCADE, related_name="resources")
    title = models.CharField(max_length=200)
    url = models.URLField(max_length=500)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    position = models.PositiveIntegerField(default=0)
    # The last `check_links` of the URL: "OK (200)", "HTTP 404", "timed out after 10 s", ...
    # (not part of the catalog document; the loader's plain INSERTs leave them to the defaults).
    last_check = models.CharField(max_length=300, blank=True, default="", db_default="")
    last_check_ok = models.BooleanField(null=True, blank=True)
    last_checked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=ResourceKind.values),
                name="resource_kind_valid",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Project(models.Model):
    """A practice project that joins a path once the learner has what it uses."""

    slug = slug_field()
    title = models.CharField(max_length=200)
    brief = models.TextField(max_length=5000)
    position = models.PositiveIntegerField(default=0, db_index=True)
    uses = models.ManyToManyField(Technology, through="ProjectUse", related_name="projects")

    class Meta:
        ordering = ["position", "slug"]

    def __str__(self) -> str:
        return self.title


class ProjectUse(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE)
    technology = models.ForeignKey(Technology, on_delete=models.CASCADE)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "technology"], name="project_use_unique")
        ]
        verbose_name = "technology used"
        verbose_name_plural = "technologies used"

    def __str__(self) -> str:
        return f"{self.project} uses {self.technology}"


class Question(models.Model):
    """One screen of the questionnaire."""

    class Kind(models.TextChoices):
        SINGLE = "single", "Single (exactly one choice)"
        MULTIPLE = "multiple", "Multiple (one or more)"

    slug = slug_field()
    prompt = models.CharField(max_length=200)
    help = models.TextField(max_length=5000, blank=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    position = models.PositiveIntegerField(default=0, db_index=True)
    show_if_question = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dependent_questions",
        help_text="Ask this question only when that earlier question got one of the choices below.",
    )
    show_if_choices = models.ManyToManyField(
        "Choice",
        blank=True,
        related_name="reveals",
        help_text="Choices of the question above that make this one visible.",
    )

    class Meta:
        ordering = ["position", "slug"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["single", "multiple"]), name="question_kind_valid"
            ),
            models.CheckConstraint(
                condition=~models.Q(show_if_question=models.F("id")),
                name="question_show_if_not_self",
            ),
        ]

    def __str__(self) -> str:
        return self.prompt

    def clean(self) -> None:
        if self.show_if_question_id is not None and self.show_if_question_id == self.pk:
            raise ValidationError({"show_if_question": "A question cannot depend on itself."})
        if self.show_if_question is not None and self.show_if_question.position >= self.position:
            raise ValidationError(
                {"show_if_question": "Only an earlier question (a lower position) can be named."}
            )


class Choice(models.Model):
    """An answer to a question, with what it recommends and what it implies is known."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    slug = models.CharField(max_length=64, validators=[SLUG_VALIDATOR])
    label = models.CharField(max_length=200)
    position = models.PositiveIntegerField(default=0)
    knows = models.ManyToManyField(
        Technology,
        blank=True,
        related_name="known_by_choices",
        help_text="Technologies this answer implies the learner already knows.",
    )

    class Meta:
        ordering = ["question__position", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["question", "slug"], name="choice_slug_unique")
        ]

    def __str__(self) -> str:
        return f"{self.question.slug}: {self.label}"


class Recommendation(models.Model):
    """Choosing `choice` argues for (weight > 0) or against (weight < 0) a technology."""

    choice = models.ForeignKey(Choice, on_delete=models.CASCADE, related_name="recommends")
    technology = models.ForeignKey(
        Technology, on_delete=models.CASCADE, related_name="recommendations"
    )
    weight = models.SmallIntegerField(validators=[MinValueValidator(-10), MaxValueValidator(10)])
    because = models.TextField(max_length=5000)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(weight__gte=-10, weight__lte=10) & ~models.Q(weight=0),
                name="recommendation_weight_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.choice} → {self.technology} ({self.weight:+d})"

    def clean(self) -> None:
        if self.weight == 0:
            raise ValidationError({"weight": "Use a weight from -10 to 10 other than 0."})
