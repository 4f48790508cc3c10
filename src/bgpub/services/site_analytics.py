"""The site's analytics as one setting (Plausible's domain or a Google Analytics 4 measurement ID),
stored as the project's `site-analytics` integration so builds put the snippet in every page
(services/analytics_snippets.py). Other analytics integrations added with `bgpub integration` are
listed, never changed here."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from bgpub.db.connection import database
from bgpub.db.enums import IntegrationType
from bgpub.db.models import Integration, Project, User
from bgpub.errors import InvalidInput
from bgpub.services import audit, secrets
from bgpub.services.analytics_snippets import HOST
from bgpub.services.lookup import find_project
from bgpub.services.permissions import Action, require

NAME = "site-analytics"
# kind -> (integration type, config key, the rule, an example for messages)
KINDS: dict[str, tuple[IntegrationType, str, re.Pattern[str], str]] = {
    "plausible": (IntegrationType.PLAUSIBLE, "domain", HOST, "www.example.com"),
    "ga4": (
        IntegrationType.GOOGLE_ANALYTICS,
        "measurement_id",
        re.compile(r"G-[A-Z0-9]{4,20}"),
        "G-ABC123XYZ9",
    ),
}
ANALYTICS_TYPES = (
    IntegrationType.PLAUSIBLE,
    IntegrationType.GOOGLE_ANALYTICS,
    IntegrationType.CUSTOM,
)


@dataclass(frozen=True)
class SiteAnalytics:
    """`kind` is '' (none), 'plausible' or 'ga4'; `value` the domain or measurement ID; `others`
    names the project's other analytics integrations (kept as they are)."""

    kind: str = ""
    value: str = ""
    others: tuple[str, ...] = ()


def check_analytics(
    kind: str, value: str, where: str
) -> tuple[IntegrationType, dict[str, str]] | None:
    """The integration to store for (kind, value); None for no analytics; InvalidInput naming the field."""
    kind = (kind or "").strip().lower()
    if kind in ("", "none"):
        return None
    if kind not in KINDS:
        raise InvalidInput(
            f"unknown analytics {kind!r}; use one of none, {', '.join(KINDS)}",
            where=where,
            field="analytics",
        )
    type_, key, rule, example = KINDS[kind]
    value = (value or "").strip()
    if kind == "plausible":
        value = value.lower()
    if not rule.fullmatch(value):
        raise InvalidInput(
            f"{key} {value!r} is not valid for {kind} (e.g. {example})", where=where, field=key
        )
    return type_, {key: value}


def site_analytics(actor: User, project: str | Project) -> SiteAnalytics:
    """The analytics setting as the settings form shows it (the values are public: pages carry them)."""
    project = find_project(actor, project)
    require(actor, project.organization, Action.READ)
    rows = list(
        Integration.select()
        .where((Integration.project == project) & Integration.type.in_(ANALYTICS_TYPES))
        .order_by(Integration.name)
    )
    others = tuple(r.name for r in rows if r.name != NAME)
    own = next((r for r in rows if r.name == NAME), None)
    if own is None:
        return SiteAnalytics(others=others)
    plain = secrets.decrypt_or_none(own.config_encrypted)
    config = json.loads(plain) if plain else {}
    for kind, (type_, key, _, _) in KINDS.items():
        if IntegrationType(own.type) == type_:
            return SiteAnalytics(kind, str(config.get(key, "")), others)
    return SiteAnalytics(others=others)


def set_site_analytics(
    actor: User, project: str | Project, kind: str, value: str = ""
) -> SiteAnalytics:
    """Replaces the site's analytics (ADMIN: it is an integration); kind '' removes it."""
    project = find_project(actor, project)
    require(actor, project.organization, Action.MANAGE_INTEGRATIONS)
    wanted = check_analytics(kind, value, f"project {project.name}, settings, analytics")
    current = site_analytics(actor, project)
    if (current.kind, current.value) == (
        (kind or "").strip().lower() if wanted else "",
        next(iter(wanted[1].values())) if wanted else "",
    ):
        return current
    with database.atomic():
        Integration.delete().where(
            (Integration.project == project) & (Integration.name == NAME)
        ).execute()
        row_id = ""
        if wanted is not None:
            token = secrets.encrypt(json.dumps(wanted[1], sort_keys=True))
            row_id = Integration.create(
                project=project, type=wanted[0], name=NAME, config_encrypted=token
            ).id
        audit.record(
            actor,
            project.organization,
            "integration.site_analytics",
            "integration",
            row_id,
            {"project": project.name, "kind": (kind or "").strip().lower() if wanted else "none"},
        )
    return site_analytics(actor, project)
