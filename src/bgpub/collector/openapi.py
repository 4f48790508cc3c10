"""The OpenAPI 3.0 document of `/api/v1` (written out: five resources do not need a generator)."""

from __future__ import annotations

ERROR = {
    "description": "refused",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
}


def _op(
    summary: str,
    scope: str,
    ok: dict[str, object],
    params: list[dict[str, object]] | None = None,
    extra: list[dict[str, object]] | None = None,
) -> dict[str, object]:
    return {
        "summary": summary,
        "description": f"Needs the `{scope}` scope.",
        "parameters": [
            {"$ref": "#/components/parameters/project"},
            *(extra or []),
            *(params or []),
        ],
        "security": [{"bearer": []}],
        "responses": {
            "200": {"description": "ok", "content": {"application/json": {"schema": ok}}},
            "400": ERROR,
            "401": ERROR,
            "403": ERROR,
            "404": ERROR,
        },
    }


def _query(name: str, schema: dict[str, object]) -> dict[str, object]:
    return {"name": name, "in": "query", "required": False, "schema": schema}


def _list(key: str, item: str) -> dict[str, object]:
    return {
        "type": "object",
        "required": [key],
        "properties": {key: {"type": "array", "items": {"$ref": f"#/components/schemas/{item}"}}},
    }


LIMIT = _query("limit", {"type": "integer", "minimum": 1, "maximum": 500})
COMMENT = {"name": "comment", "in": "path", "required": True, "schema": {"type": "string"}}
RANKED = {
    "type": "array",
    "items": {
        "type": "object",
        "properties": {
            "name": {"type": "string"},
            "views": {"type": "integer"},
            "visitors": {"type": "integer"},
        },
    },
}


def document() -> dict[str, object]:
    base = "/api/v1/projects/{project}"
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "bgpub collect API",
            "version": "1.0.0",
            "description": "Submissions, comments, stats and orders of a project; keys from "
            "`bgpub org key create`.",
        },
        "paths": {
            f"{base}/submissions": {
                "get": _op(
                    "Form submissions, newest first",
                    "read",
                    _list("submissions", "Submission"),
                    [_query("form", {"type": "string"}), LIMIT],
                )
            },
            f"{base}/comments": {
                "get": _op(
                    "Blog comments, newest first",
                    "read",
                    _list("comments", "Comment"),
                    [
                        _query(
                            "status", {"type": "string", "enum": ["PENDING", "APPROVED", "SPAM"]}
                        ),
                        LIMIT,
                    ],
                )
            },
            f"{base}/comments/{{comment}}/approve": {
                "post": _op(
                    "Approve a comment",
                    "write",
                    {"$ref": "#/components/schemas/Comment"},
                    extra=[COMMENT],
                )
            },
            f"{base}/comments/{{comment}}/spam": {
                "post": _op(
                    "Mark a comment as spam",
                    "write",
                    {"$ref": "#/components/schemas/Comment"},
                    extra=[COMMENT],
                )
            },
            f"{base}/comments/{{comment}}": {
                "delete": _op(
                    "Delete a comment",
                    "delete",
                    {"type": "object", "properties": {"deleted": {"type": "string"}}},
                    extra=[COMMENT],
                )
            },
            f"{base}/stats": {
                "get": _op(
                    "Visits, views and top tables",
                    "read",
                    {"$ref": "#/components/schemas/Stats"},
                    [_query("days", {"type": "integer", "minimum": 1, "maximum": 3660})],
                )
            },
            f"{base}/orders": {
                "get": _op("Orders, newest first", "read", _list("orders", "Order"), [LIMIT])
            },
        },
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "parameters": {
                "project": {
                    "name": "project",
                    "in": "path",
                    "required": True,
                    "description": "The project's id or name",
                    "schema": {"type": "string"},
                }
            },
            "schemas": {
                "Error": {
                    "type": "object",
                    "required": ["error"],
                    "properties": {"error": {"type": "string"}},
                },
                "Submission": {
                    "type": "object",
                    "properties": {
                        "id": {"type": "string"},
                        "form": {"type": "string"},
                        "page": {"type": "string", "nullable": True},
                        "data": {"type": "object", "additionalProperties": {"type": "string"}},
                        "created_at": {"type": "string"},
                        "handled_at": {"type": "string", "nullable": True},
                    },
                },
                "Comment": {
                    "type": "object",
                    "properties": {
                        "id": {"type": "string"},
                        "post": {"type": "string"},
                        "author_name": {"type": "string"},
                        "body": {"type": "string"},
                        "status": {"type": "string", "enum": ["PENDING", "APPROVED", "SPAM"]},
                        "created_at": {"type": "string"},
                    },
                },
                "Order": {
                    "type": "object",
                    "properties": {
                        "number": {"type": "integer"},
                        "status": {"type": "string"},
                        "total_cents": {"type": "integer"},
                        "currency": {"type": "string"},
                        "customer_name": {"type": "string"},
                        "created_at": {"type": "string"},
                    },
                },
                "Stats": {
                    "type": "object",
                    "properties": {
                        "project": {"type": "string"},
                        "days": {"type": "integer"},
                        "since": {"type": "string"},
                        "views": {"type": "integer"},
                        "visitors": {"type": "integer"},
                        "per_day": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "day": {"type": "string"},
                                    "visits": {"type": "integer"},
                                    "views": {"type": "integer"},
                                },
                            },
                        },
                        "pages": RANKED,
                        "referrers": RANKED,
                        "sources": RANKED,
                        "devices": RANKED,
                        "countries": RANKED,
                        "forms": {"type": "object", "additionalProperties": {"type": "integer"}},
                        "comments_pending": {"type": "integer"},
                    },
                },
            },
        },
    }
