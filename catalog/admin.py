"""Django admin for curators: every catalog model, with the schema's rules enforced."""

from __future__ import annotations

import difflib
from collections import defaultdict

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Case, Count, Prefetch, Q, QuerySet, Value, When
from django.forms.models import BaseInlineFormSet
from django.utils.html import format_html, format_html_join

from catalog.graph import would_close_cycle
from catalog.models import (
    Alternative,
    CatalogChange,
    CatalogVersion,
    Category,
    Choice,
    Prerequisite,
    Project,
    ProjectUse,
    Question,
    Recommendation,
    Resource,
    Technology,
    TechnologyCategory,
)
from catalog.search import words

admin.site.site_header = "Backend Path curation"
admin.site.site_title = "Backend Path admin"
admin.site.index_title = "Catalog and learners"


class LinesField(forms.CharField):
    """A list of short strings edited as one line each in a textarea."""

    widget = forms.Textarea(attrs={"rows": 4})

    def __init__(self, *, max_item_length: int = 300, **kwargs: object) -> None:
        self.max_item_length = max_item_length
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", "One per line.")
        super().__init__(**kwargs)

    def prepare_value(self, value: object) -> object:
        if isinstance(value, list):
            return "\n".join(str(item) for item in value)
        return value

    def to_python(self, value: object) -> list[str]:
        text = super().to_python(value) or ""
        items = [line.strip() for line in str(text).splitlines() if line.strip()]
        too_long = [item for item in items if len(item) > self.max_item_length]
        if too_long:
            raise ValidationError(
                f"Keep each line under {self.max_item_length} characters "
                f"(this one has {len(too_long[0])}: “{too_long[0][:40]}…”)."
            )
        return items


class TechnologyForm(forms.ModelForm):
    highlights = LinesField()
    aliases = LinesField(
        max_item_length=200,
        help_text="Other names a learner may search for (k8s, mock…) — one per line.",
    )
    checkpoints = LinesField(help_text="“Ready to move on when you can…” — one per line.")

    class Meta:
        model = Technology
        fields = [
            "name",
            "slug",
            "kind",
            "level",
            "effort_hours",
            "position",
            "summary",
            "highlights",
            "aliases",
            "checkpoints",
            "homepage",
        ]

    def clean_aliases(self) -> list[str]:
        """The rules of catalog/references.py: each alias found by a search, and no other
        technology's name, slug or alias (compared as the search compares them)."""
        aliases = self.cleaned_data["aliases"]
        taken: dict[str, str] = {}
        others = Technology.objects.exclude(pk=self.instance.pk).values_list(
            "name", "slug", "aliases"
        )
        for name, slug, their_aliases in others:
            for text in (name, slug, *(their_aliases or [])):
                taken.setdefault(words(text), name)
        seen: set[str] = set()
        for alias in aliases:
            folded = words(alias)
            if not folded:
                raise ValidationError(f"“{alias}” has no letter or digit, so no search finds it.")
            if folded in seen:
                raise ValidationError(f"“{alias}” is listed twice.")
            if folded in taken:
                raise ValidationError(f"“{alias}” is already a name of {taken[folded]}.")
            seen.add(folded)
        return aliases


def prerequisite_cycle_message(
    technology_id: int, requires_ids: list[int], *, existing: QuerySet[Prerequisite]
) -> str | None:
    """Why giving a technology these prerequisites is refused, or None when it is fine.

    The cycle is spelled with the technologies' names, as the curator sees them here.
    """
    slug_of: dict[int, str] = {}
    name_of: dict[str, str] = {}
    for pk, slug, name in Technology.objects.values_list("pk", "slug", "name"):
        slug_of[pk] = slug
        name_of[slug] = name
    edges: dict[str, list[str]] = defaultdict(list)
    for tech_id, required_id in existing.values_list("technology_id", "requires_id"):
        edges[slug_of[tech_id]].append(slug_of[required_id])
    cycle = would_close_cycle(edges, slug_of[technology_id], [slug_of[i] for i in requires_ids])
    if cycle is None:
        return None
    if len(cycle) == 2:
        return "A technology cannot be its own prerequisite."
    return "This would make the prerequisites go round in a circle: " + " → ".join(
        name_of[slug] for slug in cycle
    )


