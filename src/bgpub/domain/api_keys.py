"""Who an API request is, once its key was checked: plain values the collector caches."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ApiPrincipal:
    """A checked API key: its organization, scopes and, if restricted, its one project."""

    key_id: str
    prefix: str
    organization_id: str
    scopes: frozenset[str]
    project_id: str | None  # the key's only project, if restricted
