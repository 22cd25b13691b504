"""Admin-only catalog views: the YAML download, and an upload shown as a plan before it lands."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET, require_http_methods

from catalog.plan import baseline_of
from catalog.schema_errors import CatalogInvalid
from catalog.selectors import build_document
from catalog.services import CatalogConflict, PlanChanged, catalog_load, plan_load, record_baseline
from catalog.validation import parse_catalog
from catalog.yaml_reader import MAX_BYTES
from catalog.yaml_writer import dump_catalog

SESSION_KEY = "catalog_upload"


@require_GET
def catalog_export_yaml(request: HttpRequest) -> HttpResponse:
    """Download the current catalog as schema-version-1 YAML (what `export_catalog` writes).

    Like the command, it records the catalog as exported: a later load that would overwrite
    edits made after this download stops and names them.
    """
    document = build_document()
    response = HttpResponse(dump_catalog(document), content_type="application/yaml; charset=utf-8")
    record_baseline(baseline_of(document))
    response["Content-Disposition"] = 'attachment; filename="catalog.yaml"'
    response["Cache-Control"] = "no-store"
    return response


class UploadForm(forms.Form):
    file = forms.FileField(label="Catalog file (YAML)")
    prune = forms.BooleanField(
        required=False, label="Delete what the file no longer has (like --prune)"
    )


def _context(request: HttpRequest, **extra: object) -> dict:
    return {**admin.site.each_context(request), "title": "Load a catalog file", **extra}


@require_http_methods(["GET", "POST"])
def catalog_upload(request: HttpRequest) -> HttpResponse:
    """Upload a YAML file and see its plan (or its located errors); nothing is written here."""
    template = "admin/catalog_upload.html"
    if request.method == "GET":
        return TemplateResponse(request, template, _context(request, form=UploadForm()))
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return TemplateResponse(request, template, _context(request, form=form), status=400)
    upload = form.cleaned_data["file"]
    name = upload.name[:200]
    if upload.size > MAX_BYTES:
        errors = [f"{name}: the file is {upload.size:,} bytes; the limit is {MAX_BYTES:,} bytes"]
        return TemplateResponse(
            request, template, _context(request, form=form, errors=errors), status=400
        )
    source = upload.read(MAX_BYTES + 1)
    try:
        document = parse_catalog(source, filename=name)
    except CatalogInvalid as invalid:
        errors = [str(error) for error in invalid.errors]
        return TemplateResponse(
            request, template, _context(request, form=form, errors=errors), status=400
        )
    plan = plan_load(document, prune=form.cleaned_data["prune"])
    if plan.changed:
        request.session[SESSION_KEY] = {
            "name": name,
            "text": source.decode("utf-8"),
            "prune": plan.prune,
            "lines": plan.lines(),
        }
    return TemplateResponse(
        request, template, _context(request, form=UploadForm(), plan=plan, name=name)
    )


@require_http_methods(["POST"])
def catalog_upload_apply(request: HttpRequest) -> HttpResponse:
    """Apply the plan the curator was shown, or cancel it."""
    pending = request.session.pop(SESSION_KEY, None)
    if "cancel" in request.POST or pending is None:
        messages.info(request, "Nothing was changed.")
        return redirect("admin-catalog-upload")
    document = parse_catalog(pending["text"], filename=pending["name"])
    try:
        plan = catalog_load(
            document=document,
            prune=pending["prune"],
            force=request.POST.get("overwrite") == "yes",
            expected=pending["lines"],
            source=f"admin upload {pending['name']}",
            user=request.user,
        )
    except (CatalogConflict, PlanChanged) as stopped:
        request.session[SESSION_KEY] = {**pending, "lines": stopped.plan.lines()}
        reason = (
            "The catalog changed since this plan was made: here is the new one."
            if isinstance(stopped, PlanChanged)
            else "Nothing was changed: this would overwrite edits made since the last load "
            "or export. Tick the box to overwrite them, or export first to keep them."
        )
        return TemplateResponse(
            request,
            "admin/catalog_upload.html",
            _context(
                request, form=UploadForm(), plan=stopped.plan, name=pending["name"], stop=reason
            ),
            status=409,
        )
    messages.success(request, f"Loaded {pending['name']}: {len(plan.lines())} change(s).")
    return redirect("admin:catalog_catalogchange_changelist")


def _preview_plan(planner_catalog: object, answers: dict) -> object:
    from paths.planner import DEFAULT_HOURS_PER_WEEK, build_plan

    return build_plan(planner_catalog, answers, (), DEFAULT_HOURS_PER_WEEK)


@require_GET
def catalog_preview(request: HttpRequest) -> HttpResponse:
    """ "Try the questionnaire": pick answers, see the path they give and why each step is on it.

    With an uploaded file waiting to be applied, the path is shown before and after it too.
    Reads only; a GET form, so a curator can bookmark a set of answers.
    """
    from paths.catalog_cache import get_planner_catalog
    from paths.planner import catalog_from_document, visible_questions

    _, catalog = get_planner_catalog()
    answers = {
        question.slug: [
            slug for slug in request.GET.getlist(question.slug) if slug in question.choice_slugs
        ]
        for question in catalog.questions
    }
    answers = {slug: picked for slug, picked in answers.items() if picked}
    asked = bool(request.GET)
    context = {
        "title": "Try the questionnaire",
        "questions": [
            (
                question,
                [
                    (choice, choice.slug in answers.get(question.slug, ()))
                    for choice in question.choices
                ],
            )
            for question in catalog.questions
        ],
        "asked": asked,
    }
    if asked:
        context["visible"] = {question.slug for question in visible_questions(catalog, answers)}
        context["plan"] = _preview_plan(catalog, answers)
        pending = request.session.get(SESSION_KEY)
        if pending:
            try:
                after = catalog_from_document(
                    parse_catalog(pending["text"], filename=pending["name"])
                )
            except CatalogInvalid:
                after = None
            if after is not None:
                context["pending_name"] = pending["name"]
                context["after"] = _preview_plan(after, answers)
    return TemplateResponse(
        request, "admin/catalog_preview.html", {**admin.site.each_context(request), **context}
    )


@require_GET
def catalog_health(request: HttpRequest) -> HttpResponse:
    """Catalog health: `check_catalog --lint`'s findings, and what learners pick and skip."""
    from catalog.health import KINDS, lint, usage
    from catalog.selectors import catalog_document

    _, document = catalog_document()
    findings = lint(document)
    groups = [
        (heading, [finding.text for finding in findings if finding.kind == kind])
        for kind, heading in KINDS.items()
    ]
    return TemplateResponse(
        request,
        "admin/catalog_health.html",
        {
            **admin.site.each_context(request),
            "title": "Catalog health",
            "groups": groups,
            "usage": usage(document),
        },
    )