class PrerequisiteFormSet(BaseInlineFormSet):
    """Refuse a prerequisite that would close a cycle, and show the cycle."""

    def clean(self) -> None:
        super().clean()
        technology = self.instance
        requires_ids = [
            form.cleaned_data["requires"].pk
            for form in self.forms
            if form.cleaned_data
            and form.cleaned_data.get("requires")
            and not form.cleaned_data.get("DELETE")
        ]
        if not requires_ids:
            return
        if technology.pk is None:
            return  # a new technology has nothing that requires it yet
        message = prerequisite_cycle_message(
            technology.pk,
            requires_ids,
            existing=Prerequisite.objects.exclude(technology_id=technology.pk),
        )
        if message:
            raise ValidationError(message)


class TechnologyCategoryInline(admin.TabularInline):
    model = TechnologyCategory
    extra = 0
    min_num = 1
    autocomplete_fields = ["category"]
    fields = ["category", "position"]


class PrerequisiteInline(admin.TabularInline):
    model = Prerequisite
    fk_name = "technology"
    formset = PrerequisiteFormSet
    extra = 0
    autocomplete_fields = ["requires"]
    fields = ["requires", "why", "position"]
    verbose_name = "prerequisite (learn first)"
    verbose_name_plural = "prerequisites (learn first)"


class AlternativeInline(admin.TabularInline):
    model = Alternative
    fk_name = "technology"
    extra = 0
    autocomplete_fields = ["alternative"]
    fields = ["alternative", "position"]
    verbose_name = "alternative (or instead)"
    verbose_name_plural = "alternatives (or instead)"


class LinkCheckShown:
    @admin.display(description="last link check")
    def link_check(self, resource: Resource) -> str:
        """The last `check_links` result, in words (never by colour alone)."""
        if resource.last_checked_at is None:
            return "not checked yet"
        when = resource.last_checked_at.strftime("%Y-%m-%d %H:%M UTC")
        return f"{'OK' if resource.last_check_ok else 'FAILED'}: {resource.last_check} ({when})"


class ResourceInline(LinkCheckShown, admin.TabularInline):
    model = Resource
    extra = 0
    fields = ["title", "url", "kind", "position", "link_check"]
    readonly_fields = ["link_check"]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "technology_count", "position"]
    list_editable = ["position"]
    search_fields = ["name", "slug", "summary"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        # order_by again: the GROUP BY of the count drops Meta.ordering, and the category
        # picker (autocomplete) shows this queryset as it is.
        return (
            super()
            .get_queryset(request)
            .annotate(technology_total=Count("technologies"))
            .order_by(*Category._meta.ordering)
        )

    @admin.display(description="technologies", ordering="technology_total")
    def technology_count(self, category: Category) -> int:
        return category.technology_total


@admin.register(Technology)
class TechnologyAdmin(admin.ModelAdmin):
    form = TechnologyForm
    list_display = ["name", "slug", "kind", "level", "effort_hours", "position"]
    list_filter = ["kind", "level", "categories"]
    search_fields = ["name", "slug", "summary"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [TechnologyCategoryInline, PrerequisiteInline, AlternativeInline, ResourceInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "kind", "level", "effort_hours", "position"]}),
        (
            "What a learner reads",
            {"fields": ["summary", "highlights", "aliases", "checkpoints", "homepage"]},
        ),
        ("Link checks", {"fields": ["homepage_link_check"]}),
    ]
    readonly_fields = ["homepage_link_check"]

    @admin.display(description="last homepage check")
    def homepage_link_check(self, technology: Technology) -> str:
        if technology.homepage_checked_at is None:
            return "not checked yet"
        when = technology.homepage_checked_at.strftime("%Y-%m-%d %H:%M UTC")
        return f"{technology.homepage_check} ({when})"

    view_on_site = True

    def get_search_results(self, request, queryset, search_term):
        """Best matches first: the exact name or slug, then names that start with the term,
        then the rest in catalog order (the prerequisite and recommendation pickers use this)."""
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        term = search_term.strip()
        if term:
            queryset = queryset.order_by(
                Case(
                    When(Q(name__iexact=term) | Q(slug__iexact=term), then=Value(0)),
                    When(name__istartswith=term, then=Value(1)),
                    default=Value(2),
                ),
                "position",
                "slug",
            )
        return queryset, may_have_duplicates


