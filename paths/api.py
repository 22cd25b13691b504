"""The JSON API (DESIGN.md): the catalog in the YAML's shape, and plans.

Stateless and CSRF-exempt. Every invalid input is a 400 with an "errors" mapping (413 for a
body over the 1 MB limit); nothing here can answer 500 for what a client sends.
"""

from __future__ import annotations

import hashlib
import json

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.request import RawPostDataException
from django.utils.http import parse_etags
from django.views.decorators.csrf import csrf_exempt

from catalog.page_cache import typed_answer
from catalog.selectors import catalog_document
from catalog.versioning import current_version
from catalog.yaml_writer import canonical
from paths.api_json import plan_to_api, validate_answers
from paths.catalog_cache import get_catalog_bundle
from paths.planner import DEFAULT_HOURS_PER_WEEK, build_plan

FIELDS = ("answers", "known", "goals", "hours_per_week")
MAX_UNKNOWN_FIELDS = 20


def _errors(errors: dict[str, list[str]], *, status: int = 400) -> JsonResponse:
    return JsonResponse({"errors": errors}, status=status)


def _method_not_allowed(allowed: list[str]) -> JsonResponse:
    response = _errors({"__all__": [f"Use {' or '.join(allowed)}."]}, status=405)
    response["Allow"] = ", ".join(allowed)
    return response


def catalog_json() -> tuple[str, bytes]:
    """An ETag and the catalog as JSON in the YAML's canonical shape, cached per version.

    The shape comes from the YAML writer itself (empty optional keys left out, a
    prerequisite without a reason as a bare slug), so the API and an export always agree.
    """
    version, changed_at = current_version()
    stamp = changed_at.timestamp() if changed_at else 0
    etag = f'"catalog-{version}-{stamp:.6f}"'
    key = f"paths:api-catalog:{etag}"
    body = cache.get(key)
    if body is None:
        document_version, document = catalog_document()
        body = json.dumps(canonical(document), ensure_ascii=False, separators=(",", ":")).encode()
        if document_version == version:
            cache.set(key, body, timeout=24 * 3600)
    return etag, body


@csrf_exempt
def catalog(request: HttpRequest) -> HttpResponse:
    """GET /api/catalog: the whole catalog, schema version 1."""
    if request.method not in ("GET", "HEAD"):
        return _method_not_allowed(["GET", "HEAD"])
    etag, body = catalog_json()
    if_none_match = parse_etags(request.headers.get("If-None-Match", ""))
    if etag in if_none_match or "*" in if_none_match:
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(body, content_type="application/json")
    response["ETag"] = etag
    response["Cache-Control"] = "no-cache"
    return response


@csrf_exempt
def plan(request: HttpRequest) -> HttpResponse:
    """POST /api/plan: a plan for answers, known technologies, goals and hours per week."""
    if request.method != "POST":
        return _method_not_allowed(["POST"])
    try:
        body = request.body
    except RequestDataTooBig:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)
        return _errors({"__all__": [f"The request body is larger than {limit} MB."]}, status=413)
    except RawPostDataException:  # a form body, already parsed by a middleware: not JSON
        return _errors({"__all__": ["The request body must be JSON (UTF-8)."]})
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        return _errors({"__all__": ["The request body must be JSON (UTF-8)."]})
    if not isinstance(data, dict):
        return _errors(
            {"__all__": ["The request body must be a JSON object with " + _field_list() + "."]}
        )

    errors: dict[str, list[str]] = {}
    unknown = [key for key in data if key not in FIELDS]
    for key in unknown[:MAX_UNKNOWN_FIELDS]:
        errors[key] = [f"Unknown field; expected {_field_list()}."]
    if len(unknown) > MAX_UNKNOWN_FIELDS:
        errors["__all__"] = [f"And {len(unknown) - MAX_UNKNOWN_FIELDS} more unknown fields."]
    answers = data.get("answers", {})
    known = data.get("known", [])
    goals = data.get("goals", [])
    hours_per_week = data.get("hours_per_week", DEFAULT_HOURS_PER_WEEK)
    bundle = get_catalog_bundle()
    planner_catalog = bundle.planner
    errors |= validate_answers(planner_catalog, answers, known, hours_per_week, goals)
    if "answers" not in data:
        errors["answers"] = [
            "This field is required: an object mapping question slugs to lists of choice slugs."
        ]
    if errors:
        return _errors(errors)

    def make() -> JsonResponse:
        plan = build_plan(planner_catalog, answers, known, hours_per_week, goals)
        return JsonResponse(plan_to_api(plan))

    # The same body on the same catalog is the same plan: kept by the body (catalog.page_cache)
    # for as long as this process plans on this very catalog bundle.
    digest = hashlib.blake2b(body, digest_size=16).hexdigest()
    response = typed_answer(f"api-plan|{digest}", bundle.serial, make)
    response["Cache-Control"] = "no-store"
    return response


def _field_list() -> str:
    return ", ".join(FIELDS[:-1]) + " and " + FIELDS[-1]
