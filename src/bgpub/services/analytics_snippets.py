"""Third-party analytics a project enabled as an integration, as the values builds put in its pages.

Plausible (`PLAUSIBLE`: `domain`, optional `src`), Google Analytics 4 (`GOOGLE_ANALYTICS`:
`measurement_id`), and with a `CUSTOM` integration whose config says `analytics=umami` (`website_id`,
`src`) or `analytics=goatcounter` (`code`, or `endpoint`). Values are checked before they can reach
a page (host names, ids, https URLs); a config that does not pass, or that no key here can open, is
left out. Removing or disabling the integration removes the snippet at the next build or publish.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urlsplit

from bgpub.db.enums import IntegrationType
from bgpub.db.models import Integration, Project
from bgpub.services import secrets

HOST = re.compile(r"[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+")
TOKEN = re.compile(r"[A-Za-z0-9_-]{1,64}")


def _https(url: object) -> str | None:
    if not isinstance(url, str):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if (
        parts.scheme != "https"
        or not parts.hostname
        or not HOST.fullmatch(parts.hostname)
        or any(c in url for c in "\"'<> \\")
    ):
        return None
    return url


def _snippet(kind: IntegrationType, config: dict[str, Any]) -> dict[str, str] | None:
    if kind == IntegrationType.PLAUSIBLE:
        domain = str(config.get("domain", "")).lower()
        src = _https(config.get("src", "https://plausible.io/js/script.js"))
        return (
            {"kind": "plausible", "domain": domain, "src": src}
            if HOST.fullmatch(domain) and src
            else None
        )
    if kind == IntegrationType.GOOGLE_ANALYTICS:
        measurement = str(config.get("measurement_id", ""))
        return (
            {"kind": "ga4", "id": measurement}
            if re.fullmatch(r"G-[A-Z0-9]{4,20}", measurement)
            else None
        )
    tool = str(config.get("analytics", "")).lower()
    if tool == "umami":
        website, src = str(config.get("website_id", "")), _https(config.get("src"))
        return (
            {"kind": "umami", "id": website, "src": src}
            if TOKEN.fullmatch(website) and src
            else None
        )
    if tool == "goatcounter":
        code = str(config.get("code", ""))
        endpoint = _https(config.get("endpoint", f"https://{code}.goatcounter.com/count"))
        return (
            {"kind": "goatcounter", "endpoint": endpoint}
            if endpoint and (TOKEN.fullmatch(code) or "endpoint" in config)
            else None
        )
    return None


def analytics_of(project: Project) -> list[dict[str, str]]:
    """The enabled analytics integrations' snippet values, by integration name."""
    found = []
    rows = (
        Integration.select()
        .where((Integration.project == project.id) & Integration.enabled)
        .order_by(Integration.name)
    )
    for row in rows:
        kind = IntegrationType(row.type)
        if kind not in (
            IntegrationType.PLAUSIBLE,
            IntegrationType.GOOGLE_ANALYTICS,
            IntegrationType.CUSTOM,
        ):
            continue
        plain = secrets.decrypt_or_none(row.config_encrypted)
        config = json.loads(plain) if plain else None
        snippet = _snippet(kind, config) if isinstance(config, dict) else None
        if snippet is not None:
            found.append(snippet)
    return found
