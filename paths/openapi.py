"""`GET /api/openapi.json`: an OpenAPI 3.1 document of the JSON API (DESIGN.md, "JSON API").

Written by hand from the same constants the catalog's models and the planner use (kinds,
levels, slug rule, hours per week), so the enums cannot drift. tests/paths/test_openapi.py
validates it with openapi-spec-validator and runs schemathesis against it: every real answer
conforms to it, and none is a 500.
"""

from __future__ import annotations

import json
from functools import cache

from django.http import HttpRequest, HttpResponse

from catalog.document import (
    ITEM_MAX_LENGTH,
    KINDS,
    LEVELS,
    NAME_MAX_LENGTH,
    QUESTION_KINDS,
    RESOURCE_KINDS,
    SLUG_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    URL_MAX_LENGTH,
)
from paths.planner import DEFAULT_HOURS_PER_WEEK, HOURS_PER_WEEK_MAX, HOURS_PER_WEEK_MIN

SLUG = {
    "type": "string",
    "pattern": r"^[a-z0-9]+(-[a-z0-9]+)*$",
    "maxLength": SLUG_MAX_LENGTH,
    "examples": ["django"],
}
SLUG_REF = {"type": "string", "minLength": 1, "description": "The slug of something else."}
NAME = {"type": "string", "minLength": 1, "maxLength": NAME_MAX_LENGTH}
TEXT = {"type": "string", "minLength": 1, "maxLength": TEXT_MAX_LENGTH}
ITEMS = {"type": "array", "items": {"type": "string", "minLength": 1, "maxLength": ITEM_MAX_LENGTH}}
URL = {"type": "string", "pattern": "^https?://", "maxLength": URL_MAX_LENGTH}


def _object(properties: dict, required: list[str], description: str = "") -> dict:
    schema = {
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }
    return {"description": description, **schema} if description else schema


def _slugs(minimum: int = 0) -> dict:
    return {"type": "array", "items": SLUG_REF, **({"minItems": minimum} if minimum else {})}


SCHEMAS: dict[str, dict] = {
    "Catalog": _object(
        {
            "version": {"const": 1},
            "categories": {"type": "array", "items": {"$ref": "#/components/schemas/Category"}},
            "technologies": {
                "type": "array",
                "items": {"$ref": "#/components/schemas/Technology"},
            },
            "projects": {"type": "array", "items": {"$ref": "#/components/schemas/Project"}},
            "questions": {"type": "array", "items": {"$ref": "#/components/schemas/Question"}},
        },
        ["version", "categories", "technologies"],
        "The catalog in the YAML's shape (docs/catalog.md); empty optional keys are left out.",
    ),
    "Category": _object({"slug": SLUG, "name": NAME, "summary": TEXT}, ["slug", "name", "summary"]),
    "Technology": _object(
        {
            "slug": SLUG,
            "name": NAME,
            "kind": {"enum": list(KINDS)},
            "level": {"enum": list(LEVELS)},
            "categories": _slugs(1),
            "summary": TEXT,
            "highlights": ITEMS,
            "aliases": ITEMS,
            "checkpoints": ITEMS,
            "effort_hours": {"type": "integer", "minimum": 1, "maximum": 1000},
            "prerequisites": {
                "type": "array",
                "items": {
                    "oneOf": [
                        SLUG_REF,
                        _object(
                            {"technology": SLUG_REF, "why": {"type": "string"}},
                            ["technology", "why"],
                        ),
                    ]
                },
                "description": "A slug, or a mapping when the order has a reason.",
            },
            "alternatives": _slugs(),
            "homepage": URL,
            "resources": {
                "type": "array",
                "items": _object(
                    {"title": NAME, "url": URL, "kind": {"enum": list(RESOURCE_KINDS)}},
                    ["title", "url", "kind"],
                ),
            },
        },
        ["slug", "name", "kind", "level", "categories", "summary", "effort_hours"],
    ),
    "Project": _object(
        {"slug": SLUG, "title": NAME, "brief": TEXT, "uses": _slugs(1)},
        ["slug", "title", "brief", "uses"],
    ),
    "Question": _object(
        {
            "slug": SLUG,
            "prompt": NAME,
            "help": {"type": "string"},
            "kind": {"enum": list(QUESTION_KINDS)},
            "show_if": _object({"question": SLUG_REF, "any_of": _slugs(1)}, ["question", "any_of"]),
            "choices": {
                "type": "array",
                "minItems": 1,
                "items": _object(
                    {
                        "slug": SLUG,
                        "label": NAME,
                        "recommends": {
                            "type": "array",
                            "items": _object(
                                {
                                    "technology": SLUG_REF,
                                    "weight": {
                                        "type": "integer",
                                        "minimum": -10,
                                        "maximum": 10,
                                        "not": {"const": 0},
                                    },
                                    "because": TEXT,
                                },
                                ["technology", "weight", "because"],
                            ),
                        },
                        "knows": _slugs(),
                    },
                    ["slug", "label"],
                ),
            },
        },
        ["slug", "prompt", "kind", "choices"],
    ),
    "PlanRequest": _object(
        {
            "answers": {
                "type": "object",
                "additionalProperties": {"type": "array", "items": {"type": "string"}},
                "description": "Question slug to the chosen choice slugs (exactly one for a "
                "single question). Every visible question needs an answer.",
                "examples": [{"goal": ["website"]}],
            },
            "known": {
                "type": "array",
                "items": {"type": "string"},
                "default": [],
                "description": "Technologies the learner already knows: left out of the path.",
            },
            "goals": {
                "type": "array",
                "items": {"type": "string"},
                "default": [],
                "description": "Technologies to reach whatever the answers say; their "
                "prerequisites come with them.",
            },
            "hours_per_week": {
                "type": "integer",
                "minimum": HOURS_PER_WEEK_MIN,
                "maximum": HOURS_PER_WEEK_MAX,
                "default": DEFAULT_HOURS_PER_WEEK,
            },
        },
        ["answers"],
    ),
    "Plan": _object(
        {
            "steps": {
                "type": "array",
                "items": _object(
                    {
                        "technology": SLUG,
                        "name": NAME,
                        "reasons": {"type": "array", "items": {"type": "string"}},
                        "effort_hours": {"type": "integer", "minimum": 1},
                        "prerequisites": {
                            "type": "array",
                            "items": SLUG,
                            "description": "Its direct prerequisites that are on the path.",
                        },
                    },
                    ["technology", "name", "reasons", "effort_hours", "prerequisites"],
                ),
            },
            "projects": {
                "type": "array",
                "items": _object(
                    {"project": SLUG, "title": NAME, "after": SLUG},
                    ["project", "title", "after"],
                ),
            },
            "considered": {
                "type": "array",
                "items": _object(
                    {
                        "technology": SLUG,
                        "reasons": {"type": "array", "items": {"type": "string"}},
                    },
                    ["technology", "reasons"],
                ),
            },
            "total_hours": {"type": "integer", "minimum": 0},
            "weeks": {"type": "integer", "minimum": 0},
        },
        ["steps", "projects", "considered", "total_hours", "weeks"],
        "Steps in study order, each after its prerequisites.",
    ),
    "Errors": _object(
        {
            "errors": {
                "type": "object",
                "additionalProperties": {
                    "type": "array",
                    "items": {"type": "string"},
                    "minItems": 1,
                },
                "minProperties": 1,
                "description": 'Messages by request field; "__all__" for the request as a whole.',
            }
        },
        ["errors"],
        "What was wrong with the request.",
    ),
}


