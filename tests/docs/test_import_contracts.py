"""The import contracts in pyproject.toml hold, and each one really catches the import it forbids.

A contract that nothing could break proves nothing: this copies the package, plants one forbidden
import per contract, and checks `lint-imports` names every contract as broken. The copy is what
grimp analyses (it comes first on PYTHONPATH), so the real tree is never touched.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# (module to create in the copy, the forbidden import it makes, the contract it must break)
PLANTED = [
    (
        "bgpub/render/planted_db.py",
        "import bgpub.db.models",
        "render and snapshot never reach the database",
    ),
    (
        "bgpub/cli/planted_render.py",
        "import bgpub.render.site",
        "front ends import only services, domain and errors",
    ),
    (
        "bgpub/publish/planted_up.py",
        "import bgpub.services.projects",
        "layers: front ends above services",
    ),
    (
        "bgpub/publish/planted_peewee.py",
        "import peewee",
        "peewee, playhouse and psycopg2 only in db and services",
    ),
    ("bgpub/services/planted_jinja.py", "import jinja2", "Jinja only in render"),
    ("bgpub/db/planted_services.py", "import bgpub.services.audit", "db sits below services"),
    ("bgpub/domain/planted_io.py", "import bgpub.snapshot", "domain is plain values"),
    ("bgpub/preview/planted_textual.py", "import textual.app", "Textual only in the TUI"),
    (
        "bgpub/cli/planted_textual.py",
        "import textual.widgets",
        "the CLI starts the editor without importing Textual",
    ),
]


def _lint(project: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(project / "src")}
    command = [
        sys.executable,
        "-c",
        "from importlinter.cli import lint_imports_command; lint_imports_command()",
        "--no-cache",
    ]
    return subprocess.run(
        command, cwd=project, env=env, capture_output=True, text=True, timeout=300
    )


def _copy(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    shutil.copytree(
        ROOT / "src" / "bgpub",
        project / "src" / "bgpub",
        ignore=shutil.ignore_patterns(
            "__pycache__", "*.pyc", "*.html", "*.css", "*.tcss", "*.toml"
        ),
    )
    shutil.copy(ROOT / "pyproject.toml", project / "pyproject.toml")
    return project


def _verdicts(output: str) -> dict[str, str]:
    """Contract name (start) -> KEPT/BROKEN, from lint-imports' summary (names may wrap)."""
    flat = re.sub(r"\s*\n\s*", " ", output)
    return {
        m.group(1).strip(): m.group(2)
        for m in re.finditer(r"([A-Za-z][^\n]*?) (KEPT|BROKEN)", flat)
    }


def test_contracts_are_kept_and_each_catches_its_forbidden_import(tmp_path: Path) -> None:
    if shutil.which("lint-imports") is None and not _has_importlinter():
        pytest.skip("import-linter is not installed")
    project = _copy(tmp_path)
    clean = _lint(project)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "BROKEN" not in clean.stdout
    for relative, statement, _ in PLANTED:
        path = project / "src" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f'"""Planted by the contracts test."""\n\n{statement}\n')
    broken = _lint(project)
    assert broken.returncode != 0
    verdicts = _verdicts(broken.stdout)
    for relative, _, contract in PLANTED:
        matching = [verdict for name, verdict in verdicts.items() if contract in name]
        assert matching == ["BROKEN"], (
            f"{relative} did not break {contract!r}: {broken.stdout[-3000:]}"
        )
        module = relative.removesuffix(".py").replace("/", ".")
        assert module in broken.stdout, f"the report does not name {module}"


def _has_importlinter() -> bool:
    try:
        import importlinter  # noqa: F401
    except ImportError:
        return False
    return True
