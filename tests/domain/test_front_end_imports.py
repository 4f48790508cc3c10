"""A static guard for issue 11: no public function of `bgpub.services` names a database model in its
return annotation, so front ends can only be handed domain values. The row helpers services still
share are listed in PENDING, each with its reason; the list may only shrink (a listed function that
stops returning a row must leave it, an unlisted one that starts must not appear). Likewise the value
classes front ends still import from services are PENDING_VIEWS, which may only shrink."""

from __future__ import annotations

import ast
from pathlib import Path

import bgpub
from bgpub.db.models import MODELS

ROOT = Path(bgpub.__file__).parent
SERVICES = ROOT / "services"
FRONT_ENDS = ("cli", "tui", "preview", "collector")
MODEL_NAMES = frozenset({model.__name__ for model in MODELS} | {"BaseModel"})
MODELS_MODULES = ("bgpub.db.models", "bgpub.db")

# module.function -> why it still returns a row. Front ends call none of them (checked below).
PENDING: dict[str, str] = {
    "actors.database_login_user": "the acting user behind a database login (Workspace.actor)",
    "actors.resolve_actor": "the acting user: Workspace.actor is a row every service takes",
    "api_keys.verify_api_key": "api_access.verify_bearer maps the key to an ApiPrincipal",
    "assets.get_asset": "row helper for asset files; front ends call show_asset/list_assets",
    "assets.stored_asset": "row helper for renditions and asset bytes",
    "blocks.replace_blocks": "row helper of page_copies/link_updates/page_templates; editor: save_blocks",
    "catalogue.product_row": "row helper of the shop services",
    "importing.create_from_starter": "row helper of projects.new_project, which maps it",
    "library.upsert_library_row": "the library sync's write step",
    "lookup.find_organization": "the row lookup every service starts from",
    "lookup.find_page": "the row lookup every service starts from",
    "lookup.find_project": "the row lookup every service starts from",
    "lookup.member_organizations": "the row lookup every service starts from",
    "lookup.project_row": "the row lookup of the API's services (the key was checked)",
    "page_copies.duplicate_page": "row helper; the editor calls copy_page",
    "pages.add_page": "row helper of other services; front ends call create_page",
    "pages.get_page": "row helper of other services; front ends call show_page/load_page",
    "pages.list_pages": "row helper of other services; front ends call list_page_details",
    "project_access.project_for": "row helper of the access checks",
    "projects.create_project": "row helper of services and set-ups; front ends call new_project",
    "projects.get_project": "row helper of services; front ends call show_project",
    "projects.resolve_new": "row helper of create_project (organization and name)",
    "publishing.deployable_version": "row helper of rollback and promotion",
    "revisions.save_page": "the write step of every page edit",
    "scheduling.due_projects": "query of run_due",
    "section_rows.section_rows": "row helper of the sections services",
    "targets.choose_targets": "row helper of publishing",
    "targets.get_target": "row helper of publishing; front ends call show_target",
    "targets.project_targets": "row helper of publishing; front ends call list_targets",
    "taxonomy.category_row": "row helper of the blog services",
    "taxonomy.tag_rows": "row helper of the blog services",
    "users.find_or_create_user": "row helper of members (invitations)",
    "users.find_user": "row helper of members and personal data",
    "versions.get_version": "row helper of version files, rollback and promotion",
    "webhooks.add_webhook": "row helper; deliveries and tests use the row; the CLI calls new_webhook",
    "webhooks.deliver": "a delivery attempt recorded for publishing",
    "webhooks.notify": "delivery attempts recorded for publishing",
}


def _model_names(tree: ast.Module) -> tuple[dict[str, str], set[str]]:
    """Local names bound to models ({local: model}) and local names bound to a models module."""
    models: dict[str, str] = {}
    modules: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                local = alias.asname or alias.name
                if node.module.startswith("bgpub.db.models") and alias.name in MODEL_NAMES:
                    models[local] = alias.name
                elif f"{node.module}.{alias.name}" == "bgpub.db.models":
                    modules.add(local)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("bgpub.db.models"):
                    modules.add(alias.asname or alias.name)
    return models, modules


def _names_a_model(annotation: ast.expr, models: dict[str, str], modules: set[str]) -> bool:
    for node in ast.walk(annotation):
        if isinstance(node, ast.Name) and node.id in models:
            return True
        if isinstance(node, ast.Attribute) and node.attr in MODEL_NAMES:
            if ast.unparse(node.value) in modules:
                return True
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            try:
                quoted = ast.parse(node.value, mode="eval").body
            except SyntaxError:
                continue
            if _names_a_model(quoted, models, modules):
                return True
    return False


