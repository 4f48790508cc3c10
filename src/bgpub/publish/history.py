"""How a version records its snapshot: site-wide fields inline, each page as a content-addressed blob.

A 10,000-page snapshot is megabytes of JSON; stored whole in every version it would cost time and
space in proportion to the site on every publish. Pages are stored once each in the blob store (by
the sha256 of their canonical JSON) and a version lists `[slug, hash]` in navigation order, so a
publish stores only the pages that changed and `bgpub diff` compares pages by hash.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from bgpub.errors import InvalidInput
from bgpub.publish.manifest import digest
from bgpub.snapshot import PageSnapshot, ProjectSnapshot

RECORD = "pages-by-hash-1"


def plain(value: Any) -> Any:
    """Dataclasses and tuples as dicts and lists, sharing the (already plain) props dicts; no deep copy."""
    fields = getattr(value, "__dataclass_fields__", None)
    if fields is not None:
        return {name: plain(getattr(value, name)) for name in fields}
    if isinstance(value, (tuple, list)):
        return [plain(v) for v in value]
    return value


def page_bytes(page: PageSnapshot) -> bytes:
    return json.dumps(
        plain(page), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    ).encode()


def page_hash(page: PageSnapshot) -> tuple[str, bytes]:
    data = page_bytes(page)
    return digest(data), data


def snapshot_record(snapshot: ProjectSnapshot, page_hashes: Iterable[str]) -> dict[str, Any]:
    site = {
        name: plain(getattr(snapshot, name))
        for name in snapshot.__dataclass_fields__
        if name != "pages"
    }
    pages = [[page.slug, sha] for page, sha in zip(snapshot.pages, page_hashes, strict=True)]
    return {"record": RECORD, "site": site, "pages": pages}


def record_page_hashes(record: Mapping[str, Any] | None) -> dict[str, str]:
    return {slug: sha for slug, sha in (record or {}).get("pages", [])}


def record_hashes(record: Mapping[str, Any] | None) -> set[str]:
    """Every blob a version's snapshot record needs (its pages)."""
    return set(record_page_hashes(record).values())


def restore_snapshot(
    record: Mapping[str, Any], fetch: Callable[[Iterable[str]], Mapping[str, bytes]]
) -> ProjectSnapshot:
    """The full snapshot a version recorded, pages read back from the blob store."""
    if record.get("record") != RECORD:
        raise InvalidInput(
            f"unknown snapshot record {record.get('record')!r}", where="version snapshot"
        )
    pages = record_page_hashes(record)
    data = fetch(set(pages.values()))
    full = dict(record["site"])
    full["pages"] = [json.loads(data[sha]) for _, sha in record["pages"]]
    return ProjectSnapshot.from_dict(full, where="version snapshot")