def _json(schema: str, description: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
    }


@cache
def openapi_document() -> dict:
    """The OpenAPI 3.1 document (the same for every request: it does not depend on data)."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Backend Path API",
            "version": "1",
            "description": "The catalog, and study plans for a Python backend developer. "
            "Stateless, no authentication, CSRF-exempt; nothing is saved. See docs/api.md.",
        },
        "paths": {
            "/api/catalog": {
                "get": {
                    "operationId": "getCatalog",
                    "summary": "The whole catalog, schema version 1",
                    "parameters": [
                        {
                            "name": "If-None-Match",
                            "in": "header",
                            "required": False,
                            "schema": {"type": "string"},
                            "description": "An ETag from an earlier answer: 304 while the "
                            "catalog is unchanged.",
                        }
                    ],
                    "responses": {
                        "200": {
                            **_json("Catalog", "The catalog."),
                            "headers": {"ETag": {"schema": {"type": "string"}}},
                        },
                        "304": {"description": "Unchanged since the ETag sent."},
                        "405": _json("Errors", "Any method but GET or HEAD."),
                    },
                }
            },
            "/api/plan": {
                "post": {
                    "operationId": "postPlan",
                    "summary": "Plan a path for answers, known technologies, goals and hours",
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/PlanRequest"}
                            }
                        },
                    },
                    "responses": {
                        "200": _json("Plan", "The plan."),
                        "400": _json(
                            "Errors",
                            "Invalid input: not JSON, an unknown field, question, choice, "
                            "known or goal slug, two choices for a single question, a visible "
                            "question unanswered, hours outside "
                            f"{HOURS_PER_WEEK_MIN}..{HOURS_PER_WEEK_MAX}.",
                        ),
                        "405": _json("Errors", "Any method but POST."),
                        "413": _json("Errors", "A body over the size limit (1 MB)."),
                    },
                }
            },
        },
        "components": {"schemas": SCHEMAS},
    }


def openapi_view(request: HttpRequest) -> HttpResponse:
    """GET /api/openapi.json."""
    if request.method not in ("GET", "HEAD"):
        response = HttpResponse(
            json.dumps({"errors": {"__all__": ["Use GET or HEAD."]}}),
            status=405,
            content_type="application/json",
        )
        response["Allow"] = "GET, HEAD"
        return response
    response = HttpResponse(
        json.dumps(openapi_document(), indent=1), content_type="application/json"
    )
    response["Cache-Control"] = "public, max-age=3600"
    return response