def rows_returned(source: str, module: str) -> set[str]:
    """`module.function` for each public top-level function whose return annotation names a model."""
    tree = ast.parse(source)
    models, modules = _model_names(tree)
    return {
        f"{module}.{node.name}"
        for node in tree.body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and not node.name.startswith("_")
        and node.returns is not None
        and _names_a_model(node.returns, models, modules)
    }


def service_rows() -> set[str]:
    found: set[str] = set()
    for path in sorted(SERVICES.glob("*.py")):
        found |= rows_returned(path.read_text(encoding="utf-8"), path.stem)
    return found


def test_no_public_service_returns_a_row_except_the_pending_ones():
    found = service_rows()
    new = sorted(found - set(PENDING))
    assert not new, f"these services return rows: return domain values (db/mapping.py): {new}"
    gone = sorted(set(PENDING) - found)
    assert not gone, f"these return domain values now: take them off PENDING: {gone}"
    assert all(reason.strip() for reason in PENDING.values())


def test_the_guard_sees_a_row_in_every_spelling():
    source = (
        "from bgpub.db.models import AuditLog, Page as PageRow\n"
        "from bgpub.db import models\n"
        "from bgpub.domain.tenants import Organization\n"
        "import bgpub.domain.tenants as tenants\n"
        "def list_entries() -> list[AuditLog]: ...\n"
        "def page() -> PageRow | None: ...\n"
        "def quoted() -> 'tuple[AuditLog, str]': ...\n"
        "def dotted() -> models.Project: ...\n"
        "def value() -> Organization: ...\n"
        "def other() -> tenants.Organization: ...\n"
        "def _private() -> AuditLog: ...\n"
    )
    assert rows_returned(source, "m") == {"m.list_entries", "m.page", "m.quoted", "m.dotted"}


def _front_end_calls(path: Path) -> set[str]:
    """`module.function` of services a front-end file imports by name or reaches as `module.name`."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    modules: set[str] = set()
    calls: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "bgpub.services":
                modules |= {alias.asname or alias.name for alias in node.names}
            elif node.module.startswith("bgpub.services."):
                module = node.module.removeprefix("bgpub.services.")
                calls |= {f"{module}.{alias.name}" for alias in node.names}
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            if node.value.id in modules:
                calls.add(f"{node.value.id}.{node.attr}")
    return calls


def test_front_ends_call_no_row_returning_service():
    rows = service_rows()
    used = {
        (str(path.relative_to(ROOT)), call)
        for front_end in FRONT_ENDS
        for path in sorted((ROOT / front_end).rglob("*.py"))
        for call in _front_end_calls(path)
        if call in rows
    }
    assert not used, sorted(used)


# Value classes front ends still import from services (module.Class -> why it is not in domain yet).
PENDING_VIEWS: dict[str, str] = {
    "asset_files.AssetFile": "its url resolves a path on disk (the editor's copy of the file)",
    "product_views.ProductView": "price_text formats with bgpub.money; LOW_STOCK is in services",
    "product_views.VariantView": "nested in ProductView (moves with it)",
    "workspace.Workspace": "holds the actor row and the connection: front ends pass actor back",
}


def _front_end_service_values() -> set[str]:
    """`module.Class` of each dataclass defined in services that a front-end file imports or reaches."""
    import dataclasses
    import importlib

    found: set[str] = set()
    for front_end in FRONT_ENDS:
        for path in sorted((ROOT / front_end).rglob("*.py")):
            for call in _front_end_calls(path):
                module, _, name = call.rpartition(".")
                value = getattr(importlib.import_module(f"bgpub.services.{module}"), name, None)
                if isinstance(value, type) and dataclasses.is_dataclass(value):
                    home = value.__module__
                    if home.startswith("bgpub.services."):
                        found.add(f"{home.removeprefix('bgpub.services.')}.{value.__name__}")
    return found


def test_front_ends_take_their_values_from_domain_except_the_pending_ones():
    found = _front_end_service_values()
    assert not sorted(found - set(PENDING_VIEWS)), "define these values in bgpub.domain"
    assert not sorted(set(PENDING_VIEWS) - found), "these moved: take them off PENDING_VIEWS"
