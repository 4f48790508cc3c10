"""Reading what a browser posts: urlencoded, multipart without files, or JSON; bounded in size."""

from __future__ import annotations

import json
from dataclasses import dataclass
from urllib.parse import parse_qsl

from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException
from starlette.requests import Request

from bgpub.errors import InvalidInput

OWN_PREFIX = "_bgpub_"  # the fields the collector itself reads; never stored


class BodyTooLarge(Exception):
    pass


@dataclass(frozen=True)
class Posted:
    fields: dict[str, object]  # the visitor's fields
    own: dict[str, str]  # _bgpub_* fields: stamp, honeypot, elapsed, page, thanks
    as_json: bool  # the client asked for JSON (fetch), not a page (a plain form post)


def wants_json(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    content_type = request.headers.get("content-type", "")
    return "application/json" in accept or (
        content_type.startswith("application/json") and "text/html" not in accept
    )


async def read_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise BodyTooLarge()
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge()
        chunks.append(chunk)
    return b"".join(chunks)


async def read_posted(request: Request, limit: int, where: str) -> Posted:
    """The posted fields; InvalidInput for a body that is not one of the three forms, or has files."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    as_json = wants_json(request)
    if content_type == "multipart/form-data":
        # bounded read; Starlette's parser then reads the body cached on the request (its `_body`)
        request._body = await read_body(request, limit)
        try:
            form = await request.form(max_files=0, max_fields=60, max_part_size=limit)
        except (
            MultiPartException,
            HTTPException,
        ) as exc:  # Starlette raises the latter for its limits
            detail = getattr(exc, "message", None) or getattr(exc, "detail", "")
            raise InvalidInput(
                f"unreadable multipart body ({detail}); files are not accepted", where=where
            ) from exc
        items = list(form.multi_items())
        if any(isinstance(v, UploadFile) for _, v in items):
            raise InvalidInput("files are not accepted", where=where)
        pairs = [(k, str(v)) for k, v in items]
    else:
        body = await read_body(request, limit)
        if content_type == "application/json":
            try:
                data = json.loads(body or b"{}")
            except ValueError as exc:
                raise InvalidInput("the body is not JSON", where=where) from exc
            if not isinstance(data, dict):
                raise InvalidInput("the JSON body must be an object of fields", where=where)
            pairs = list(data.items())
        elif content_type in ("application/x-www-form-urlencoded", "text/plain", ""):
            try:
                pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True, max_num_fields=60)
            except (UnicodeDecodeError, ValueError) as exc:
                raise InvalidInput(
                    "the form body is not UTF-8 urlencoded fields", where=where
                ) from exc
        else:
            raise InvalidInput(
                f"unsupported content type {content_type!r}: send a form or JSON", where=where
            )
    fields: dict[str, object] = {}
    own: dict[str, str] = {}
    for name, value in pairs:
        if not isinstance(name, str):
            continue
        if name.startswith(OWN_PREFIX):
            own[name[len(OWN_PREFIX) :]] = value if isinstance(value, str) else str(value)
        elif name in fields:  # a repeated field (checkboxes) keeps every value
            fields[name] = f"{fields[name]}, {value}"
        else:
            fields[name] = value
    return Posted(fields, own, as_json)