class ProjectUseInline(admin.TabularInline):
    model = ProjectUse
    extra = 0
    min_num = 1
    autocomplete_fields = ["technology"]
    fields = ["technology", "position"]


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "position"]
    search_fields = ["title", "slug", "brief"]
    list_filter = ["uses__categories"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [ProjectUseInline]


RECOMMENDS_HELP = (
    "One per line: technology slug, weight (-10 to 10, not 0; negative argues against), "
    "reason. Like: web-framework 3 It has an admin built in."
)


class ChoiceInlineForm(forms.ModelForm):
    """A choice with what it recommends, edited on the question's page (one line each)."""

    recommends_text = forms.CharField(
        label="recommends",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=RECOMMENDS_HELP,
    )

    class Meta:
        model = Choice
        fields = ["slug", "label", "position"]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["recommends_text"].initial = "\n".join(
                f"{r.technology.slug} {r.weight} {r.because}"
                for r in self.instance.recommends.all()
            )
        self.recommendations: list[tuple[int, str, int, str]] = []

    def clean_recommends_text(self) -> str:
        text = self.cleaned_data.get("recommends_text") or ""
        if "recommends_text" not in self.changed_data:
            return text  # left as it was: saved as it was
        problems = []
        self.recommendations = []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            parts = line.split(maxsplit=2)
            if len(parts) < 3:
                problems.append(f"line {number}: write a technology slug, a weight and a reason")
                continue
            slug, weight_text, because = parts
            try:
                weight = int(weight_text)
            except ValueError:
                problems.append(
                    f"line {number}: the weight must be a whole number, got {weight_text!r}"
                )
                continue
            if not -10 <= weight <= 10 or weight == 0:
                problems.append(f"line {number}: use a weight from -10 to 10 other than 0")
                continue
            self.recommendations.append((number, slug, weight, because.strip()[:5000]))
        if problems:
            raise ValidationError(problems)
        return text


class ChoiceFormSet(BaseInlineFormSet):
    """Checks the technologies the choices recommend (one query), saves the recommendations."""

    def clean(self) -> None:
        super().clean()
        forms_with_lines = [
            form
            for form in self.forms
            if getattr(form, "cleaned_data", None) and getattr(form, "recommendations", None)
        ]
        slugs = {slug for form in forms_with_lines for _, slug, _, _ in form.recommendations}
        self.technology_ids = dict(
            Technology.objects.filter(slug__in=slugs).values_list("slug", "id")
        )
        unknown = slugs - set(self.technology_ids)
        if unknown:
            known = list(Technology.objects.values_list("slug", flat=True))
        for form in forms_with_lines:
            for number, slug, _, _ in form.recommendations:
                if slug in unknown:
                    close = difflib.get_close_matches(slug, known, n=1)
                    hint = f"; did you mean '{close[0]}'?" if close else ""
                    form.add_error(
                        "recommends_text", f"line {number}: no technology '{slug}'{hint}"
                    )

    def save(self, commit: bool = True) -> list:
        saved = super().save(commit)
        for form in self.forms:
            if (
                not getattr(form, "cleaned_data", None)
                or form.cleaned_data.get("DELETE")
                or "recommends_text" not in form.changed_data
                or form.instance.pk is None
            ):
                continue
            form.instance.recommends.all().delete()
            for position, (_, slug, weight, because) in enumerate(form.recommendations):
                Recommendation.objects.create(
                    choice=form.instance,
                    technology_id=self.technology_ids[slug],
                    weight=weight,
                    because=because,
                    position=position,
                )
        return saved


class ChoiceInline(admin.TabularInline):
    model = Choice
    form = ChoiceInlineForm
    formset = ChoiceFormSet
    extra = 0
    fields = ["slug", "label", "position", "recommends_text"]
    show_change_link = True  # what a choice implies is known is edited on its own page

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch(
                    "recommends",
                    queryset=Recommendation.objects.select_related("technology").order_by(
                        "position", "id"
                    ),
                )
            )
        )


class QuestionAdminForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = [
            "prompt",
            "slug",
            "help",
            "kind",
            "position",
            "show_if_question",
            "show_if_choices",
        ]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        # Only an earlier question can reveal this one: offer the choices of earlier questions,
        # never this question's own.
        field = self.fields.get("show_if_choices")
        if field is not None:
            choices = Choice.objects.select_related("question").order_by(
                "question__position", "question__slug", "position", "id"
            )
            if self.instance.pk is not None:
                choices = choices.filter(question__position__lt=self.instance.position).exclude(
                    question_id=self.instance.pk
                )
            field.queryset = choices

    def clean(self) -> dict:
        cleaned = super().clean()
        parent = cleaned.get("show_if_question")
        reveal = cleaned.get("show_if_choices")
        if parent is None and reveal:
            self.add_error("show_if_question", "Name the question whose choices reveal this one.")
        if parent is not None:
            if not reveal:
                self.add_error("show_if_choices", "Pick at least one choice of that question.")
            else:
                foreign = [c for c in reveal if c.question_id != parent.pk]
                if foreign:
                    self.add_error(
                        "show_if_choices",
                        "Only choices of the question above can reveal this one: "
                        + ", ".join(str(c) for c in foreign),
                    )
        return cleaned


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    form = QuestionAdminForm
    list_display = ["prompt", "slug", "kind", "show_if_question", "position"]
    list_filter = ["kind"]
    search_fields = ["prompt", "slug", "help"]
    prepopulated_fields = {"slug": ["prompt"]}
    inlines = [ChoiceInline]
    autocomplete_fields = ["show_if_question"]
    filter_horizontal = ["show_if_choices"]


class RecommendationInline(admin.TabularInline):
    model = Recommendation
    extra = 0
    autocomplete_fields = ["technology"]
    fields = ["technology", "weight", "because", "position"]


@admin.register(Choice)
class ChoiceAdmin(admin.ModelAdmin):
    list_display = ["label", "slug", "question", "position"]
    list_filter = ["question"]
    list_select_related = ["question"]
    search_fields = ["label", "slug", "question__prompt", "question__slug"]
    autocomplete_fields = ["knows"]
    inlines = [RecommendationInline]


@admin.register(Resource)
class ResourceAdmin(LinkCheckShown, admin.ModelAdmin):
    list_display = ["title", "kind", "technology", "url", "link_check"]
    list_filter = ["kind", "last_check_ok"]
    readonly_fields = ["link_check"]
    list_select_related = ["technology"]
    search_fields = ["title", "url", "technology__name"]
    autocomplete_fields = ["technology"]


@admin.register(Recommendation)
class RecommendationAdmin(admin.ModelAdmin):
    list_display = ["technology", "weight", "choice", "because"]
    list_filter = ["weight"]
    list_select_related = ["technology", "choice__question"]
    search_fields = ["because", "technology__name", "choice__label"]
    autocomplete_fields = ["technology", "choice"]


@admin.register(Prerequisite)
class PrerequisiteAdmin(admin.ModelAdmin):
    """Edges on their own, for a quick search; one that would close a cycle is refused here too."""

    list_display = ["technology", "requires", "why"]
    list_select_related = ["technology", "requires"]
    search_fields = ["technology__name", "requires__name", "why"]
    autocomplete_fields = ["technology", "requires"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)

        class CycleCheckedForm(form):
            def clean(self) -> dict:
                cleaned = super().clean()
                technology, requires = cleaned.get("technology"), cleaned.get("requires")
                if technology and requires:
                    existing = Prerequisite.objects.exclude(pk=self.instance.pk)
                    message = prerequisite_cycle_message(
                        technology.pk, [requires.pk], existing=existing
                    )
                    if message:
                        raise ValidationError(message)
                return cleaned

        return CycleCheckedForm


@admin.register(CatalogChange)
class CatalogChangeAdmin(admin.ModelAdmin):
    """The history of loads: when, who, from what, and the plan's own lines."""

    list_display = ["version", "at", "user", "source", "counts"]
    list_select_related = ["user"]
    fields = ["version", "at", "user", "source", "counts", "changes"]
    readonly_fields = fields

    @admin.display(description="changes")
    def changes(self, change: CatalogChange) -> str:
        return format_html(
            "<ul>{}</ul>",
            format_html_join("", "<li><code>{}</code></li>", ((line,) for line in change.lines)),
        )

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # a record: viewed, never edited

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(CatalogVersion)
class CatalogVersionAdmin(admin.ModelAdmin):
    list_display = ["number", "changed_at"]
    readonly_fields = ["number", "changed_at"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
